package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/roostchat/roost/store"
)

type contacts struct{ s *Store }

// bothUsers fails with store.ErrNotFound unless the owner and the user
// exist.
func bothUsers(ctx context.Context, tx *sql.Tx, ownerID, userID int64) error {
	if err := mustUser(ctx, tx, ownerID); err != nil {
		return fmt.Errorf("owner: %w", err)
	}
	if err := mustUser(ctx, tx, userID); err != nil {
		return err
	}
	return nil
}

func (m contacts) Put(ctx context.Context, c store.Contact) error {
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := bothUsers(ctx, tx, c.OwnerID, c.UserID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO contacts (owner_id, user_id, first_name, last_name, created_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (owner_id, user_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name`,
			c.OwnerID, c.UserID, c.FirstName, c.LastName, unix(c.CreatedAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("put contact %d of user %d: %w", c.UserID, c.OwnerID, err)
	}
	return nil
}

const selectContact = `SELECT owner_id, user_id, first_name, last_name, created_at FROM contacts`

// scanContact reads one row of selectContact.
func scanContact(row interface{ Scan(...any) error }) (store.Contact, error) {
	var (
		c       store.Contact
		created int64
	)
	if err := row.Scan(&c.OwnerID, &c.UserID, &c.FirstName, &c.LastName, &created); err != nil {
		return store.Contact{}, err
	}
	c.CreatedAt = fromUnix(created)
	return c, nil
}

func (m contacts) List(ctx context.Context, ownerID int64) ([]store.Contact, error) {
	rows, err := m.s.db.QueryContext(ctx, selectContact+` WHERE owner_id = ? ORDER BY user_id`, ownerID)
	if err != nil {
		return nil, fmt.Errorf("list contacts of user %d: %w", ownerID, err)
	}
	defer rows.Close()
	var out []store.Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, fmt.Errorf("list contacts of user %d: %w", ownerID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list contacts of user %d: %w", ownerID, err)
	}
	return out, nil
}

func (m contacts) Get(ctx context.Context, ownerID, userID int64) (store.Contact, error) {
	c, err := scanContact(m.s.db.QueryRowContext(ctx, selectContact+` WHERE owner_id = ? AND user_id = ?`,
		ownerID, userID))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Contact{}, fmt.Errorf("get contact %d of user %d: %w", userID, ownerID, err)
	}
	return c, nil
}

func (m contacts) Delete(ctx context.Context, ownerID int64, userIDs []int64) error {
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		for chunk := range slices.Chunk(userIDs, maxParams) {
			in, args := inList(chunk, ownerID)
			q := `DELETE FROM contacts WHERE owner_id = ? AND user_id` + in
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete %d contacts of user %d: %w", len(userIDs), ownerID, err)
	}
	return nil
}

func (m contacts) Block(ctx context.Context, ownerID, userID int64, at time.Time) error {
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := bothUsers(ctx, tx, ownerID, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO blocked_users (owner_id, user_id, blocked_at) VALUES (?, ?, ?)
ON CONFLICT (owner_id, user_id) DO NOTHING`, ownerID, userID, unix(at))
		return err
	})
	if err != nil {
		return fmt.Errorf("block user %d for user %d: %w", userID, ownerID, err)
	}
	return nil
}

func (m contacts) Unblock(ctx context.Context, ownerID, userID int64) error {
	_, err := m.s.exec(ctx, `DELETE FROM blocked_users WHERE owner_id = ? AND user_id = ?`, ownerID, userID)
	if err != nil {
		return fmt.Errorf("unblock user %d for user %d: %w", userID, ownerID, err)
	}
	return nil
}

func (m contacts) Blocked(ctx context.Context, ownerID int64, offset, limit int) ([]int64, int, error) {
	if offset < 0 || limit < 0 {
		return nil, 0, fmt.Errorf("blocked users of user %d: offset %d, limit %d: %w", ownerID, offset, limit, store.ErrInvalid)
	}
	var (
		ids   []int64
		total int
	)
	// One read transaction, so that the page and the total agree.
	tx, err := m.s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, fmt.Errorf("blocked users of user %d: begin: %w", ownerID, err)
	}
	defer tx.Rollback() // read-only: its error tells nothing
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM blocked_users WHERE owner_id = ?`, ownerID).Scan(&total)
	if err == nil && limit > 0 && offset < total {
		ids, err = m.page(ctx, tx, ownerID, offset, limit)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("blocked users of user %d: %w", ownerID, err)
	}
	return ids, total, nil
}

// page reads one page of the block list, newest first.
func (contacts) page(ctx context.Context, tx *sql.Tx, ownerID int64, offset, limit int) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT user_id FROM blocked_users WHERE owner_id = ?
ORDER BY blocked_at DESC, user_id DESC LIMIT ? OFFSET ?`, ownerID, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (m contacts) BlockedAt(ctx context.Context, ownerID int64, ids []int64) (map[int64]time.Time, error) {
	out := make(map[int64]time.Time, len(ids))
	for chunk := range slices.Chunk(ids, maxParams-1) {
		in, args := inList(chunk, ownerID)
		rows, err := m.s.db.QueryContext(ctx, `SELECT user_id, blocked_at FROM blocked_users WHERE owner_id = ? AND user_id`+in, args...)
		if err != nil {
			return nil, fmt.Errorf("block dates of user %d: %w", ownerID, err)
		}
		for rows.Next() {
			var id, at int64
			if err := rows.Scan(&id, &at); err != nil {
				rows.Close()
				return nil, fmt.Errorf("block dates of user %d: %w", ownerID, err)
			}
			out[id] = fromUnix(at)
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("block dates of user %d: %w", ownerID, err)
		}
	}
	return out, nil
}

func (m contacts) Blocks(ctx context.Context, a, b int64) (bool, bool, error) {
	var ab, ba int
	// Two primary-key probes in one statement.
	err := m.s.cachedReads().QueryRowContext(ctx, `SELECT
	EXISTS (SELECT 1 FROM blocked_users WHERE owner_id = ? AND user_id = ?),
	EXISTS (SELECT 1 FROM blocked_users WHERE owner_id = ? AND user_id = ?)`,
		a, b, b, a).Scan(&ab, &ba)
	if err != nil {
		return false, false, fmt.Errorf("blocks between users %d and %d: %w", a, b, err)
	}
	return ab > 0, ba > 0, nil
}

func (m contacts) IsBlocked(ctx context.Context, ownerID, userID int64) (bool, error) {
	ok, err := exists(ctx, m.s.cachedReads(), `SELECT COUNT(*) FROM blocked_users WHERE owner_id = ? AND user_id = ?`,
		ownerID, userID)
	if err != nil {
		return false, fmt.Errorf("is user %d blocked by user %d: %w", userID, ownerID, err)
	}
	return ok, nil
}
