package memory

import (
	"context"
	"fmt"

	"github.com/roostchat/roost/store"
)

type bots struct{ s *Store }

func (m bots) SetToken(_ context.Context, botID int64, secretHash [32]byte) error {
	return m.s.write(func() error {
		u, ok := m.s.users[botID]
		if !ok {
			return fmt.Errorf("set token of bot %d: %w", botID, store.ErrNotFound)
		}
		if !u.Bot {
			return fmt.Errorf("set token of bot %d: not a bot: %w", botID, store.ErrInvalid)
		}
		m.s.botTokens[botID] = secretHash
		return nil
	})
}

func (m bots) TokenHash(_ context.Context, botID int64) ([32]byte, error) {
	var h [32]byte
	err := m.s.read(func() error {
		var ok bool
		if h, ok = m.s.botTokens[botID]; !ok {
			return fmt.Errorf("token of bot %d: %w", botID, store.ErrNotFound)
		}
		return nil
	})
	return h, err
}
