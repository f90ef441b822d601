package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/roostchat/roost/store"
)

type loginCodes struct{ s *Store }

func (m loginCodes) Put(ctx context.Context, c store.LoginCode) error {
	if c.Hash == "" {
		return fmt.Errorf("put login code: empty hash: %w", store.ErrInvalid)
	}
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		taken, err := exists(ctx, tx, `SELECT COUNT(*) FROM login_codes WHERE hash = ?`, c.Hash)
		if err != nil {
			return err
		}
		if taken {
			return store.ErrExists
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO login_codes (hash, phone, code, auth_key_id, created_at,
expires_at, attempts, verified) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Hash, c.Phone, c.Code, c.AuthKeyID, unix(c.CreatedAt), unix(c.ExpiresAt), c.Attempts, c.Verified)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO login_code_sends (phone, sent_at) VALUES (?, ?)`,
			c.Phone, unix(c.CreatedAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("put login code %s: %w", c.Hash, err)
	}
	return nil
}

func (m loginCodes) Get(ctx context.Context, hash string) (store.LoginCode, error) {
	var (
		c                store.LoginCode
		created, expires int64
	)
	err := m.s.db.QueryRowContext(ctx, `SELECT hash, phone, code, auth_key_id, created_at, expires_at, attempts,
verified FROM login_codes WHERE hash = ?`, hash).
		Scan(&c.Hash, &c.Phone, &c.Code, &c.AuthKeyID, &created, &expires, &c.Attempts, &c.Verified)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.LoginCode{}, fmt.Errorf("get login code %s: %w", hash, err)
	}
	c.CreatedAt, c.ExpiresAt = fromUnix(created), fromUnix(expires)
	return c, nil
}

func (m loginCodes) Update(ctx context.Context, c store.LoginCode) error {
	err := changedOne(m.s.exec(ctx,
		`UPDATE login_codes SET attempts = ?, verified = ?, expires_at = ? WHERE hash = ?`,
		c.Attempts, c.Verified, unix(c.ExpiresAt), c.Hash))
	if err != nil {
		return fmt.Errorf("update login code %s: %w", c.Hash, err)
	}
	return nil
}

func (m loginCodes) Delete(ctx context.Context, hash string) error {
	err := changedOne(m.s.exec(ctx, `DELETE FROM login_codes WHERE hash = ?`, hash))
	if err != nil {
		return fmt.Errorf("delete login code %s: %w", hash, err)
	}
	return nil
}

func (m loginCodes) CountSince(ctx context.Context, phone string, since time.Time) (int, error) {
	var n int
	err := m.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_code_sends WHERE phone = ? AND sent_at >= ?`,
		phone, since.Unix()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count login codes sent to %s: %w", phone, err)
	}
	return n, nil
}

func (m loginCodes) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM login_codes WHERE expires_at <= ?`, now.Unix())
		if err != nil {
			return err
		}
		if n, err = affected(res); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM login_code_sends WHERE sent_at <= ?`,
			now.Add(-store.LoginCodeHistory).Unix())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired login codes: %w", err)
	}
	return n, nil
}
