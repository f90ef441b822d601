package mtproto

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// sessionOf returns the server's session of a client.
func (h *harness) sessionOf(keyID, id int64) *Session {
	h.srv.mu.Lock()
	defer h.srv.mu.Unlock()
	return h.srv.sessions[sessionKey{keyID, id}]
}

func pushUpdates(srv *Server, user int64, skip SessionRef, o tl.Object) int {
	return srv.PushToUser(user, skip, func(*Session) tl.Object { return o })
}

// TestPushSeqPerSession: each updates container pushed to a session takes
// the session's next seq; updateShort takes none; every session counts
// on its own, and a new session starts above what the user's sessions
// were pushed.
func TestPushSeqPerSession(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const user = 7
	perm := h.key.IntID()
	c1 := h.connect(0)
	c1.roundTrip()
	if err := h.srv.SetUser(ctx, perm, user); err != nil {
		t.Fatal(err)
	}
	s1 := h.sessionOf(perm, c1.session)
	start := s1.UpdatesSeq()
	if floor := int32(time.Since(seqEpoch) / time.Second); start < floor-5 || start > floor+5 {
		t.Errorf("a new session starts at seq %d, want about %d", start, floor)
	}
	ups := &tg.Updates{Updates: []tg.UpdateClass{}, Users: []tg.UserClass{}, Chats: []tg.ChatClass{}, Date: 1}
	comb := &tg.UpdatesCombined{Updates: []tg.UpdateClass{}, Users: []tg.UserClass{}, Chats: []tg.ChatClass{}, Date: 1}
	short := &tg.UpdateShort{Update: &tg.UpdateUserTyping{UserID: 1, Action: &tg.SendMessageTypingAction{}}, Date: 1}
	for i, o := range []tl.Object{ups, short, comb, ups} {
		if n := pushUpdates(h.srv, user, SessionRef{}, o); n != 1 {
			t.Fatalf("push %d reached %d sessions", i, n)
		}
	}
	want := []int32{start + 1, 0, start + 2, start + 3}
	for i, w := range want {
		m := c1.recv()
		var got, gotStart int32
		switch v := m.obj.(type) {
		case *tg.Updates:
			got, gotStart = v.Seq, v.Seq
		case *tg.UpdatesCombined:
			got, gotStart = v.Seq, v.SeqStart
		case *tg.UpdateShort:
		default:
			t.Fatalf("push %d: got %T", i, m.obj)
		}
		if got != w || gotStart != w {
			t.Errorf("push %d (%T): seq_start %d seq %d, want %d", i, m.obj, gotStart, got, w)
		}
	}
	if s1.UpdatesSeq() != start+3 {
		t.Errorf("session seq %d, want %d", s1.UpdatesSeq(), start+3)
	}
	// The session the change came from is skipped and keeps its seq.
	if n := pushUpdates(h.srv, user, s1.Ref(), ups); n != 0 {
		t.Errorf("push skipping the only session reached %d", n)
	}
	// A second session of the user starts above the first one's seq
	// and numbers on its own.
	c2 := h.connect(0)
	c2.roundTrip()
	s2 := h.sessionOf(perm, c2.session)
	if s2.UpdatesSeq() < start+3 {
		t.Errorf("second session starts at %d, below %d", s2.UpdatesSeq(), start+3)
	}
	s2start := s2.UpdatesSeq()
	if n := pushUpdates(h.srv, user, SessionRef{}, ups); n != 2 {
		t.Fatalf("push reached %d sessions, want 2", n)
	}
	if s1.UpdatesSeq() != start+4 || s2.UpdatesSeq() != s2start+1 {
		t.Errorf("seqs %d %d, want %d %d", s1.UpdatesSeq(), s2.UpdatesSeq(), start+4, s2start+1)
	}
	c1.recv()
	if m := c2.recv(); m.obj.(*tg.Updates).Seq != s2start+1 {
		t.Errorf("second session got seq %d", m.obj.(*tg.Updates).Seq)
	}
}

// TestPushIndex: pushes reach the sessions of the user's permanent keys
// and of the temporary keys bound to them, and follow logins, logouts,
// bindings, revocations and dropped keys.
func TestPushIndex(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const user, other = 7, 8
	perm := h.key.IntID()
	c1 := h.connect(0)
	c1.roundTrip()
	ups := &tg.Updates{Updates: []tg.UpdateClass{}, Users: []tg.UserClass{}, Chats: []tg.ChatClass{}, Date: 1}
	reach := func(what string, u int64, want int) {
		t.Helper()
		if n := pushUpdates(h.srv, u, SessionRef{}, ups); n != want {
			t.Errorf("%s: push to user %d reached %d sessions, want %d", what, u, n, want)
		}
	}
	reach("before login", user, 0)
	if err := h.srv.SetUser(ctx, perm, user); err != nil {
		t.Fatal(err)
	}
	reach("logged in", user, 1)
	reach("logged in", other, 0)

	// A temporary key bound to the permanent one acts for its user.
	tempKey, tempSalt := h.addKey(time.Now().Add(time.Hour))
	temp := tempKey.IntID()
	c2 := h.connectKey(tempKey, tempSalt, 0)
	c2.roundTrip()
	reach("temporary key not bound", user, 1)
	s2 := h.sessionOf(temp, c2.session)
	if err := s2.BindTemp(ctx, perm); err != nil {
		t.Fatal(err)
	}
	reach("temporary key bound", user, 2)
	if s2.UserID() != user {
		t.Errorf("temporary key's user %d", s2.UserID())
	}

	// A third key of another device, then a logout of the first one.
	otherKey, otherSalt := h.addKey(time.Time{})
	c3 := h.connectKey(otherKey, otherSalt, 0)
	c3.roundTrip()
	if err := h.srv.SetUser(ctx, otherKey.IntID(), user); err != nil {
		t.Fatal(err)
	}
	reach("two devices", user, 3)
	if err := h.srv.RevokeKey(ctx, perm); err != nil {
		t.Fatal(err)
	}
	reach("first device revoked", user, 1)
	if err := h.srv.SetUser(ctx, otherKey.IntID(), other); err != nil {
		t.Fatal(err)
	}
	reach("second device now another user", user, 0)
	reach("second device now another user", other, 1)
	if err := h.srv.DropKey(ctx, otherKey.IntID()); err != nil {
		t.Fatal(err)
	}
	reach("dropped key", other, 0)
	if len(h.srv.userKeys) != 0 {
		t.Errorf("index keeps %v", h.srv.userKeys)
	}
}

