package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

// userPeer and chatPeer name a dialog's other side.
func userPeer(id int64) store.Peer { return store.Peer{Kind: store.PeerUser, ID: id} }
func chatPeer(id int64) store.Peer { return store.Peer{Kind: store.PeerChat, ID: id} }

// mustUpdate runs f in one Boxes.Update and fails the test on error.
func mustUpdate(t *testing.T, s store.Store, f func(tx store.BoxTx) error) {
	t.Helper()
	if err := s.Boxes().Update(t.Context(), f); err != nil {
		t.Fatalf("update: %v", err)
	}
}

// putMessage stores m in its owner's box under the next id and returns it
// as stored.
func putMessage(t *testing.T, s store.Store, m store.Message) store.Message {
	t.Helper()
	mustUpdate(t, s, func(tx store.BoxTx) error {
		id, err := tx.NextID(m.OwnerID)
		if err != nil {
			return err
		}
		m.ID = id
		return tx.PutMessage(m)
	})
	return stored(m)
}

// stored returns m as the store gives it back: times in whole seconds,
// UTC, and empty byte slices nil.
func stored(m store.Message) store.Message {
	m.Date, m.EditDate = storedTime(m.Date), storedTime(m.EditDate)
	m.Entities, m.Media, m.FwdFrom, m.Action = storedBytes(m.Entities), storedBytes(m.Media),
		storedBytes(m.FwdFrom), storedBytes(m.Action)
	return m
}

func storedTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.Unix(t.Unix(), 0).UTC()
}

func storedBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return bytes.Clone(b)
}

// equalMessage compares messages field by field, byte slices by content
// and nil-ness (an empty slice reads back as nil).
func equalMessage(a, b store.Message) bool { return reflect.DeepEqual(a, b) }

// equalMessages compares lists of messages.
func equalMessages(a, b []store.Message) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equalMessage(a[i], b[i]) {
			return false
		}
	}
	return true
}

