package botfather

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/memory"
)

// world is a Roost core on the memory store with BotFather in it.
type world struct {
	t  *testing.T
	c  *core.Core
	bf *BotFather
}

func newWorld(t *testing.T) *world {
	t.Helper()
	c := &core.Core{Store: memory.New(), Secret: []byte("0123456789abcdef0123456789abcdef"),
		Log: slog.New(slog.DiscardHandler)}
	if err := Ensure(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	bf := New(c, slog.New(slog.DiscardHandler))
	c.Bots = bf
	return &world{t: t, c: c, bf: bf}
}

// person is a user talking to BotFather.
type person struct {
	w    *world
	id   int64
	seen int32 // the newest message of the chat read so far
}

func (w *world) person(phone string) *person {
	w.t.Helper()
	u, err := w.c.Store.Users().Create(w.t.Context(), store.User{Phone: phone, FirstName: "User " + phone})
	if err != nil {
		w.t.Fatal(err)
	}
	return &person{w: w, id: u.ID}
}

var bfPeer = store.Peer{Kind: store.PeerUser, ID: ID}

// say sends text to BotFather, lets it answer and returns its replies.
func (p *person) say(text string) []store.Message {
	p.w.t.Helper()
	if _, err := p.w.c.SendMessage(p.w.t.Context(), core.Send{From: p.id, To: bfPeer, Text: text}); err != nil {
		p.w.t.Fatalf("send %q: %v", text, err)
	}
	if err := p.w.bf.Drain(p.w.t.Context()); err != nil {
		p.w.t.Fatal(err)
	}
	return p.replies()
}

// ask sends text and wants exactly one reply, which it returns.
func (p *person) ask(text string) store.Message {
	p.w.t.Helper()
	rs := p.say(text)
	if len(rs) != 1 {
		p.w.t.Fatalf("%q: %d replies, want 1: %+v", text, len(rs), rs)
	}
	return rs[0]
}

// replies returns BotFather's messages the person did not read yet.
func (p *person) replies() []store.Message {
	p.w.t.Helper()
	h, err := p.w.c.Store.Boxes().History(p.w.t.Context(), p.id, bfPeer, store.HistoryQuery{MinID: p.seen, Limit: 100})
	if err != nil {
		p.w.t.Fatal(err)
	}
	var out []store.Message
	for _, m := range h {
		p.seen = max(p.seen, m.ID)
		if !m.Out {
			out = append(out, m)
		}
	}
	return out
}

// press presses an inline button of m and returns BotFather's replies.
func (p *person) press(m store.Message, text string) []store.Message {
	p.w.t.Helper()
	var data []byte
	for _, row := range markup(m).Rows {
		for _, b := range row {
			if b.Text == text {
				data = b.Data
			}
		}
	}
	if data == nil {
		p.w.t.Fatalf("no button %q under %q", text, m.Text)
	}
	done := make(chan error, 1)
	go func() {
		_, err := p.w.c.PressButton(context.Background(), p.id, bfPeer, m.ID, data)
		done <- err
	}()
	deadline := time.After(5 * time.Second)
	for {
		if err := p.w.bf.Drain(p.w.t.Context()); err != nil {
			p.w.t.Fatal(err)
		}
		select {
		case err := <-done:
			if err != nil {
				p.w.t.Fatalf("press %q: %v", text, err)
			}
			if err := p.w.bf.Drain(p.w.t.Context()); err != nil {
				p.w.t.Fatal(err)
			}
			return p.replies()
		case <-deadline:
			p.w.t.Fatalf("press %q: no answer", text)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func markup(m store.Message) *core.ReplyMarkup {
	if mk := core.DecodeMarkup(m.ReplyMarkup); mk != nil {
		return mk
	}
	return &core.ReplyMarkup{}
}

// buttonTexts lists the buttons of m, row by row.
func buttonTexts(m store.Message) string {
	var rows []string
	for _, row := range markup(m).Rows {
		var bs []string
		for _, b := range row {
			bs = append(bs, b.Text)
		}
		rows = append(rows, strings.Join(bs, ", "))
	}
	return strings.Join(rows, " | ")
}

// wantText fails unless m's text starts with prefix.
func wantText(t *testing.T, m store.Message, prefix string) {
	t.Helper()
	if !strings.HasPrefix(m.Text, prefix) {
		t.Errorf("reply %q, want it to start with %q", m.Text, prefix)
	}
}

// tokenIn returns the token in a message: its code entity.
func tokenIn(t *testing.T, m store.Message) string {
	t.Helper()
	for _, e := range core.DecodeEntities(m.Entities) {
		if e.Type == "code" {
			return utf16Cut(m.Text, e.Offset, e.Length)
		}
	}
	t.Fatalf("no token in %q", m.Text)
	return ""
}

func utf16Cut(s string, off, n int32) string {
	var pos int32
	var b strings.Builder
	for _, r := range s {
		if pos >= off && pos < off+n {
			b.WriteRune(r)
		}
		if r >= 0x10000 {
			pos += 2
		} else {
			pos++
		}
	}
	return b.String()
}

// newBot creates a bot through the conversation and returns its token.
func (p *person) newBot(name, username string) string {
	p.w.t.Helper()
	wantText(p.w.t, p.ask("/newbot"), textNewBot)
	wantText(p.w.t, p.ask(name), "Good. Now let's choose a username")
	m := p.ask(username)
	wantText(p.w.t, m, fmt.Sprintf("Done! Congratulations on your new bot. You will find it at t.me/%s.", username))
	return tokenIn(p.w.t, m)
}
