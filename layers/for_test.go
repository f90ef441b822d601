package layers

import (
	"errors"
	"testing"

	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

func TestFor(t *testing.T) {
	known := Known()
	if len(known) == 0 || known[len(known)-1] >= Canonical {
		t.Fatalf("known layers %v, canonical %d", known, Canonical)
	}
	for _, c := range []struct{ in, want int }{
		{Canonical, 0}, {Canonical + 10, 0},
		{170, 170}, {175, 170}, {197, 170}, {198, 198}, {1, known[0]},
	} {
		l := For(c.in)
		got := 0
		if l != nil {
			got = l.N()
		}
		if got != c.want {
			t.Errorf("For(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}

// A canonical constructor a layer cannot show is refused with a typed
// error, never written in a form the old client cannot parse.
func TestLacks(t *testing.T) {
	l := For(144)
	var lacking tl.TypeInfo
	for _, ti := range tg.Types {
		if !ti.Function && l.Lacks(ti.ID) {
			lacking = ti
			break
		}
	}
	if lacking.ID == 0 {
		t.Skip("layer 144 lacks nothing")
	}
	_, err := tl.EncodeLayer(tg.New(lacking.ID), l)
	var ue *UnsupportedError
	if !errors.As(err, &ue) || ue.ID != lacking.ID || ue.Layer != 144 {
		t.Errorf("encode %s in layer 144: %v, want UnsupportedError", lacking.Name, err)
	}
}

// Poll questions were plain strings before TextWithEntities: the hand rule
// carries the text both ways.
func TestPollQuestionText(t *testing.T) {
	l := For(170)
	poll := &tg.Poll{ID: 7, Question: tg.TextWithEntities{Text: "Lunch?"},
		Answers: []tg.PollAnswerClass{&tg.PollAnswer{Text: tg.TextWithEntities{Text: "Yes"}, Option: []byte{1}}}}
	b, err := tl.EncodeLayer(poll, l)
	if err != nil {
		t.Fatal(err)
	}
	d := tl.NewDecoder(b, tg.New)
	d.Layer = l
	back, ok := d.Object().(*tg.Poll)
	if !ok || d.Err() != nil {
		t.Fatalf("decode: %T %v", back, d.Err())
	}
	a, _ := back.Answers[0].(*tg.PollAnswer)
	if back.Question.Text != "Lunch?" || a == nil || a.Text.Text != "Yes" || back.ID != 7 {
		t.Errorf("poll after layer 170: %+v", back)
	}
}
