package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/roostchat/roost/store"
)

type salts struct{ s *Store }

func (m salts) Add(ctx context.Context, keyID int64, add ...store.Salt) error {
	for _, v := range add {
		if unix(v.ValidUntil) <= unix(v.ValidSince) {
			return fmt.Errorf("add salts of auth key %d: valid_until not after valid_since: %w", keyID, store.ErrInvalid)
		}
	}
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		exists, err := keyExists(ctx, tx, keyID)
		if err != nil {
			return err
		}
		if !exists {
			return store.ErrNotFound
		}
		for _, v := range add {
			_, err := tx.ExecContext(ctx, `INSERT INTO server_salts (auth_key_id, salt, valid_since, valid_until)
VALUES (?, ?, ?, ?)
ON CONFLICT (auth_key_id, salt) DO UPDATE SET valid_since = excluded.valid_since, valid_until = excluded.valid_until`,
				keyID, v.Salt, unix(v.ValidSince), unix(v.ValidUntil))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add salts of auth key %d: %w", keyID, err)
	}
	return nil
}

func (m salts) List(ctx context.Context, keyID int64, at time.Time, limit int) ([]store.Salt, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("list salts of auth key %d: limit %d: %w", keyID, limit, store.ErrInvalid)
	}
	rows, err := m.s.db.QueryContext(ctx, `SELECT salt, valid_since, valid_until FROM server_salts
WHERE auth_key_id = ? AND valid_until > ?
ORDER BY valid_since, salt
LIMIT ?`, keyID, unix(at), limit)
	if err != nil {
		return nil, fmt.Errorf("list salts of auth key %d: %w", keyID, err)
	}
	defer rows.Close()
	var out []store.Salt
	for rows.Next() {
		var v store.Salt
		var since, until int64
		if err := rows.Scan(&v.Salt, &since, &until); err != nil {
			return nil, fmt.Errorf("list salts of auth key %d: %w", keyID, err)
		}
		v.ValidSince, v.ValidUntil = fromUnix(since), fromUnix(until)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list salts of auth key %d: %w", keyID, err)
	}
	return out, nil
}

func (m salts) DeleteBefore(ctx context.Context, t time.Time) (int, error) {
	res, err := m.s.exec(ctx, `DELETE FROM server_salts WHERE valid_until <= ?`, unix(t))
	if err != nil {
		return 0, fmt.Errorf("delete old salts: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return 0, fmt.Errorf("delete old salts: %w", err)
	}
	return n, nil
}
