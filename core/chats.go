package core

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/roostchat/roost/store"
)

// Limits of basic groups, as help.getConfig states them.
const (
	MaxChatTitleLength = 128
	MaxChatSize        = 200
)

// Errors of basic groups, with the official strings.
var (
	ErrChatTitleEmpty         = bad("CHAT_TITLE_EMPTY")
	ErrChatNotModified        = bad("CHAT_NOT_MODIFIED")
	ErrChatAdminRequired      = bad("CHAT_ADMIN_REQUIRED")
	ErrUserAlreadyParticipant = bad("USER_ALREADY_PARTICIPANT")
	ErrUserNotParticipant     = bad("USER_NOT_PARTICIPANT")
	ErrUserPrivacyRestricted  = &Error{403, "USER_PRIVACY_RESTRICTED"}
	ErrUsersTooMuch           = bad("USERS_TOO_MUCH")
	ErrInviteHashInvalid      = bad("INVITE_HASH_INVALID")
	ErrInviteHashExpired      = bad("INVITE_HASH_EXPIRED")
	ErrInviteHashEmpty        = bad("INVITE_HASH_EMPTY")
)

// Kinds of chat action a service message records.
const (
	ActionChatCreate       = "chat_create"
	ActionChatAddUser      = "chat_add_user"
	ActionChatDeleteUser   = "chat_delete_user"
	ActionChatEditTitle    = "chat_edit_title"
	ActionChatJoinedByLink = "chat_joined_by_link"
)

// Action is what a service message records; its encoding is
// store.Message.Action.
type Action struct {
	Type  string  `json:"t"`
	Title string  `json:"title,omitempty"`
	Users []int64 `json:"users,omitempty"`
	// UserID is who left or was removed; InviterID who made the link.
	UserID    int64 `json:"user,omitempty"`
	InviterID int64 `json:"inviter,omitempty"`
}

// EncodeAction is the stored form of an action.
func EncodeAction(a Action) []byte {
	b, _ := json.Marshal(a)
	return b
}

// DecodeAction reads an action stored by EncodeAction.
func DecodeAction(b []byte) (Action, error) {
	var a Action
	if err := json.Unmarshal(b, &a); err != nil {
		return Action{}, err
	}
	if a.Type == "" {
		return Action{}, errors.New("decode action: no type")
	}
	return a, nil
}

// BannedRights are the restrictions of a basic group's members, as
// chatBannedRights has them: a true field forbids.
type BannedRights struct {
	ViewMessages bool `json:"view,omitempty"`
	SendMessages bool `json:"send,omitempty"`
	SendMedia    bool `json:"media,omitempty"`
	SendStickers bool `json:"stickers,omitempty"`
	SendGifs     bool `json:"gifs,omitempty"`
	SendGames    bool `json:"games,omitempty"`
	SendInline   bool `json:"inline,omitempty"`
	EmbedLinks   bool `json:"links,omitempty"`
	SendPolls    bool `json:"polls,omitempty"`
	ChangeInfo   bool `json:"info,omitempty"`
	InviteUsers  bool `json:"invite,omitempty"`
	PinMessages  bool `json:"pin,omitempty"`
}

// EncodeRights is the stored form of banned rights; nil for none.
func EncodeRights(r BannedRights) []byte {
	if r == (BannedRights{}) {
		return nil
	}
	b, _ := json.Marshal(r)
	return b
}

// DecodeRights reads rights stored by EncodeRights; garbage reads as none.
func DecodeRights(b []byte) BannedRights {
	var r BannedRights
	if len(b) > 0 {
		json.Unmarshal(b, &r)
	}
	return r
}

// ChatChange is the result of a change that posted a service message: the
// actor's copy and its log position (zero when the actor got no copy).
type ChatChange struct {
	Chat     store.Chat
	Message  store.Message
	Pts      int32
	PtsCount int32
}

func checkTitle(title string) (string, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return "", ErrChatTitleEmpty
	}
	if r := []rune(title); len(r) > MaxChatTitleLength {
		title = string(r[:MaxChatTitleLength])
	}
	return title, nil
}

