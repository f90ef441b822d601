package memory

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/roostchat/roost/store"
)

type salts struct{ s *Store }

func (m salts) Add(_ context.Context, keyID int64, add ...store.Salt) error {
	for _, v := range add {
		if !second(v.ValidUntil).After(second(v.ValidSince)) {
			return fmt.Errorf("add salts of auth key %d: valid_until not after valid_since: %w", keyID, store.ErrInvalid)
		}
	}
	return m.s.write(func() error {
		if _, ok := m.s.keys[keyID]; !ok {
			return fmt.Errorf("add salts of auth key %d: %w", keyID, store.ErrNotFound)
		}
		byValue := m.s.salts[keyID]
		if byValue == nil {
			byValue = make(map[int64]store.Salt, len(add))
			m.s.salts[keyID] = byValue
		}
		for _, v := range add {
			byValue[v.Salt] = store.Salt{Salt: v.Salt, ValidSince: second(v.ValidSince), ValidUntil: second(v.ValidUntil)}
		}
		return nil
	})
}

func (m salts) List(_ context.Context, keyID int64, at time.Time, limit int) ([]store.Salt, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("list salts of auth key %d: limit %d: %w", keyID, limit, store.ErrInvalid)
	}
	at = second(at)
	var out []store.Salt
	err := m.s.read(func() error {
		for _, v := range m.s.salts[keyID] {
			if v.ValidUntil.After(at) {
				out = append(out, v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b store.Salt) int {
		if c := a.ValidSince.Compare(b.ValidSince); c != 0 {
			return c
		}
		switch {
		case a.Salt < b.Salt:
			return -1
		case a.Salt > b.Salt:
			return 1
		}
		return 0
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (m salts) DeleteBefore(_ context.Context, t time.Time) (int, error) {
	t = second(t)
	n := 0
	err := m.s.write(func() error {
		for keyID, byValue := range m.s.salts {
			for v, salt := range byValue {
				if !salt.ValidUntil.After(t) {
					delete(byValue, v)
					n++
				}
			}
			if len(byValue) == 0 {
				delete(m.s.salts, keyID)
			}
		}
		return nil
	})
	return n, err
}
