package mtproto

import "time"

// Sessions live in memory between connections so that a client can
// resume them. To bound that memory, a key keeps at most
// MaxSessionsPerKey sessions (the least recently used one without a
// connection goes first), and a session unused for SessionIdle is
// forgotten. A forgotten session is recreated on the next message, with
// new_session_created, as the protocol allows.
const (
	MaxSessionsPerKey = 32
	SessionIdle       = time.Hour
)

// evictLocked makes room for a new session of key keyID. s.mu is held.
func (s *Server) evictLocked(keyID int64, now time.Time) {
	var oldest sessionKey
	var oldestAt time.Time
	byID := s.keySessions[keyID]
	for id, sess := range byID {
		at, connected := sess.usage()
		if connected {
			continue
		}
		if oldestAt.IsZero() || at.Before(oldestAt) {
			oldest, oldestAt = sessionKey{keyID, id}, at
		}
	}
	if len(byID) >= MaxSessionsPerKey && !oldestAt.IsZero() {
		s.dropSessionLocked(oldest)
	}
	if now.Sub(s.swept) < time.Minute {
		return
	}
	s.swept = now
	for sk, sess := range s.sessions {
		if at, connected := sess.usage(); !connected && now.Sub(at) > SessionIdle {
			s.dropSessionLocked(sk)
		}
	}
}

// usage returns when the session last received a message and whether a
// connection is attached.
func (s *Session) usage() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastUsed, s.conn != nil
}
