package memory

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/roostchat/roost/store"
)

type users struct{ s *Store }

func (m users) Create(_ context.Context, u store.User) (store.User, error) {
	switch {
	case u.ID < 0:
		return store.User{}, fmt.Errorf("create user: negative id %d: %w", u.ID, store.ErrInvalid)
	case u.Bot && u.Phone != "":
		return store.User{}, fmt.Errorf("create user: a bot has no phone: %w", store.ErrInvalid)
	case !u.Bot && u.BotOwnerID != 0:
		return store.User{}, fmt.Errorf("create user: only a bot has an owner: %w", store.ErrInvalid)
	}
	u.CreatedAt, u.LastSeenAt = second(u.CreatedAt), second(u.LastSeenAt)
	err := m.s.write(func() error {
		if u.ID == 0 {
			if m.s.lastUserID == math.MaxInt64 {
				return fmt.Errorf("create user: user ids are exhausted")
			}
			u.ID = max(m.s.lastUserID+1, store.FirstUserID)
		}
		if _, ok := m.s.users[u.ID]; ok {
			return fmt.Errorf("create user %d: id: %w", u.ID, store.ErrExists)
		}
		if err := m.s.checkFree(u.ID, u.Phone, u.Username); err != nil {
			return fmt.Errorf("create user %d: %w", u.ID, err)
		}
		if u.BotOwnerID != 0 {
			if err := m.s.mustUser(u.BotOwnerID); err != nil {
				return fmt.Errorf("create user %d: bot owner: %w", u.ID, err)
			}
		}
		m.s.users[u.ID] = u
		if u.Phone != "" {
			m.s.phones[u.Phone] = u.ID
		}
		if u.Username != "" {
			m.s.usernames[strings.ToLower(u.Username)] = u.ID
		}
		m.s.lastUserID = max(m.s.lastUserID, u.ID)
		return nil
	})
	if err != nil {
		return store.User{}, err
	}
	return u, nil
}

// checkFree fails with store.ErrExists if a user other than id has the
// phone or the username. The caller holds the lock.
func (s *Store) checkFree(id int64, phone, username string) error {
	if other, ok := s.phones[phone]; ok && phone != "" && other != id {
		return fmt.Errorf("phone %s: %w", phone, store.ErrExists)
	}
	if other, ok := s.usernames[strings.ToLower(username)]; ok && username != "" && other != id {
		return fmt.Errorf("username %s: %w", username, store.ErrExists)
	}
	return nil
}

func (m users) Get(_ context.Context, id int64) (store.User, error) {
	var u store.User
	err := m.s.read(func() error {
		var ok bool
		if u, ok = m.s.users[id]; !ok {
			return fmt.Errorf("get user %d: %w", id, store.ErrNotFound)
		}
		return nil
	})
	return u, err
}

func (m users) GetMany(_ context.Context, ids []int64) ([]store.User, error) {
	out := make([]store.User, 0, len(ids))
	err := m.s.read(func() error {
		seen := make(map[int64]bool, len(ids))
		for _, id := range ids {
			if u, ok := m.s.users[id]; ok && !seen[id] {
				seen[id] = true
				out = append(out, u)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// byIndex returns the user an index maps key to. "" is never a key.
func (m users) byIndex(what, key string, index func() map[string]int64) (store.User, error) {
	var u store.User
	err := m.s.read(func() error {
		id, ok := index()[key]
		if !ok || key == "" {
			return fmt.Errorf("get user by %s: %w", what, store.ErrNotFound)
		}
		u = m.s.users[id]
		return nil
	})
	return u, err
}

func (m users) ByPhone(_ context.Context, phone string) (store.User, error) {
	return m.byIndex("phone "+phone, phone, func() map[string]int64 { return m.s.phones })
}

func (m users) ByUsername(_ context.Context, username string) (store.User, error) {
	return m.byIndex("username "+username, strings.ToLower(username), func() map[string]int64 { return m.s.usernames })
}

func (m users) ByUsernamePrefix(_ context.Context, prefix string, limit int) ([]store.User, error) {
	if prefix == "" || limit <= 0 {
		return nil, fmt.Errorf("users by username prefix %q, limit %d: %w", prefix, limit, store.ErrInvalid)
	}
	low := strings.ToLower(prefix)
	m.s.mu.RLock()
	defer m.s.mu.RUnlock()
	var names []string
	for name := range m.s.usernames {
		if strings.HasPrefix(name, low) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	out := make([]store.User, 0, min(len(names), limit))
	for _, name := range names[:min(len(names), limit)] {
		out = append(out, m.s.users[m.s.usernames[name]])
	}
	return out, nil
}

// update applies f to the user id under the write lock.
func (m users) update(what string, id int64, f func(u *store.User) error) error {
	return m.s.write(func() error {
		u, ok := m.s.users[id]
		if !ok {
			return fmt.Errorf("%s of user %d: %w", what, id, store.ErrNotFound)
		}
		if err := f(&u); err != nil {
			return fmt.Errorf("%s of user %d: %w", what, id, err)
		}
		m.s.users[id] = u
		return nil
	})
}

func (m users) UpdateProfile(_ context.Context, id int64, firstName, lastName, about string) error {
	return m.update("update profile", id, func(u *store.User) error {
		u.FirstName, u.LastName, u.About = firstName, lastName, about
		return nil
	})
}

func (m users) SetUsername(_ context.Context, id int64, username string) error {
	return m.update("set username", id, func(u *store.User) error {
		if err := m.s.checkFree(id, "", username); err != nil {
			return err
		}
		delete(m.s.usernames, strings.ToLower(u.Username))
		if username != "" {
			m.s.usernames[strings.ToLower(username)] = id
		}
		u.Username = username
		return nil
	})
}

func (m users) SetLastSeen(_ context.Context, id int64, at time.Time) error {
	return m.update("set last seen", id, func(u *store.User) error {
		u.LastSeenAt = second(at)
		return nil
	})
}
