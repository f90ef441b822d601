package api

import (
	"errors"
	"testing"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/tg"
)

func TestContactAndBlockIDs(t *testing.T) {
	h := &contacts{cfg: privacyTestConfig()}
	const me, other = 1000, 2000
	hash := h.cfg.Core.AccessHash("user", me, other)
	for _, tt := range []struct {
		in   tg.InputUserClass
		id   int64
		want error
	}{
		{&tg.InputUserSelf{}, me, nil},
		{&tg.InputUser{UserID: other, AccessHash: hash}, other, nil},
		{&tg.InputUser{UserID: other, AccessHash: hash ^ 1}, 0, core.ErrContactIDInvalid},
		{&tg.InputUserEmpty{}, 0, core.ErrContactIDInvalid},
		{&tg.InputUserFromMessage{UserID: other}, 0, core.ErrContactIDInvalid},
	} {
		id, err := h.contactID(me, tt.in)
		if id != tt.id || !errors.Is(err, tt.want) {
			t.Errorf("contactID(%T) = %d, %v; want %d, %v", tt.in, id, err, tt.id, tt.want)
		}
	}
	for _, tt := range []struct {
		in   tg.InputPeerClass
		id   int64
		want error
	}{
		{&tg.InputPeerUser{UserID: other, AccessHash: hash}, other, nil},
		{&tg.InputPeerSelf{}, 0, core.ErrContactIDInvalid},
		{&tg.InputPeerUser{UserID: other, AccessHash: 0}, 0, core.ErrContactIDInvalid},
		{&tg.InputPeerEmpty{}, 0, core.ErrPeerIDInvalid},
		{&tg.InputPeerChat{ChatID: 5}, 0, core.ErrPeerIDInvalid},
		{&tg.InputPeerChannel{ChannelID: 5, AccessHash: 1}, 0, core.ErrPeerIDInvalid},
	} {
		id, err := h.blockID(me, tt.in)
		if id != tt.id || !errors.Is(err, tt.want) {
			t.Errorf("blockID(%T) = %d, %v; want %d, %v", tt.in, id, err, tt.id, tt.want)
		}
	}
}
