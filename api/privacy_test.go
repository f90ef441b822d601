package api

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store/memory"
	"github.com/roostchat/roost/tg"
)

func privacyTestConfig() Config {
	st := memory.New()
	return Config{Store: st, Core: &core.Core{Store: st, Secret: []byte("0123456789abcdef")}}
}

func TestPrivacyKeysHaveDefaults(t *testing.T) {
	keys := []tg.InputPrivacyKeyClass{
		&tg.InputPrivacyKeyStatusTimestamp{}, &tg.InputPrivacyKeyPhoneNumber{}, &tg.InputPrivacyKeyAddedByPhone{},
		&tg.InputPrivacyKeyChatInvite{}, &tg.InputPrivacyKeyPhoneCall{}, &tg.InputPrivacyKeyPhoneP2P{},
		&tg.InputPrivacyKeyForwards{}, &tg.InputPrivacyKeyProfilePhoto{}, &tg.InputPrivacyKeyVoiceMessages{},
		&tg.InputPrivacyKeyAbout{}, &tg.InputPrivacyKeyBirthday{}, &tg.InputPrivacyKeyStarGiftsAutoSave{},
		&tg.InputPrivacyKeyNoPaidMessages{}, &tg.InputPrivacyKeySavedMusic{},
	}
	seen := map[core.PrivacyKey]bool{}
	for _, k := range keys {
		key, err := privacyKey(k)
		if err != nil {
			t.Errorf("%T: %v", k, err)
			continue
		}
		if seen[key] {
			t.Errorf("%T: key %s used twice", k, key)
		}
		seen[key] = true
		if _, ok := core.DefaultPrivacy(key); !ok {
			t.Errorf("%T: key %s has no default", k, key)
		}
	}
	if _, err := privacyKey(nil); !errors.Is(err, core.ErrPrivacyKeyInvalid) {
		t.Errorf("no key: %v", err)
	}
}

// TestPrivacyRuleConversion checks that each inputPrivacyValueX becomes
// the core rule that converts back to privacyValueX.
func TestPrivacyRuleConversion(t *testing.T) {
	h := &privacy{cfg: privacyTestConfig()}
	const me, other = 1000, 2000
	otherIn := &tg.InputUser{UserID: other, AccessHash: h.cfg.Core.AccessHash("user", me, other)}
	ins := []tg.InputPrivacyRuleClass{
		&tg.InputPrivacyValueAllowAll{}, &tg.InputPrivacyValueAllowContacts{}, &tg.InputPrivacyValueAllowCloseFriends{},
		&tg.InputPrivacyValueAllowPremium{}, &tg.InputPrivacyValueAllowBots{},
		&tg.InputPrivacyValueAllowUsers{Users: []tg.InputUserClass{otherIn, &tg.InputUserSelf{}}},
		&tg.InputPrivacyValueAllowChatParticipants{Chats: []int64{7}},
		&tg.InputPrivacyValueDisallowAll{}, &tg.InputPrivacyValueDisallowContacts{}, &tg.InputPrivacyValueDisallowBots{},
		&tg.InputPrivacyValueDisallowUsers{Users: []tg.InputUserClass{otherIn}},
		&tg.InputPrivacyValueDisallowChatParticipants{Chats: []int64{8}},
	}
	for _, in := range ins {
		r, err := h.ruleIn(me, in)
		if err != nil {
			t.Errorf("%T: %v", in, err)
			continue
		}
		out := ruleOut(r)
		inName, outName := tg.Types.Name(in.TypeID()), tg.Types.Name(out.TypeID())
		if strings.TrimPrefix(inName, "inputP") != strings.TrimPrefix(outName, "p") {
			t.Errorf("%s became %s", inName, outName)
		}
	}
	r, _ := h.ruleIn(me, ins[5])
	if len(r.Users) != 2 || r.Users[0] != other || r.Users[1] != me {
		t.Errorf("users of allow users: %v", r.Users)
	}
	bad := &tg.InputPrivacyValueAllowUsers{Users: []tg.InputUserClass{&tg.InputUser{UserID: other, AccessHash: otherIn.AccessHash + 1}}}
	if _, err := h.ruleIn(me, bad); !errors.Is(err, core.ErrUserIDInvalid) {
		t.Errorf("wrong access hash: %v", err)
	}
	empty := &tg.InputPrivacyValueDisallowUsers{Users: []tg.InputUserClass{&tg.InputUserEmpty{}}}
	if _, err := h.ruleIn(me, empty); !errors.Is(err, core.ErrUserIDInvalid) {
		t.Errorf("empty user: %v", err)
	}
	if _, err := h.ruleIn(me, nil); !errors.Is(err, core.ErrPrivacyValueInvalid) {
		t.Errorf("no rule: %v", err)
	}
}

func TestStatusConversion(t *testing.T) {
	at := time.Unix(1700000000, 0)
	for _, tt := range []struct {
		in   core.Status
		want tg.UserStatusClass
	}{
		{core.Status{}, &tg.UserStatusEmpty{}},
		{core.Status{Kind: core.StatusOnline, Expires: at}, &tg.UserStatusOnline{Expires: 1700000000}},
		{core.Status{Kind: core.StatusOffline, WasOnline: at}, &tg.UserStatusOffline{WasOnline: 1700000000}},
		{core.Status{Kind: core.StatusRecently, ByMe: true}, &tg.UserStatusRecently{ByMe: true}},
		{core.Status{Kind: core.StatusLastWeek}, &tg.UserStatusLastWeek{}},
		{core.Status{Kind: core.StatusLastMonth, ByMe: true}, &tg.UserStatusLastMonth{ByMe: true}},
	} {
		got := status(tt.in)
		if got.TypeID() != tt.want.TypeID() || !sameStatus(got, tt.want) {
			t.Errorf("status(%+v) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func sameStatus(a, b tg.UserStatusClass) bool {
	switch a := a.(type) {
	case *tg.UserStatusOnline:
		return a.Expires == b.(*tg.UserStatusOnline).Expires
	case *tg.UserStatusOffline:
		return a.WasOnline == b.(*tg.UserStatusOffline).WasOnline
	case *tg.UserStatusRecently:
		return a.ByMe == b.(*tg.UserStatusRecently).ByMe
	case *tg.UserStatusLastWeek:
		return a.ByMe == b.(*tg.UserStatusLastWeek).ByMe
	case *tg.UserStatusLastMonth:
		return a.ByMe == b.(*tg.UserStatusLastMonth).ByMe
	}
	return true
}
