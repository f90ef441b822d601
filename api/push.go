package api

import (
	"context"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/mtproto"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// Pusher carries core's changes to the MTProto sessions of the users
// concerned, in the containers the official server uses: updateShort*
// for a plain message, updates with the users and chats otherwise.
type Pusher struct {
	Server *mtproto.Server
	Config Config
}

var _ core.Notifier = (*Pusher)(nil)

// Push implements core.Notifier.
func (p *Pusher) Push(d core.Push) {
	o := p.updates(d)
	if o == nil {
		return
	}
	skip := mtproto.SessionRef{Key: d.Origin.KeyID, ID: d.Origin.SessionID}
	p.Server.PushToUser(d.UserID, skip, func(*mtproto.Session) tl.Object { return o })
}

// updates builds the container for one user's push.
func (p *Pusher) updates(d core.Push) tg.UpdatesClass {
	byID := map[int32]store.Message{}
	for _, m := range d.Messages {
		byID[m.ID] = m
	}
	if len(d.Entries) == 1 {
		if short := shortMessage(d.Entries[0], byID); short != nil {
			return short
		}
	}
	pe := newMentioned()
	var ups []tg.UpdateClass
	for _, e := range d.Entries {
		for _, id := range e.Event.IDs {
			if m, ok := byID[id]; ok {
				pe.message(m)
			}
		}
		if e.Event.Peer != nil {
			pe.add(*e.Event.Peer)
		}
		ups = append(ups, entryUpdate(e, byID))
	}
	users, chats := pe.resolve(context.Background(), p.Config, d.UserID)
	return &tg.Updates{Updates: ups, Users: users, Chats: chats, Date: int32(time.Now().Unix())}
}

// shortMessage is the compact form of a plain new message, or nil.
func shortMessage(e core.Entry, byID map[int32]store.Message) tg.UpdatesClass {
	if e.Event.Kind != core.EventNewMessage || len(e.Event.IDs) != 1 {
		return nil
	}
	m, ok := byID[e.Event.IDs[0]]
	if !ok || m.Action != nil || m.Media != nil || m.FwdFrom != nil || m.ReplyMarkup != nil {
		return nil
	}
	var reply tg.MessageReplyHeaderClass
	if m.ReplyTo != 0 {
		reply = &tg.MessageReplyHeader{ReplyToMsgID: m.ReplyTo}
	}
	ents := tgEntities(core.DecodeEntities(m.Entities))
	switch m.Peer.Kind {
	case store.PeerUser:
		return &tg.UpdateShortMessage{Out: m.Out, Mentioned: m.Mentioned, MediaUnread: m.MediaUnread, Silent: m.Silent,
			ID: m.ID, UserID: m.Peer.ID, Message: m.Text, Pts: e.Pts, PtsCount: e.PtsCount, Date: int32(m.Date.Unix()),
			ReplyTo: reply, Entities: ents}
	case store.PeerChat:
		return &tg.UpdateShortChatMessage{Out: m.Out, Mentioned: m.Mentioned, MediaUnread: m.MediaUnread, Silent: m.Silent,
			ID: m.ID, FromID: m.FromID, ChatID: m.Peer.ID, Message: m.Text, Pts: e.Pts, PtsCount: e.PtsCount,
			Date: int32(m.Date.Unix()), ReplyTo: reply, Entities: ents}
	}
	return nil
}

var _ core.ChatNotifier = (*Pusher)(nil)

// ChatUpdate implements core.ChatNotifier: a member's admin rights
// (updateChatParticipantAdmin) or the default rights
// (updateChatDefaultBannedRights) of a basic group, with its new version,
// in an updates container with the chat (and the member). These updates
// move no pts; the container's seq orders them.
func (p *Pusher) ChatUpdate(u core.ChatUpdate) {
	var up tg.UpdateClass
	pe := newMentioned()
	pe.add(store.Peer{Kind: store.PeerChat, ID: u.Chat.ID})
	if u.Member != 0 {
		up = &tg.UpdateChatParticipantAdmin{ChatID: u.Chat.ID, UserID: u.Member, IsAdmin: u.Admin, Version: u.Chat.Version}
		pe.add(store.Peer{Kind: store.PeerUser, ID: u.Member})
	} else {
		up = &tg.UpdateChatDefaultBannedRights{Peer: &tg.PeerChat{ChatID: u.Chat.ID},
			DefaultBannedRights: tgRights(core.DecodeRights(u.Chat.DefaultBannedRights)), Version: u.Chat.Version}
	}
	users, chats := pe.resolve(context.Background(), p.Config, u.UserID)
	o := &tg.Updates{Updates: []tg.UpdateClass{up}, Users: users, Chats: chats, Date: int32(time.Now().Unix())}
	skip := mtproto.SessionRef{Key: u.Origin.KeyID, ID: u.Origin.SessionID}
	p.Server.PushToUser(u.UserID, skip, func(*mtproto.Session) tl.Object { return o })
}

// Typing implements core.Notifier: updateShort with the chat action.
func (p *Pusher) Typing(t core.Typing) {
	var up tg.UpdateClass
	action := sendAction(t.Action)
	if t.Peer.Kind == store.PeerChat {
		up = &tg.UpdateChatUserTyping{ChatID: t.Peer.ID, FromID: &tg.PeerUser{UserID: t.From}, Action: action}
	} else {
		up = &tg.UpdateUserTyping{UserID: t.From, Action: action}
	}
	o := &tg.UpdateShort{Update: up, Date: int32(time.Now().Unix())}
	p.Server.PushToUser(t.UserID, mtproto.SessionRef{}, func(*mtproto.Session) tl.Object { return o })
}

// The chat actions core knows by name.
func actionName(a tg.SendMessageActionClass) string {
	switch a.(type) {
	case *tg.SendMessageCancelAction:
		return "cancel"
	case *tg.SendMessageRecordVideoAction:
		return "record_video"
	case *tg.SendMessageUploadVideoAction:
		return "upload_video"
	case *tg.SendMessageRecordAudioAction:
		return "record_voice"
	case *tg.SendMessageUploadAudioAction:
		return "upload_voice"
	case *tg.SendMessageUploadPhotoAction:
		return "upload_photo"
	case *tg.SendMessageUploadDocumentAction:
		return "upload_document"
	case *tg.SendMessageGeoLocationAction:
		return "find_location"
	case *tg.SendMessageChooseContactAction:
		return "choose_contact"
	case *tg.SendMessageChooseStickerAction:
		return "choose_sticker"
	case *tg.SendMessageRecordRoundAction:
		return "record_video_note"
	case *tg.SendMessageUploadRoundAction:
		return "upload_video_note"
	}
	return "typing"
}

func sendAction(name string) tg.SendMessageActionClass {
	switch name {
	case "cancel":
		return &tg.SendMessageCancelAction{}
	case "record_video":
		return &tg.SendMessageRecordVideoAction{}
	case "upload_video":
		return &tg.SendMessageUploadVideoAction{}
	case "record_voice":
		return &tg.SendMessageRecordAudioAction{}
	case "upload_voice":
		return &tg.SendMessageUploadAudioAction{}
	case "upload_photo":
		return &tg.SendMessageUploadPhotoAction{}
	case "upload_document":
		return &tg.SendMessageUploadDocumentAction{}
	case "find_location":
		return &tg.SendMessageGeoLocationAction{}
	case "choose_contact":
		return &tg.SendMessageChooseContactAction{}
	case "choose_sticker":
		return &tg.SendMessageChooseStickerAction{}
	case "record_video_note":
		return &tg.SendMessageRecordRoundAction{}
	case "upload_video_note":
		return &tg.SendMessageUploadRoundAction{}
	}
	return &tg.SendMessageTypingAction{}
}