// CreateChat creates a basic group of creator and the users who allow
// being invited by creator; it returns the change and the users left out
// by their privacy settings.
func (c *Core) CreateChat(ctx context.Context, creator int64, users []int64, title string, o Origin) (ChatChange, []int64, error) {
	title, err := checkTitle(title)
	if err != nil {
		return ChatChange{}, nil, err
	}
	now := c.now().Truncate(time.Second)
	members := []store.ChatMember{{UserID: creator, InviterID: creator, Date: now, Admin: true}}
	var added, missing []int64
	for _, u := range users {
		if u == creator || slices.Contains(added, u) || slices.Contains(missing, u) {
			continue
		}
		if _, err := c.User(ctx, u); err != nil {
			return ChatChange{}, nil, ErrUserIDInvalid
		}
		ok, err := c.Permits(ctx, u, creator, PrivacyChatInvite)
		if err != nil {
			return ChatChange{}, nil, err
		}
		if !ok {
			missing = append(missing, u)
			continue
		}
		added = append(added, u)
		members = append(members, store.ChatMember{UserID: u, InviterID: creator, Date: now})
	}
	if len(members) > MaxChatSize {
		return ChatChange{}, nil, ErrUsersTooMuch
	}
	owners := make([]int64, len(members))
	for i, m := range members {
		owners[i] = m.UserID
	}
	a := Action{Type: ActionChatCreate, Title: title, Users: owners}
	ch, err := c.chatChange(ctx, creator, a, o, func(tx store.BoxTx) (store.Chat, []int64, error) {
		chat, err := tx.CreateChat(store.Chat{Title: title, CreatorID: creator, Date: now, Version: 1}, members)
		return chat, owners, err
	})
	return ch, missing, err
}

// chatRole loads a chat and actor's membership; a missing chat is
// CHAT_ID_INVALID, a non-member actor CHAT_ADMIN_REQUIRED is not decided
// here: ok reports membership.
func (c *Core) chatRole(ctx context.Context, chatID, actor int64) (store.Chat, store.ChatMember, bool, error) {
	chat, err := c.Store.Chats().Get(ctx, chatID)
	if errors.Is(err, store.ErrNotFound) {
		return chat, store.ChatMember{}, false, ErrChatIDInvalid
	} else if err != nil {
		return chat, store.ChatMember{}, false, err
	}
	m, err := c.Store.Chats().Member(ctx, chatID, actor)
	if errors.Is(err, store.ErrNotFound) {
		return chat, m, false, nil
	} else if err != nil {
		return chat, m, false, err
	}
	return chat, m, true, nil
}

// activeMember loads a chat actor may act in: an existing, active group
// of which actor is a member.
func (c *Core) activeMember(ctx context.Context, chatID, actor int64) (store.Chat, store.ChatMember, error) {
	chat, m, in, err := c.chatRole(ctx, chatID, actor)
	if err != nil {
		return chat, m, err
	}
	if !in {
		return chat, m, ErrChatIDInvalid
	}
	if chat.Deactivated {
		return chat, m, ErrChatWriteForbidden
	}
	return chat, m, nil
}

// isAdmin reports an admin or the creator.
func isAdmin(chat store.Chat, m store.ChatMember) bool { return m.Admin || m.UserID == chat.CreatorID }

// memberIDs returns the ids of chat's members.
func (c *Core) memberIDs(ctx context.Context, chatID int64) ([]int64, error) {
	ms, err := c.Store.Chats().Members(ctx, chatID)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.UserID
	}
	return out, nil
}

// AddChatUser adds user to a basic group; members may add unless the
// default rights forbid inviting, admins always.
func (c *Core) AddChatUser(ctx context.Context, actor, chatID, user int64, o Origin) (ChatChange, error) {
	chat, me, err := c.activeMember(ctx, chatID, actor)
	if err != nil {
		return ChatChange{}, err
	}
	if !isAdmin(chat, me) && DecodeRights(chat.DefaultBannedRights).InviteUsers {
		return ChatChange{}, ErrChatAdminRequired
	}
	if _, err := c.User(ctx, user); err != nil {
		return ChatChange{}, ErrUserIDInvalid
	}
	if user != actor {
		if ok, err := c.Permits(ctx, user, actor, PrivacyChatInvite); err != nil {
			return ChatChange{}, err
		} else if !ok {
			return ChatChange{}, ErrUserPrivacyRestricted
		}
	}
	return c.join(ctx, chat, actor, user, Action{Type: ActionChatAddUser, Users: []int64{user}}, "", o)
}

