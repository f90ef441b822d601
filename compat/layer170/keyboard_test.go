package layer170_test

import (
	"testing"

	gotd "github.com/gotd/td/tg"

	"github.com/roostchat/roost/tg"
)

// A bot's message with an inline keyboard, as layer 229 holds it and as
// gotd v0.93.0 writes the same in layer 170: one constructor per kind of
// button. A copy button (from layer 198) is shown as a text button; the
// style of layer 228 is left out.
func TestValueInlineKeyboard(t *testing.T) {
	btn := func(text string, typ tg.InlineButtonTypeClass) tg.KeyboardInlineButton {
		return tg.KeyboardInlineButton{Text: text, Type: typ}
	}
	press := btn("Press", &tg.InlineButtonTypeCallback{Data: []byte("p1")})
	press.Style = &tg.KeyboardButtonStyle{BgPrimary: true}
	r := roostMessage(2, nil)
	r.ReplyMarkup = &tg.ReplyInlineMarkup{Rows: []tg.KeyboardInlineButtonRow{
		{Buttons: []tg.KeyboardInlineButton{press, btn("Site", &tg.InlineButtonTypeUrl{URL: "https://example.org"})}},
		{Buttons: []tg.KeyboardInlineButton{
			btn("Share", &tg.InlineButtonTypeSwitchInline{Query: "q", PeerTypes: []tg.InlineQueryPeerTypeClass{&tg.InlineQueryPeerTypePM{}}}),
			btn("Here", &tg.InlineButtonTypeSwitchInline{SamePeer: true, Query: "x"}),
			btn("Bob", &tg.InlineButtonTypeUserProfile{UserID: 42}),
			btn("Copy", &tg.InlineButtonTypeCopy{CopyText: "promo"}),
		}},
	}}
	g := gotdMessage(2, nil)
	g.ReplyMarkup = &gotd.ReplyInlineMarkup{Rows: []gotd.KeyboardButtonRow{
		{Buttons: []gotd.KeyboardButtonClass{
			&gotd.KeyboardButtonCallback{Text: "Press", Data: []byte("p1")},
			&gotd.KeyboardButtonURL{Text: "Site", URL: "https://example.org"},
		}},
		{Buttons: []gotd.KeyboardButtonClass{
			&gotd.KeyboardButtonSwitchInline{Text: "Share", Query: "q", PeerTypes: []gotd.InlineQueryPeerTypeClass{&gotd.InlineQueryPeerTypePM{}}},
			&gotd.KeyboardButtonSwitchInline{SamePeer: true, Text: "Here", Query: "x"},
			&gotd.KeyboardButtonUserProfile{Text: "Bob", UserID: 42},
			&gotd.KeyboardButton{Text: "Copy"},
		}},
	}}
	gg, rr := pair(t, r, g)
	gm := gg.(*gotd.Message).ReplyMarkup.(*gotd.ReplyInlineMarkup)
	if cb, ok := gm.Rows[0].Buttons[0].(*gotd.KeyboardButtonCallback); !ok || string(cb.Data) != "p1" {
		t.Errorf("gotd read %#v", gm.Rows[0].Buttons[0])
	}
	rm := rr.(*tg.Message).ReplyMarkup.(*tg.ReplyInlineMarkup)
	if cb, ok := rm.Rows[0].Buttons[0].Type.(*tg.InlineButtonTypeCallback); !ok || string(cb.Data) != "p1" {
		t.Errorf("Roost read %#v", rm.Rows[0].Buttons[0])
	}
	if _, ok := rm.Rows[1].Buttons[3].Type.(*tg.InlineButtonTypeDisabled); !ok {
		t.Errorf("an inline keyboard's text button read as %#v", rm.Rows[1].Buttons[3])
	}
}

// A reply keyboard keeps its rows; its buttons are the layer's.
func TestValueReplyKeyboard(t *testing.T) {
	r := &tg.ReplyKeyboardMarkup{Resize: true, SingleUse: true, Placeholder: "pick", Rows: []tg.KeyboardButtonRow{
		{Buttons: []tg.KeyboardButton{{Text: "Hi", Type: &tg.ButtonTypeDefault{}}, {Text: "Phone", Type: &tg.ButtonTypeRequestPhone{}}}},
		{Buttons: []tg.KeyboardButton{{Text: "Where", Type: &tg.ButtonTypeRequestGeoLocation{}},
			{Text: "Quiz", Type: &tg.ButtonTypeRequestPoll{Quiz: true}},
			{Text: "App", Type: &tg.ButtonTypeSimpleWebView{URL: "https://app.example"}}}},
	}}
	g := &gotd.ReplyKeyboardMarkup{Resize: true, SingleUse: true, Placeholder: "pick", Rows: []gotd.KeyboardButtonRow{
		{Buttons: []gotd.KeyboardButtonClass{&gotd.KeyboardButton{Text: "Hi"}, &gotd.KeyboardButtonRequestPhone{Text: "Phone"}}},
		{Buttons: []gotd.KeyboardButtonClass{&gotd.KeyboardButtonRequestGeoLocation{Text: "Where"},
			&gotd.KeyboardButtonRequestPoll{Text: "Quiz", Quiz: true},
			&gotd.KeyboardButtonSimpleWebView{Text: "App", URL: "https://app.example"}}},
	}}
	g.SetFlags()
	g.Rows[1].Buttons[1].(*gotd.KeyboardButtonRequestPoll).SetQuiz(true)
	_, rr := pair(t, r, g)
	rk := rr.(*tg.ReplyKeyboardMarkup)
	if _, ok := rk.Rows[0].Buttons[1].Type.(*tg.ButtonTypeRequestPhone); !ok || rk.Placeholder != "pick" {
		t.Errorf("Roost read %#v", rk)
	}
	if p, ok := rk.Rows[1].Buttons[1].Type.(*tg.ButtonTypeRequestPoll); !ok || !p.Quiz {
		t.Errorf("Roost read %#v", rk.Rows[1].Buttons[1])
	}
}
