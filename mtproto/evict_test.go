package mtproto

import (
	"testing"
	"time"

	"github.com/roostchat/roost/store/memory"
)

func TestSessionEviction(t *testing.T) {
	srv := &Server{Store: memory.New()}
	srv.init()
	k := &authKey{}
	k.ID = 42
	base := time.Now().Add(-time.Minute)
	for i := int64(1); i <= MaxSessionsPerKey+5; i++ {
		srv.session(k, i).lastUsed = base.Add(time.Duration(i) * time.Second)
	}
	if n := len(srv.sessions); n != MaxSessionsPerKey {
		t.Fatalf("%d sessions of one key, want at most %d", n, MaxSessionsPerKey)
	}
	// The oldest sessions went first.
	if _, ok := srv.sessions[sessionKey{42, 1}]; ok {
		t.Error("the least recently used session was kept")
	}
	// Idle sessions are swept when another is created.
	for _, sess := range srv.sessions {
		sess.lastUsed = time.Now().Add(-2 * SessionIdle)
	}
	srv.swept = time.Time{}
	srv.session(&authKey{AuthKey: k.AuthKey}, 1000)
	if n := len(srv.sessions); n != 1 {
		t.Errorf("%d sessions after the sweep, want only the new one", n)
	}
}
