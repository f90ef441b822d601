package memory

import (
	"context"
	"fmt"

	"github.com/roostchat/roost/store"
)

type passwords struct{ s *Store }

// clonePassword copies the byte slices of p.
func clonePassword(p store.Password) store.Password {
	p.Salt1, p.Salt2, p.Verifier = clone(p.Salt1), clone(p.Salt2), clone(p.Verifier)
	return p
}

func (m passwords) Get(_ context.Context, userID int64) (store.Password, error) {
	var p store.Password
	err := m.s.read(func() error {
		var ok bool
		if p, ok = m.s.passwords[userID]; !ok {
			return fmt.Errorf("get password of user %d: %w", userID, store.ErrNotFound)
		}
		p = clonePassword(p)
		return nil
	})
	return p, err
}

func (m passwords) Set(_ context.Context, p store.Password) error {
	p = clonePassword(p)
	p.UpdatedAt = second(p.UpdatedAt)
	return m.s.write(func() error {
		if err := m.s.mustUser(p.UserID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		m.s.passwords[p.UserID] = p
		return nil
	})
}

func (m passwords) Delete(_ context.Context, userID int64) error {
	return m.s.write(func() error {
		if _, ok := m.s.passwords[userID]; !ok {
			return fmt.Errorf("delete password of user %d: %w", userID, store.ErrNotFound)
		}
		delete(m.s.passwords, userID)
		return nil
	})
}