// TestPushIndexConcurrent runs pushes against logins, logouts, new and
// evicted sessions, bindings and dropped keys (run with -race), then
// checks that the index agrees with the sessions and keys.
func TestPushIndexConcurrent(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	srv := h.srv
	const users = 3
	var perms, temps []int64
	for range 4 {
		k, _ := h.addKey(time.Time{})
		perms = append(perms, k.IntID())
		k, _ = h.addKey(time.Now().Add(time.Hour))
		temps = append(temps, k.IntID())
	}
	all := append(append([]int64{}, perms...), temps...)
	ups := &tg.Updates{Updates: []tg.UpdateClass{}, Users: []tg.UserClass{}, Chats: []tg.ChatClass{}, Date: 1}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	run := func(f func(r *rand.Rand)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(rand.Uint64(), 1))
			for {
				select {
				case <-stop:
					return
				default:
				}
				f(r)
			}
		}()
	}
	pick := func(r *rand.Rand, ids []int64) int64 { return ids[r.IntN(len(ids))] }
	for range 2 {
		run(func(r *rand.Rand) { pushUpdates(srv, int64(1+r.IntN(users)), SessionRef{}, ups) })
	}
	run(func(r *rand.Rand) { srv.SetUser(ctx, pick(r, perms), int64(r.IntN(users+1))) })
	run(func(r *rand.Rand) {
		if k := srv.key(ctx, pick(r, all)); k != nil {
			sess := srv.session(k, int64(r.IntN(2*MaxSessionsPerKey)))
			sess.UserID()
			sess.Revoked()
		}
	})
	run(func(r *rand.Rand) {
		if k := srv.key(ctx, pick(r, temps)); k != nil {
			sess := srv.session(k, 1)
			sess.BindTemp(ctx, pick(r, perms))
		}
	})
	run(func(r *rand.Rand) {
		srv.forgetKey(pick(r, all))
		time.Sleep(time.Millisecond)
	})
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wg.Wait()

	srv.mu.Lock()
	defer srv.mu.Unlock()
	n := 0
	for keyID, byID := range srv.keySessions {
		for id, sess := range byID {
			n++
			if srv.sessions[sessionKey{keyID, id}] != sess {
				t.Errorf("session %d of key %d indexed but not known", id, keyID)
			}
		}
	}
	if n != len(srv.sessions) {
		t.Errorf("%d sessions indexed of %d", n, len(srv.sessions))
	}
	for id, k := range srv.keys {
		if k.Temporary() {
			continue
		}
		_, u := k.ids()
		for user, set := range srv.userKeys {
			_, in := set[id]
			if in != (user == u) {
				t.Errorf("key %d of user %d listed under user %d: %v", id, u, user, in)
			}
		}
		if _, in := srv.userKeys[u][id]; u != 0 && !in {
			t.Errorf("key %d of user %d not indexed", id, u)
		}
	}
	for user := range srv.userKeys {
		if user == 0 {
			t.Error("keys indexed under user 0")
		}
	}
}

// BenchmarkPushToUser pushes to a user with two sessions on a server
// holding many sessions of other users: the cost follows the user's
// sessions, not the server's.
func BenchmarkPushToUser(b *testing.B) {
	for _, others := range []int{0, 10_000} {
		b.Run(fmt.Sprint(others, "_others"), func(b *testing.B) {
			srv := &Server{Log: slog.New(slog.DiscardHandler)}
			srv.init()
			for i := range others {
				k := &authKey{}
				k.ID, k.UserID = int64(1000+i), int64(1000+i)
				srv.keys[k.ID] = k
				srv.indexKeyLocked(k)
				srv.session(k, 1)
			}
			k := &authKey{}
			k.ID, k.UserID = 7, 7
			srv.keys[k.ID] = k
			srv.indexKeyLocked(k)
			srv.session(k, 1)
			srv.session(k, 2)
			o := &tg.UpdateShort{Update: &tg.UpdateUserTyping{UserID: 1, Action: &tg.SendMessageTypingAction{}}, Date: 1}
			b.ResetTimer()
			for range b.N {
				if n := pushUpdates(srv, 7, SessionRef{}, o); n != 2 {
					b.Fatalf("reached %d sessions", n)
				}
			}
		})
	}
}
