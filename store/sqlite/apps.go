package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"

	"github.com/roostchat/roost/store"
)

type apps struct{ s *Store }

func (m apps) Create(ctx context.Context, a store.App) (store.App, error) {
	switch {
	case a.ID < 0:
		return store.App{}, fmt.Errorf("create app: negative id %d: %w", a.ID, store.ErrInvalid)
	case a.Hash == "":
		return store.App{}, fmt.Errorf("create app: empty hash: %w", store.ErrInvalid)
	}
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		if a.ID == 0 {
			id, err := nextID(ctx, tx, seqApps, int64(store.FirstAppID), math.MaxInt32)
			if err != nil {
				return err
			}
			a.ID = int32(id)
		}
		taken, err := exists(ctx, tx, `SELECT COUNT(*) FROM apps WHERE id = ?`, a.ID)
		if err != nil {
			return err
		}
		if taken {
			return store.ErrExists
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO apps (id, hash, title, created_at) VALUES (?, ?, ?, ?)`,
			a.ID, a.Hash, a.Title, unix(a.CreatedAt))
		if err != nil {
			return err
		}
		return takeID(ctx, tx, seqApps, int64(a.ID))
	})
	if err != nil {
		return store.App{}, fmt.Errorf("create app %d: %w", a.ID, err)
	}
	a.CreatedAt = fromUnix(unix(a.CreatedAt))
	return a, nil
}

func (m apps) Get(ctx context.Context, id int32) (store.App, error) {
	var (
		a       store.App
		created int64
	)
	err := m.s.db.QueryRowContext(ctx, `SELECT id, hash, title, created_at FROM apps WHERE id = ?`, id).
		Scan(&a.ID, &a.Hash, &a.Title, &created)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.App{}, fmt.Errorf("get app %d: %w", id, err)
	}
	a.CreatedAt = fromUnix(created)
	return a, nil
}
