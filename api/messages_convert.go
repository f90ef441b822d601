package api

import (
	"context"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// peerOf converts a dialog peer.
func peerOf(p store.Peer) tg.PeerClass {
	if p.Kind == store.PeerChat {
		return &tg.PeerChat{ChatID: p.ID}
	}
	return &tg.PeerUser{UserID: p.ID}
}

// message converts a stored message as its owner sees it.
func message(m store.Message) tg.MessageClass {
	if m.Action != nil {
		return serviceMessage(m)
	}
	out := &tg.Message{
		ID:          m.ID,
		Out:         m.Out,
		Mentioned:   m.Mentioned,
		MediaUnread: m.MediaUnread,
		Silent:      m.Silent,
		Noforwards:  m.NoForwards,
		Pinned:      m.Pinned,
		PeerID:      peerOf(m.Peer),
		Date:        int32(m.Date.Unix()),
		Message:     m.Text,
		Entities:    tgEntities(core.DecodeEntities(m.Entities)),
	}
	if m.FromID != 0 {
		out.FromID = &tg.PeerUser{UserID: m.FromID}
	}
	if m.ReplyTo != 0 {
		out.ReplyTo = &tg.MessageReplyHeader{ReplyToMsgID: m.ReplyTo}
	}
	if !m.EditDate.IsZero() {
		out.EditDate = int32(m.EditDate.Unix())
	}
	out.FwdFrom = fwdHeader(m.FwdFrom)
	out.ReplyMarkup = replyMarkup(core.DecodeMarkup(m.ReplyMarkup))
	return out
}

func messages(ms []store.Message) []tg.MessageClass {
	out := make([]tg.MessageClass, len(ms))
	for i, m := range ms {
		out[i] = message(m)
	}
	return out
}

// mentioned collects the users and chats that messages and dialogs mention,
// converted for viewer, as every container carrying them must include.
type mentioned struct {
	users map[int64]bool
	chats map[int64]bool
}

func newMentioned() *mentioned { return &mentioned{users: map[int64]bool{}, chats: map[int64]bool{}} }

func (p *mentioned) add(pe store.Peer) {
	if pe.Kind == store.PeerChat {
		p.chats[pe.ID] = true
	} else if pe.ID != 0 {
		p.users[pe.ID] = true
	}
}

func (p *mentioned) message(m store.Message) {
	p.add(m.Peer)
	if m.FromID != 0 {
		p.users[m.FromID] = true
	}
	for _, f := range fwdPeers(m) {
		p.add(f)
	}
	for _, u := range actionUsers(m.Action) {
		p.users[u] = true
	}
}

// resolve loads and converts what was collected.
func (p *mentioned) resolve(ctx context.Context, cfg Config, viewer int64) ([]tg.UserClass, []tg.ChatClass) {
	ids := make([]int64, 0, len(p.users))
	for id := range p.users {
		ids = append(ids, id)
	}
	us, _ := cfg.Store.Users().GetMany(ctx, ids)
	var chats []tg.ChatClass
	if len(p.chats) > 0 {
		cids := make([]int64, 0, len(p.chats))
		for id := range p.chats {
			cids = append(cids, id)
		}
		chats = chatsFor(ctx, cfg, viewer, cids)
	}
	users, _ := usersFor(ctx, cfg.Core, viewer, us...)
	return users, chats
}

// chatsFor converts basic groups for viewer.
func chatsFor(ctx context.Context, cfg Config, viewer int64, ids []int64) []tg.ChatClass {
	cs, err := cfg.Store.Chats().GetMany(ctx, ids)
	if err != nil {
		return nil
	}
	out := make([]tg.ChatClass, 0, len(cs))
	for _, c := range cs {
		out = append(out, chat(ctx, cfg, viewer, c))
	}
	return out
}

// chat converts one basic group as viewer sees it: chatForbidden when
// viewer is no member.
func chat(ctx context.Context, cfg Config, viewer int64, c store.Chat) tg.ChatClass {
	members, _ := cfg.Store.Chats().Members(ctx, c.ID)
	in := false
	for _, m := range members {
		in = in || m.UserID == viewer
	}
	if !in {
		return &tg.ChatForbidden{ID: c.ID, Title: c.Title}
	}
	return &tg.Chat{ID: c.ID, Title: c.Title, ParticipantsCount: int32(len(members)), Date: int32(c.Date.Unix()),
		Version: c.Version, Creator: c.CreatorID == viewer, Deactivated: c.Deactivated,
		Photo: &tg.ChatPhotoEmpty{}}
}

// dialog converts a dialog.
func dialog(d store.Dialog) *tg.Dialog {
	return &tg.Dialog{
		Peer:                peerOf(d.Peer),
		TopMessage:          d.TopMessage,
		ReadInboxMaxID:      d.ReadInboxMaxID,
		ReadOutboxMaxID:     d.ReadOutboxMaxID,
		UnreadCount:         d.UnreadCount,
		UnreadMentionsCount: d.UnreadMentions,
		Pinned:              d.PinnedOrder > 0,
		FolderID:            d.FolderID,
		NotifySettings:      tg.PeerNotifySettings{},
	}
}
