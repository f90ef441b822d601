package core

import (
	"errors"
	"testing"
)

func TestDrafts(t *testing.T) {
	p := newRoster(t)
	a, b, c := p.user("200501", "A", ""), p.user("200502", "B", ""), p.user("200503", "C", "")
	p.send(a.ID, b.ID, "hi")
	p.send(a.ID, c.ID, "hi")
	st, _ := p.c.Store.Boxes().State(p.ctx, a.ID)
	p.must(p.c.SaveDraft(p.ctx, a.ID, userPeer(b.ID), Draft{Text: "half a tho", ReplyTo: 1,
		Entities: []Entity{{Type: "bold", Offset: 0, Length: 4}}}, Origin{}))
	d, err := p.c.Dialog(p.ctx, a.ID, userPeer(b.ID))
	p.must(err)
	dr, ok := DecodeDraft(d.Draft)
	if !ok || dr.Text != "half a tho" || dr.ReplyTo != 1 || len(dr.Entities) != 1 || !dr.Date.Equal(p.now) {
		t.Errorf("draft %+v", dr)
	}
	// The change is logged without moving pts.
	if st2, _ := p.c.Store.Boxes().State(p.ctx, a.ID); st2.Pts != st.Pts {
		t.Errorf("pts moved %d -> %d", st.Pts, st2.Pts)
	}
	all, err := p.c.AllDrafts(p.ctx, a.ID)
	p.must(err)
	if len(all) != 1 || all[0].Peer != userPeer(b.ID) {
		t.Errorf("all drafts %+v", all)
	}
	// Sending with clear_draft clears it; an empty draft clears it too.
	p.must(p.c.SaveDraft(p.ctx, a.ID, userPeer(c.ID), Draft{Text: "x"}, Origin{}))
	p.must(p.c.SaveDraft(p.ctx, a.ID, userPeer(c.ID), Draft{}, Origin{}))
	_, err = p.c.SendMessage(p.ctx, Send{From: a.ID, To: userPeer(b.ID), Text: "done", ClearDraft: true})
	p.must(err)
	if all, _ := p.c.AllDrafts(p.ctx, a.ID); len(all) != 0 {
		t.Errorf("drafts left %+v", all)
	}
	for _, bad := range []Draft{
		{Text: "bad", Entities: []Entity{{Type: "bold", Offset: 2, Length: 5}}},
		{Text: string(make([]rune, MaxMessageLength+1))},
	} {
		if err := p.c.SaveDraft(p.ctx, a.ID, userPeer(b.ID), bad, Origin{}); err == nil {
			t.Errorf("draft %q accepted", bad.Text[:min(len(bad.Text), 10)])
		}
	}
	if err := p.c.SaveDraft(p.ctx, a.ID, userPeer(987654), Draft{Text: "x"}, Origin{}); !errors.Is(err, ErrPeerIDInvalid) {
		t.Errorf("unknown user: %v", err)
	}
}

func FuzzDecodeDraft(f *testing.F) {
	f.Add(EncodeDraft(Draft{Text: "x", Entities: []Entity{{Type: "bold", Length: 1}}, ReplyTo: 3}))
	f.Add([]byte(`{"t":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, ok := DecodeDraft(b)
		if !ok {
			return
		}
		if _, ok := DecodeDraft(EncodeDraft(d)); !ok {
			t.Fatal("re-encoded draft unreadable")
		}
	})
}