// msgIDs returns the ids of messages.
func msgIDs(ms []store.Message) []int32 {
	ids := make([]int32, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

func testBoxes(t *testing.T, open Open) {
	t.Run("Counters", func(t *testing.T) { testBoxCounters(t, open) })
	t.Run("UpdateLog", func(t *testing.T) { testUpdateLog(t, open) })
	t.Run("UpdateLogTrim", func(t *testing.T) { testUpdateLogTrim(t, open) })
	t.Run("Messages", func(t *testing.T) { testMessages(t, open) })
	t.Run("EditDelete", func(t *testing.T) { testEditDelete(t, open) })
	t.Run("TxErrors", func(t *testing.T) { testBoxTxErrors(t, open) })
	t.Run("Rollback", func(t *testing.T) { testBoxRollback(t, open) })
	t.Run("History", func(t *testing.T) { testHistory(t, open) })
	t.Run("Search", func(t *testing.T) { testSearch(t, open) })
	t.Run("Dialogs", func(t *testing.T) { testDialogs(t, open) })
	t.Run("DialogSequences", func(t *testing.T) { testDialogSequences(t, open) })
	t.Run("DialogList", func(t *testing.T) { testDialogList(t, open) })
	t.Run("Concurrent", func(t *testing.T) { testBoxesConcurrent(t, open) })
}

func testBoxCounters(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	ids := mustUsers(t, s, 2)
	a, b := ids[0], ids[1]
	if st, err := s.Boxes().State(ctx, a); err != nil || st != (store.BoxState{}) {
		t.Errorf("state of a new box = %+v, %v; want zero", st, err)
	}
	type step struct {
		name string
		f    func(tx store.BoxTx) (int32, error)
		want int32
	}
	steps := []step{
		{"id a", func(tx store.BoxTx) (int32, error) { return tx.NextID(a) }, 1},
		{"id a", func(tx store.BoxTx) (int32, error) { return tx.NextID(a) }, 2},
		{"id b", func(tx store.BoxTx) (int32, error) { return tx.NextID(b) }, 1},
		{"seq a", func(tx store.BoxTx) (int32, error) { return tx.NextSeq(a) }, 1},
		{"seq a", func(tx store.BoxTx) (int32, error) { return tx.NextSeq(a) }, 2},
		{"pts a +1", func(tx store.BoxTx) (int32, error) { return tx.AppendUpdate(a, 1, at(1), []byte("u1")) }, 1},
		{"pts a +2", func(tx store.BoxTx) (int32, error) { return tx.AppendUpdate(a, 2, at(2), []byte("u2")) }, 3},
		{"pts a +0", func(tx store.BoxTx) (int32, error) { return tx.AppendUpdate(a, 0, at(3), nil) }, 3},
		{"pts b +5", func(tx store.BoxTx) (int32, error) { return tx.AppendUpdate(b, 5, at(4), nil) }, 5},
	}
	mustUpdate(t, s, func(tx store.BoxTx) error {
		for _, st := range steps {
			got, err := st.f(tx)
			if err != nil || got != st.want {
				t.Errorf("%s = %d, %v; want %d", st.name, got, err, st.want)
			}
		}
		return nil
	})
	want := map[int64]store.BoxState{a: {Pts: 3, LastID: 2, Seq: 2}, b: {Pts: 5, LastID: 1}}
	for owner, w := range want {
		if st, err := s.Boxes().State(ctx, owner); err != nil || st != w {
			t.Errorf("state of %d = %+v, %v; want %+v", owner, st, err, w)
		}
	}
	// The counters go on in the next transaction.
	mustUpdate(t, s, func(tx store.BoxTx) error {
		if id, err := tx.NextID(a); err != nil || id != 3 {
			t.Errorf("next id in a new transaction = %d, %v; want 3", id, err)
		}
		if seq, err := tx.NextSeq(b); err != nil || seq != 1 {
			t.Errorf("first seq of b = %d, %v; want 1", seq, err)
		}
		if pts, err := tx.AppendUpdate(a, 1, at(5), nil); err != nil || pts != 4 {
			t.Errorf("pts in a new transaction = %d, %v; want 4", pts, err)
		}
		return nil
	})
	// Owners that are not users have no box.
	for name, f := range map[string]func(tx store.BoxTx) error{
		"NextID":       func(tx store.BoxTx) error { _, err := tx.NextID(99); return err },
		"NextSeq":      func(tx store.BoxTx) error { _, err := tx.NextSeq(99); return err },
		"AppendUpdate": func(tx store.BoxTx) error { _, err := tx.AppendUpdate(99, 1, at(0), nil); return err },
		"AppendUpdate zero": func(tx store.BoxTx) error {
			_, err := tx.AppendUpdate(99, 0, at(0), nil)
			return err
		},
		"PutDialog": func(tx store.BoxTx) error {
			return tx.PutDialog(store.Dialog{OwnerID: 99, Peer: userPeer(a), TopMessage: 1})
		},
		"PutMessage": func(tx store.BoxTx) error {
			return tx.PutMessage(store.Message{OwnerID: 99, ID: 1, Peer: userPeer(a), Date: at(0)})
		},
	} {
		if err := s.Boxes().Update(ctx, f); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s for a missing user: err = %v, want ErrNotFound", name, err)
		}
	}
	if st, err := s.Boxes().State(ctx, 99); err != nil || st != (store.BoxState{}) {
		t.Errorf("state of a missing user = %+v, %v", st, err)
	}
}

func testUpdateLog(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	ids := mustUsers(t, s, 2)
	a, b := ids[0], ids[1]
	payload := []byte("first")
	var pts []int32
	appendOne := func(owner int64, count int32, sec int, p []byte) {
		t.Helper()
		mustUpdate(t, s, func(tx store.BoxTx) error {
			got, err := tx.AppendUpdate(owner, count, at(sec), p)
			pts = append(pts, got)
			return err
		})
	}
	appendOne(a, 0, 0, []byte("before any pts")) // at pts 0: never above a reader's state
	appendOne(a, 1, 1, payload)
	payload[0] = 'X' // the store kept its own copy
	appendOne(a, 0, 2, []byte("zero 1"))
	appendOne(a, 0, 3, []byte("zero 2"))
	appendOne(a, 3, 4, []byte{})
	appendOne(b, 1, 5, []byte("other box"))
	appendOne(a, 1, 6, []byte("last"))
	if want := []int32{0, 1, 1, 1, 4, 1, 5}; fmt.Sprint(pts) != fmt.Sprint(want) {
		t.Errorf("pts = %v, want %v", pts, want)
	}
	all := []store.Update{
		{OwnerID: a, Pts: 1, PtsCount: 1, Date: at(1), Payload: []byte("first")},
		{OwnerID: a, Pts: 1, PtsCount: 0, Date: at(2), Payload: []byte("zero 1")},
		{OwnerID: a, Pts: 1, PtsCount: 0, Date: at(3), Payload: []byte("zero 2")},
		{OwnerID: a, Pts: 4, PtsCount: 3, Date: at(4)},
		{OwnerID: a, Pts: 5, PtsCount: 1, Date: at(6), Payload: []byte("last")},
	}
	for _, c := range []struct {
		after int32
		limit int
		want  []store.Update
	}{
		{0, 100, all},
		{0, 2, all[:2]},
		{0, 3, all[:3]},
		{1, 100, all[3:]},
		{2, 1, all[3:4]},
		{4, 100, all[4:]},
		{5, 100, nil},
		{50, 100, nil},
	} {
		got, err := s.Boxes().Updates(ctx, a, c.after, c.limit)
		if err != nil || !equalUpdates(got, c.want) {
			t.Errorf("updates after %d, limit %d = %+v, %v; want %+v", c.after, c.limit, got, err, c.want)
		}
	}
	if got, err := s.Boxes().Updates(ctx, b, 0, 10); err != nil || len(got) != 1 || got[0].OwnerID != b {
		t.Errorf("updates of b = %+v, %v", got, err)
	}
	if got, err := s.Boxes().Updates(ctx, 99, 0, 10); err != nil || len(got) != 0 {
		t.Errorf("updates of a missing user = %+v, %v", got, err)
	}
	got, _ := s.Boxes().Updates(ctx, a, 0, 1)
	got[0].Payload[0] = 'Y'
	if again, _ := s.Boxes().Updates(ctx, a, 0, 1); string(again[0].Payload) != "first" {
		t.Errorf("payload changed through a returned slice: %q", again[0].Payload)
	}
	for _, c := range [][2]int{{-1, 10}, {0, 0}, {0, -1}} {
		if _, err := s.Boxes().Updates(ctx, a, int32(c[0]), c[1]); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("updates after %d, limit %d: err = %v, want ErrInvalid", c[0], c[1], err)
		}
	}
	if err := s.Boxes().Update(ctx, func(tx store.BoxTx) error {
		_, err := tx.AppendUpdate(a, -1, at(0), nil)
		return err
	}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("negative pts count: err = %v, want ErrInvalid", err)
	}
}

