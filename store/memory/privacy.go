package memory

import (
	"context"
	"fmt"

	"github.com/roostchat/roost/store"
)

type privacy struct{ s *Store }

func (m privacy) Get(_ context.Context, userID int64, key string) ([]byte, error) {
	var rules []byte
	err := m.s.read(func() error {
		r, ok := m.s.privacy[userID][key]
		if !ok {
			return fmt.Errorf("get privacy %q of user %d: %w", key, userID, store.ErrNotFound)
		}
		rules = append([]byte{}, r...)
		return nil
	})
	return rules, err
}

func (m privacy) Set(_ context.Context, userID int64, key string, rules []byte) error {
	if key == "" {
		return fmt.Errorf("set privacy of user %d: empty key: %w", userID, store.ErrInvalid)
	}
	rules = append([]byte{}, rules...)
	return m.s.write(func() error {
		if err := m.s.mustUser(userID); err != nil {
			return fmt.Errorf("set privacy %q: %w", key, err)
		}
		byKey := m.s.privacy[userID]
		if byKey == nil {
			byKey = make(map[string][]byte)
			m.s.privacy[userID] = byKey
		}
		byKey[key] = rules
		return nil
	})
}
