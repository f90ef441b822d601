package memory

import (
	"context"
	"fmt"
	"strings"

	"github.com/roostchat/roost/store"
)

type bots struct{ s *Store }

func (m bots) SetToken(_ context.Context, botID int64, secretHash [32]byte) error {
	return m.setToken(botID, secretHash, nil)
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

// Delete removes the bot as the SQL back ends' schema does: the user with
// its indexes, token, password, contacts and block lists (its own and its
// entries in others'), privacy rules, group memberships, box and Bot API
// state; bots it owned lose their owner and its auth keys are logged out.
// It takes every lock in order, so that no Boxes.Update runs meanwhile.
func (m bots) Delete(_ context.Context, botID int64) error {
	s := m.s
	s.boxWriter.Lock()
	defer s.boxWriter.Unlock()
	err := s.write(func() error {
		u, ok := s.users[botID]
		if !ok {
			return store.ErrNotFound
		}
		if !u.Bot {
			return fmt.Errorf("not a bot: %w", store.ErrInvalid)
		}
		s.boxMu.Lock()
		defer s.boxMu.Unlock()
		s.botMu.Lock()
		defer s.botMu.Unlock()
		if s.boxes == nil || s.queues == nil {
			return errClosed
		}
		s.deleteUser(u)
		if bx := s.boxes[botID]; bx != nil {
			for id := range bx.msgs {
				s.removeMessage(botID, bx, id)
			}
			delete(s.boxes, botID)
		}
		s.deleteBotAPI(botID)
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete bot %d: %w", botID, err)
	}
	return nil
}

// deleteUser removes u and what hangs off it in the accounts and the
// chats. The caller holds the write lock.
func (s *Store) deleteUser(u store.User) {
	delete(s.users, u.ID)
	if u.Phone != "" {
		delete(s.phones, u.Phone)
	}
	if u.Username != "" {
		delete(s.usernames, strings.ToLower(u.Username))
	}
	delete(s.passwords, u.ID)
	delete(s.contacts, u.ID)
	delete(s.blocked, u.ID)
	for _, byUser := range s.contacts {
		delete(byUser, u.ID)
	}
	for _, byUser := range s.blocked {
		delete(byUser, u.ID)
	}
	delete(s.privacy, u.ID)
	delete(s.botTokens, u.ID)
	delete(s.botSealed, u.ID)
	for id, other := range s.users {
		if other.BotOwnerID == u.ID {
			other.BotOwnerID = 0
			s.users[id] = other
		}
	}
	for _, byUser := range s.members {
		delete(byUser, u.ID)
	}
	for id, k := range s.keys {
		if k.UserID == u.ID {
			k.UserID = 0
			s.keys[id] = k
		}
	}
}
