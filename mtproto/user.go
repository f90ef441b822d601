package mtproto

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/roostchat/roost/tl"
)

// UserID returns the user logged in on the session's auth key, or 0. A
// temporary key acts for the permanent key it is bound to.
func (s *Session) UserID() int64 {
	permID, user := s.key.ids()
	if permID == 0 {
		return user
	}
	perm := s.srv.key(context.Background(), permID)
	if perm == nil {
		return 0
	}
	_, user = perm.ids()
	return user
}

// ids returns the key's bound permanent key and user without copying the
// key itself (pushes ask this of every session).
func (k *authKey) ids() (permID, userID int64) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.PermKeyID, k.UserID
}

// SetUser records that userID logged in on the session's permanent auth
// key (0: logged out), in the store and in the server's memory.
func (s *Session) SetUser(ctx context.Context, userID int64) error {
	k := s.AuthKey()
	id := k.ID
	if k.Temporary() {
		if k.PermKeyID == 0 {
			return fmt.Errorf("set user: temporary key %x is not bound", uint64(id))
		}
		id = k.PermKeyID
	}
	return s.srv.SetUser(ctx, id, userID)
}

// SetUser records a login (or, with 0, a logout) on permanent key keyID,
// for every session of that key at once.
func (s *Server) SetUser(ctx context.Context, keyID, userID int64) error {
	if err := s.Store.AuthKeys().SetUser(ctx, keyID, userID); err != nil {
		return fmt.Errorf("set user: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if k := s.keys[keyID]; k != nil {
		k.mu.Lock()
		old := k.UserID
		k.UserID = userID
		k.mu.Unlock()
		if !k.temporary() {
			removeFrom(s.userKeys, old, keyID)
			if userID != 0 {
				addTo(s.userKeys, userID, keyID)
			}
		}
	}
	return nil
}

// RevokeKey logs the device of auth key keyID out (account.resetAuthorization):
// the key stays known, so that its next call is answered 401
// SESSION_REVOKED (a permanent key also loses its user in the store; after
// a restart the answer is AUTH_KEY_UNREGISTERED, also a 401).
func (s *Server) RevokeKey(ctx context.Context, keyID int64) error {
	k, err := s.Store.AuthKeys().Get(ctx, keyID)
	if err != nil {
		return err
	}
	if !k.Temporary() {
		if err := s.SetUser(ctx, keyID, 0); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.init()
	s.revoked[keyID] = true
	s.mu.Unlock()
	return nil
}

// Revoked reports whether the session's key (or the permanent key a
// temporary one is bound to) was revoked by RevokeKey.
func (s *Session) Revoked() bool {
	k := s.AuthKey()
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	return s.srv.revoked[k.ID] || k.PermKeyID != 0 && s.srv.revoked[k.PermKeyID]
}

// DropKey forgets auth key keyID and its sessions in memory and deletes it
// from the store: the device is logged out and its next message is
// answered -404 (auth.resetAuthorizations, account.resetAuthorization).
func (s *Server) DropKey(ctx context.Context, keyID int64) error {
	// The store first: a message arriving in between must not reload the
	// key into memory.
	err := s.Store.AuthKeys().Delete(ctx, keyID)
	s.forgetKey(keyID)
	return err
}

// BindTemp binds the session's temporary key to permanent key permID
// (auth.bindTempAuthKey), in the store and in memory.
func (s *Session) BindTemp(ctx context.Context, permID int64) error {
	if err := s.srv.Store.AuthKeys().BindTemp(ctx, s.key.ID, permID); err != nil {
		return err
	}
	s.srv.key(ctx, permID) // in memory, for the user → sessions index
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	s.srv.init()
	s.key.mu.Lock()
	old := s.key.PermKeyID
	s.key.PermKeyID = permID
	s.key.mu.Unlock()
	if old != 0 {
		removeFrom(s.srv.tempKeys, old, s.key.ID)
	}
	// As in the store, a permanent key has one temporary key at a time:
	// the one bound before no longer acts for it.
	delete(s.srv.tempKeys, permID)
	addTo(s.srv.tempKeys, permID, s.key.ID)
	return nil
}

// PushToKey sends a server-initiated object (an update) to every session
// of auth key keyID that has a connection; it reports how many got it.
func (s *Server) PushToKey(keyID int64, o tl.Object) int {
	s.mu.Lock()
	var targets []*Session
	for _, sess := range s.keySessions[keyID] {
		targets = append(targets, sess)
	}
	s.mu.Unlock()
	n := 0
	for _, sess := range targets {
		if sess.Push(o) == nil {
			n++
		}
	}
	return n
}

// Server returns the server the session belongs to.
func (s *Session) Server() *Server { return s.srv }

// PushToUser sends a server-initiated object (updates) to every session
// of every auth key logged in as userID, except session skip (the one
// whose own call result already carries the change; zero skips none),
// sessions of revoked keys and sessions whose client asked for no updates
// (invokeWithoutUpdates). build makes the object for each session (nil:
// nothing for it). It reports how many sessions got it.
//
// The sessions come from the user → sessions index (index.go): a push
// costs O(sessions of the user). Each updates container takes the seq of
// the session it goes to (Session.Push).
func (s *Server) PushToUser(userID int64, skip SessionRef, build func(*Session) tl.Object) int {
	s.mu.Lock()
	s.init()
	targets := s.userSessionsLocked(userID, skip)
	var high *atomic.Int32
	if len(targets) > 0 {
		high = s.seqHighLocked(userID)
	}
	s.mu.Unlock()
	n := 0
	for _, sess := range targets {
		if sess.Value("without_updates") != nil {
			continue
		}
		o := build(sess)
		if o == nil {
			continue
		}
		seq, err := sess.push(o)
		if err != nil {
			s.log().Error("push", "user", userID, "err", err)
			continue
		}
		if seq != 0 {
			raise(high, seq)
		}
		n++
	}
	s.log().Debug("pushed", "user", userID, "sessions", n, "of", len(targets))
	return n
}

// SessionRef names a session: its auth key id and session id.
type SessionRef struct{ Key, ID int64 }

// Ref returns the session's reference.
func (s *Session) Ref() SessionRef { return SessionRef{s.key.ID, s.id} }
