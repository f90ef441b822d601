package mtproto

import (
	"context"
	"testing"
	"time"
)

// testSession returns a fresh session under the harness key, with no
// connection.
func (h *harness) testSession(id int64) *Session {
	h.t.Helper()
	k := h.srv.key(context.Background(), h.key.IntID())
	if k == nil {
		h.t.Fatal("harness key not found")
	}
	return h.srv.session(k, id)
}

// The msg_id window: 300 s back, 30 s ahead, divisible by 4.
func TestCheckIDWindow(t *testing.T) {
	h := newHarness(t)
	now := time.Now()
	cases := []struct {
		name string
		id   int64
		want int32
	}{
		{"now", clientMsgID(now), 0},
		{"residue 1", clientMsgID(now) | 1, 18},
		{"residue 2", clientMsgID(now) | 2, 18},
		{"residue 3", clientMsgID(now) | 3, 18},
		{"290 s old", clientMsgID(now.Add(-290 * time.Second)), 0},
		{"310 s old", clientMsgID(now.Add(-310 * time.Second)), 16},
		{"a day old", clientMsgID(now.Add(-24 * time.Hour)), 16},
		{"zero", 0, 16},
		{"negative", -4, 16},
		{"25 s ahead", clientMsgID(now.Add(25 * time.Second)), 0},
		{"35 s ahead", clientMsgID(now.Add(35 * time.Second)), 17},
		{"far future", clientMsgID(now.Add(1000 * time.Hour)), 17},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := h.testSession(int64(len(c.name)) + 1000)
			if got := s.checkID(c.id, false); got != c.want {
				t.Errorf("checkID = %d, want %d", got, c.want)
			}
		})
	}
}

// A repeated msg_id is a duplicate (-1) for a message and error 19 for a
// container; a rejected id is not remembered.
func TestCheckIDDuplicates(t *testing.T) {
	h := newHarness(t)
	s := h.testSession(1)
	id := clientMsgID(time.Now())
	if got := s.checkID(id, false); got != 0 {
		t.Fatalf("first = %d", got)
	}
	if got := s.checkID(id, false); got != -1 {
		t.Errorf("repeated message = %d, want -1", got)
	}
	if got := s.checkID(id, true); got != 19 {
		t.Errorf("container reusing the id = %d, want 19", got)
	}
	bad := id | 1
	s.checkID(bad, false)
	if s.seen[bad] {
		t.Error("a msg_id rejected with 18 was remembered")
	}
	// Another session keeps its own ids.
	if got := h.testSession(2).checkID(id, false); got != 0 {
		t.Errorf("same id in another session = %d, want 0", got)
	}
}

// The session remembers the last seenWindow ids; older ones are evicted,
// and an id below everything remembered gets 20, since the server can no
// longer tell whether it saw it.
func TestSeenEviction(t *testing.T) {
	h := newHarness(t)
	s := h.testSession(1)
	base := clientMsgID(time.Now().Add(-time.Minute))
	const extra = 10
	ids := make([]int64, seenWindow+extra)
	for i := range ids {
		ids[i] = base + int64(i)*4
		if got := s.checkID(ids[i], false); got != 0 {
			t.Fatalf("id %d = %d", i, got)
		}
	}
	if len(s.seen) != seenWindow || len(s.seenRing) != seenWindow {
		t.Fatalf("remembered %d ids (ring %d), want %d", len(s.seen), len(s.seenRing), seenWindow)
	}
	if s.minSeen != ids[extra-1] {
		t.Errorf("minSeen = %d, want the last evicted id %d", s.minSeen, ids[extra-1])
	}
	// Evicted: the server cannot tell any more.
	if got := s.checkID(ids[0], false); got != 20 {
		t.Errorf("evicted id = %d, want 20", got)
	}
	// Never seen and below the window.
	if got := s.checkID(base-4, false); got != 20 {
		t.Errorf("id below the window = %d, want 20", got)
	}
	// Still remembered: a duplicate.
	if got := s.checkID(ids[extra], false); got != -1 {
		t.Errorf("oldest remembered id = %d, want -1", got)
	}
	if got := s.checkID(ids[len(ids)-1]+4, false); got != 0 {
		t.Errorf("next id = %d, want 0", got)
	}
	// A never-seen id between remembered ones (a client's earlier message
	// overtaken on another connection) is fine.
	s2 := h.testSession(2)
	s2.checkID(base+8, false)
	if got := s2.checkID(base+4, false); got != 0 {
		t.Errorf("lower unseen id inside the window = %d, want 0", got)
	}
}

// Server msg_ids: odd with the asked residue, strictly increasing even
// when the clock does not move.
func TestServerMsgIDs(t *testing.T) {
	now := time.Now()
	for _, r := range []int64{1, 3} {
		id := newMsgID(now, r)
		if id&3 != r {
			t.Errorf("residue %d: id %x", r, id)
		}
		if id>>32 != now.Unix() {
			t.Errorf("id %x does not carry the time %d", id, now.Unix())
		}
	}
	h := newHarness(t)
	s := h.testSession(1)
	var last int64
	for i := range 1000 {
		r := int64(1 + 2*(i%2))
		id := s.nextID(r)
		if id <= last || id&3 != r {
			t.Fatalf("id %d: %x after %x (residue %d)", i, id, last, r)
		}
		last = id
	}
}
