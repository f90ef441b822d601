package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// Sequences of ids, rows of the id_sequences table.
const (
	seqUsers = "users"
	seqApps  = "apps"
	seqChats = "chats"
)

// nextID returns the id to assign from sequence name: one above the
// highest it gave out or saw, and at least first. It fails once the
// sequence would pass limit. The caller stores the row and then calls
// takeID, in the same transaction.
func nextID(ctx context.Context, tx *sql.Tx, name string, first, limit int64) (int64, error) {
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT last_id FROM id_sequences WHERE name = ?`, name).Scan(&last); err != nil {
		return 0, fmt.Errorf("read id sequence %s: %w", name, err)
	}
	if last >= limit {
		return 0, fmt.Errorf("id sequence %s is exhausted at %d", name, last)
	}
	return max(last+1, first), nil
}

// takeID records that id is used, so that nextID never returns it or a
// smaller id again.
func takeID(ctx context.Context, tx *sql.Tx, name string, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE id_sequences SET last_id = ? WHERE name = ? AND last_id < ?`, id, name, id)
	if err != nil {
		return fmt.Errorf("advance id sequence %s: %w", name, err)
	}
	return nil
}
