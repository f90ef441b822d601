package sqlite

import (
	"fmt"

	"github.com/roostchat/roost/store"
)

// trimLog drops the oldest entries of owner's update log when an append
// that took its pts from before to after is due to (store.TrimUpTo): a
// range of the table's primary key, in the append's own transaction, so
// that a dropped call keeps them.
func (t *boxTx) trimLog(owner int64, before, after int32) error {
	upTo, ok := store.TrimUpTo(before, after)
	if !ok {
		return nil
	}
	if _, err := t.b.tx.ExecContext(t.b.ctx, `DELETE FROM updates WHERE owner_id = ? AND pts <= ?`, owner, int64(upTo)); err != nil {
		return fmt.Errorf("trim the log up to pts %d: %w", upTo, err)
	}
	return nil
}
