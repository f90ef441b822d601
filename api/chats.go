package api

import (
	"context"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// chats serves the messages.* methods of basic groups: creation, members,
// admins, rights, titles and invite links.
type chats struct{ cfg Config }

func registerChats(srv *tg.Server, cfg Config) {
	h := &chats{cfg: cfg}
	srv.OnMessagesCreateChat(h.createChat)
	srv.OnMessagesAddChatUser(h.addChatUser)
	srv.OnMessagesDeleteChatUser(h.deleteChatUser)
	srv.OnMessagesEditChatTitle(h.editChatTitle)
	srv.OnMessagesEditChatAbout(h.editChatAbout)
	srv.OnMessagesEditChatAdmin(h.editChatAdmin)
	srv.OnMessagesEditChatDefaultBannedRights(h.editChatDefaultBannedRights)
	srv.OnMessagesGetChats(h.getChats)
	srv.OnMessagesGetFullChat(h.getFullChat)
	srv.OnMessagesExportChatInvite(h.exportChatInvite)
	srv.OnMessagesImportChatInvite(h.importChatInvite)
	srv.OnMessagesCheckChatInvite(h.checkChatInvite)
}

// userID resolves an InputUser for viewer, checking its access hash.
func (h *chats) userID(ctx context.Context, viewer int64, in tg.InputUserClass) (int64, error) {
	switch u := in.(type) {
	case *tg.InputUserSelf:
		return viewer, nil
	case *tg.InputUser:
		if u.UserID == viewer {
			return viewer, nil
		}
		if !h.cfg.Core.CheckAccessHash("user", viewer, u.UserID, u.AccessHash) {
			return 0, core.ErrUserIDInvalid
		}
		return u.UserID, nil
	}
	return 0, core.ErrUserIDInvalid
}

// chatID resolves the InputPeer of a basic group.
func chatID(in tg.InputPeerClass) (int64, error) {
	if p, ok := in.(*tg.InputPeerChat); ok {
		return p.ChatID, nil
	}
	return 0, core.ErrPeerIDInvalid
}

// changeUpdates is the caller's result of a change with a service message:
// the new message and the chat, as updates.
func (h *chats) changeUpdates(ctx context.Context, viewer int64, ch core.ChatChange) tg.UpdatesClass {
	pe := newMentioned()
	pe.add(store.Peer{Kind: store.PeerChat, ID: ch.Chat.ID})
	var ups []tg.UpdateClass
	date := int32(time.Now().Unix())
	if ch.Message.ID != 0 {
		pe.message(ch.Message)
		ups = append(ups, &tg.UpdateNewMessage{Message: message(ch.Message), Pts: ch.Pts, PtsCount: ch.PtsCount})
		date = int32(ch.Message.Date.Unix())
	}
	users, cs := pe.resolve(ctx, h.cfg, viewer)
	return &tg.Updates{Updates: ups, Users: users, Chats: cs, Date: date}
}

func (h *chats) createChat(ctx context.Context, req *tg.MessagesCreateChatRequest) (*tg.MessagesInvitedUsers, error) {
	me, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(req.Users))
	for _, in := range req.Users {
		id, err := h.userID(ctx, me, in)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	ch, missing, err := h.cfg.Core.CreateChat(ctx, me, ids, req.Title, origin(ctx))
	if err != nil {
		return nil, err
	}
	out := &tg.MessagesInvitedUsers{Updates: h.changeUpdates(ctx, me, ch), MissingInvitees: []tg.MissingInvitee{}}
	for _, u := range missing {
		out.MissingInvitees = append(out.MissingInvitees, tg.MissingInvitee{UserID: u})
	}
	return out, nil
}

func (h *chats) addChatUser(ctx context.Context, req *tg.MessagesAddChatUserRequest) (*tg.MessagesInvitedUsers, error) {
	me, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	u, err := h.userID(ctx, me, req.UserID)
	if err != nil {
		return nil, err
	}
	ch, err := h.cfg.Core.AddChatUser(ctx, me, req.ChatID, u, origin(ctx))
	if err != nil {
		return nil, err
	}
	return &tg.MessagesInvitedUsers{Updates: h.changeUpdates(ctx, me, ch), MissingInvitees: []tg.MissingInvitee{}}, nil
}

func (h *chats) deleteChatUser(ctx context.Context, req *tg.MessagesDeleteChatUserRequest) (tg.UpdatesClass, error) {
	me, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	u, err := h.userID(ctx, me, req.UserID)
	if err != nil {
		return nil, err
	}
	ch, err := h.cfg.Core.DeleteChatUser(ctx, me, req.ChatID, u, origin(ctx))
	if err != nil {
		return nil, err
	}
	return h.changeUpdates(ctx, me, ch), nil
}

func (h *chats) editChatTitle(ctx context.Context, req *tg.MessagesEditChatTitleRequest) (tg.UpdatesClass, error) {
	me, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	ch, err := h.cfg.Core.EditChatTitle(ctx, me, req.ChatID, req.Title, origin(ctx))
	if err != nil {
		return nil, err
	}
	return h.changeUpdates(ctx, me, ch), nil
}

func (h *chats) editChatAbout(ctx context.Context, req *tg.MessagesEditChatAboutRequest) (bool, error) {
	me, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	id, err := chatID(req.Peer)
	if err != nil {
		return false, err
	}
	if err := h.cfg.Core.EditChatAbout(ctx, me, id, req.About); err != nil {
		return false, err
	}
	return true, nil
}

func (h *chats) editChatAdmin(ctx context.Context, req *tg.MessagesEditChatAdminRequest) (bool, error) {
	me, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	u, err := h.userID(ctx, me, req.UserID)
	if err != nil {
		return false, err
	}
	if err := h.cfg.Core.EditChatAdmin(ctx, me, req.ChatID, u, req.IsAdmin); err != nil {
		return false, err
	}
	return true, nil
}

func (h *chats) editChatDefaultBannedRights(ctx context.Context, req *tg.MessagesEditChatDefaultBannedRightsRequest) (tg.UpdatesClass, error) {
	me, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := chatID(req.Peer)
	if err != nil {
		return nil, err
	}
	chat, err := h.cfg.Core.EditChatDefaultRights(ctx, me, id, coreRights(req.BannedRights), origin(ctx))
	if err != nil {
		return nil, err
	}
	return &tg.Updates{Updates: []tg.UpdateClass{&tg.UpdateChatDefaultBannedRights{Peer: &tg.PeerChat{ChatID: id},
		DefaultBannedRights: tgRights(core.DecodeRights(chat.DefaultBannedRights)), Version: chat.Version}},
		Chats: []tg.ChatClass{chatView(ctx, h.cfg, me, chat)}, Users: []tg.UserClass{}, Date: int32(time.Now().Unix())}, nil
}

func (h *chats) getChats(ctx context.Context, req *tg.MessagesGetChatsRequest) (tg.MessagesChatsClass, error) {
	me, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	cs, err := h.cfg.Store.Chats().GetMany(ctx, req.ID)
	if err != nil {
		return nil, err
	}
	out := &tg.MessagesChats{Chats: make([]tg.ChatClass, 0, len(cs))}
	for _, c := range cs {
		out.Chats = append(out.Chats, chatView(ctx, h.cfg, me, c))
	}
	return out, nil
}

func (h *chats) getFullChat(ctx context.Context, req *tg.MessagesGetFullChatRequest) (*tg.MessagesChatFull, error) {
	me, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	c, err := h.cfg.Store.Chats().Get(ctx, req.ChatID)
	if err != nil {
		return nil, core.ErrChatIDInvalid
	}
	members, err := h.cfg.Store.Chats().Members(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	full := &tg.ChatFull{ID: c.ID, About: c.About, ChatPhoto: &tg.PhotoEmpty{}, NotifySettings: tg.PeerNotifySettings{}}
	pe := newMentioned()
	in := false
	parts := make([]tg.ChatParticipantClass, 0, len(members))
	for _, m := range members {
		pe.users[m.UserID] = true
		parts = append(parts, participant(c, m))
		if m.UserID == me {
			in = true
			if m.Admin || m.UserID == c.CreatorID {
				if inv, ok := h.cfg.Core.PermanentInvite(ctx, c.ID); ok {
					full.ExportedInvite = exportedInvite(inv)
					pe.users[inv.AdminID] = true
				}
			}
		}
	}
	if in {
		full.Participants = &tg.ChatParticipants{ChatID: c.ID, Participants: parts, Version: c.Version}
	} else {
		full.Participants = &tg.ChatParticipantsForbidden{ChatID: c.ID}
		pe.users = map[int64]bool{}
	}
	users, _ := pe.resolve(ctx, h.cfg, me)
	return &tg.MessagesChatFull{FullChat: full, Chats: []tg.ChatClass{chatView(ctx, h.cfg, me, c)}, Users: users}, nil
}

// participant converts a member: the creator, an admin, or a member.
func participant(c store.Chat, m store.ChatMember) tg.ChatParticipantClass {
	switch {
	case m.UserID == c.CreatorID:
		return &tg.ChatParticipantCreator{UserID: m.UserID}
	case m.Admin:
		return &tg.ChatParticipantAdmin{UserID: m.UserID, InviterID: m.InviterID, Date: int32(m.Date.Unix())}
	}
	return &tg.ChatParticipant{UserID: m.UserID, InviterID: m.InviterID, Date: int32(m.Date.Unix())}
}

func exportedInvite(inv store.ChatInvite) *tg.ChatInviteExported {
	out := &tg.ChatInviteExported{Revoked: inv.Revoked, Permanent: inv.Permanent, Link: core.InviteLink + inv.Hash,
		AdminID: inv.AdminID, Date: int32(inv.Date.Unix()), UsageLimit: inv.UsageLimit, Usage: inv.Usage}
	if !inv.ExpireDate.IsZero() {
		out.ExpireDate = int32(inv.ExpireDate.Unix())
	}
	return out
}

func (h *chats) exportChatInvite(ctx context.Context, req *tg.MessagesExportChatInviteRequest) (tg.ExportedChatInviteClass, error) {
	me, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := chatID(req.Peer)
	if err != nil {
		return nil, err
	}
	if req.RequestNeeded {
		return nil, &core.Error{Code: 400, Message: "REQUEST_NEEDED_INVALID"} // join requests come later
	}
	var expire time.Time
	if req.ExpireDate != 0 {
		expire = time.Unix(int64(req.ExpireDate), 0)
	}
	inv, err := h.cfg.Core.ExportChatInvite(ctx, me, id, expire, req.UsageLimit)
	if err != nil {
		return nil, err
	}
	return exportedInvite(inv), nil
}

func (h *chats) importChatInvite(ctx context.Context, req *tg.MessagesImportChatInviteRequest) (tg.MessagesChatInviteJoinResultClass, error) {
	me, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	ch, err := h.cfg.Core.ImportChatInvite(ctx, me, req.Hash, origin(ctx))
	if err != nil {
		return nil, err
	}
	return &tg.MessagesChatInviteJoinResultOk{Updates: h.changeUpdates(ctx, me, ch)}, nil
}

func (h *chats) checkChatInvite(ctx context.Context, req *tg.MessagesCheckChatInviteRequest) (tg.ChatInviteClass, error) {
	me, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	c, member, err := h.cfg.Core.CheckChatInvite(ctx, me, req.Hash)
	if err != nil {
		return nil, err
	}
	if member {
		return &tg.ChatInviteAlready{Chat: chatView(ctx, h.cfg, me, c)}, nil
	}
	members, err := h.cfg.Store.Chats().Members(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, 10)
	for _, m := range members {
		if len(ids) < cap(ids) {
			ids = append(ids, m.UserID)
		}
	}
	us, _ := h.cfg.Store.Users().GetMany(ctx, ids)
	users, _ := usersFor(ctx, h.cfg.Core, me, us...)
	return &tg.ChatInvite{Title: c.Title, About: c.About, Photo: &tg.PhotoEmpty{},
		ParticipantsCount: int32(len(members)), Participants: users}, nil
}

// serviceMessage converts a stored service message; an action it cannot
// read becomes messageActionEmpty rather than failing the whole result.
func serviceMessage(m store.Message) tg.MessageClass {
	out := &tg.MessageService{ID: m.ID, Out: m.Out, Mentioned: m.Mentioned, MediaUnread: m.MediaUnread,
		Silent: m.Silent, PeerID: peerOf(m.Peer), Date: int32(m.Date.Unix()), Action: &tg.MessageActionEmpty{}}
	if m.FromID != 0 {
		out.FromID = &tg.PeerUser{UserID: m.FromID}
	}
	a, err := core.DecodeAction(m.Action)
	if err != nil {
		return out
	}
	switch a.Type {
	case core.ActionChatCreate:
		out.Action = &tg.MessageActionChatCreate{Title: a.Title, Users: nonNil(a.Users)}
	case core.ActionChatAddUser:
		out.Action = &tg.MessageActionChatAddUser{Users: nonNil(a.Users)}
	case core.ActionChatDeleteUser:
		out.Action = &tg.MessageActionChatDeleteUser{UserID: a.UserID}
	case core.ActionChatEditTitle:
		out.Action = &tg.MessageActionChatEditTitle{Title: a.Title}
	case core.ActionChatJoinedByLink:
		out.Action = &tg.MessageActionChatJoinedByLink{InviterID: a.InviterID}
	}
	return out
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// actionUsers lists the users a stored action names, which the
// containers carrying it must include.
func actionUsers(b []byte) []int64 {
	a, err := core.DecodeAction(b)
	if err != nil {
		return nil
	}
	out := append([]int64{}, a.Users...)
	for _, id := range []int64{a.UserID, a.InviterID} {
		if id != 0 {
			out = append(out, id)
		}
	}
	return out
}

// chatView is chat with the rights a member sees: the default banned
// rights, and admin rights for the creator and admins.
func chatView(ctx context.Context, cfg Config, viewer int64, c store.Chat) tg.ChatClass {
	out := chat(ctx, cfg, viewer, c)
	ch, ok := out.(*tg.Chat)
	if !ok {
		return out
	}
	r := tgRights(core.DecodeRights(c.DefaultBannedRights))
	ch.DefaultBannedRights = &r
	if m, err := cfg.Store.Chats().Member(ctx, c.ID, viewer); err == nil && (m.Admin || c.CreatorID == viewer) {
		ch.AdminRights = &tg.ChatAdminRights{ChangeInfo: true, DeleteMessages: true, BanUsers: true,
			InviteUsers: true, PinMessages: true, ManageCall: true, Other: true}
	}
	return ch
}

// coreRights and tgRights convert chatBannedRights; the finer send_*
// flags of newer layers follow send_media.
func coreRights(r tg.ChatBannedRights) core.BannedRights {
	return core.BannedRights{ViewMessages: r.ViewMessages, SendMessages: r.SendMessages || r.SendPlain,
		SendMedia: r.SendMedia, SendStickers: r.SendStickers, SendGifs: r.SendGifs, SendGames: r.SendGames,
		SendInline: r.SendInline, EmbedLinks: r.EmbedLinks, SendPolls: r.SendPolls, ChangeInfo: r.ChangeInfo,
		InviteUsers: r.InviteUsers, PinMessages: r.PinMessages}
}

func tgRights(r core.BannedRights) tg.ChatBannedRights {
	return tg.ChatBannedRights{ViewMessages: r.ViewMessages, SendMessages: r.SendMessages, SendPlain: r.SendMessages,
		SendMedia: r.SendMedia, SendPhotos: r.SendMedia, SendVideos: r.SendMedia, SendRoundvideos: r.SendMedia,
		SendAudios: r.SendMedia, SendVoices: r.SendMedia, SendDocs: r.SendMedia, SendStickers: r.SendStickers,
		SendGifs: r.SendGifs, SendGames: r.SendGames, SendInline: r.SendInline, EmbedLinks: r.EmbedLinks,
		SendPolls: r.SendPolls, ChangeInfo: r.ChangeInfo, InviteUsers: r.InviteUsers, PinMessages: r.PinMessages,
		UntilDate: 0x7fffffff}
}