// equalUpdates compares update logs, payloads by content and nil-ness.
func equalUpdates(a, b []store.Update) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

// fullMessage returns a message with every field set, from a to b.
func fullMessage(owner, peer int64, sec int) store.Message {
	return store.Message{
		OwnerID: owner, Peer: userPeer(peer), FromID: owner, Out: true,
		Date:     at(sec).Add(700 * time.Millisecond).In(time.FixedZone("X", 3600)),
		EditDate: at(sec + 10), Text: "Hello, world", Entities: []byte{1, 2}, Media: []byte{3},
		FwdFrom: []byte{4, 5, 6}, Action: []byte{7}, ReplyTo: 1, RandomID: 12345, GlobalID: 777,
		Silent: true, NoForwards: true, Mentioned: true, MediaUnread: true, Pinned: true,
	}
}

func testMessages(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	bx := s.Boxes()
	ids := mustUsers(t, s, 3)
	a, b, c := ids[0], ids[1], ids[2]

	in := fullMessage(a, b, 10)
	first := putMessage(t, s, store.Message{OwnerID: a, Peer: userPeer(b), Date: at(1), Text: "first"})
	var want store.Message
	mustUpdate(t, s, func(tx store.BoxTx) error {
		id, err := tx.NextID(a)
		if err != nil {
			return err
		}
		in.ID = id
		if err := tx.PutMessage(in); err != nil {
			return err
		}
		want = stored(in)
		in.Entities[0], in.Media[0], in.FwdFrom[0], in.Action[0] = 9, 9, 9, 9 // the store has its own copy
		if got, err := tx.Message(a, id); err != nil || !equalMessage(got, want) {
			t.Errorf("tx message = %+v, %v; want %+v", got, err, want)
		}
		if got, err := tx.ByRandomID(a, 12345); err != nil || !equalMessage(got, want) {
			t.Errorf("tx by random id = %+v, %v; want %+v", got, err, want)
		}
		return nil
	})
	if want.ID != 2 || first.ID != 1 {
		t.Fatalf("ids = %d, %d; want 1, 2", first.ID, want.ID)
	}
	got, err := bx.Message(ctx, a, 2)
	if err != nil || !equalMessage(got, want) {
		t.Fatalf("message = %+v, %v; want %+v", got, err, want)
	}
	got.Entities[0] = 42
	if again, _ := bx.Message(ctx, a, 2); again.Entities[0] != 1 {
		t.Error("message changed through a returned slice")
	}
	if _, err := bx.Message(ctx, a, 3); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing message: err = %v, want ErrNotFound", err)
	}
	if _, err := bx.Message(ctx, b, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("message of another box: err = %v, want ErrNotFound", err)
	}
	if ms, err := bx.Messages(ctx, a, []int32{5, 2, 1, 2, 0, -3}); err != nil || !equalMessages(ms, []store.Message{first, want}) {
		t.Errorf("messages = %+v, %v", ms, err)
	}
	if ms, err := bx.Messages(ctx, a, nil); err != nil || len(ms) != 0 {
		t.Errorf("messages of no ids = %+v, %v", ms, err)
	}
	many := make([]int32, 1200)
	for i := range many {
		many[i] = int32(i - 100)
	}
	if ms, err := bx.Messages(ctx, a, many); err != nil || len(ms) != 2 {
		t.Errorf("messages of %d ids = %d, %v; want 2", len(many), len(ms), err)
	}

	// Empty byte slices read back as nil; zero random and global ids are
	// no ids.
	plain := putMessage(t, s, store.Message{OwnerID: a, Peer: chatPeer(5), Date: at(20), Entities: []byte{}, Media: []byte{}})
	if got, err := bx.Message(ctx, a, plain.ID); err != nil || !equalMessage(got, plain) || got.Entities != nil {
		t.Errorf("plain message = %+v, %v; want %+v", got, err, plain)
	}

	// Copies in two boxes share a global id; the random id is per box.
	copyB := putMessage(t, s, store.Message{OwnerID: b, Peer: userPeer(a), FromID: a, Date: at(10), Text: "Hello, world",
		GlobalID: 777, RandomID: 12345})
	copyC := putMessage(t, s, store.Message{OwnerID: c, Peer: chatPeer(1), FromID: a, Date: at(10), GlobalID: 777})
	putMessage(t, s, store.Message{OwnerID: c, Peer: chatPeer(1), Date: at(11), GlobalID: 778})
	mustUpdate(t, s, func(tx store.BoxTx) error {
		ms, err := tx.ByGlobalID(777)
		if err != nil || !equalMessages(ms, []store.Message{want, copyB, copyC}) {
			t.Errorf("by global id = %+v, %v", msgIDs(ms), err)
		}
		if ms, err := tx.ByGlobalID(1); err != nil || len(ms) != 0 {
			t.Errorf("by unknown global id = %+v, %v", ms, err)
		}
		if _, err := tx.ByGlobalID(0); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("by global id 0: err = %v, want ErrInvalid", err)
		}
		for _, rid := range []int64{0, 999} {
			if _, err := tx.ByRandomID(a, rid); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("by random id %d: err = %v, want ErrNotFound", rid, err)
			}
		}
		if _, err := tx.ByRandomID(c, 12345); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("random id of another box: err = %v, want ErrNotFound", err)
		}
		if got, err := tx.Message(a, 1); err != nil || !equalMessage(got, first) {
			t.Errorf("tx message 1 = %+v, %v", got, err)
		}
		if _, err := tx.Message(a, 99); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("tx missing message: err = %v, want ErrNotFound", err)
		}
		return nil
	})
}

