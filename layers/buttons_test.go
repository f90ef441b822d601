package layers_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/roostchat/roost/layers"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// inLayer writes o for layer n and reads it back as an old client's
// object.
func inLayer(t *testing.T, o tl.Object, n int) (tl.Object, []byte) {
	t.Helper()
	l := layers.For(n)
	b, err := tl.EncodeLayer(o, l)
	if err != nil {
		t.Fatalf("layer %d: encode %T: %v", n, o, err)
	}
	d := tl.NewDecoder(b, tg.New)
	d.Layer = l
	back := d.Object()
	if err := d.Err(); err != nil || d.Len() != 0 {
		t.Fatalf("layer %d: decode %T: %v (%d bytes left)\n%x", n, o, err, d.Len(), b)
	}
	again, err := tl.EncodeLayer(back, l)
	if err != nil || !bytes.Equal(again, b) {
		t.Fatalf("layer %d: what was read is written differently (%v):\n%x\n%x", n, err, b, again)
	}
	return back, b
}

// sameCanonical compares canonical objects by their canonical bytes: the
// flags words they keep may differ, what they say may not.
func sameCanonical(t *testing.T, n int, got, want tl.Object) {
	t.Helper()
	gb, err1 := tl.Encode(got)
	wb, err2 := tl.Encode(want)
	if err1 != nil || err2 != nil || !bytes.Equal(gb, wb) {
		t.Errorf("layer %d: read back (%v, %v)\n got %x\nwant %x\n%#v", n, err1, err2, gb, wb, got)
	}
}

func inline(text string, typ tg.InlineButtonTypeClass) tg.KeyboardInlineButton {
	return tg.KeyboardInlineButton{Text: text, Type: typ}
}

// A bot's inline keyboard reaches older layers button by button in their
// own constructors and reads back the same; what a layer cannot say is
// dropped as docs/layers.md lists.
func TestInlineKeyboardLayers(t *testing.T) {
	style := &tg.KeyboardButtonStyle{BgDanger: true}
	peerTypes := []tg.InlineQueryPeerTypeClass{&tg.InlineQueryPeerTypePM{}}
	markup := func(n int) *tg.ReplyInlineMarkup {
		sw := &tg.InlineButtonTypeSwitchInline{Query: "q", PeerTypes: peerTypes}
		cp := tg.InlineButtonTypeClass(&tg.InlineButtonTypeCopy{CopyText: "promo"})
		st := style
		if n >= 0 && n < 228 {
			st = nil // buttons have a style from layer 228
		}
		if n >= 0 && n < 170 {
			sw.PeerTypes = nil // from layer 170
		}
		if n >= 0 && n < 198 {
			cp = &tg.InlineButtonTypeDisabled{} // keyboardButtonCopy is from layer 198
		}
		press := inline("Press", &tg.InlineButtonTypeCallback{RequiresPassword: true, Data: []byte("p1")})
		press.Style = st
		return &tg.ReplyInlineMarkup{Rows: []tg.KeyboardInlineButtonRow{
			{Buttons: []tg.KeyboardInlineButton{press, inline("Site", &tg.InlineButtonTypeUrl{URL: "https://example.org"})}},
			{Buttons: []tg.KeyboardInlineButton{
				inline("Here", &tg.InlineButtonTypeSwitchInline{SamePeer: true, Query: "x"}),
				inline("Share", sw),
			}},
			{Buttons: []tg.KeyboardInlineButton{
				inline("Play", &tg.InlineButtonTypeGame{}), inline("Pay", &tg.InlineButtonTypeBuy{}),
				inline("Login", &tg.InlineButtonTypeUrlAuth{FwdText: "fwd", URL: "https://a.example", ButtonID: 3}),
				inline("Bob", &tg.InlineButtonTypeUserProfile{UserID: 42}),
				inline("App", &tg.InlineButtonTypeWebView{URL: "https://app.example"}),
				inline("Copy", cp),
				inline("Off", &tg.InlineButtonTypeDisabled{}),
			}},
			{},
		}}
	}
	for _, n := range layers.Known() {
		back, b := inLayer(t, markup(-1), n)
		if id := tl.Uint32Of(b); id != 0x48a30254 {
			t.Errorf("layer %d: replyInlineMarkup written as %#08x", n, id)
		}
		sameCanonical(t, n, back, markup(n))
		got := back.(*tg.ReplyInlineMarkup).Rows[0].Buttons[0]
		if cb, ok := got.Type.(*tg.InlineButtonTypeCallback); !ok || string(cb.Data) != "p1" || got.Text != "Press" {
			t.Errorf("layer %d: callback button read back as %+v", n, got)
		}
	}
}

