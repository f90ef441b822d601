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
	return m.setToken(ctx, botID, secretHash, nil)
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

// Delete removes the bot's users row; the schema removes the rest with
// it: the token, Bot API settings, commands and texts and the bot's
// memberships in groups by ON DELETE CASCADE, its box and Bot API queue by
// the triggers users_delete_box and users_delete_bot_queue, and the bots
// it owned lose their owner (ON DELETE SET NULL). The bot's auth keys are
// logged out here (auth_keys.user_id has no foreign key). Chats it created
// and copies of its messages in other boxes stay.
func (m bots) Delete(ctx context.Context, botID int64) error {
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, `id = ?`, botID)
		if err != nil {
			return err
		}
		if !u.Bot {
			return fmt.Errorf("not a bot: %w", store.ErrInvalid)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE auth_keys SET user_id = NULL WHERE user_id = ?`, botID); err != nil {
			return err
		}
		return changedOne(tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, botID))
	})
	if err != nil {
		return fmt.Errorf("delete bot %d: %w", botID, err)
	}
	return nil
}
