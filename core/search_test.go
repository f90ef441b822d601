package core

import (
	"errors"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

func ids(ms []store.Message) []int32 {
	out := make([]int32, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func TestSearch(t *testing.T) {
	p := newRoster(t)
	a, b, c := p.user("200101", "A", ""), p.user("200102", "B", ""), p.user("200103", "C", "")
	var sent []store.Message
	for i, text := range []string{"Apple pie", "banana", "apple juice", "APPLE", "cherry"} {
		p.now = p.now.Add(time.Minute)
		to := b.ID
		if i == 3 {
			to = c.ID
		}
		sent = append(sent, p.send(a.ID, to, text))
	}
	ms, n, err := p.c.Search(p.ctx, a.ID, SearchPage{Text: "apple", Limit: 10})
	p.must(err)
	if got := ids(ms); n != 3 || len(got) != 3 || got[0] != sent[3].ID || got[2] != sent[0].ID {
		t.Errorf("global: %v of %d", got, n)
	}
	ms, n, err = p.c.Search(p.ctx, a.ID, SearchPage{Text: "apple", Peer: userPeer(b.ID), Limit: 10})
	p.must(err)
	if got := ids(ms); n != 2 || len(got) != 2 || got[0] != sent[2].ID {
		t.Errorf("one dialog: %v of %d", got, n)
	}
	// Paging: below offset_id, and add_offset skips.
	ms, _, err = p.c.Search(p.ctx, a.ID, SearchPage{Text: "apple", OffsetID: sent[3].ID, Limit: 1})
	p.must(err)
	if got := ids(ms); len(got) != 1 || got[0] != sent[2].ID {
		t.Errorf("offset: %v", got)
	}
	ms, _, err = p.c.Search(p.ctx, a.ID, SearchPage{Text: "apple", AddOffset: 2, Limit: 5})
	p.must(err)
	if got := ids(ms); len(got) != 1 || got[0] != sent[0].ID {
		t.Errorf("add offset: %v", got)
	}
	// Dates: [min, max).
	ms, _, err = p.c.Search(p.ctx, a.ID, SearchPage{Text: "apple", MinDate: sent[2].Date, MaxDate: sent[3].Date, Limit: 5})
	p.must(err)
	if got := ids(ms); len(got) != 1 || got[0] != sent[2].ID {
		t.Errorf("dates: %v", got)
	}
	// Invalid text finds nothing rather than failing.
	if ms, n, err := p.c.Search(p.ctx, a.ID, SearchPage{Text: "a\x00b", Limit: 5}); err != nil || len(ms) != 0 || n != 0 {
		t.Errorf("NUL text: %v %d %v", ms, n, err)
	}

	g, err := p.c.SearchGlobal(p.ctx, a.ID, GlobalPage{Text: "apple", Limit: 2})
	p.must(err)
	if len(g.Messages) != 2 || g.Count != 3 || g.NextRate != int32(sent[2].Date.Unix()) {
		t.Errorf("global page 1: %v count %d rate %d", ids(g.Messages), g.Count, g.NextRate)
	}
	g, err = p.c.SearchGlobal(p.ctx, a.ID, GlobalPage{Text: "apple", OffsetID: g.Messages[1].ID, Limit: 2})
	p.must(err)
	if len(g.Messages) != 1 || g.Messages[0].ID != sent[0].ID || g.NextRate != 0 {
		t.Errorf("global page 2: %v rate %d", ids(g.Messages), g.NextRate)
	}
	if _, err := p.c.SearchGlobal(p.ctx, a.ID, GlobalPage{Limit: 2}); !errors.Is(err, ErrSearchQueryEmpty) {
		t.Errorf("empty query: %v", err)
	}
}

func TestMentions(t *testing.T) {
	p := newRoster(t)
	a, b := p.user("200201", "A", ""), p.user("200202", "B", "")
	var mentions []int32
	for i := 0; i < 3; i++ {
		s, err := p.c.SendMessage(p.ctx, Send{From: a.ID, To: userPeer(b.ID), Text: "hey you",
			Entities: []Entity{{Type: "text_mention", Offset: 4, Length: 3, UserID: b.ID}}})
		p.must(err)
		mentions = append(mentions, p.copyOf(b.ID, s.Message).ID)
		p.send(a.ID, b.ID, "plain")
	}
	ms, n, err := p.c.UnreadMentions(p.ctx, b.ID, userPeer(a.ID), HistoryPage{Limit: 10})
	p.must(err)
	if got := ids(ms); n != 3 || len(got) != 3 || got[0] != mentions[2] {
		t.Errorf("unread mentions %v of %d", got, n)
	}
	before, _ := p.c.Store.Boxes().State(p.ctx, b.ID)
	aff, err := p.c.ReadMessageContents(p.ctx, b.ID, []int32{mentions[0], mentions[0], 9999}, Origin{})
	p.must(err)
	if aff.PtsCount != 1 || aff.Pts != before.Pts+1 {
		t.Errorf("read contents %+v (pts was %d)", aff, before.Pts)
	}
	if d, _ := p.c.Dialog(p.ctx, b.ID, userPeer(a.ID)); d.UnreadMentions != 2 {
		t.Errorf("unread mentions count %d", d.UnreadMentions)
	}
	// Reading again changes nothing.
	again, err := p.c.ReadMessageContents(p.ctx, b.ID, []int32{mentions[0]}, Origin{})
	p.must(err)
	if again.PtsCount != 0 || again.Pts != aff.Pts {
		t.Errorf("read again %+v", again)
	}
	aff, err = p.c.ReadMentions(p.ctx, b.ID, userPeer(a.ID), Origin{})
	p.must(err)
	if aff.PtsCount != 2 {
		t.Errorf("read mentions %+v", aff)
	}
	if d, _ := p.c.Dialog(p.ctx, b.ID, userPeer(a.ID)); d.UnreadMentions != 0 {
		t.Errorf("left %d", d.UnreadMentions)
	}
	if ms, _, _ := p.c.UnreadMentions(p.ctx, b.ID, userPeer(a.ID), HistoryPage{Limit: 10}); len(ms) != 0 {
		t.Errorf("still unread %v", ids(ms))
	}
}
