package botapi

import (
	"encoding/json"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

// The group administration methods of basic groups: pins, title,
// default permissions, administrators and invite links.

func pinChatMessage(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	m, err := c.message(peer, "message_id", badRequest("message to pin not found"))
	if err != nil {
		return nil, err
	}
	if _, err := c.s.Core.PinMessage(c.ctx, c.bot.ID, peer, m.ID, false, false, core.Origin{}); err != nil {
		return nil, err
	}
	return true, nil
}

func unpinChatMessage(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	var m store.Message
	if c.p.has("message_id") {
		if m, err = c.message(peer, "message_id", badRequest("message to unpin not found")); err != nil {
			return nil, err
		}
	} else if m, err = latestPinned(c, peer); err != nil {
		return nil, err
	}
	if _, err := c.s.Core.PinMessage(c.ctx, c.bot.ID, peer, m.ID, true, false, core.Origin{}); err != nil {
		return nil, err
	}
	return true, nil
}

// latestPinned is the newest pinned message of the bot's dialog.
func latestPinned(c *call, peer store.Peer) (store.Message, error) {
	var before int32
	for {
		page, err := c.s.Core.Store.Boxes().History(c.ctx, c.bot.ID, peer, store.HistoryQuery{MaxID: before, Before: true, Limit: 100})
		if err != nil {
			return store.Message{}, err
		}
		for _, m := range page {
			if m.Pinned {
				return m, nil
			}
		}
		if len(page) < 100 {
			return store.Message{}, badRequest("message to unpin not found")
		}
		before = page[len(page)-1].ID
	}
}

func unpinAllChatMessages(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	if _, err := c.s.Core.UnpinAllMessages(c.ctx, c.bot.ID, peer, core.Origin{}); err != nil {
		return nil, err
	}
	return true, nil
}

// errNotGroup answers group methods called on a private chat.
var errNotGroup = badRequest("method is available only for supergroups and channel")

// groupID resolves chat_id to a basic group; private chats have no
// title, permissions or administrators.
func (c *call) groupID() (int64, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return 0, err
	}
	if peer.Kind != store.PeerChat {
		return 0, errNotGroup
	}
	if _, _, err := c.group(peer); err != nil {
		return 0, err
	}
	return peer.ID, nil
}

func setChatTitle(c *call) (any, error) {
	id, err := c.groupID()
	if err != nil {
		return nil, err
	}
	if _, err := c.s.Core.EditChatTitle(c.ctx, c.bot.ID, id, c.p.get("title"), core.Origin{}); err != nil {
		return nil, err
	}
	return true, nil
}

func setChatDescription(c *call) (any, error) {
	id, err := c.groupID()
	if err != nil {
		return nil, err
	}
	if err := c.s.Core.EditChatAbout(c.ctx, c.bot.ID, id, c.p.get("description")); err != nil {
		return nil, err
	}
	return true, nil
}

// setChatPermissions sets the default rights of the members.
func setChatPermissions(c *call) (any, error) {
	id, err := c.groupID()
	if err != nil {
		return nil, err
	}
	var p ChatPermissions
	if err := json.Unmarshal([]byte(c.p.get("permissions")), &p); err != nil {
		return nil, badRequest("can't parse chat permissions JSON object")
	}
	media := !(p.CanSendAudios || p.CanSendDocuments || p.CanSendPhotos || p.CanSendVideos ||
		p.CanSendVideoNotes || p.CanSendVoiceNotes)
	r := core.BannedRights{SendMessages: !p.CanSendMessages, SendMedia: media, SendStickers: !p.CanSendOtherMessages,
		SendGifs: !p.CanSendOtherMessages, SendGames: !p.CanSendOtherMessages, SendInline: !p.CanSendOtherMessages,
		EmbedLinks: !p.CanAddWebPagePreviews, SendPolls: !p.CanSendPolls, ChangeInfo: !p.CanChangeInfo,
		InviteUsers: !p.CanInviteUsers, PinMessages: !p.CanPinMessages}
	if _, err := c.s.Core.EditChatDefaultRights(c.ctx, c.bot.ID, id, r, core.Origin{}); err != nil {
		return nil, err
	}
	return true, nil
}

// promoteChatMember makes a member an administrator of a basic group (any
// right given), or a member again (none given): basic groups know no
// finer rights.
func promoteChatMember(c *call) (any, error) {
	id, err := c.groupID()
	if err != nil {
		return nil, err
	}
	user, err := c.userID("user_id")
	if err != nil {
		return nil, err
	}
	admin := false
	for _, r := range []string{"can_manage_chat", "can_delete_messages", "can_manage_video_chats",
		"can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users", "can_pin_messages",
		"can_post_stories", "can_edit_stories", "can_delete_stories", "can_manage_topics"} {
		admin = admin || c.p.bool(r)
	}
	if err := c.s.Core.EditChatAdmin(c.ctx, c.bot.ID, id, user, admin); err != nil {
		return nil, err
	}
	return true, nil
}

// ChatInviteLink is an invite link as the Bot API shows it.
type ChatInviteLink struct {
	InviteLink         string `json:"invite_link"`
	Creator            User   `json:"creator"`
	CreatesJoinRequest bool   `json:"creates_join_request"`
	IsPrimary          bool   `json:"is_primary"`
	IsRevoked          bool   `json:"is_revoked"`
	Name               string `json:"name,omitempty"`
	ExpireDate         int64  `json:"expire_date,omitempty"`
	MemberLimit        int32  `json:"member_limit,omitempty"`
}

func exportChatInviteLink(c *call) (any, error) {
	id, err := c.groupID()
	if err != nil {
		return nil, err
	}
	inv, err := c.s.Core.ExportChatInvite(c.ctx, c.bot.ID, id, time.Time{}, 0)
	if err != nil {
		return nil, err
	}
	return core.InviteLink + inv.Hash, nil
}

func createChatInviteLink(c *call) (any, error) {
	id, err := c.groupID()
	if err != nil {
		return nil, err
	}
	var expire time.Time
	if e := c.p.int64("expire_date", 0); e > 0 {
		expire = time.Unix(e, 0)
	}
	limit := int32(c.p.clamped("member_limit", 0, 0, 99999))
	if c.p.bool("creates_join_request") {
		return nil, badRequest("join requests are available only for supergroups and channels")
	}
	inv, err := c.s.Core.ExportChatInvite(c.ctx, c.bot.ID, id, expire, limit)
	if err != nil {
		return nil, err
	}
	return ChatInviteLink{InviteLink: core.InviteLink + inv.Hash, Creator: userJSON(c.bot), IsPrimary: inv.Permanent,
		IsRevoked: inv.Revoked, Name: c.p.get("name"), ExpireDate: unixOrZero(inv.ExpireDate), MemberLimit: inv.UsageLimit}, nil
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