// join adds user (invited by inviter) and tells every member, in one
// transaction.
// join adds user to chat. With an invite hash, the join takes one use of
// the link in the same transaction, so a link's last use goes to one
// joiner only.
func (c *Core) join(ctx context.Context, chat store.Chat, inviter, user int64, a Action, hash string, o Origin) (ChatChange, error) {
	// The sender of a join by link is the joiner.
	from := inviter
	if a.Type == ActionChatJoinedByLink {
		from = user
	}
	now := c.now().Truncate(time.Second)
	return c.chatChange(ctx, from, a, o, func(tx store.BoxTx) (store.Chat, []int64, error) {
		chat, members, err := txChat(tx, chat.ID)
		if err != nil {
			return chat, nil, err
		}
		if slices.Contains(members, user) {
			return chat, nil, ErrUserAlreadyParticipant
		}
		if len(members) >= MaxChatSize {
			return chat, nil, ErrUsersTooMuch
		}
		if hash != "" {
			if err := c.useInvite(tx, hash, now); err != nil {
				return chat, nil, err
			}
		}
		err = tx.AddChatMember(store.ChatMember{ChatID: chat.ID, UserID: user, InviterID: inviter, Date: now})
		if errors.Is(err, store.ErrExists) {
			return chat, nil, ErrUserAlreadyParticipant
		} else if err != nil {
			return chat, nil, err
		}
		chat.Version++
		return chat, append(members, user), tx.UpdateChat(chat)
	})
}

// DeleteChatUser removes user from a basic group: actor leaves when user
// is actor; otherwise the creator removes anyone, an admin those who are
// not admins. Every member, the removed one included, gets the service
// message; afterwards the removed user sees the chat as forbidden.
func (c *Core) DeleteChatUser(ctx context.Context, actor, chatID, user int64, o Origin) (ChatChange, error) {
	chat, me, err := c.activeMember(ctx, chatID, actor)
	if err != nil {
		return ChatChange{}, err
	}
	target, err := c.Store.Chats().Member(ctx, chatID, user)
	if errors.Is(err, store.ErrNotFound) {
		return ChatChange{}, ErrUserNotParticipant
	} else if err != nil {
		return ChatChange{}, err
	}
	if user != actor {
		switch {
		case actor == chat.CreatorID:
		case user == chat.CreatorID, !isAdmin(chat, me), target.Admin:
			return ChatChange{}, ErrChatAdminRequired
		}
	}
	a := Action{Type: ActionChatDeleteUser, UserID: user}
	return c.chatChange(ctx, actor, a, o, func(tx store.BoxTx) (store.Chat, []int64, error) {
		chat, members, err := txChat(tx, chatID)
		if err != nil {
			return chat, nil, err
		}
		if err := tx.RemoveChatMember(chatID, user); errors.Is(err, store.ErrNotFound) {
			return chat, nil, ErrUserNotParticipant
		} else if err != nil {
			return chat, nil, err
		}
		chat.Version++
		return chat, members, tx.UpdateChat(chat)
	})
}

// EditChatTitle renames a basic group; members may unless the default
// rights forbid changing the info.
func (c *Core) EditChatTitle(ctx context.Context, actor, chatID int64, title string, o Origin) (ChatChange, error) {
	chat, me, err := c.activeMember(ctx, chatID, actor)
	if err != nil {
		return ChatChange{}, err
	}
	if !isAdmin(chat, me) && DecodeRights(chat.DefaultBannedRights).ChangeInfo {
		return ChatChange{}, ErrChatAdminRequired
	}
	title, err = checkTitle(title)
	if err != nil {
		return ChatChange{}, err
	}
	if title == chat.Title {
		return ChatChange{}, ErrChatNotModified
	}
	a := Action{Type: ActionChatEditTitle, Title: title}
	return c.chatChange(ctx, actor, a, o, func(tx store.BoxTx) (store.Chat, []int64, error) {
		chat, members, err := txChat(tx, chatID)
		if err != nil {
			return chat, nil, err
		}
		chat.Title = title
		return chat, members, tx.UpdateChat(chat)
	})
}

