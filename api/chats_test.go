package api

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

func TestServiceMessage(t *testing.T) {
	base := store.Message{OwnerID: 1, ID: 7, Peer: store.Peer{Kind: store.PeerChat, ID: 100000}, FromID: 2,
		Date: time.Unix(1700000000, 0)}
	for _, tt := range []struct {
		action core.Action
		want   tg.MessageActionClass
	}{
		{core.Action{Type: core.ActionChatCreate, Title: "G", Users: []int64{2, 3}},
			&tg.MessageActionChatCreate{Title: "G", Users: []int64{2, 3}}},
		{core.Action{Type: core.ActionChatAddUser, Users: []int64{4}}, &tg.MessageActionChatAddUser{Users: []int64{4}}},
		{core.Action{Type: core.ActionChatDeleteUser, UserID: 4}, &tg.MessageActionChatDeleteUser{UserID: 4}},
		{core.Action{Type: core.ActionChatEditTitle, Title: "T"}, &tg.MessageActionChatEditTitle{Title: "T"}},
		{core.Action{Type: core.ActionChatJoinedByLink, InviterID: 2}, &tg.MessageActionChatJoinedByLink{InviterID: 2}},
		{core.Action{Type: "unknown"}, &tg.MessageActionEmpty{}},
	} {
		m := base
		m.Action = core.EncodeAction(tt.action)
		got, ok := message(m).(*tg.MessageService)
		if !ok {
			t.Fatalf("%s: not a service message", tt.action.Type)
		}
		if got.ID != 7 || got.Date != 1700000000 || got.Out {
			t.Errorf("%s: header %+v", tt.action.Type, got)
		}
		if p, ok := got.PeerID.(*tg.PeerChat); !ok || p.ChatID != 100000 {
			t.Errorf("%s: peer %v", tt.action.Type, got.PeerID)
		}
		if f, ok := got.FromID.(*tg.PeerUser); !ok || f.UserID != 2 {
			t.Errorf("%s: from %v", tt.action.Type, got.FromID)
		}
		if got.Action.TypeID() != tt.want.TypeID() {
			t.Errorf("%s: action %T, want %T", tt.action.Type, got.Action, tt.want)
		}
	}
	m := base
	m.Action = []byte("not json")
	if got, ok := message(m).(*tg.MessageService); !ok || got.Action.TypeID() != (&tg.MessageActionEmpty{}).TypeID() {
		t.Errorf("broken action gives %+v", got)
	}
	if got := actionUsers(core.EncodeAction(core.Action{Type: core.ActionChatCreate, Users: []int64{2, 3}, UserID: 5})); !slices.Equal(got, []int64{2, 3, 5}) {
		t.Errorf("actionUsers = %v", got)
	}
}

func TestRightsConversion(t *testing.T) {
	in := tg.ChatBannedRights{SendPlain: true, InviteUsers: true, ChangeInfo: true}
	r := coreRights(in)
	if !r.SendMessages || !r.InviteUsers || !r.ChangeInfo || r.SendMedia {
		t.Errorf("coreRights = %+v", r)
	}
	if back := coreRights(tgRights(r)); back != r {
		t.Errorf("round trip %+v", back)
	}
}

func TestChatInputs(t *testing.T) {
	h := &chats{cfg: privacyTestConfig()}
	const me, other = 1000, 2000
	hash := h.cfg.Core.AccessHash("user", me, other)
	for _, tt := range []struct {
		in   tg.InputUserClass
		id   int64
		want error
	}{
		{&tg.InputUserSelf{}, me, nil},
		{&tg.InputUser{UserID: other, AccessHash: hash}, other, nil},
		{&tg.InputUser{UserID: other, AccessHash: hash ^ 1}, 0, core.ErrUserIDInvalid},
		{&tg.InputUserEmpty{}, 0, core.ErrUserIDInvalid},
	} {
		id, err := h.userID(t.Context(), me, tt.in)
		if id != tt.id || !errors.Is(err, tt.want) {
			t.Errorf("userID(%T) = %d, %v; want %d, %v", tt.in, id, err, tt.id, tt.want)
		}
	}
	if id, err := chatID(&tg.InputPeerChat{ChatID: 5}); id != 5 || err != nil {
		t.Errorf("chatID = %d, %v", id, err)
	}
	if _, err := chatID(&tg.InputPeerSelf{}); !errors.Is(err, core.ErrPeerIDInvalid) {
		t.Errorf("chatID(self) err %v", err)
	}
}
