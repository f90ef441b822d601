package memory

import (
	"context"
	"fmt"
	"math"

	"github.com/roostchat/roost/store"
)

type apps struct{ s *Store }

func (m apps) Create(_ context.Context, a store.App) (store.App, error) {
	switch {
	case a.ID < 0:
		return store.App{}, fmt.Errorf("create app: negative id %d: %w", a.ID, store.ErrInvalid)
	case a.Hash == "":
		return store.App{}, fmt.Errorf("create app: empty hash: %w", store.ErrInvalid)
	}
	a.CreatedAt = second(a.CreatedAt)
	err := m.s.write(func() error {
		if a.ID == 0 {
			if m.s.lastAppID == math.MaxInt32 {
				return fmt.Errorf("create app: app ids are exhausted")
			}
			a.ID = max(m.s.lastAppID+1, store.FirstAppID)
		}
		if _, ok := m.s.apps[a.ID]; ok {
			return fmt.Errorf("create app %d: %w", a.ID, store.ErrExists)
		}
		m.s.apps[a.ID] = a
		m.s.lastAppID = max(m.s.lastAppID, a.ID)
		return nil
	})
	if err != nil {
		return store.App{}, err
	}
	return a, nil
}

func (m apps) Get(_ context.Context, id int32) (store.App, error) {
	var a store.App
	err := m.s.read(func() error {
		var ok bool
		if a, ok = m.s.apps[id]; !ok {
			return fmt.Errorf("get app %d: %w", id, store.ErrNotFound)
		}
		return nil
	})
	return a, err
}
