package mtproto

import (
	"sync/atomic"
	"time"
)

// The server keeps an index from users to their sessions so that a push
// costs O(sessions of the user), not a scan of every session:
//
//	userKeys[user]   the permanent keys logged in as user
//	tempKeys[perm]   the temporary keys bound to permanent key perm
//	keySessions[key] the sessions of auth key key
//
// All three are guarded by Server.mu and change with the facts they
// mirror: a key loaded into memory (key), a login or logout (SetUser), a
// binding (BindTemp), a key dropped (forgetKey), a session created or
// evicted (addSessionLocked, dropSessionLocked).
//
// Lock order: Server.mu, then authKey.mu or Session.mu; never the other
// way round (Session.UserID releases the key's lock before it asks the
// server for the permanent key).

// addTo records b under a in an index.
func addTo(m map[int64]map[int64]struct{}, a, b int64) {
	set := m[a]
	if set == nil {
		set = map[int64]struct{}{}
		m[a] = set
	}
	set[b] = struct{}{}
}

// removeFrom forgets b under a.
func removeFrom(m map[int64]map[int64]struct{}, a, b int64) {
	if set := m[a]; set != nil {
		delete(set, b)
		if len(set) == 0 {
			delete(m, a)
		}
	}
}

// indexKeyLocked records a key just loaded into memory: a permanent key
// under its user, a bound temporary key under its permanent key.
func (s *Server) indexKeyLocked(k *authKey) {
	permID, user := k.ids()
	switch {
	case k.temporary() && permID != 0:
		addTo(s.tempKeys, permID, k.ID)
	case !k.temporary() && user != 0:
		addTo(s.userKeys, user, k.ID)
	}
}

// unindexKeyLocked forgets a key dropped from memory. The temporary keys
// bound to a dropped permanent key stay listed under it: they reach no
// user while it is not logged in.
func (s *Server) unindexKeyLocked(k *authKey) {
	permID, user := k.ids()
	if k.temporary() {
		removeFrom(s.tempKeys, permID, k.ID)
	} else {
		removeFrom(s.userKeys, user, k.ID)
	}
}

// addSessionLocked registers a new session.
func (s *Server) addSessionLocked(sess *Session) {
	s.sessions[sessionKey{sess.key.ID, sess.id}] = sess
	byID := s.keySessions[sess.key.ID]
	if byID == nil {
		byID = map[int64]*Session{}
		s.keySessions[sess.key.ID] = byID
	}
	byID[sess.id] = sess
}

// dropSessionLocked forgets a session.
func (s *Server) dropSessionLocked(sk sessionKey) {
	delete(s.sessions, sk)
	if byID := s.keySessions[sk.key]; byID != nil {
		delete(byID, sk.id)
		if len(byID) == 0 {
			delete(s.keySessions, sk.key)
		}
	}
}

// temporary reports a temporary key. Unlike AuthKey.Temporary it reads
// ExpiresAt alone, which never changes, and not the fields that logins
// and bindings write under k.mu.
func (k *authKey) temporary() bool { return !k.ExpiresAt.IsZero() }

// userOfKeyLocked returns the user a key acts for, as far as the keys in
// memory tell (0: none or unknown).
func (s *Server) userOfKeyLocked(k *authKey) int64 {
	permID, user := k.ids()
	if permID == 0 {
		return user
	}
	if p := s.keys[permID]; p != nil {
		_, user = p.ids()
		return user
	}
	return 0
}

// userSessionsLocked returns the sessions that act for user, except skip
// and the sessions of revoked keys.
func (s *Server) userSessionsLocked(user int64, skip SessionRef) []*Session {
	var out []*Session
	add := func(keyID int64) {
		if s.revoked[keyID] {
			return
		}
		for id, sess := range s.keySessions[keyID] {
			if keyID == skip.Key && id == skip.ID {
				continue
			}
			out = append(out, sess)
		}
	}
	for permID := range s.userKeys[user] {
		if s.revoked[permID] {
			continue
		}
		add(permID)
		for tempID := range s.tempKeys[permID] {
			add(tempID)
		}
	}
	return out
}

// seqEpoch anchors the seq a new session starts from.
//
// Each session numbers the updates containers pushed to it with its own
// seq. A client keeps the seq it last saw, and a client that does not
// call updates.getDifference on new_session_created (gotd does not) would
// ignore a new session's containers as already applied while their seq
// is not above the old session's. So a new session starts no lower than
// any session of its user in this process (seqHigh), nor than the seconds
// since seqEpoch, which covers the sessions of an earlier process (unless
// one of them pushed more than one container per second of its life). A
// seq that jumps up only makes the client fetch the difference once.
var seqEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// seqStartLocked returns the seq a new session of key k starts from.
func (s *Server) seqStartLocked(k *authKey, now time.Time) int32 {
	start := int32(max(0, now.Sub(seqEpoch)/time.Second))
	if u := s.userOfKeyLocked(k); u != 0 {
		if h := s.seqHigh[u]; h != nil {
			start = max(start, h.Load())
		}
	}
	return start
}

// seqHighLocked returns the highest seq pushed to a session of user.
func (s *Server) seqHighLocked(user int64) *atomic.Int32 {
	h := s.seqHigh[user]
	if h == nil {
		h = new(atomic.Int32)
		s.seqHigh[user] = h
	}
	return h
}

// raise lifts h to at least v.
func raise(h *atomic.Int32, v int32) {
	for {
		cur := h.Load()
		if cur >= v || h.CompareAndSwap(cur, v) {
			return
		}
	}
}