func testEditDelete(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	bx := s.Boxes()
	ids := mustUsers(t, s, 2)
	a, b := ids[0], ids[1]
	m1 := putMessage(t, s, store.Message{OwnerID: a, Peer: userPeer(b), Date: at(1), Text: "one", RandomID: 1, GlobalID: 10})
	m2 := putMessage(t, s, store.Message{OwnerID: a, Peer: userPeer(b), Date: at(2), Text: "two", RandomID: 2, GlobalID: 20})
	m3 := putMessage(t, s, store.Message{OwnerID: a, Peer: userPeer(b), Date: at(3), Text: "three"})

	edited := m1
	edited.Text, edited.EditDate, edited.Pinned, edited.Media, edited.GlobalID = "one (edited)", at(50), true, []byte{1}, 11
	mustUpdate(t, s, func(tx store.BoxTx) error {
		if err := tx.UpdateMessage(edited); err != nil {
			return err
		}
		if got, err := tx.Message(a, m1.ID); err != nil || !equalMessage(got, edited) {
			t.Errorf("tx edited = %+v, %v", got, err)
		}
		return nil
	})
	if got, err := bx.Message(ctx, a, m1.ID); err != nil || !equalMessage(got, edited) {
		t.Errorf("edited = %+v, %v; want %+v", got, err, edited)
	}
	mustUpdate(t, s, func(tx store.BoxTx) error {
		if ms, err := tx.ByGlobalID(10); err != nil || len(ms) != 0 {
			t.Errorf("old global id still finds %v, %v", msgIDs(ms), err)
		}
		if ms, err := tx.ByGlobalID(11); err != nil || len(ms) != 1 {
			t.Errorf("new global id finds %v, %v", msgIDs(ms), err)
		}
		return nil
	})
	for name, c := range map[string]struct {
		m    store.Message
		want error
	}{
		"missing":         {store.Message{OwnerID: a, ID: 99, Peer: userPeer(b)}, store.ErrNotFound},
		"other box":       {store.Message{OwnerID: b, ID: m1.ID, Peer: userPeer(a)}, store.ErrNotFound},
		"taken random id": {func() store.Message { m := m3; m.RandomID = 2; return m }(), store.ErrExists},
		"bad peer":        {store.Message{OwnerID: a, ID: m1.ID}, store.ErrInvalid},
		"id 0":            {store.Message{OwnerID: a, Peer: userPeer(b)}, store.ErrInvalid},
	} {
		err := bx.Update(ctx, func(tx store.BoxTx) error { return tx.UpdateMessage(c.m) })
		if !errors.Is(err, c.want) {
			t.Errorf("update %s: err = %v, want %v", name, err, c.want)
		}
	}
	// Keeping its own random id is no conflict.
	same := m2
	same.Text = "two (edited)"
	mustUpdate(t, s, func(tx store.BoxTx) error { return tx.UpdateMessage(same) })

	mustUpdate(t, s, func(tx store.BoxTx) error {
		if err := tx.DeleteMessages(a, []int32{m2.ID, 99, m2.ID, -1}); err != nil {
			return err
		}
		if _, err := tx.Message(a, m2.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("tx deleted message: err = %v, want ErrNotFound", err)
		}
		if _, err := tx.ByRandomID(a, 2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("random id of a deleted message: err = %v, want ErrNotFound", err)
		}
		return tx.DeleteMessages(b, []int32{m1.ID}) // another box: nothing there
	})
	if ms, err := bx.Messages(ctx, a, []int32{m1.ID, m2.ID, m3.ID}); err != nil || !equalMessages(ms, []store.Message{edited, m3}) {
		t.Errorf("after delete = %v, %v", msgIDs(ms), err)
	}
	// A deleted message's random id may be used again; its id may not be
	// reused by NextID.
	again := putMessage(t, s, store.Message{OwnerID: a, Peer: userPeer(b), Date: at(4), RandomID: 2})
	if again.ID != 4 {
		t.Errorf("id after a delete = %d, want 4", again.ID)
	}
	mustUpdate(t, s, func(tx store.BoxTx) error {
		if ms, err := tx.ByGlobalID(20); err != nil || len(ms) != 0 {
			t.Errorf("global id of a deleted message finds %v, %v", msgIDs(ms), err)
		}
		return tx.DeleteMessages(a, nil)
	})
}

