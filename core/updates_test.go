package core

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/roostchat/roost/store"
)

// TestDifferenceTooLong: a client behind the trimmed part of its log, or
// further behind than its pts_total_limit, is told differenceTooLong with
// the box's pts; a client within the log gets its entries.
func TestDifferenceTooLong(t *testing.T) {
	p := newRoster(t)
	a, b := p.user("200101", "A", ""), p.user("200102", "B", "")
	for range 5 {
		_, err := p.c.SendMessage(p.ctx, Send{From: b.ID, To: store.Peer{Kind: store.PeerUser, ID: a.ID}, Text: "hi"})
		p.must(err)
	}
	d, err := p.c.Difference(p.ctx, a.ID, 0, 0)
	p.must(err)
	if d.TooLong || len(d.Entries) != 5 || d.State.Pts != 5 || !d.Final {
		t.Fatalf("whole log: too long %v, %d entries, state %+v", d.TooLong, len(d.Entries), d.State)
	}
	// pts_total_limit: more than that many pts behind is too long.
	if d, err := p.c.Difference(p.ctx, a.ID, 1, 3); err != nil || !d.TooLong || d.State.Pts != 5 || len(d.Entries) != 0 {
		t.Errorf("4 behind, limit 3: %+v, %v", d, err)
	}
	if d, err := p.c.Difference(p.ctx, a.ID, 2, 3); err != nil || d.TooLong || len(d.Entries) != 3 {
		t.Errorf("3 behind, limit 3: too long %v, %d entries, %v", d.TooLong, len(d.Entries), err)
	}

	// A log trimmed past the client's pts.
	p.must(p.c.Store.Boxes().Update(p.ctx, func(tx store.BoxTx) error {
		for range store.UpdateLogKeep + store.UpdateLogTrimEvery {
			if _, err := tx.AppendUpdate(a.ID, 1, p.now, encodeEvent(Event{Kind: EventReadContents})); err != nil {
				return err
			}
		}
		return nil
	}))
	st, err := p.c.State(p.ctx, a.ID)
	p.must(err)
	ups, err := p.c.Store.Boxes().Updates(p.ctx, a.ID, 0, 1)
	p.must(err)
	cut := ups[0].Pts - ups[0].PtsCount // the log holds what follows this pts
	if cut <= 5 {
		t.Fatalf("the log was not trimmed: it starts after pts %d", cut)
	}
	for _, from := range []int32{0, 5, cut - 1} {
		d, err := p.c.Difference(p.ctx, a.ID, from, 0)
		if err != nil || !d.TooLong || d.State.Pts != st.Pts {
			t.Errorf("from pts %d (log after %d): too long %v, state %+v, %v", from, cut, d.TooLong, d.State, err)
		}
	}
	d, err = p.c.Difference(p.ctx, a.ID, cut, 0)
	if err != nil || d.TooLong || len(d.Entries) != DifferenceLimit || d.Entries[0].Pts != cut+1 || d.Final {
		t.Errorf("from the cut: too long %v, %d entries, final %v, %v", d.TooLong, len(d.Entries), d.Final, err)
	}
	if d, err := p.c.Difference(p.ctx, a.ID, st.Pts, 0); err != nil || d.TooLong || len(d.Entries) != 0 {
		t.Errorf("up to date: %+v, %v", d, err)
	}
}

// chatLog records pushes and chat updates.
type chatLog struct {
	pushLog
	mu  sync.Mutex
	ups []ChatUpdate
}

func (l *chatLog) ChatUpdate(u ChatUpdate) {
	l.mu.Lock()
	l.ups = append(l.ups, u)
	l.mu.Unlock()
}

func (l *chatLog) takeChat() []ChatUpdate {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.ups
	l.ups = nil
	return out
}

// TestChatRightsPushed: admin and default rights changes reach every
// member, with the chat's new version, and leave the logs alone.
func TestChatRightsPushed(t *testing.T) {
	p := newRoster(t)
	log := &chatLog{}
	p.c.Notifier = log
	a, b, c := p.user("200201", "A", ""), p.user("200202", "B", ""), p.user("200203", "C", "")
	ch, _, err := p.c.CreateChat(p.ctx, a.ID, []int64{b.ID, c.ID}, "G", Origin{})
	p.must(err)
	id := ch.Chat.ID
	before, err := p.c.State(p.ctx, c.ID)
	p.must(err)
	log.takeChat()

	p.must(p.c.EditChatAdmin(p.ctx, a.ID, id, b.ID, true))
	ups := log.takeChat()
	if len(ups) != 3 {
		t.Fatalf("admin change told %d members, want 3", len(ups))
	}
	told := map[int64]bool{}
	for _, u := range ups {
		told[u.UserID] = true
		if u.Member != b.ID || !u.Admin || u.Chat.ID != id || u.Chat.Version != ch.Chat.Version+1 || u.Origin != (Origin{}) {
			t.Errorf("admin update %+v", u)
		}
	}
	if !told[a.ID] || !told[b.ID] || !told[c.ID] {
		t.Errorf("told %v", told)
	}
	if m, err := p.c.Store.Chats().Member(p.ctx, id, b.ID); err != nil || !m.Admin {
		t.Errorf("b after the change: %+v, %v", m, err)
	}

	o := Origin{KeyID: 1, SessionID: 2}
	chat, err := p.c.EditChatDefaultRights(p.ctx, b.ID, id, BannedRights{SendMedia: true}, o)
	p.must(err)
	ups = log.takeChat()
	if len(ups) != 3 || chat.Version != ch.Chat.Version+2 {
		t.Fatalf("rights change told %d members, version %d", len(ups), chat.Version)
	}
	for _, u := range ups {
		if u.Member != 0 || u.Chat.Version != chat.Version || !DecodeRights(u.Chat.DefaultBannedRights).SendMedia || u.Origin != o {
			t.Errorf("rights update %+v", u)
		}
	}
	if after, err := p.c.State(p.ctx, c.ID); err != nil || after.Pts != before.Pts {
		t.Errorf("the changes moved pts: %d → %d, %v", before.Pts, after.Pts, err)
	}
	// Refused changes tell nobody.
	wantErr(t, "not the creator", p.c.EditChatAdmin(p.ctx, b.ID, id, c.ID, true), ErrChatAdminRequired)
	_, err = p.c.EditChatDefaultRights(p.ctx, c.ID, id, BannedRights{}, Origin{})
	wantErr(t, "not an admin", err, ErrChatAdminRequired)
	if ups := log.takeChat(); len(ups) != 0 {
		t.Errorf("refused changes told %+v", ups)
	}
}

