package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/roostchat/roost/store"
)

type authKeys struct{ s *Store }

func (a authKeys) Create(_ context.Context, k store.AuthKey) error {
	if k.ID == 0 || k.PermKeyID != 0 || k.UserID != 0 {
		return fmt.Errorf("create auth key: id must be non-zero, perm key and user unset: %w", store.ErrInvalid)
	}
	return a.s.write(func() error {
		if _, ok := a.s.keys[k.ID]; ok {
			return fmt.Errorf("create auth key %d: %w", k.ID, store.ErrExists)
		}
		k.CreatedAt = second(k.CreatedAt)
		k.ExpiresAt = second(k.ExpiresAt)
		a.s.keys[k.ID] = k
		return nil
	})
}

func (a authKeys) Get(_ context.Context, id int64) (store.AuthKey, error) {
	var k store.AuthKey
	err := a.s.read(func() error {
		var ok bool
		if k, ok = a.s.keys[id]; !ok {
			return fmt.Errorf("get auth key %d: %w", id, store.ErrNotFound)
		}
		return nil
	})
	return k, err
}

func (a authKeys) SetUser(_ context.Context, id, userID int64) error {
	return a.s.write(func() error {
		k, ok := a.s.keys[id]
		if !ok {
			return fmt.Errorf("set user of auth key %d: %w", id, store.ErrNotFound)
		}
		if k.Temporary() {
			return fmt.Errorf("set user of auth key %d: temporary key: %w", id, store.ErrInvalid)
		}
		k.UserID = userID
		a.s.keys[id] = k
		return nil
	})
}

func (a authKeys) ByUser(_ context.Context, userID int64) ([]store.AuthKey, error) {
	if userID == 0 {
		return nil, fmt.Errorf("auth keys of user: user id 0: %w", store.ErrInvalid)
	}
	var out []store.AuthKey
	err := a.s.read(func() error {
		for _, k := range a.s.keys {
			if k.UserID == userID && !k.Temporary() {
				out = append(out, k)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b store.AuthKey) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

func (a authKeys) BindTemp(_ context.Context, tempID, permID int64) error {
	return a.s.write(func() error {
		temp, ok := a.s.keys[tempID]
		if !ok {
			return fmt.Errorf("bind temp key %d: %w", tempID, store.ErrNotFound)
		}
		perm, ok := a.s.keys[permID]
		if !ok {
			return fmt.Errorf("bind temp key %d to %d: perm key: %w", tempID, permID, store.ErrNotFound)
		}
		if !temp.Temporary() || perm.Temporary() {
			return fmt.Errorf("bind temp key %d to %d: need a temporary and a permanent key: %w", tempID, permID, store.ErrInvalid)
		}
		switch temp.PermKeyID {
		case permID:
			return nil
		case 0:
		default:
			return fmt.Errorf("bind temp key %d to %d: %w", tempID, permID, store.ErrAlreadyBound)
		}
		if old, ok := a.s.bound[permID]; ok {
			k := a.s.keys[old]
			k.PermKeyID = 0
			a.s.keys[old] = k
		}
		temp.PermKeyID = permID
		a.s.keys[tempID] = temp
		a.s.bound[permID] = tempID
		return nil
	})
}

func (a authKeys) BoundTemp(_ context.Context, permID int64) (store.AuthKey, error) {
	var k store.AuthKey
	err := a.s.read(func() error {
		temp, ok := a.s.bound[permID]
		if !ok {
			return fmt.Errorf("temp key bound to %d: %w", permID, store.ErrNotFound)
		}
		k = a.s.keys[temp]
		return nil
	})
	return k, err
}

func (a authKeys) Delete(_ context.Context, id int64) error {
	return a.s.write(func() error {
		if _, ok := a.s.keys[id]; !ok {
			return fmt.Errorf("delete auth key %d: %w", id, store.ErrNotFound)
		}
		a.s.deleteKey(id)
		return nil
	})
}

func (a authKeys) DeleteExpired(_ context.Context, now time.Time) (int, error) {
	n := 0
	err := a.s.write(func() error {
		for id, k := range a.s.keys {
			if k.Expired(now) {
				a.s.deleteKey(id)
				n++
			}
		}
		return nil
	})
	return n, err
}