// EditChatAdmin grants or revokes a member's admin rights; only the
// creator may. Every member's sessions are told
// (updateChatParticipantAdmin), the actor's too: the call's result is a
// bare boolean.
func (c *Core) EditChatAdmin(ctx context.Context, actor, chatID, user int64, admin bool) error {
	chat, _, err := c.activeMember(ctx, chatID, actor)
	if err != nil {
		return err
	}
	if actor != chat.CreatorID {
		return ErrChatAdminRequired
	}
	m, err := c.Store.Chats().Member(ctx, chatID, user)
	if errors.Is(err, store.ErrNotFound) {
		return ErrUserNotParticipant
	} else if err != nil {
		return err
	}
	if user == chat.CreatorID || m.Admin == admin {
		return ErrChatNotModified
	}
	var members []int64
	err = c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		if chat, members, err = txChat(tx, chatID); err != nil {
			return err
		}
		if err := tx.SetChatAdmin(chatID, user, admin); errors.Is(err, store.ErrNotFound) {
			return ErrUserNotParticipant
		} else if err != nil {
			return err
		}
		chat.Version++
		return tx.UpdateChat(chat)
	})
	if err != nil {
		return err
	}
	c.notifyChat(members, ChatUpdate{Chat: chat, Member: user, Admin: admin})
	return nil
}

// EditChatDefaultRights sets what members may not do; admins only. The
// members' sessions are told (updateChatDefaultBannedRights), except the
// one of origin, whose result carries the change.
func (c *Core) EditChatDefaultRights(ctx context.Context, actor, chatID int64, r BannedRights, o Origin) (store.Chat, error) {
	chat, me, err := c.activeMember(ctx, chatID, actor)
	if err != nil {
		return chat, err
	}
	if !isAdmin(chat, me) {
		return chat, ErrChatAdminRequired
	}
	if DecodeRights(chat.DefaultBannedRights) == r {
		return chat, ErrChatNotModified
	}
	var members []int64
	err = c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		if chat, members, err = txChat(tx, chatID); err != nil {
			return err
		}
		chat.DefaultBannedRights = EncodeRights(r)
		chat.Version++
		return tx.UpdateChat(chat)
	})
	if err != nil {
		return chat, err
	}
	c.notifyChat(members, ChatUpdate{Chat: chat, Origin: o})
	return chat, nil
}

// InviteLink is the URL prefix of invite links; the hash follows it.
const InviteLink = "https://t.me/+"

// ExportChatInvite makes a new invite link; admins only. A permanent link
// (no expiry, no limit) replaces the previous permanent one, as
// legacy_revoke_permanent asks.
func (c *Core) ExportChatInvite(ctx context.Context, actor, chatID int64, expire time.Time, limit int32) (store.ChatInvite, error) {
	chat, me, err := c.activeMember(ctx, chatID, actor)
	if err != nil {
		return store.ChatInvite{}, err
	}
	if !isAdmin(chat, me) {
		return store.ChatInvite{}, ErrChatAdminRequired
	}
	now := c.now().Truncate(time.Second)
	if limit < 0 || limit > 99999 {
		return store.ChatInvite{}, bad("USAGE_LIMIT_INVALID")
	}
	if !expire.IsZero() && !expire.After(now) {
		return store.ChatInvite{}, bad("EXPIRE_DATE_INVALID")
	}
	permanent := expire.IsZero() && limit == 0
	if permanent {
		old, err := c.Store.Chats().Invites(ctx, chatID)
		if err != nil {
			return store.ChatInvite{}, err
		}
		for _, inv := range old {
			if inv.Permanent && !inv.Revoked {
				inv.Revoked = true
				if err := c.Store.Chats().PutInvite(ctx, inv); err != nil {
					return store.ChatInvite{}, err
				}
			}
		}
	}
	var b [12]byte
	if _, err := io.ReadFull(c.rand(), b[:]); err != nil {
		return store.ChatInvite{}, err
	}
	inv := store.ChatInvite{Hash: base64.RawURLEncoding.EncodeToString(b[:]), ChatID: chatID, AdminID: actor, Date: now,
		ExpireDate: expire, UsageLimit: limit, Permanent: permanent}
	return inv, c.Store.Chats().PutInvite(ctx, inv)
}

