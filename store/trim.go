package store

// Each user's update log is bounded. Boxes keep at least the entries of
// an owner's newest UpdateLogKeep pts and drop older ones: each time an
// append (BoxTx.AppendUpdate) takes the owner's pts past a multiple of
// UpdateLogTrimEvery, the same transaction deletes the owner's entries
// with Pts <= pts-UpdateLogKeep (TrimUpTo). A trim thus removes about
// UpdateLogTrimEvery entries, one short range of the log's key, once per
// that many appends: the send path pays a small, bounded amount, never a
// scan. Entries that do not move pts (PtsCount 0) go with the pts they
// carry.
//
// A reader detects the cut with Updates: when the first entry after a pts
// starts later than that pts (Pts-PtsCount > after), the entries between
// are gone and the client must refetch (updates.differenceTooLong).
const (
	// UpdateLogKeep is how many pts of each owner's newest log entries are
	// kept. A client that missed more catches up by refetching its dialogs
	// rather than replaying the log. 10 000 is the top of the range the
	// official documentation recommends clients allow in one
	// updates.getDifference (pts_total_limit 1 000–10 000), and a few
	// weeks of a busy user's changes; at ~100 bytes an entry it bounds a
	// log to about a megabyte.
	UpdateLogKeep = 10_000
	// UpdateLogTrimEvery is how many pts pass between two trims of a log.
	UpdateLogTrimEvery = 256
)

// TrimUpTo reports whether an append that moved an owner's pts from
// before to after is due to trim the log, and up to which pts (inclusive)
// entries go.
func TrimUpTo(before, after int32) (int32, bool) {
	if after <= UpdateLogKeep || after/UpdateLogTrimEvery == before/UpdateLogTrimEvery {
		return 0, false
	}
	return after - UpdateLogKeep, true
}
