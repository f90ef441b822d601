package gen

import (
	"bytes"
	"strings"
	"testing"

	"github.com/roostchat/roost/tl/schema"
)

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"auth.sentCode":          "AuthSentCode",
		"msg_ids":                "MsgIDs",
		"p_q_inner_data_temp_dc": "PQInnerDataTempDC",
		"user_id":                "UserID",
		"type_id":                "TypeID_", // would shadow the method
		"messages.getHistory":    "MessagesGetHistory",
		"url":                    "URL",
	} {
		got := goName(in)
		if in == "type_id" {
			got = fieldName(in)
		}
		if got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
}

const small = `
boolFalse#bc799737 = Bool;
boolTrue#997275b5 = Bool;
true#3fedd339 = True;
peerUser#59511722 user_id:long = Peer;
peerChat#36c6019a chat_id:long = Peer;
textWithEntities#751f3146 text:string entities:Vector<MessageEntity> = TextWithEntities;
messageEntityBold#bd610bc9 offset:int length:int = MessageEntity;
poll#1 id:long flags:# closed:flags.0?true question:TextWithEntities answers:Vector<PollAnswer> = Poll;
pollAnswer#2 text:TextWithEntities option:bytes = PollAnswer;
messageMediaEmpty#3ded6320 = MessageMedia;
messageMediaPoll#4 poll:Poll = MessageMedia;
messageMediaNew#5 flags:# x:flags.0?int = MessageMedia;
---functions---
test.get#6 peer:Peer = Poll;
`

const older = `
boolFalse#bc799737 = Bool;
boolTrue#997275b5 = Bool;
true#3fedd339 = True;
peerUser#59511722 user_id:long = Peer;
peerChat#36c6019a chat_id:long = Peer;
poll#11 id:long flags:# closed:flags.0?true question:string answers:Vector<PollAnswer> = Poll;
pollAnswer#12 text:string option:bytes = PollAnswer;
messageMediaEmpty#3ded6320 = MessageMedia;
messageMediaUnsupported#9f84f49e = MessageMedia;
messageMediaPoll#4 poll:Poll = MessageMedia;
---functions---
test.get#6 peer:Peer = Poll;
test.gone#7 = Bool;
`

func parse(t *testing.T, text string) []*schema.Definition {
	t.Helper()
	s, err := schema.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return s.Definitions
}

func TestPackageModel(t *testing.T) {
	p, err := NewPackage("x", parse(t, small))
	if err != nil {
		t.Fatal(err)
	}
	poll := p.Lookup("poll")
	if got := poll.Fields[2].Type; got.Kind != KTrue {
		t.Errorf("closed: kind %v, want true flag", got.Kind)
	}
	if got := poll.Fields[3].Type; got.Kind != KValue || got.Name != "TextWithEntities" {
		t.Errorf("question: %+v, want TextWithEntities by value", got)
	}
	if got := p.Lookup("messageMediaPoll").Fields[0].Type; got.Kind != KValue {
		t.Errorf("poll field: %v", got.Kind)
	}
	if got := p.Lookup("peerUser").Class.GoName; got != "PeerClass" {
		t.Errorf("Peer interface named %q", got)
	}
}

// Generating twice gives the same bytes: generated code is reproducible.
func TestFilesDeterministic(t *testing.T) {
	gen := func() map[string][]byte {
		p, err := NewPackage("x", parse(t, small))
		if err != nil {
			t.Fatal(err)
		}
		f, err := p.Files("small.tl")
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	a, b := gen(), gen()
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d vs %d files", len(a), len(b))
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between runs", name)
		}
	}
	if !strings.Contains(string(a["server_gen.go"]), "func (s *Server) OnTestGet(") {
		t.Error("dispatcher lacks OnTestGet")
	}
}

func TestAdapterStats(t *testing.T) {
	canon, err := NewPackage("tg", parse(t, small))
	if err != nil {
		t.Fatal(err)
	}
	old, err := NewPackage("layer", parse(t, older))
	if err != nil {
		t.Fatal(err)
	}
	a := NewAdapter(1, canon, old)
	src, err := a.Source()
	if err != nil {
		t.Fatal(err)
	}
	s := a.Stats
	// poll and pollAnswer changed id: mapped by the string↔TextWithEntities rule.
	if s.HandCtors != 2 {
		t.Errorf("hand-converted constructors = %d, want 2 (poll, pollAnswer)", s.HandCtors)
	}
	// messageMediaNew is written as messageMediaUnsupported; the canonical
	// textWithEntities and messageEntityBold have no form and no substitute.
	if s.Substituted != 1 || s.MissingCanon != 2 {
		t.Errorf("substituted %d, missing %d; want 1 and 2", s.Substituted, s.MissingCanon)
	}
	if s.GoneFuncs != 1 || s.SameFuncs != 1 {
		t.Errorf("functions: gone %d same %d, want 1 and 1", s.GoneFuncs, s.SameFuncs)
	}
	code := string(src)
	for _, want := range []string{"case *tg.MessageMediaNew:", "e.Uint32(0x9f84f49e)", "e.String(m.Question.Text)", "tg.TextWithEntities{Text: d.String()}"} {
		if !strings.Contains(code, want) {
			t.Errorf("adapter lacks %q", want)
		}
	}
}

