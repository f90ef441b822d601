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
