package botapi

import (
	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

// defaultMaxReactions is the reaction limit of chats without their own.
const defaultMaxReactions = 11

var errSupergroupOnly = badRequest("method is available for supergroup and channel chats only")

// group reads the basic group peer names, with its members; a group the
// bot is not a member of is not found, as for the official server.
func (c *call) group(peer store.Peer) (store.Chat, []store.ChatMember, error) {
	if peer.Kind != store.PeerChat {
		return store.Chat{}, nil, errChatNotFound
	}
	chat, err := c.s.Core.Store.Chats().Get(c.ctx, peer.ID)
	if err != nil {
		return chat, nil, errChatNotFound
	}
	members, err := c.s.Core.Store.Chats().Members(c.ctx, peer.ID)
	if err != nil {
		return chat, nil, err
	}
	for _, m := range members {
		if m.UserID == c.bot.ID {
			return chat, members, nil
		}
	}
	return chat, nil, errChatNotFound
}

func getChat(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	v := newView(c)
	info := ChatFullInfo{MaxReactionCount: defaultMaxReactions, AcceptedGiftTypes: &AcceptedGifts{}}
	if peer.Kind == store.PeerUser {
		u, err := c.s.Core.User(c.ctx, peer.ID)
		if err != nil {
			return nil, errChatNotFound
		}
		info.Chat = v.chat(peer)
		info.Bio = u.About
		return info, nil
	}
	chat, _, err := c.group(peer)
	if err != nil {
		return nil, err
	}
	info.Chat = v.chat(peer)
	info.Description = chat.About
	info.Permissions = permissions(core.DecodeRights(chat.DefaultBannedRights))
	return info, nil
}

// permissions are the Bot API's view of a group's default rights.
func permissions(r core.BannedRights) *ChatPermissions {
	return &ChatPermissions{CanSendMessages: !r.SendMessages, CanSendAudios: !r.SendMedia,
		CanSendDocuments: !r.SendMedia, CanSendPhotos: !r.SendMedia, CanSendVideos: !r.SendMedia,
		CanSendVideoNotes: !r.SendMedia, CanSendVoiceNotes: !r.SendMedia, CanSendPolls: !r.SendPolls,
		CanSendOtherMessages: !r.SendStickers, CanAddWebPagePreviews: !r.EmbedLinks, CanChangeInfo: !r.ChangeInfo,
		CanInviteUsers: !r.InviteUsers, CanPinMessages: !r.PinMessages, CanManageTopics: !r.PinMessages}
}

// member builds the ChatMember of a basic group member.
func member(chat store.Chat, m store.ChatMember, u User) ChatMember {
	f, t := false, true
	switch {
	case m.UserID == chat.CreatorID:
		return ChatMember{Status: "creator", User: u, IsAnonymous: &f}
	case m.Admin:
		return ChatMember{Status: "administrator", User: u, IsAnonymous: &f, CanBeEdited: &f, CanManageChat: &t,
			CanDeleteMessages: &t, CanManageVideoChats: &t, CanRestrictMembers: &t, CanPromoteMembers: &f,
			CanChangeInfo: &t, CanInviteUsers: &t, CanPostStories: &f, CanEditStories: &f, CanDeleteStories: &f}
	}
	return ChatMember{Status: "member", User: u}
}

func getChatMember(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	id, err := c.userID("user_id")
	if err != nil {
		return nil, err
	}
	v := newView(c)
	u := v.user(id)
	if peer.Kind == store.PeerUser {
		if id != peer.ID && id != c.bot.ID {
			return nil, errUserNotFound
		}
		return ChatMember{Status: "member", User: *u}, nil
	}
	chat, members, err := c.group(peer)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		if m.UserID == id {
			return member(chat, m, *u), nil
		}
	}
	return ChatMember{Status: "left", User: *u}, nil
}

func getChatMemberCount(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	if peer.Kind == store.PeerUser {
		if peer.ID == c.bot.ID {
			return 1, nil
		}
		return 2, nil
	}
	_, members, err := c.group(peer)
	if err != nil {
		return nil, err
	}
	return len(members), nil
}

func getChatAdministrators(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	if peer.Kind == store.PeerUser {
		return nil, badRequest("there are no administrators in the private chat")
	}
	chat, members, err := c.group(peer)
	if err != nil {
		return nil, err
	}
	v := newView(c)
	out := []ChatMember{}
	for _, m := range members {
		if m.UserID != chat.CreatorID && !m.Admin {
			continue
		}
		if u := v.user(m.UserID); u != nil {
			out = append(out, member(chat, m, *u))
		}
	}
	return out, nil
}

func leaveChat(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	if peer.Kind == store.PeerUser {
		return nil, badRequest("chat member status can't be changed in private chats")
	}
	if _, _, err := c.group(peer); err != nil {
		return nil, err
	}
	if _, err := c.s.Core.DeleteChatUser(c.ctx, c.bot.ID, peer.ID, c.bot.ID, core.Origin{}); err != nil {
		return nil, err
	}
	return true, nil
}

// banChatMember removes a user from a basic group (basic groups have no
// list of banned users).
func banChatMember(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	if peer.Kind == store.PeerUser {
		return nil, badRequest("chat member status can't be changed in private chats")
	}
	id, err := c.userID("user_id")
	if err != nil {
		return nil, err
	}
	chat, members, err := c.group(peer)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		if m.UserID == id && (m.Admin || id == chat.CreatorID) {
			return nil, errUserAdmin
		}
	}
	if _, err := c.s.Core.DeleteChatUser(c.ctx, c.bot.ID, peer.ID, id, core.Origin{}); err != nil {
		return nil, err
	}
	return true, nil
}

func unbanChatMember(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	if peer.Kind == store.PeerUser {
		return nil, badRequest("chat member status can't be changed in private chats")
	}
	if _, err := c.userID("user_id"); err != nil {
		return nil, err
	}
	return nil, errSupergroupOnly
}

// getUserProfilePhotos: Roost keeps no profile photos yet, so every
// user has none.
func getUserProfilePhotos(c *call) (any, error) {
	if _, err := c.userID("user_id"); err != nil {
		return nil, err
	}
	return UserProfilePhotos{TotalCount: 0, Photos: [][]any{}}, nil
}
