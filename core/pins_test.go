package core

import (
	"errors"
	"testing"

	"github.com/roostchat/roost/store"
)

func TestPinMessage(t *testing.T) {
	p := newRoster(t)
	a, b := p.user("200301", "A", ""), p.user("200302", "B", "")
	m := p.send(a.ID, b.ID, "pin me")
	m2 := p.send(a.ID, b.ID, "me too")
	aff, err := p.c.PinMessage(p.ctx, a.ID, userPeer(b.ID), m.ID, false, false, Origin{})
	p.must(err)
	if aff.PtsCount != 1 {
		t.Errorf("affected %+v", aff)
	}
	if got := p.copyOf(b.ID, m); !got.Pinned {
		t.Error("other side not pinned")
	}
	_, err = p.c.PinMessage(p.ctx, a.ID, userPeer(b.ID), m2.ID, false, true, Origin{})
	p.must(err)
	if got := p.copyOf(b.ID, m2); got.Pinned {
		t.Error("pm_oneside pinned the other side")
	}
	if _, err := p.c.PinMessage(p.ctx, a.ID, userPeer(b.ID), 999, false, false, Origin{}); !errors.Is(err, ErrMessageIDInvalid) {
		t.Errorf("missing: %v", err)
	}
	if _, err := p.c.PinMessage(p.ctx, a.ID, userPeer(a.ID), m.ID, false, false, Origin{}); !errors.Is(err, ErrMessageIDInvalid) {
		t.Errorf("wrong dialog: %v", err)
	}
	aff, err = p.c.UnpinAllMessages(p.ctx, a.ID, userPeer(b.ID), Origin{})
	p.must(err)
	if aff.PtsCount != 1 {
		t.Errorf("unpin all %+v", aff)
	}
	for _, x := range []int64{a.ID, b.ID} {
		for _, msg := range []int32{m.ID, m2.ID} {
			if got, _ := p.c.Store.Boxes().Message(p.ctx, a.ID, msg); got.Pinned {
				t.Errorf("user %d message %d still pinned", x, msg)
			}
		}
	}
	if got := p.copyOf(b.ID, m); got.Pinned {
		t.Error("other side still pinned")
	}
	// Nothing pinned: pts stands.
	again, err := p.c.UnpinAllMessages(p.ctx, a.ID, userPeer(b.ID), Origin{})
	p.must(err)
	if again.PtsCount != 0 || again.Pts != aff.Pts {
		t.Errorf("second unpin all %+v", again)
	}
}

func TestDialogPins(t *testing.T) {
	p := newRoster(t)
	me := p.user("200401", "Me", "")
	var others []int64
	for i := 0; i < MaxPinnedDialogs+1; i++ {
		u := p.user("20041"+string(rune('0'+i)), "U", "")
		p.send(me.ID, u.ID, "hi")
		others = append(others, u.ID)
	}
	for _, u := range others[:MaxPinnedDialogs] {
		p.must(p.c.ToggleDialogPin(p.ctx, me.ID, userPeer(u), true, Origin{}))
	}
	if err := p.c.ToggleDialogPin(p.ctx, me.ID, userPeer(others[MaxPinnedDialogs]), true, Origin{}); !errors.Is(err, ErrPinnedDialogsTooMuch) {
		t.Errorf("one too many: %v", err)
	}
	if err := p.c.ToggleDialogPin(p.ctx, me.ID, userPeer(me.ID), true, Origin{}); !errors.Is(err, ErrPeerIDInvalid) {
		t.Errorf("no dialog: %v", err)
	}
	ds, ms, err := p.c.PinnedDialogs(p.ctx, me.ID, 0)
	p.must(err)
	if len(ds) != MaxPinnedDialogs || len(ms) != MaxPinnedDialogs || ds[0].Peer.ID != others[MaxPinnedDialogs-1] {
		t.Fatalf("pinned %d %d first %+v", len(ds), len(ms), ds[0].Peer)
	}
	p.must(p.c.ToggleDialogPin(p.ctx, me.ID, userPeer(others[0]), false, Origin{}))
	// Reorder two to the top; force unpins the rest.
	p.must(p.c.ReorderPinnedDialogs(p.ctx, me.ID, 0, []store.Peer{userPeer(others[1]), userPeer(others[2])}, false, Origin{}))
	ds, _, _ = p.c.PinnedDialogs(p.ctx, me.ID, 0)
	if len(ds) != 4 || ds[0].Peer.ID != others[1] || ds[1].Peer.ID != others[2] {
		t.Errorf("reordered: %+v", ds)
	}
	p.must(p.c.ReorderPinnedDialogs(p.ctx, me.ID, 0, []store.Peer{userPeer(others[2])}, true, Origin{}))
	ds, _, _ = p.c.PinnedDialogs(p.ctx, me.ID, 0)
	if len(ds) != 1 || ds[0].Peer.ID != others[2] {
		t.Errorf("forced: %+v", ds)
	}
	if err := p.c.ReorderPinnedDialogs(p.ctx, me.ID, 0, []store.Peer{userPeer(me.ID)}, false, Origin{}); !errors.Is(err, ErrPeerIDInvalid) {
		t.Errorf("unknown dialog: %v", err)
	}
}
