package core

import (
	"errors"
	"testing"

	"github.com/roostchat/roost/store"
)

func userPeer(id int64) store.Peer { return store.Peer{Kind: store.PeerUser, ID: id} }

// send sends text from one user to another and returns the sender's copy.
func (p *roster) send(from, to int64, text string) store.Message {
	p.t.Helper()
	s, err := p.c.SendMessage(p.ctx, Send{From: from, To: userPeer(to), Text: text})
	p.must(err)
	return s.Message
}

// copyOf returns owner's copy of the message sent as m.
func (p *roster) copyOf(owner int64, m store.Message) store.Message {
	p.t.Helper()
	var out store.Message
	p.must(p.c.Store.Boxes().Update(p.ctx, func(tx store.BoxTx) error {
		id := copyID(tx, owner, m.GlobalID)
		var err error
		out, err = tx.Message(owner, id)
		return err
	}))
	return out
}

func TestForwardMessages(t *testing.T) {
	p := newRoster(t)
	a, b, c := p.user("200001", "A", ""), p.user("200002", "B", ""), p.user("200003", "C", "")
	orig := p.send(b.ID, a.ID, "hello from b")
	inA := p.copyOf(a.ID, orig)

	res, err := p.c.ForwardMessages(p.ctx, Forward{From: a.ID, FromPeer: userPeer(b.ID), ToPeer: userPeer(c.ID),
		IDs: []int32{inA.ID}, RandomIDs: []int64{77}})
	p.must(err)
	if len(res.Messages) != 1 || res.Pts[0] == 0 {
		t.Fatalf("result %+v", res)
	}
	fwd := res.Messages[0]
	if fwd.Text != "hello from b" || !fwd.Out || fwd.RandomID != 77 || fwd.Peer != userPeer(c.ID) {
		t.Errorf("sender copy %+v", fwd)
	}
	h, ok := DecodeFwdHeader(fwd.FwdFrom)
	if !ok || h.FromID != b.ID || !h.Date.Equal(orig.Date) || h.SavedFromPeer != nil {
		t.Errorf("header %+v %v", h, ok)
	}
	inC := p.copyOf(c.ID, fwd)
	if inC.Out || inC.Peer != userPeer(a.ID) || inC.FromID != a.ID {
		t.Errorf("recipient copy %+v", inC)
	}
	if h2, _ := DecodeFwdHeader(inC.FwdFrom); h2.FromID != b.ID {
		t.Errorf("recipient header %+v", h2)
	}

	// Forwarding a forward keeps the original author; to Saved Messages
	// it records where it was saved from.
	res2, err := p.c.ForwardMessages(p.ctx, Forward{From: c.ID, FromPeer: userPeer(a.ID), ToPeer: userPeer(c.ID),
		IDs: []int32{inC.ID}, RandomIDs: []int64{78}})
	p.must(err)
	h3, _ := DecodeFwdHeader(res2.Messages[0].FwdFrom)
	if h3.FromID != b.ID || h3.SavedFromPeer == nil || *h3.SavedFromPeer != userPeer(a.ID) || h3.SavedFromMsgID != inC.ID {
		t.Errorf("saved header %+v", h3)
	}

	// A retry returns the first result without sending again.
	again, err := p.c.ForwardMessages(p.ctx, Forward{From: a.ID, FromPeer: userPeer(b.ID), ToPeer: userPeer(c.ID),
		IDs: []int32{inA.ID}, RandomIDs: []int64{77}})
	p.must(err)
	if len(again.Messages) != 1 || again.Messages[0].ID != fwd.ID || again.Pts[0] != 0 {
		t.Errorf("retry %+v", again)
	}

	// drop_author sends it as A's own message.
	res4, err := p.c.ForwardMessages(p.ctx, Forward{From: a.ID, FromPeer: userPeer(b.ID), ToPeer: userPeer(c.ID),
		IDs: []int32{inA.ID}, RandomIDs: []int64{79}, DropAuthor: true})
	p.must(err)
	if res4.Messages[0].FwdFrom != nil || res4.Messages[0].Text != "hello from b" {
		t.Errorf("drop author %+v", res4.Messages[0])
	}
}

func TestForwardMessagesErrors(t *testing.T) {
	p := newRoster(t)
	a, b := p.user("200011", "A", ""), p.user("200012", "B", "")
	m := p.send(a.ID, b.ID, "x")
	prot, err := p.c.SendMessage(p.ctx, Send{From: a.ID, To: userPeer(b.ID), Text: "secret", NoForwards: true})
	p.must(err)
	base := Forward{From: a.ID, FromPeer: userPeer(b.ID), ToPeer: userPeer(a.ID)}
	for _, tt := range []struct {
		name string
		ids  []int32
		rnd  []int64
		from store.Peer
		want error
	}{
		{"empty", nil, nil, base.FromPeer, ErrMessageIDsEmpty},
		{"random count", []int32{m.ID}, nil, base.FromPeer, ErrRandomIDInvalid},
		{"zero random", []int32{m.ID}, []int64{0}, base.FromPeer, ErrRandomIDInvalid},
		{"dup random", []int32{m.ID, m.ID}, []int64{5, 5}, base.FromPeer, ErrRandomIDDuplicate},
		{"missing", []int32{999}, []int64{6}, base.FromPeer, ErrMessageIDInvalid},
		{"wrong dialog", []int32{m.ID}, []int64{7}, userPeer(a.ID), ErrMessageIDInvalid},
		{"noforwards", []int32{prot.Message.ID}, []int64{8}, base.FromPeer, ErrChatForwardsRestricted},
	} {
		f := base
		f.IDs, f.RandomIDs, f.FromPeer = tt.ids, tt.rnd, tt.from
		if _, err := p.c.ForwardMessages(p.ctx, f); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	// Nothing was written by the failed calls.
	if st, _ := p.c.Store.Boxes().State(p.ctx, a.ID); st.LastID != prot.Message.ID {
		t.Errorf("last id %d, want %d", st.LastID, prot.Message.ID)
	}
	// A half-used set of random ids is a duplicate.
	f := base
	f.IDs, f.RandomIDs = []int32{m.ID}, []int64{9}
	_, err = p.c.ForwardMessages(p.ctx, f)
	p.must(err)
	f.IDs, f.RandomIDs = []int32{m.ID, m.ID}, []int64{9, 10}
	if _, err := p.c.ForwardMessages(p.ctx, f); !errors.Is(err, ErrRandomIDDuplicate) {
		t.Errorf("partial retry: %v", err)
	}
}

func FuzzDecodeFwdHeader(f *testing.F) {
	pe := userPeer(3)
	f.Add(EncodeFwdHeader(FwdHeader{FromID: 1, SavedFromPeer: &pe, SavedFromMsgID: 4}))
	f.Add([]byte(`{"sp":{"Kind":9,"ID":-1}}`))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, ok := DecodeFwdHeader(b)
		if !ok {
			return
		}
		if h.SavedFromPeer != nil && h.SavedFromPeer.ID <= 0 {
			t.Fatalf("invalid saved peer kept: %+v", h.SavedFromPeer)
		}
		if _, ok := DecodeFwdHeader(EncodeFwdHeader(h)); !ok {
			t.Fatal("re-encoded header unreadable")
		}
	})
}
