package core

import (
	"testing"

	"github.com/roostchat/roost/store"
)

// TestSendRetry: a retry with the same random_id returns the first
// message and sends nothing new, in private chats and groups.
func TestSendRetry(t *testing.T) {
	p := newRoster(t)
	log := &pushLog{}
	p.c.Notifier = log
	a := p.user("15550101", "Ann", "")
	b := p.user("15550102", "Bob", "")
	cc, _, err := p.c.CreateChat(p.ctx, a.ID, []int64{b.ID}, "Pair", Origin{})
	p.must(err)
	for i, to := range []store.Peer{{Kind: store.PeerUser, ID: b.ID}, {Kind: store.PeerChat, ID: cc.Chat.ID}} {
		rnd := int64(42 + i) // random_id is unique per sender's box, across dialogs
		log.take()
		first, err := p.c.SendMessage(p.ctx, Send{From: a.ID, To: to, Text: "once", RandomID: rnd})
		p.must(err)
		again, err := p.c.SendMessage(p.ctx, Send{From: a.ID, To: to, Text: "once", RandomID: rnd})
		p.must(err)
		if again.Message.ID != first.Message.ID || again.Pts != 0 {
			t.Errorf("%v: retry gave message %d pts %d, want message %d and no pts", to, again.Message.ID, again.Pts, first.Message.ID)
		}
		if n := len(log.take()); n != 2 {
			t.Errorf("%v: pushes for %d users, want the first send's 2", to, n)
		}
		st, err := p.c.Store.Boxes().State(p.ctx, b.ID)
		p.must(err)
		ms, err := p.c.Store.Boxes().History(p.ctx, b.ID, peerFor(b.ID, a.ID, to), store.HistoryQuery{Before: true, Limit: 10})
		p.must(err)
		if len(ms) == 0 || ms[0].Text != "once" || len(ms) > 1 && ms[1].Text == "once" {
			t.Errorf("%v: the recipient has %d messages (pts %d), want one copy", to, len(ms), st.Pts)
		}
	}
}
