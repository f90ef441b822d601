package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/roostchat/roost/store"
)

type bots struct{ s *Store }

func (m bots) SetToken(ctx context.Context, botID int64, secretHash [32]byte) error {
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, `id = ?`, botID)
		if err != nil {
			return err
		}
		if !u.Bot {
			return fmt.Errorf("not a bot: %w", store.ErrInvalid)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO bot_tokens (bot_id, secret_hash) VALUES (?, ?)
ON CONFLICT (bot_id) DO UPDATE SET secret_hash = excluded.secret_hash`, botID, secretHash[:])
		return err
	})
	if err != nil {
		return fmt.Errorf("set token of bot %d: %w", botID, err)
	}
	return nil
}

func (m bots) TokenHash(ctx context.Context, botID int64) ([32]byte, error) {
	var (
		h   [32]byte
		raw []byte
	)
	err := m.s.db.QueryRowContext(ctx, `SELECT secret_hash FROM bot_tokens WHERE bot_id = ?`, botID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err == nil && len(raw) != len(h) {
		err = fmt.Errorf("stored hash has %d bytes, want %d", len(raw), len(h))
	}
	if err != nil {
		return h, fmt.Errorf("token of bot %d: %w", botID, err)
	}
	copy(h[:], raw)
	return h, nil
}