// PermanentInvite returns the chat's current permanent link, if any.
func (c *Core) PermanentInvite(ctx context.Context, chatID int64) (store.ChatInvite, bool) {
	invs, err := c.Store.Chats().Invites(ctx, chatID)
	if err != nil {
		return store.ChatInvite{}, false
	}
	for _, inv := range invs {
		if inv.Permanent && !inv.Revoked {
			return inv, true
		}
	}
	return store.ChatInvite{}, false
}

// InviteHash extracts the hash from a link or returns a bare hash as is.
func InviteHash(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"https://", "http://", "t.me/", "telegram.me/", "joinchat/", "+"} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

// validInvite returns the usable link with hash.
func (c *Core) validInvite(ctx context.Context, hash string) (store.ChatInvite, store.Chat, error) {
	hash = InviteHash(hash)
	if hash == "" {
		return store.ChatInvite{}, store.Chat{}, ErrInviteHashEmpty
	}
	inv, err := c.Store.Chats().Invite(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return inv, store.Chat{}, ErrInviteHashInvalid
	} else if err != nil {
		return inv, store.Chat{}, err
	}
	if inv.Revoked || (!inv.ExpireDate.IsZero() && !c.now().Before(inv.ExpireDate)) ||
		(inv.UsageLimit > 0 && inv.Usage >= inv.UsageLimit) {
		return inv, store.Chat{}, ErrInviteHashExpired
	}
	chat, err := c.Store.Chats().Get(ctx, inv.ChatID)
	if errors.Is(err, store.ErrNotFound) || chat.Deactivated {
		return inv, chat, ErrInviteHashInvalid
	} else if err != nil {
		return inv, chat, err
	}
	return inv, chat, nil
}

// CheckChatInvite returns the chat a link leads to and whether user is
// already a member of it.
func (c *Core) CheckChatInvite(ctx context.Context, user int64, hash string) (store.Chat, bool, error) {
	_, chat, err := c.validInvite(ctx, hash)
	if err != nil {
		return chat, false, err
	}
	_, err = c.Store.Chats().Member(ctx, chat.ID, user)
	if err == nil {
		return chat, true, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return chat, false, err
	}
	return chat, false, nil
}

// ImportChatInvite joins user to the chat of a link.
func (c *Core) ImportChatInvite(ctx context.Context, user int64, hash string, o Origin) (ChatChange, error) {
	inv, chat, err := c.validInvite(ctx, hash)
	if err != nil {
		return ChatChange{}, err
	}
	return c.join(ctx, chat, inv.AdminID, user, Action{Type: ActionChatJoinedByLink, InviterID: inv.AdminID}, inv.Hash, o)
}

// useInvite takes one use of an invite link inside a join's transaction,
// checking the link again there.
func (c *Core) useInvite(tx store.BoxTx, hash string, now time.Time) error {
	inv, err := tx.UseInvite(hash)
	if errors.Is(err, store.ErrNotFound) {
		return ErrInviteHashInvalid
	} else if err != nil {
		return err
	}
	if inv.Revoked || (!inv.ExpireDate.IsZero() && !now.Before(inv.ExpireDate)) ||
		(inv.UsageLimit > 0 && inv.Usage > inv.UsageLimit) {
		return ErrInviteHashExpired
	}
	return nil
}

// MaxChatAboutLength is the longest description of a group, in
// characters, as the official server allows.
const MaxChatAboutLength = 255

// Errors of group descriptions, with the official strings.
var (
	ErrChatAboutNotModified = bad("CHAT_ABOUT_NOT_MODIFIED")
	ErrChatAboutTooLong     = bad("CHAT_ABOUT_TOO_LONG")
)

// EditChatAbout sets the description of a basic group. Like the title,
// any member may unless the default rights forbid changing the info; no
// service message announces it (clients read it from the full chat).
func (c *Core) EditChatAbout(ctx context.Context, actor, chatID int64, about string) error {
	chat, me, err := c.activeMember(ctx, chatID, actor)
	if err != nil {
		return err
	}
	if !isAdmin(chat, me) && DecodeRights(chat.DefaultBannedRights).ChangeInfo {
		return ErrChatAdminRequired
	}
	if len([]rune(about)) > MaxChatAboutLength {
		return ErrChatAboutTooLong
	}
	if about == chat.About {
		return ErrChatAboutNotModified
	}
	chat.About = about
	return c.Store.Chats().Update(ctx, chat)
}