var errBoom = errors.New("boom")

// failingStore fails the box writes of one owner's messages.
type failingStore struct {
	store.Store
	mu   sync.Mutex
	fail int64
}

func (f *failingStore) failOn(owner int64) {
	f.mu.Lock()
	f.fail = owner
	f.mu.Unlock()
}

func (f *failingStore) Boxes() store.Boxes { return failingBoxes{f.Store.Boxes(), f} }

type failingBoxes struct {
	store.Boxes
	f *failingStore
}

func (b failingBoxes) Update(ctx context.Context, fn func(store.BoxTx) error) error {
	return b.Boxes.Update(ctx, func(tx store.BoxTx) error { return fn(failingTx{tx, b.f}) })
}

type failingTx struct {
	store.BoxTx
	f *failingStore
}

func (t failingTx) PutMessage(m store.Message) error {
	t.f.mu.Lock()
	fail := t.f.fail
	t.f.mu.Unlock()
	if m.OwnerID == fail {
		return errBoom
	}
	return t.BoxTx.PutMessage(m)
}

// TestChatChangeAtomic: a membership change whose service message cannot
// be written is not kept, and neither is any copy of the message.
func TestChatChangeAtomic(t *testing.T) {
	p := newRoster(t)
	fs := &failingStore{Store: p.c.Store}
	p.c.Store = fs
	a, b, c := p.user("200301", "A", ""), p.user("200302", "B", ""), p.user("200303", "C", "")

	fs.failOn(b.ID)
	_, _, err := p.c.CreateChat(p.ctx, a.ID, []int64{b.ID}, "G", Origin{})
	wantErr(t, "create", err, errBoom)
	if ids, err := p.c.Store.Chats().ChatsOf(p.ctx, a.ID); err != nil || len(ids) != 0 {
		t.Errorf("a failed creation left chats %v, %v", ids, err)
	}
	if st, _ := p.c.Store.Boxes().State(p.ctx, a.ID); st.LastID != 0 || st.Pts != 0 {
		t.Errorf("a failed creation left a's box at %+v", st)
	}

	fs.failOn(0)
	ch, _, err := p.c.CreateChat(p.ctx, a.ID, []int64{b.ID}, "G", Origin{})
	p.must(err)
	id := ch.Chat.ID
	stateOf := func(u int64) store.BoxState {
		st, err := p.c.Store.Boxes().State(p.ctx, u)
		p.must(err)
		return st
	}
	beforeA := stateOf(a.ID)

	fs.failOn(c.ID) // the joiner's copy fails
	_, err = p.c.AddChatUser(p.ctx, a.ID, id, c.ID, Origin{})
	wantErr(t, "add", err, errBoom)
	if _, err := p.c.Store.Chats().Member(p.ctx, id, c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a failed join left the member: %v", err)
	}
	if got, _ := p.c.Store.Chats().Get(p.ctx, id); got.Version != ch.Chat.Version {
		t.Errorf("a failed join moved the version to %d", got.Version)
	}
	if stateOf(a.ID) != beforeA {
		t.Errorf("a failed join left a message for a: %+v", stateOf(a.ID))
	}

	fs.failOn(a.ID)
	_, err = p.c.DeleteChatUser(p.ctx, b.ID, id, b.ID, Origin{})
	wantErr(t, "leave", err, errBoom)
	if _, err := p.c.Store.Chats().Member(p.ctx, id, b.ID); err != nil {
		t.Errorf("a failed leave removed the member: %v", err)
	}
	_, err = p.c.EditChatTitle(p.ctx, b.ID, id, "H", Origin{})
	wantErr(t, "title", err, errBoom)
	if got, _ := p.c.Store.Chats().Get(p.ctx, id); got.Title != "G" {
		t.Errorf("a failed rename left the title %q", got.Title)
	}

	fs.failOn(0)
	_, err = p.c.AddChatUser(p.ctx, a.ID, id, c.ID, Origin{})
	p.must(err)
	if _, a := p.lastAction(c.ID, id); a.Type != ActionChatAddUser {
		t.Errorf("the joiner's last message is %+v", a)
	}
}
