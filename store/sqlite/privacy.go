package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/roostchat/roost/store"
)

type privacy struct{ s *Store }

func (m privacy) Get(ctx context.Context, userID int64, key string) ([]byte, error) {
	var rules []byte
	err := m.s.db.QueryRowContext(ctx, `SELECT rules FROM privacy_rules WHERE user_id = ? AND rule_key = ?`,
		userID, key).Scan(&rules)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get privacy %q of user %d: %w", key, userID, err)
	}
	return nonNil(rules), nil
}

func (m privacy) Set(ctx context.Context, userID int64, key string, rules []byte) error {
	if key == "" {
		return fmt.Errorf("set privacy of user %d: empty key: %w", userID, store.ErrInvalid)
	}
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustUser(ctx, tx, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO privacy_rules (user_id, rule_key, rules) VALUES (?, ?, ?)
ON CONFLICT (user_id, rule_key) DO UPDATE SET rules = excluded.rules`, userID, key, nonNil(rules))
		return err
	})
	if err != nil {
		return fmt.Errorf("set privacy %q of user %d: %w", key, userID, err)
	}
	return nil
}