// Reply keyboards keep keyboardButtonRow (the same in every layer); their
// buttons are the layer's.
func TestReplyKeyboardLayers(t *testing.T) {
	markup := func(n int) *tg.ReplyKeyboardMarkup {
		buttons := []tg.KeyboardButton{
			{Text: "Hi", Type: &tg.ButtonTypeDefault{}},
			{Text: "Phone", Type: &tg.ButtonTypeRequestPhone{}},
			{Text: "Where", Type: &tg.ButtonTypeRequestGeoLocation{}},
			{Text: "Quiz", Type: &tg.ButtonTypeRequestPoll{Quiz: true, Flags: 1}},
			{Text: "App", Type: &tg.ButtonTypeSimpleWebView{URL: "https://app.example"}},
			{Text: "Chat", Type: &tg.ButtonTypeRequestPeer{ButtonID: 1, PeerType: &tg.RequestPeerTypeUser{}, MaxQuantity: 1}},
		}
		if n >= 0 && n < 170 {
			buttons[5].Type = &tg.ButtonTypeDefault{} // keyboardButtonRequestPeer is from layer 170
		}
		return &tg.ReplyKeyboardMarkup{Resize: true, Rows: []tg.KeyboardButtonRow{{Buttons: buttons[:3]}, {Buttons: buttons[3:]}}}
	}
	for _, n := range layers.Known() {
		back, _ := inLayer(t, markup(-1), n)
		sameCanonical(t, n, back, markup(n))
	}
	// The layer's own constructors on the wire.
	l := layers.For(170)
	for _, c := range []struct {
		b  tl.Object
		id uint32
	}{
		{&tg.KeyboardButton{Text: "Phone", Type: &tg.ButtonTypeRequestPhone{}}, 0xb16a6c29},
		{&tg.KeyboardButton{Text: "Hi", Type: &tg.ButtonTypeDefault{}}, 0xa2fa4880},
		{&tg.KeyboardInlineButton{Text: "Press", Type: &tg.InlineButtonTypeCallback{Data: []byte("p1")}}, 0x35bbdb6b},
		{&tg.KeyboardInlineButton{Text: "Copy", Type: &tg.InlineButtonTypeCopy{CopyText: "x"}}, 0xa2fa4880},
	} {
		b, err := tl.EncodeLayer(c.b, l)
		if err != nil || tl.Uint32Of(b) != c.id {
			t.Errorf("%+v in layer 170: %x %v, want constructor %#08x", c.b, b, err, c.id)
		}
	}
}

// A message a bot sent with a keyboard, as a layer-170 client gets it in
// updates and history.
func TestMessageWithKeyboard(t *testing.T) {
	msg := &tg.Message{ID: 5, PeerID: &tg.PeerUser{UserID: 2}, FromID: &tg.PeerUser{UserID: 7}, Date: 1, Message: "choose",
		ReplyMarkup: &tg.ReplyInlineMarkup{Rows: []tg.KeyboardInlineButtonRow{{Buttons: []tg.KeyboardInlineButton{
			inline("Press", &tg.InlineButtonTypeCallback{Data: []byte("p1")})}}}}}
	for _, n := range []int{144, 170} {
		back, _ := inLayer(t, msg, n)
		m, ok := back.(*tg.Message)
		if !ok {
			t.Fatalf("layer %d: %T", n, back)
		}
		rm, _ := m.ReplyMarkup.(*tg.ReplyInlineMarkup)
		if rm == nil || len(rm.Rows) != 1 || len(rm.Rows[0].Buttons) != 1 {
			t.Fatalf("layer %d: reply markup %#v", n, m.ReplyMarkup)
		}
		if cb, _ := rm.Rows[0].Buttons[0].Type.(*tg.InlineButtonTypeCallback); cb == nil || string(cb.Data) != "p1" {
			t.Errorf("layer %d: button %+v", n, rm.Rows[0].Buttons[0])
		}
	}
}

// What an old bot sends in a reply markup, byte by byte as layer 170
// writes it, reads into the canonical form; a button of the other kind
// of keyboard is refused.
func TestOldClientMarkup(t *testing.T) {
	l := layers.For(170)
	var e tl.Encoder
	e.Uint32(0x48a30254) // replyInlineMarkup
	e.VectorHeader(1)
	e.Uint32(0x77608b83) // keyboardButtonRow
	e.VectorHeader(2)
	e.Uint32(0x35bbdb6b) // keyboardButtonCallback
	e.Uint32(0)
	e.String("Press")
	e.Blob([]byte("p1"))
	e.Uint32(0x258aff05) // keyboardButtonUrl
	e.String("Site")
	e.String("https://example.org")
	inlineBytes := e.Bytes()
	d := tl.NewDecoder(inlineBytes, tg.New)
	d.Layer = l
	got := d.Object()
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	sameCanonical(t, 170, got, &tg.ReplyInlineMarkup{Rows: []tg.KeyboardInlineButtonRow{{Buttons: []tg.KeyboardInlineButton{
		inline("Press", &tg.InlineButtonTypeCallback{Data: []byte("p1")}),
		inline("Site", &tg.InlineButtonTypeUrl{URL: "https://example.org"}),
	}}}})

	wrong := func(what string, build func(e *tl.Encoder)) {
		var e tl.Encoder
		build(&e)
		d := tl.NewDecoder(e.Bytes(), tg.New)
		d.Layer = l
		d.Object()
		var uce *tl.UnexpectedConstructorError
		if !errors.As(d.Err(), &uce) {
			t.Errorf("%s: %v, want UnexpectedConstructorError", what, d.Err())
		}
	}
	wrong("request-phone button in an inline keyboard", func(e *tl.Encoder) {
		e.Uint32(0x48a30254)
		e.VectorHeader(1)
		e.Uint32(0x77608b83)
		e.VectorHeader(1)
		e.Uint32(0xb16a6c29)
		e.String("Phone")
	})
	wrong("callback button in a reply keyboard", func(e *tl.Encoder) {
		e.Uint32(0x85dd99d1) // replyKeyboardMarkup
		e.Uint32(0)
		e.VectorHeader(1)
		e.Uint32(0x77608b83)
		e.VectorHeader(1)
		e.Uint32(0x35bbdb6b)
		e.Uint32(0)
		e.String("Press")
		e.Blob([]byte("p1"))
	})
}
