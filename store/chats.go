package store

import (
	"context"
	"time"
)

// Chat is a basic group.
type Chat struct {
	// ID is assigned by Create when 0 (from FirstChatID, never reused).
	ID        int64
	Title     string
	CreatorID int64
	Date      time.Time
	// Version counts changes of the member list and rights, as
	// chatParticipants.version does.
	Version     int32
	Deactivated bool
	About       string
	// DefaultBannedRights is core's encoding of the members' default
	// restrictions, nil for none (an empty slice reads back as nil).
	DefaultBannedRights []byte
}

// FirstChatID is the first basic group id Create assigns.
const FirstChatID int64 = 100_000

// ChatMember is a member of a basic group.
type ChatMember struct {
	ChatID    int64
	UserID    int64
	InviterID int64
	Date      time.Time
	Admin     bool
}

// ChatInvite is an invite link of a basic group.
type ChatInvite struct {
	// Hash is the part of the link after t.me/+; unique.
	Hash       string
	ChatID     int64
	AdminID    int64
	Date       time.Time
	ExpireDate time.Time // zero: never
	UsageLimit int32     // 0: unlimited
	Usage      int32
	Revoked    bool
	Permanent  bool
}

// Chats persists basic groups, their members and invite links. A chat's
// members and links go with the chat; a membership goes with the user.
type Chats interface {
	// Create stores c with its first members and returns it with its id.
	// When c.ID is 0 it assigns the next id: FirstChatID or more, above
	// every id given or assigned before. An explicit c.ID is kept. Each
	// member's ChatID is set to the chat's. ErrExists if the id is taken;
	// ErrNotFound if the creator or a member is not a user; ErrInvalid if
	// c.ID is negative, a user is listed twice or a member names another
	// chat.
	Create(ctx context.Context, c Chat, members []ChatMember) (Chat, error)
	// Get returns one chat, or ErrNotFound.
	Get(ctx context.Context, id int64) (Chat, error)
	// GetMany returns the chats that exist among ids, in the order of ids.
	// Missing ids are skipped; an id listed twice is returned once, at its
	// first place.
	GetMany(ctx context.Context, ids []int64) ([]Chat, error)
	// Update replaces title, version, rights, about and deactivation;
	// CreatorID and Date keep their values. ErrNotFound if missing.
	Update(ctx context.Context, c Chat) error
	// Members returns the members ordered by Date then UserID (none for a
	// missing chat).
	Members(ctx context.Context, chatID int64) ([]ChatMember, error)
	// Member returns one membership, or ErrNotFound.
	Member(ctx context.Context, chatID, userID int64) (ChatMember, error)
	// AddMember adds a member. ErrExists if already one; ErrNotFound if
	// the chat or user does not exist.
	AddMember(ctx context.Context, m ChatMember) error
	// RemoveMember removes a member. ErrNotFound if not one.
	RemoveMember(ctx context.Context, chatID, userID int64) error
	// SetAdmin grants or revokes admin rights. ErrNotFound if not a member.
	SetAdmin(ctx context.Context, chatID, userID int64, admin bool) error
	// ChatsOf returns the ids of the chats userID is a member of, in
	// ascending order.
	ChatsOf(ctx context.Context, userID int64) ([]int64, error)
	// PutInvite creates or replaces an invite link. ErrInvalid if the hash
	// is ""; ErrNotFound if the chat does not exist; ErrExists if the hash
	// is a link of another chat.
	PutInvite(ctx context.Context, inv ChatInvite) error
	// Invite returns the link with hash, or ErrNotFound.
	Invite(ctx context.Context, hash string) (ChatInvite, error)
	// Invites returns the links of a chat, newest first (by Date
	// descending, then by Hash); none for a missing chat.
	Invites(ctx context.Context, chatID int64) ([]ChatInvite, error)
}
