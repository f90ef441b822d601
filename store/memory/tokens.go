package memory

import (
	"context"
	"fmt"
	"sort"

	"github.com/roostchat/roost/store"
)

// setToken stores a token's hash and its sealed copy (nil for none) under
// one lock.
func (m bots) setToken(botID int64, secretHash [32]byte, sealed []byte) error {
	return m.s.write(func() error {
		u, ok := m.s.users[botID]
		if !ok {
			return fmt.Errorf("set token of bot %d: %w", botID, store.ErrNotFound)
		}
		if !u.Bot {
			return fmt.Errorf("set token of bot %d: not a bot: %w", botID, store.ErrInvalid)
		}
		m.s.botTokens[botID] = secretHash
		if sealed == nil {
			delete(m.s.botSealed, botID)
			return nil
		}
		if m.s.botSealed == nil {
			m.s.botSealed = make(map[int64][]byte)
		}
		m.s.botSealed[botID] = clone(sealed)
		return nil
	})
}

func (m bots) SetSealedToken(_ context.Context, botID int64, secretHash [32]byte, sealed []byte) error {
	if len(sealed) == 0 {
		return fmt.Errorf("set token of bot %d: empty sealed token: %w", botID, store.ErrInvalid)
	}
	return m.setToken(botID, secretHash, sealed)
}

func (m bots) SealedToken(_ context.Context, botID int64) ([]byte, error) {
	var sealed []byte
	err := m.s.read(func() error {
		b, ok := m.s.botSealed[botID]
		if !ok {
			return fmt.Errorf("sealed token of bot %d: %w", botID, store.ErrNotFound)
		}
		sealed = clone(b)
		return nil
	})
	return sealed, err
}

func (m bots) ByOwner(_ context.Context, ownerID int64) ([]store.User, error) {
	var out []store.User
	err := m.s.read(func() error {
		for _, u := range m.s.users {
			if u.Bot && u.BotOwnerID == ownerID && ownerID != 0 {
				out = append(out, u)
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}
