package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/roostchat/roost/store"
)

// setToken stores a token's hash and its sealed copy (NULL for none) in
// one statement (migration 0006 added secret_sealed).
func (m bots) setToken(ctx context.Context, botID int64, secretHash [32]byte, sealed []byte) error {
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, `id = ?`, botID)
		if err != nil {
			return err
		}
		if !u.Bot {
			return fmt.Errorf("not a bot: %w", store.ErrInvalid)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO bot_tokens (bot_id, secret_hash, secret_sealed) VALUES (?, ?, ?)
ON CONFLICT (bot_id) DO UPDATE SET secret_hash = excluded.secret_hash, secret_sealed = excluded.secret_sealed`,
			botID, secretHash[:], sealed)
		return err
	})
	if err != nil {
		return fmt.Errorf("set token of bot %d: %w", botID, err)
	}
	return nil
}

func (m bots) SetSealedToken(ctx context.Context, botID int64, secretHash [32]byte, sealed []byte) error {
	if len(sealed) == 0 {
		return fmt.Errorf("set token of bot %d: empty sealed token: %w", botID, store.ErrInvalid)
	}
	return m.setToken(ctx, botID, secretHash, sealed)
}

func (m bots) SealedToken(ctx context.Context, botID int64) ([]byte, error) {
	var sealed []byte
	err := m.s.db.QueryRowContext(ctx, `SELECT secret_sealed FROM bot_tokens WHERE bot_id = ?`, botID).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) || err == nil && len(sealed) == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sealed token of bot %d: %w", botID, err)
	}
	return sealed, nil
}

func (m bots) ByOwner(ctx context.Context, ownerID int64) ([]store.User, error) {
	rows, err := m.s.db.QueryContext(ctx, selectUser+` WHERE bot_owner_id = ? AND bot ORDER BY id`, ownerID)
	if err != nil {
		return nil, fmt.Errorf("bots of %d: %w", ownerID, err)
	}
	defer rows.Close()
	var out []store.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("bots of %d: %w", ownerID, err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bots of %d: %w", ownerID, err)
	}
	return out, nil
}
