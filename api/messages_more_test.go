package api

import (
	"testing"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

func TestFwdHeader(t *testing.T) {
	if fwdHeader(nil) != nil || fwdHeader([]byte("{")) != nil {
		t.Error("header from nothing")
	}
	date := time.Unix(1700000000, 0)
	saved := store.Peer{Kind: store.PeerChat, ID: 5}
	m := store.Message{FwdFrom: core.EncodeFwdHeader(core.FwdHeader{FromID: 7, Date: date, SavedFromPeer: &saved, SavedFromMsgID: 9})}
	h := fwdHeader(m.FwdFrom)
	if h == nil || h.Date != 1700000000 || h.FromID.(*tg.PeerUser).UserID != 7 ||
		h.SavedFromPeer.(*tg.PeerChat).ChatID != 5 || h.SavedFromMsgID != 9 {
		t.Errorf("header %+v", h)
	}
	if got := message(m).(*tg.Message).FwdFrom; got == nil || got.SavedFromMsgID != 9 {
		t.Errorf("message header %+v", got)
	}
	pe := newMentioned()
	pe.message(m)
	if !pe.users[7] || !pe.chats[5] {
		t.Errorf("mentioned %+v", pe)
	}
}

func TestMoreEntryUpdate(t *testing.T) {
	peer := store.Peer{Kind: store.PeerUser, ID: 3}
	date := time.Unix(1700000000, 0)
	draft := core.EncodeDraft(core.Draft{Text: "hi", ReplyTo: 4, Date: date})
	for _, tt := range []struct {
		ev   core.Event
		want func(tg.UpdateClass) bool
	}{
		{core.Event{Kind: core.EventReadContents, IDs: []int32{1, 2}}, func(u tg.UpdateClass) bool {
			r, ok := u.(*tg.UpdateReadMessagesContents)
			return ok && len(r.Messages) == 2 && r.Pts == 10 && r.PtsCount == 2
		}},
		{core.Event{Kind: core.EventPinned, Peer: &peer, IDs: []int32{1}, Pinned: true}, func(u tg.UpdateClass) bool {
			p, ok := u.(*tg.UpdatePinnedMessages)
			return ok && p.Pinned && p.Peer.(*tg.PeerUser).UserID == 3
		}},
		{core.Event{Kind: core.EventDialogPinned, Peer: &peer}, func(u tg.UpdateClass) bool {
			p, ok := u.(*tg.UpdateDialogPinned)
			return ok && !p.Pinned
		}},
		{core.Event{Kind: core.EventPinnedDialogs}, func(u tg.UpdateClass) bool {
			_, ok := u.(*tg.UpdatePinnedDialogs)
			return ok
		}},
		{core.Event{Kind: core.EventDraft, Peer: &peer, Draft: draft}, func(u tg.UpdateClass) bool {
			d, ok := u.(*tg.UpdateDraftMessage)
			if !ok {
				return false
			}
			dm, ok := d.Draft.(*tg.DraftMessage)
			return ok && dm.Message == "hi" && dm.Date == 1700000000 && dm.ReplyTo.(*tg.InputReplyToMessage).ReplyToMsgID == 4
		}},
		{core.Event{Kind: core.EventDraft, Peer: &peer}, func(u tg.UpdateClass) bool {
			d, ok := u.(*tg.UpdateDraftMessage)
			if !ok {
				return false
			}
			e, ok := d.Draft.(*tg.DraftMessageEmpty)
			return ok && e.Date == 1700000000
		}},
		{core.Event{Kind: core.EventPinned}, func(u tg.UpdateClass) bool { return u == nil }},
		{core.Event{Kind: core.EventNewMessage}, func(u tg.UpdateClass) bool { return u == nil }},
	} {
		got := moreEntryUpdate(core.Entry{Pts: 10, PtsCount: int32(len(tt.ev.IDs)), Date: date, Event: tt.ev})
		if !tt.want(got) {
			t.Errorf("%s: %#v", tt.ev.Kind, got)
		}
	}
}
