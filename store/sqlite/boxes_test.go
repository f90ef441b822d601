package sqlite_test

import (
	"bytes"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/sqlite"
)

// TestReopenBoxes checks that boxes and chats survive a restart and that
// every counter goes on where it stopped.
func TestReopenBoxes(t *testing.T) {
	s, path := openTemp(t)
	ctx := t.Context()
	date := time.Unix(1_700_000_000, 0).UTC()
	var ids []int64
	for i := range 2 {
		u, err := s.Users().Create(ctx, store.User{Phone: fmt.Sprint(1555000 + i), CreatedAt: date})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	a, b := ids[0], ids[1]
	for i := range 5 {
		if err := send(ctx, s.Boxes(), a, b, int64(i+1), int64(i+1), fmt.Sprint("message ", i), date); err != nil {
			t.Fatal(err)
		}
	}
	full := store.Message{OwnerID: a, Peer: store.Peer{Kind: store.PeerChat, ID: 7}, FromID: a, Out: true, Date: date,
		EditDate: date.Add(time.Minute), Text: "full", Entities: []byte{1}, Media: []byte{2}, FwdFrom: []byte{3},
		Action: []byte{4}, ReplyTo: 2, RandomID: 99, GlobalID: 99, Silent: true, NoForwards: true, Mentioned: true,
		MediaUnread: true, Pinned: true}
	err := s.Boxes().Update(ctx, func(tx store.BoxTx) error {
		id, err := tx.NextID(a)
		if err != nil {
			return err
		}
		full.ID = id
		if err := tx.PutMessage(full); err != nil {
			return err
		}
		if _, err := tx.NextSeq(a); err != nil {
			return err
		}
		_, err = tx.AppendUpdate(a, 0, date, []byte("no pts"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	chat, err := s.Chats().Create(ctx, store.Chat{Title: "g", CreatorID: a, Date: date, DefaultBannedRights: []byte{5}},
		[]store.ChatMember{{UserID: a, Date: date, Admin: true}, {UserID: b, InviterID: a, Date: date}})
	if err != nil {
		t.Fatal(err)
	}
	inv := store.ChatInvite{Hash: "h", ChatID: chat.ID, AdminID: a, Date: date, UsageLimit: 3, Permanent: true}
	if err := s.Chats().PutInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	stateA, _ := s.Boxes().State(ctx, a)
	dialogB, _ := s.Boxes().Dialog(ctx, b, store.Peer{Kind: store.PeerUser, ID: a})
	logA, _ := s.Boxes().Updates(ctx, a, 0, 100)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if st, err := s.Boxes().State(ctx, a); err != nil || st != stateA || st != (store.BoxState{LastID: 6, Pts: 5, Seq: 1}) {
		t.Errorf("state after reopen = %+v, %v; want %+v", st, err, stateA)
	}
	if got, err := s.Boxes().Message(ctx, a, full.ID); err != nil || !bytes.Equal(got.Action, full.Action) || got.Text != "full" ||
		!got.EditDate.Equal(full.EditDate) || !got.MediaUnread || got.GlobalID != 99 {
		t.Errorf("message after reopen = %+v, %v", got, err)
	}
	if ms, err := s.Boxes().History(ctx, b, store.Peer{Kind: store.PeerUser, ID: a}, store.HistoryQuery{Limit: 10}); err != nil || len(ms) != 5 {
		t.Errorf("history of b after reopen = %d messages, %v", len(ms), err)
	}
	if d, err := s.Boxes().Dialog(ctx, b, store.Peer{Kind: store.PeerUser, ID: a}); err != nil || d.UnreadCount != 5 ||
		d.TopMessage != dialogB.TopMessage {
		t.Errorf("dialog after reopen = %+v, %v; want %+v", d, err, dialogB)
	}
	if log, err := s.Boxes().Updates(ctx, a, 0, 100); err != nil || len(log) != 6 || len(log) != len(logA) ||
		string(log[5].Payload) != "no pts" {
		t.Errorf("log after reopen = %+v, %v", log, err)
	}
	if ms, err := s.Boxes().Search(ctx, a, store.SearchQuery{Text: "MESSAGE 3", Limit: 10}); err != nil || len(ms) != 1 {
		t.Errorf("search after reopen = %+v, %v", ms, err)
	}
	err = s.Boxes().Update(ctx, func(tx store.BoxTx) error {
		if id, err := tx.NextID(a); err != nil || id != 7 {
			t.Errorf("next id after reopen = %d, %v; want 7", id, err)
		}
		if seq, err := tx.NextSeq(a); err != nil || seq != 2 {
			t.Errorf("next seq after reopen = %d, %v; want 2", seq, err)
		}
		if pts, err := tx.AppendUpdate(a, 1, date, nil); err != nil || pts != 6 {
			t.Errorf("pts after reopen = %d, %v; want 6", pts, err)
		}
		if m, err := tx.ByRandomID(a, 99); err != nil || m.ID != full.ID {
			t.Errorf("by random id after reopen = %+v, %v", m, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Chats().Get(ctx, chat.ID); err != nil || got.Title != "g" || !bytes.Equal(got.DefaultBannedRights, []byte{5}) {
		t.Errorf("chat after reopen = %+v, %v", got, err)
	}
	if ms, err := s.Chats().Members(ctx, chat.ID); err != nil || len(ms) != 2 || !ms[0].Admin {
		t.Errorf("members after reopen = %+v, %v", ms, err)
	}
	if got, err := s.Chats().Invite(ctx, "h"); err != nil || got != inv {
		t.Errorf("invite after reopen = %+v, %v; want %+v", got, err, inv)
	}
	if next, err := s.Chats().Create(ctx, store.Chat{CreatorID: a, Date: date}, nil); err != nil || next.ID != chat.ID+1 {
		t.Errorf("chat id after reopen = %d, %v; want %d", next.ID, err, chat.ID+1)
	}
}

// TestTwoStoresBoxes sends through two stores on one file at once, as two
// processes would: each writer must see the other's counters (its cache
// must not hide them), so ids and pts stay gap-free.
func TestTwoStoresBoxes(t *testing.T) {
	s1, path := openTemp(t)
	defer s1.Close()
	ctx := t.Context()
	s2, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	var ids []int64
	for i := range 2 {
		u, err := s1.Users().Create(ctx, store.User{Phone: fmt.Sprint(1555000 + i), CreatedAt: time.Unix(1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	a, b := ids[0], ids[1]
	const perWorker = 40
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w, s := range []*sqlite.Store{s1, s2, s1, s2} {
		wg.Go(func() {
			for i := range perWorker {
				g := int64(w*perWorker + i + 1)
				from, to := a, b
				if i%2 == 1 {
					from, to = b, a
				}
				if err := send(ctx, s.Boxes(), from, to, g, g, "hi", time.Unix(2, 0)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	const n = 4 * perWorker
	want := make([]int32, n)
	for i := range want {
		want[i] = int32(i + 1)
	}
	for _, s := range []*sqlite.Store{s1, s2} {
		for _, owner := range ids {
			if st, err := s.Boxes().State(ctx, owner); err != nil || st.LastID != n || st.Pts != n {
				t.Errorf("state of %d = %+v, %v; want %d", owner, st, err, n)
			}
			ms, err := s.Boxes().History(ctx, owner, store.Peer{Kind: store.PeerUser, ID: a + b - owner}, store.HistoryQuery{Limit: 1000})
			got := make([]int32, len(ms))
			for i, m := range ms {
				got[i] = m.ID
			}
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("ids of %d = %v, %v; want 1..%d", owner, got, err, n)
			}
			// Each received half of the messages: a dialog read from a stale
			// cache would have lost increments.
			d, err := s.Boxes().Dialog(ctx, owner, store.Peer{Kind: store.PeerUser, ID: a + b - owner})
			if err != nil || d.TopMessage != n || d.UnreadCount != n/2 {
				t.Errorf("dialog of %d = %+v, %v; want top %d, %d unread", owner, d, err, n, n/2)
			}
		}
	}
}
