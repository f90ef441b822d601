package memory

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/roostchat/roost/store"
)

type sessions struct{ s *Store }

func (m sessions) Save(_ context.Context, v store.Session) error {
	if v.ID == 0 {
		return fmt.Errorf("save session: session id 0: %w", store.ErrInvalid)
	}
	return m.s.write(func() error {
		if _, ok := m.s.keys[v.AuthKeyID]; !ok {
			return fmt.Errorf("save session %d: auth key %d: %w", v.ID, v.AuthKeyID, store.ErrNotFound)
		}
		byID := m.s.sessions[v.AuthKeyID]
		if byID == nil {
			byID = make(map[int64]store.Session)
			m.s.sessions[v.AuthKeyID] = byID
		}
		v.CreatedAt = second(v.CreatedAt)
		v.LastUsedAt = second(v.LastUsedAt)
		if old, ok := byID[v.ID]; ok {
			v.CreatedAt = old.CreatedAt
		}
		byID[v.ID] = v
		return nil
	})
}

func (m sessions) Get(_ context.Context, keyID, id int64) (store.Session, error) {
	var v store.Session
	err := m.s.read(func() error {
		var ok bool
		if v, ok = m.s.sessions[keyID][id]; !ok {
			return fmt.Errorf("get session %d of auth key %d: %w", id, keyID, store.ErrNotFound)
		}
		return nil
	})
	return v, err
}

func (m sessions) List(_ context.Context, keyID int64) ([]store.Session, error) {
	var out []store.Session
	err := m.s.read(func() error {
		for _, v := range m.s.sessions[keyID] {
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b store.Session) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out, nil
}

func (m sessions) Touch(_ context.Context, keyID, id int64, at time.Time) error {
	return m.s.write(func() error {
		v, ok := m.s.sessions[keyID][id]
		if !ok {
			return fmt.Errorf("touch session %d of auth key %d: %w", id, keyID, store.ErrNotFound)
		}
		v.LastUsedAt = second(at)
		m.s.sessions[keyID][id] = v
		return nil
	})
}

func (m sessions) Delete(_ context.Context, keyID, id int64) error {
	return m.s.write(func() error {
		byID := m.s.sessions[keyID]
		if _, ok := byID[id]; !ok {
			return fmt.Errorf("delete session %d of auth key %d: %w", id, keyID, store.ErrNotFound)
		}
		delete(byID, id)
		if len(byID) == 0 {
			delete(m.s.sessions, keyID)
		}
		return nil
	})
}

func (m sessions) DeleteIdle(_ context.Context, t time.Time) (int, error) {
	t = second(t)
	n := 0
	err := m.s.write(func() error {
		for keyID, byID := range m.s.sessions {
			for id, v := range byID {
				if !v.LastUsedAt.After(t) {
					delete(byID, id)
					n++
				}
			}
			if len(byID) == 0 {
				delete(m.s.sessions, keyID)
			}
		}
		return nil
	})
	return n, err
}
