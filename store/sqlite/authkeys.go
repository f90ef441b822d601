package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/roostchat/roost/store"
)

const selectAuthKey = `SELECT id, auth_key, created_at, expires_at, perm_key_id, user_id FROM auth_keys`

type authKeys struct{ s *Store }

// scanKey reads one row of selectAuthKey.
func scanKey(row interface{ Scan(...any) error }) (store.AuthKey, error) {
	var (
		k         store.AuthKey
		key       []byte
		created   int64
		expires   sql.NullInt64
		perm, usr sql.NullInt64
	)
	if err := row.Scan(&k.ID, &key, &created, &expires, &perm, &usr); err != nil {
		return store.AuthKey{}, err
	}
	if len(key) != store.KeySize {
		return store.AuthKey{}, fmt.Errorf("auth key %d: stored key has %d bytes, want %d", k.ID, len(key), store.KeySize)
	}
	copy(k.Key[:], key)
	k.CreatedAt = fromUnix(created)
	if expires.Valid {
		k.ExpiresAt = time.Unix(expires.Int64, 0).UTC()
	}
	k.PermKeyID = perm.Int64
	k.UserID = usr.Int64
	return k, nil
}

func (a authKeys) Create(ctx context.Context, k store.AuthKey) error {
	if k.ID == 0 || k.PermKeyID != 0 || k.UserID != 0 {
		return fmt.Errorf("create auth key: id must be non-zero, perm key and user unset: %w", store.ErrInvalid)
	}
	err := a.s.inTx(ctx, func(tx *sql.Tx) error {
		exists, err := keyExists(ctx, tx, k.ID)
		if err != nil {
			return err
		}
		if exists {
			return store.ErrExists
		}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO auth_keys (id, auth_key, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			k.ID, k.Key[:], unix(k.CreatedAt), nullUnix(k.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("create auth key %d: %w", k.ID, err)
	}
	return nil
}

func (a authKeys) Get(ctx context.Context, id int64) (store.AuthKey, error) {
	k, err := scanKey(a.s.getKey.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.AuthKey{}, fmt.Errorf("get auth key %d: %w", id, err)
	}
	return k, nil
}

// get reads a key inside a transaction.
func (a authKeys) get(ctx context.Context, tx *sql.Tx, id int64) (store.AuthKey, error) {
	k, err := scanKey(tx.QueryRowContext(ctx, selectAuthKey+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.AuthKey{}, fmt.Errorf("auth key %d: %w", id, store.ErrNotFound)
	}
	return k, err
}

func (a authKeys) SetUser(ctx context.Context, id, userID int64) error {
	err := a.s.inTx(ctx, func(tx *sql.Tx) error {
		k, err := a.get(ctx, tx, id)
		if err != nil {
			return err
		}
		if k.Temporary() {
			return fmt.Errorf("temporary key: %w", store.ErrInvalid)
		}
		_, err = tx.ExecContext(ctx, `UPDATE auth_keys SET user_id = ? WHERE id = ?`, nullID(userID), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("set user of auth key %d: %w", id, err)
	}
	return nil
}

func (a authKeys) ByUser(ctx context.Context, userID int64) ([]store.AuthKey, error) {
	if userID == 0 {
		return nil, fmt.Errorf("auth keys of user: user id 0: %w", store.ErrInvalid)
	}
	rows, err := a.s.db.QueryContext(ctx, selectAuthKey+` WHERE user_id = ? AND expires_at IS NULL
ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("auth keys of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []store.AuthKey
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("auth keys of user %d: %w", userID, err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("auth keys of user %d: %w", userID, err)
	}
	return out, nil
}

func (a authKeys) BindTemp(ctx context.Context, tempID, permID int64) error {
	err := a.s.inTx(ctx, func(tx *sql.Tx) error {
		temp, err := a.get(ctx, tx, tempID)
		if err != nil {
			return err
		}
		perm, err := a.get(ctx, tx, permID)
		if err != nil {
			return err
		}
		if !temp.Temporary() || perm.Temporary() {
			return fmt.Errorf("need a temporary and a permanent key: %w", store.ErrInvalid)
		}
		switch temp.PermKeyID {
		case permID:
			return nil
		case 0:
		default:
			return store.ErrAlreadyBound
		}
		if _, err := tx.ExecContext(ctx, `UPDATE auth_keys SET perm_key_id = NULL WHERE perm_key_id = ?`, permID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE auth_keys SET perm_key_id = ? WHERE id = ?`, permID, tempID)
		return err
	})
	if err != nil {
		return fmt.Errorf("bind temp key %d to %d: %w", tempID, permID, err)
	}
	return nil
}

func (a authKeys) BoundTemp(ctx context.Context, permID int64) (store.AuthKey, error) {
	k, err := scanKey(a.s.db.QueryRowContext(ctx, selectAuthKey+` WHERE perm_key_id = ?`, permID))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.AuthKey{}, fmt.Errorf("temp key bound to %d: %w", permID, err)
	}
	return k, nil
}

func (a authKeys) Delete(ctx context.Context, id int64) error {
	res, err := a.s.exec(ctx, `DELETE FROM auth_keys WHERE id = ?`, id)
	if err == nil {
		var n int
		if n, err = affected(res); err == nil && n == 0 {
			err = store.ErrNotFound
		}
	}
	if err != nil {
		return fmt.Errorf("delete auth key %d: %w", id, err)
	}
	return nil
}

func (a authKeys) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	res, err := a.s.exec(ctx,
		`DELETE FROM auth_keys WHERE expires_at IS NOT NULL AND expires_at <= ?`, now.Unix())
	if err != nil {
		return 0, fmt.Errorf("delete expired auth keys: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return 0, fmt.Errorf("delete expired auth keys: %w", err)
	}
	return n, nil
}
