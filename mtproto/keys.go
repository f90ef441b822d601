package mtproto

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"

	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/mtproto/handshake"
	"github.com/roostchat/roost/store"
)

// Salts change every SaltPeriod; a salt stays accepted for SaltGrace after
// its period ends (the official page: 30 minutes and 1800 s).
const (
	SaltPeriod = 30 * time.Minute
	SaltGrace  = 1800 * time.Second
)

// authKey is a loaded auth key with its cipher and salt schedule.
type authKey struct {
	store.AuthKey
	cipher *crypto.Cipher

	mu    sync.Mutex
	salts []store.Salt
	cur   store.Salt // the salt last found current, to skip the search
}

func (s *Server) addKey(ctx context.Context, r *handshake.Result) {
	now := time.Now()
	salt := store.Salt{Salt: r.Salt, ValidSince: now, ValidUntil: now.Add(SaltPeriod)}
	if err := s.Store.Salts().Add(ctx, r.Key.ID, salt); err != nil {
		s.log().Warn("store first salt", "err", err)
	}
}

// key returns the auth key with id, loading it from the store, or nil when
// it is unknown or expired.
func (s *Server) key(ctx context.Context, id int64) *authKey {
	s.mu.Lock()
	s.init()
	k := s.keys[id]
	s.mu.Unlock()
	if k == nil {
		sk, err := s.Store.AuthKeys().Get(ctx, id)
		if err != nil {
			return nil
		}
		k = &authKey{AuthKey: sk, cipher: crypto.NewServerCipher(crypto.AuthKey(sk.Key), nil)}
		if k.salts, err = s.Store.Salts().List(ctx, id, time.Now().Add(-SaltGrace), 64); err != nil {
			return nil
		}
		s.mu.Lock()
		if cur := s.keys[id]; cur != nil {
			k = cur
		} else {
			s.keys[id] = k
			s.indexKeyLocked(k)
		}
		s.mu.Unlock()
		// A bound temporary key acts for its permanent key: that key must
		// be in memory for the user → sessions index to reach this one.
		if permID, _ := k.ids(); permID != 0 && permID != id {
			s.key(ctx, permID)
		}
	}
	if k.temporary() && !time.Now().Before(k.ExpiresAt) { // expired
		return nil
	}
	return k
}

// forgetKey drops a key from memory (destroy_auth_key).
func (s *Server) forgetKey(id int64) {
	s.mu.Lock()
	s.init()
	if k := s.keys[id]; k != nil {
		s.unindexKeyLocked(k)
	}
	delete(s.keys, id)
	for sid := range s.keySessions[id] {
		s.dropSessionLocked(sessionKey{id, sid})
	}
	s.mu.Unlock()
}

// validSalt reports whether salt is accepted now.
func (k *authKey) validSalt(salt int64, now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, s := range k.salts {
		if s.Salt == salt && !now.Before(s.ValidSince) && now.Before(s.ValidUntil.Add(SaltGrace)) {
			return true
		}
	}
	return false
}

// futureSalts returns n salts starting with the current one, creating and
// storing the ones the schedule lacks.
func (k *authKey) futureSalts(ctx context.Context, st store.Salts, now time.Time, n int) ([]store.Salt, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out, fresh []store.Salt
	next := now
	for _, s := range k.salts {
		if now.Before(s.ValidUntil) {
			out = append(out, s)
			if s.ValidUntil.After(next) {
				next = s.ValidUntil
			}
		}
	}
	for len(out) < n {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		s := store.Salt{Salt: int64(binary.LittleEndian.Uint64(b[:])), ValidSince: next, ValidUntil: next.Add(SaltPeriod)}
		next = s.ValidUntil
		out, fresh = append(out, s), append(fresh, s)
	}
	if len(fresh) > 0 {
		if err := st.Add(ctx, k.ID, fresh...); err != nil {
			return nil, err
		}
		k.salts = append(k.salts, fresh...)
	}
	return out[:n], nil
}

// currentSalt returns the salt valid now, making one if needed.
func (k *authKey) currentSalt(ctx context.Context, st store.Salts, now time.Time) int64 {
	k.mu.Lock()
	cur := k.cur
	k.mu.Unlock()
	if cur.ValidAt(now) {
		return cur.Salt
	}
	s, err := k.futureSalts(ctx, st, now, 1)
	if err != nil || len(s) == 0 {
		return 0
	}
	k.mu.Lock()
	k.cur = s[0]
	k.mu.Unlock()
	return s[0].Salt
}
