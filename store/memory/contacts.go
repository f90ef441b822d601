package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/roostchat/roost/store"
)

type contacts struct{ s *Store }

// bothUsers fails with store.ErrNotFound unless the owner and the user
// exist. The caller holds the lock.
func (s *Store) bothUsers(ownerID, userID int64) error {
	if err := s.mustUser(ownerID); err != nil {
		return fmt.Errorf("owner: %w", err)
	}
	return s.mustUser(userID)
}

func (m contacts) Put(_ context.Context, c store.Contact) error {
	c.CreatedAt = second(c.CreatedAt)
	return m.s.write(func() error {
		if err := m.s.bothUsers(c.OwnerID, c.UserID); err != nil {
			return fmt.Errorf("put contact %d of user %d: %w", c.UserID, c.OwnerID, err)
		}
		byUser := m.s.contacts[c.OwnerID]
		if byUser == nil {
			byUser = make(map[int64]store.Contact)
			m.s.contacts[c.OwnerID] = byUser
		}
		if old, ok := byUser[c.UserID]; ok {
			c.CreatedAt = old.CreatedAt
		}
		byUser[c.UserID] = c
		return nil
	})
}

func (m contacts) List(_ context.Context, ownerID int64) ([]store.Contact, error) {
	var out []store.Contact
	err := m.s.read(func() error {
		for _, c := range m.s.contacts[ownerID] {
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b store.Contact) int { return cmp.Compare(a.UserID, b.UserID) })
	return out, nil
}

func (m contacts) Get(_ context.Context, ownerID, userID int64) (store.Contact, error) {
	var c store.Contact
	err := m.s.read(func() error {
		var ok bool
		if c, ok = m.s.contacts[ownerID][userID]; !ok {
			return fmt.Errorf("get contact %d of user %d: %w", userID, ownerID, store.ErrNotFound)
		}
		return nil
	})
	return c, err
}

func (m contacts) Delete(_ context.Context, ownerID int64, userIDs []int64) error {
	return m.s.write(func() error {
		byUser := m.s.contacts[ownerID]
		for _, id := range userIDs {
			delete(byUser, id)
		}
		if len(byUser) == 0 {
			delete(m.s.contacts, ownerID)
		}
		return nil
	})
}

func (m contacts) Block(_ context.Context, ownerID, userID int64, at time.Time) error {
	return m.s.write(func() error {
		if err := m.s.bothUsers(ownerID, userID); err != nil {
			return fmt.Errorf("block user %d for user %d: %w", userID, ownerID, err)
		}
		byUser := m.s.blocked[ownerID]
		if byUser == nil {
			byUser = make(map[int64]time.Time)
			m.s.blocked[ownerID] = byUser
		}
		if _, ok := byUser[userID]; !ok {
			byUser[userID] = second(at)
		}
		return nil
	})
}

func (m contacts) Unblock(_ context.Context, ownerID, userID int64) error {
	return m.s.write(func() error {
		byUser := m.s.blocked[ownerID]
		delete(byUser, userID)
		if len(byUser) == 0 {
			delete(m.s.blocked, ownerID)
		}
		return nil
	})
}

func (m contacts) Blocked(_ context.Context, ownerID int64, offset, limit int) ([]int64, int, error) {
	if offset < 0 || limit < 0 {
		return nil, 0, fmt.Errorf("blocked users of user %d: offset %d, limit %d: %w", ownerID, offset, limit, store.ErrInvalid)
	}
	type entry struct {
		id int64
		at time.Time
	}
	var all []entry
	err := m.s.read(func() error {
		for id, at := range m.s.blocked[ownerID] {
			all = append(all, entry{id, at})
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	slices.SortFunc(all, func(a, b entry) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	lo := min(offset, len(all))
	hi := lo + min(limit, len(all)-lo)
	var ids []int64
	for _, e := range all[lo:hi] {
		ids = append(ids, e.id)
	}
	return ids, len(all), nil
}

func (m contacts) BlockedAt(_ context.Context, ownerID int64, ids []int64) (map[int64]time.Time, error) {
	out := make(map[int64]time.Time, len(ids))
	err := m.s.read(func() error {
		for _, id := range ids {
			if at, ok := m.s.blocked[ownerID][id]; ok {
				out[id] = at
			}
		}
		return nil
	})
	return out, err
}

func (m contacts) Blocks(ctx context.Context, a, b int64) (bool, bool, error) {
	ab, err := m.IsBlocked(ctx, a, b)
	if err != nil {
		return false, false, err
	}
	ba, err := m.IsBlocked(ctx, b, a)
	return ab, ba, err
}

func (m contacts) IsBlocked(_ context.Context, ownerID, userID int64) (bool, error) {
	var ok bool
	err := m.s.read(func() error {
		_, ok = m.s.blocked[ownerID][userID]
		return nil
	})
	return ok, err
}
