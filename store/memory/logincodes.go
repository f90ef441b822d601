package memory

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/roostchat/roost/store"
)

type loginCodes struct{ s *Store }

func (m loginCodes) Put(_ context.Context, c store.LoginCode) error {
	if c.Hash == "" {
		return fmt.Errorf("put login code: empty hash: %w", store.ErrInvalid)
	}
	c.CreatedAt, c.ExpiresAt = second(c.CreatedAt), second(c.ExpiresAt)
	return m.s.write(func() error {
		if _, ok := m.s.codes[c.Hash]; ok {
			return fmt.Errorf("put login code %s: %w", c.Hash, store.ErrExists)
		}
		m.s.codes[c.Hash] = c
		m.s.codeSends[c.Phone] = append(m.s.codeSends[c.Phone], unix(c.CreatedAt))
		return nil
	})
}

func (m loginCodes) Get(_ context.Context, hash string) (store.LoginCode, error) {
	var c store.LoginCode
	err := m.s.read(func() error {
		var ok bool
		if c, ok = m.s.codes[hash]; !ok {
			return fmt.Errorf("get login code %s: %w", hash, store.ErrNotFound)
		}
		return nil
	})
	return c, err
}

func (m loginCodes) Update(_ context.Context, c store.LoginCode) error {
	return m.s.write(func() error {
		old, ok := m.s.codes[c.Hash]
		if !ok {
			return fmt.Errorf("update login code %s: %w", c.Hash, store.ErrNotFound)
		}
		old.Attempts, old.Verified, old.ExpiresAt = c.Attempts, c.Verified, second(c.ExpiresAt)
		m.s.codes[c.Hash] = old
		return nil
	})
}

func (m loginCodes) Delete(_ context.Context, hash string) error {
	return m.s.write(func() error {
		if _, ok := m.s.codes[hash]; !ok {
			return fmt.Errorf("delete login code %s: %w", hash, store.ErrNotFound)
		}
		delete(m.s.codes, hash)
		return nil
	})
}

func (m loginCodes) CountSince(_ context.Context, phone string, since time.Time) (int, error) {
	n := 0
	err := m.s.read(func() error {
		for _, sent := range m.s.codeSends[phone] {
			if sent >= since.Unix() {
				n++
			}
		}
		return nil
	})
	return n, err
}

func (m loginCodes) DeleteExpired(_ context.Context, now time.Time) (int, error) {
	n := 0
	err := m.s.write(func() error {
		for hash, c := range m.s.codes {
			if unix(c.ExpiresAt) <= now.Unix() {
				delete(m.s.codes, hash)
				n++
			}
		}
		forget := now.Add(-store.LoginCodeHistory).Unix()
		for phone, sends := range m.s.codeSends {
			sends = slices.DeleteFunc(sends, func(sent int64) bool { return sent <= forget })
			if len(sends) == 0 {
				delete(m.s.codeSends, phone)
			} else {
				m.s.codeSends[phone] = sends
			}
		}
		return nil
	})
	return n, err
}