const buttons = `
boolFalse#bc799737 = Bool;
boolTrue#997275b5 = Bool;
true#3fedd339 = True;
keyboardButtonStyle#4fdd3430 flags:# bg_primary:flags.0?true icon:flags.3?long = KeyboardButtonStyle;
buttonTypeDefault#c9dd90e9 = ButtonType;
buttonTypeRequestPhone#df3d36f9 = ButtonType;
inlineButtonTypeCallback#2955bc38 flags:# requires_password:flags.0?true data:bytes = InlineButtonType;
inlineButtonTypeCopy#b41d3272 copy_text:string = InlineButtonType;
inlineButtonTypeDisabled#a438619d = InlineButtonType;
keyboardButton#2f67a72f flags:# style:flags.10?KeyboardButtonStyle text:string type:ButtonType = KeyboardButton;
keyboardButtonRow#77608b83 buttons:Vector<KeyboardButton> = KeyboardButtonRow;
keyboardInlineButton#11c1a322 flags:# style:flags.10?KeyboardButtonStyle text:string type:InlineButtonType = KeyboardInlineButton;
keyboardInlineButtonRow#19420af6 buttons:Vector<KeyboardInlineButton> = KeyboardInlineButtonRow;
replyKeyboardMarkup#85dd99d1 flags:# resize:flags.0?true rows:Vector<KeyboardButtonRow> = ReplyMarkup;
replyInlineMarkup#b2b15770 flags:# force_reply:flags.5?true rows:Vector<KeyboardInlineButtonRow> = ReplyMarkup;
`

const olderButtons = `
boolFalse#bc799737 = Bool;
boolTrue#997275b5 = Bool;
true#3fedd339 = True;
keyboardButton#a2fa4880 text:string = KeyboardButton;
keyboardButtonCallback#35bbdb6b flags:# requires_password:flags.0?true text:string data:bytes = KeyboardButton;
keyboardButtonRequestPhone#b16a6c29 text:string = KeyboardButton;
keyboardButtonRow#77608b83 buttons:Vector<KeyboardButton> = KeyboardButtonRow;
replyKeyboardMarkup#85dd99d1 flags:# resize:flags.0?true rows:Vector<KeyboardButtonRow> = ReplyMarkup;
replyInlineMarkup#48a30254 rows:Vector<KeyboardButtonRow> = ReplyMarkup;
`

// The button constructors of an older layer fold into a canonical button
// and its type; inline rows are retyped; a type the layer lacks is written
// as the plain button and reported.
func TestAdapterButtons(t *testing.T) {
	canon, err := NewPackage("tg", parse(t, buttons))
	if err != nil {
		t.Fatal(err)
	}
	old, err := NewPackage("layer", parse(t, olderButtons))
	if err != nil {
		t.Fatal(err)
	}
	a := NewAdapter(1, canon, old)
	src, err := a.Source()
	if err != nil {
		t.Fatal(err)
	}
	s := a.Stats
	// keyboardButton, keyboardButtonCallback, keyboardButtonRequestPhone
	// and replyInlineMarkup (its rows); none of them gone.
	if s.HandCtors != 4 || s.GoneCtors != 0 || s.LossyCtors != 0 {
		t.Errorf("hand %d, gone %d, lossy %d; want 4, 0, 0", s.HandCtors, s.GoneCtors, s.LossyCtors)
	}
	// The style and the five button types cannot stand alone; the inline
	// button and its row are written as the layer's.
	if s.MissingCanon != 6 || s.Substituted != 0 {
		t.Errorf("missing %d, substituted %d; want 6 and 0", s.MissingCanon, s.Substituted)
	}
	if got := strings.Join(s.Lossy, " "); got != "keyboardInlineButton.type:inlineButtonTypeCopy" {
		t.Errorf("lossy %q", got)
	}
	code := string(src)
	for _, want := range []string{
		"case *tg.KeyboardInlineButton:\nswitch t := m.Type.(type) {",
		"case *tg.InlineButtonTypeCallback:\ne.Uint32(0x35bbdb6b)",
		"case *tg.ButtonTypeRequestPhone:\ne.Uint32(0xb16a6c29)",
		"case *tg.KeyboardInlineButtonRow:\ne.Uint32(0x77608b83)",
		"read1KeyboardInlineButtonRow(d, &m.Rows[i])",
		"read1KeyboardInlineButton(d, &m.Buttons[i])",
		"case 0xa2fa4880:\no = dec1KeyboardButtonAsKeyboardInlineButton(d)",
		"case 0xa2fa4880:\nreturn dec1KeyboardButton\n",
		"t := new(tg.InlineButtonTypeCallback)",
	} {
		if !strings.Contains(strings.ReplaceAll(code, "\t", ""), want) {
			t.Errorf("adapter lacks %q", want)
		}
	}
	var b strings.Builder
	buttonReport(&b, []*Adapter{a})
	if !strings.Contains(b.String(), "| keyboardButtonCallback | keyboardInlineButton + inlineButtonTypeCallback | ✓ |") {
		t.Errorf("report:\n%s", b.String())
	}
}