func testBoxTxErrors(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	bx := s.Boxes()
	ids := mustUsers(t, s, 2)
	a, b := ids[0], ids[1]
	m := putMessage(t, s, store.Message{OwnerID: a, Peer: userPeer(b), Date: at(1), RandomID: 7})
	putMessage(t, s, store.Message{OwnerID: b, Peer: userPeer(a), Date: at(1), RandomID: 7}) // another box: fine

	check := func(name string, want error, f func(tx store.BoxTx) error) {
		t.Helper()
		if err := bx.Update(ctx, f); !errors.Is(err, want) {
			t.Errorf("%s: err = %v, want %v", name, err, want)
		}
	}
	check("duplicate id", store.ErrExists, func(tx store.BoxTx) error {
		return tx.PutMessage(store.Message{OwnerID: a, ID: m.ID, Peer: userPeer(b), Date: at(2)})
	})
	check("duplicate random id", store.ErrExists, func(tx store.BoxTx) error {
		id, err := tx.NextID(a)
		if err != nil {
			return err
		}
		return tx.PutMessage(store.Message{OwnerID: a, ID: id, Peer: userPeer(b), Date: at(2), RandomID: 7})
	})
	check("id not reserved", store.ErrInvalid, func(tx store.BoxTx) error {
		return tx.PutMessage(store.Message{OwnerID: a, ID: 50, Peer: userPeer(b), Date: at(2)})
	})
	check("id 0", store.ErrInvalid, func(tx store.BoxTx) error {
		return tx.PutMessage(store.Message{OwnerID: a, Peer: userPeer(b), Date: at(2)})
	})
	for _, text := range []string{"a\x00b", "\xff", "ok\xc3"} {
		check(fmt.Sprintf("text %q", text), store.ErrInvalid, func(tx store.BoxTx) error {
			id, err := tx.NextID(a)
			if err != nil {
				return err
			}
			return tx.PutMessage(store.Message{OwnerID: a, ID: id, Peer: userPeer(b), Date: at(2), Text: text})
		})
		check(fmt.Sprintf("edit to text %q", text), store.ErrInvalid, func(tx store.BoxTx) error {
			edited := m
			edited.Text = text
			return tx.UpdateMessage(edited)
		})
	}
	for _, p := range []store.Peer{{}, {Kind: store.PeerUser}, {Kind: 9, ID: 1}, {Kind: store.PeerChat, ID: -1}} {
		check(fmt.Sprintf("peer %+v", p), store.ErrInvalid, func(tx store.BoxTx) error {
			id, err := tx.NextID(a)
			if err != nil {
				return err
			}
			return tx.PutMessage(store.Message{OwnerID: a, ID: id, Peer: p, Date: at(2)})
		})
		check(fmt.Sprintf("dialog with peer %+v", p), store.ErrInvalid, func(tx store.BoxTx) error {
			return tx.PutDialog(store.Dialog{OwnerID: a, Peer: p})
		})
	}
	check("negative pinned order", store.ErrInvalid, func(tx store.BoxTx) error {
		return tx.PutDialog(store.Dialog{OwnerID: a, Peer: userPeer(b), PinnedOrder: -1})
	})
	check("nil function", store.ErrInvalid, nil)

	// An error of tx does not end the transaction: f handles it and goes
	// on, and the rest is kept.
	var resent store.Message
	mustUpdate(t, s, func(tx store.BoxTx) error {
		id, err := tx.NextID(a)
		if err != nil {
			return err
		}
		err = tx.PutMessage(store.Message{OwnerID: a, ID: id, Peer: userPeer(b), Date: at(3), RandomID: 7})
		if !errors.Is(err, store.ErrExists) {
			t.Errorf("resent random id: err = %v, want ErrExists", err)
		}
		if resent, err = tx.ByRandomID(a, 7); err != nil {
			return err
		}
		return tx.PutMessage(store.Message{OwnerID: a, ID: id, Peer: userPeer(b), Date: at(3), Text: "after"})
	})
	if resent.ID != m.ID {
		t.Errorf("by random id = %d, want %d", resent.ID, m.ID)
	}
	if got, err := bx.Message(ctx, a, m.ID+1); err != nil || got.Text != "after" {
		t.Errorf("message after a handled error = %+v, %v", got, err)
	}

	// tx is over once f returned.
	var kept store.BoxTx
	mustUpdate(t, s, func(tx store.BoxTx) error { kept = tx; return nil })
	if _, err := kept.NextID(a); err == nil {
		t.Error("NextID on a finished transaction: no error")
	}
	if err := kept.PutDialog(store.Dialog{OwnerID: a, Peer: userPeer(b)}); err == nil {
		t.Error("PutDialog on a finished transaction: no error")
	}
	if _, err := s.Boxes().Dialog(ctx, a, userPeer(b)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("dialog put on a finished transaction: err = %v, want ErrNotFound", err)
	}

	// A done context stops a call before f runs.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	if err := bx.Update(cancelled, func(store.BoxTx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("update with a cancelled context = %v, ran %v; want context.Canceled, not run", err, ran)
	}
}
