package memory

import (
	"sort"

	"github.com/roostchat/roost/store"
)

// trimLog drops the entries of a log (in Pts order) with Pts <= upTo
// (store.TrimUpTo; 0 drops none), into a new slice so that the old
// entries are freed.
func trimLog(log []store.Update, upTo int32) []store.Update {
	if upTo <= 0 {
		return log
	}
	i := sort.Search(len(log), func(i int) bool { return log[i].Pts > upTo })
	if i == 0 {
		return log
	}
	return append(make([]store.Update, 0, len(log)-i+store.UpdateLogTrimEvery), log[i:]...)
}
