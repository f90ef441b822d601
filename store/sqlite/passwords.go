package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/roostchat/roost/store"
)

type passwords struct{ s *Store }

func (m passwords) Get(ctx context.Context, userID int64) (store.Password, error) {
	var (
		p       = store.Password{UserID: userID}
		updated int64
	)
	err := m.s.db.QueryRowContext(ctx, `SELECT salt1, salt2, verifier, hint, email, email_confirmed, updated_at
FROM passwords WHERE user_id = ?`, userID).
		Scan(&p.Salt1, &p.Salt2, &p.Verifier, &p.Hint, &p.Email, &p.EmailConfirmed, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Password{}, fmt.Errorf("get password of user %d: %w", userID, err)
	}
	p.UpdatedAt = fromUnix(updated)
	return p, nil
}

func (m passwords) Set(ctx context.Context, p store.Password) error {
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustUser(ctx, tx, p.UserID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO passwords (user_id, salt1, salt2, verifier, hint, email,
email_confirmed, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (user_id) DO UPDATE SET salt1 = excluded.salt1, salt2 = excluded.salt2,
verifier = excluded.verifier, hint = excluded.hint, email = excluded.email,
email_confirmed = excluded.email_confirmed, updated_at = excluded.updated_at`,
			p.UserID, nonNil(p.Salt1), nonNil(p.Salt2), nonNil(p.Verifier), p.Hint, p.Email, p.EmailConfirmed,
			unix(p.UpdatedAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", p.UserID, err)
	}
	return nil
}

func (m passwords) Delete(ctx context.Context, userID int64) error {
	err := changedOne(m.s.exec(ctx, `DELETE FROM passwords WHERE user_id = ?`, userID))
	if err != nil {
		return fmt.Errorf("delete password of user %d: %w", userID, err)
	}
	return nil
}
