package store

import (
	"context"
	"time"
)

// PeerKind tells what a dialog is with.
type PeerKind int8

// Kinds of peer.
const (
	PeerUser PeerKind = 1
	PeerChat PeerKind = 2
)

// Peer is the other side of a dialog: a user (a private chat; the owner
// himself for Saved Messages) or a basic group. A valid peer has a known
// Kind and a positive ID; methods given another fail with ErrInvalid
// (except SearchQuery.Peer, whose zero value means every dialog).
type Peer struct {
	Kind PeerKind
	ID   int64
}

// Message is one copy of a message in one user's box. Private chats and
// basic groups live in each user's common box: a message exists once per
// participant, each copy with that owner's own message id.
//
// Byte slices are copied in and out; an empty one reads back as nil.
type Message struct {
	OwnerID int64
	// ID is the owner's message id; Tx.NextID reserves it.
	ID   int32
	Peer Peer
	// FromID is the sender (0 for messages without one).
	FromID int64
	// Out reports a message the owner sent.
	Out  bool
	Date time.Time
	// EditDate is zero until edited.
	EditDate time.Time
	// Text is valid UTF-8 without NUL, as SQL text columns need; writes
	// of other text fail with ErrInvalid.
	Text string
	// Entities, Media, FwdFrom and Action are core's own encodings.
	Entities []byte
	Media    []byte
	FwdFrom  []byte
	// Action makes the message a service message (chat created, ...).
	Action []byte
	// ReplyMarkup is core's encoding of a bot's keyboard, nil when none.
	ReplyMarkup []byte
	// ReplyTo is the owner's id of the message replied to, or 0.
	ReplyTo int32
	// RandomID is the sender's random_id, on the sender's copy only; a
	// box holds one message per non-zero random id.
	RandomID int64
	// GlobalID links the copies of one message across boxes (edits and
	// deletions for everyone find them by it); 0 links nothing.
	GlobalID int64
	Silent   bool
	// NoForwards forbids forwarding and saving.
	NoForwards bool
	// Mentioned: the message mentions the owner; MediaUnread: the mention
	// or voice message is not read yet. A message with both is an unread
	// mention (HistoryQuery.OnlyMentions).
	Mentioned   bool
	MediaUnread bool
	Pinned      bool
}

// Dialog is the owner's state of one conversation.
type Dialog struct {
	OwnerID int64
	Peer    Peer
	// TopMessage is the newest message id; 0 when the history is empty.
	TopMessage      int32
	TopDate         time.Time
	ReadInboxMaxID  int32
	ReadOutboxMaxID int32
	// UnreadCount and UnreadMentions count incoming messages above
	// ReadInboxMaxID and unread mentions.
	UnreadCount    int32
	UnreadMentions int32
	// PinnedOrder > 0 pins the dialog; higher comes first.
	PinnedOrder int32
	FolderID    int32
	// Draft is core's encoding of the draft, nil when none (an empty
	// slice reads back as nil).
	Draft []byte
}

// Update is one entry of a user's update log.
type Update struct {
	OwnerID int64
	// Pts is the owner's box pts after the update; PtsCount how many
	// events it carries (0 for an update that does not move pts).
	//
	// An entry with PtsCount 0 carries the pts the box had when it was
	// appended and sorts after the entry that reached that pts (and after
	// earlier such entries). Updates(after) returns it only to readers
	// below its Pts, so it suits events that are also pushed live.
	Pts      int32
	PtsCount int32
	Date     time.Time
	// Payload is core's encoding of the event (an empty one reads back as
	// nil).
	Payload []byte
}

// BoxState is the counters of a user's common box.
type BoxState struct {
	Pts int32
	// LastID is the highest message id handed out.
	LastID int32
	// Seq numbers the update containers pushed to the user.
	Seq int32
}

// Boxes persists message boxes, dialogs and update logs. A change and the
// updates it makes are written in one transaction (Update), so that live
// pushes and updates.getDifference read the same log.
//
// The read methods see committed data only. Limits must be positive and
// ids (MinID, MaxID, after) not negative; ErrInvalid otherwise.
type Boxes interface {
	// Update runs f in one write transaction; everything f does is kept
	// only when f returns nil. Calls are serialised per store.
	//
	// If f panics, its work is dropped and the panic goes on in the
	// caller. f must do its work through tx: the other methods of the
	// store do not see tx's writes, and calling Update or a write method
	// of the store from f may deadlock. tx is not for use after f returns
	// nor from several goroutines. A ctx done before f starts fails the
	// call with ctx.Err(); once f runs, the call completes. Update returns
	// the error f returned as it is, ErrInvalid if f is nil, and wrapped
	// errors of the database. An error of tx does not end the transaction:
	// f may handle it (ErrExists from PutMessage, say) and go on.
	//
	// Implementations may run several calls in one database transaction
	// (group commit) when each call is still kept or dropped as a whole.
	Update(ctx context.Context, f func(tx BoxTx) error) error
	// State returns the counters of owner's box (zero for a new one).
	State(ctx context.Context, owner int64) (BoxState, error)
	// Message returns one message, or ErrNotFound.
	Message(ctx context.Context, owner int64, id int32) (Message, error)
	// Messages returns the messages among ids that exist, in id order;
	// an id listed twice is returned once.
	Messages(ctx context.Context, owner int64, ids []int32) ([]Message, error)
	// History returns up to limit messages of the dialog with peer whose
	// ids are in (minID, maxID) (0: unbounded), newest first when
	// before is true (ids < maxID), else oldest first (ids > minID).
	// Both bounds and MaxDate apply in either direction; see HistoryQuery.
	History(ctx context.Context, owner int64, peer Peer, q HistoryQuery) ([]Message, error)
	// Count returns how many messages the dialog with peer holds.
	Count(ctx context.Context, owner int64, peer Peer) (int, error)
	// Dialogs returns the owner's dialogs with a top message in folder,
	// pinned first (by PinnedOrder, descending), then by TopDate and
	// TopMessage descending, skipping those not after the offset. Ties
	// are broken by peer kind and id, descending. Pinned dialogs count
	// towards the limit; see DialogQuery.
	Dialogs(ctx context.Context, owner int64, q DialogQuery) ([]Dialog, error)
	// Dialog returns one dialog, or ErrNotFound.
	Dialog(ctx context.Context, owner int64, peer Peer) (Dialog, error)
	// Updates returns up to limit log entries of owner with Pts > after,
	// in Pts order (entries with equal Pts in the order appended).
	Updates(ctx context.Context, owner int64, after int32, limit int) ([]Update, error)
	// Search returns up to limit messages of owner containing text
	// (case-insensitive), newest first, optionally within one dialog
	// (Peer.ID != 0), with ids below maxID (0: unbounded) and dates in
	// [from, to) (zero: unbounded). See SearchQuery.
	Search(ctx context.Context, owner int64, q SearchQuery) ([]Message, error)
}

// HistoryQuery selects a page of one dialog's history.
type HistoryQuery struct {
	// MaxID and MinID bound the ids exclusively; 0 means unbounded.
	MaxID, MinID int32
	// Before pages towards older messages (descending ids below MaxID);
	// otherwise towards newer ones (ascending ids above MinID).
	Before bool
	// MaxDate, when set, keeps messages dated strictly before it.
	MaxDate time.Time
	// Limit is the most messages returned; it must be positive.
	Limit int
	// OnlyMentions keeps unread mentions of the owner (messages with both
	// Mentioned and MediaUnread).
	OnlyMentions bool
}

// DialogQuery selects a page of dialogs.
type DialogQuery struct {
	// FolderID keeps the dialogs of one folder (0: the main list, 1: the
	// archive).
	FolderID int32
	// OffsetDate and OffsetID page past dialogs not newer than them
	// (zero: from the newest); pinned dialogs come only on the first
	// page.
	//
	// With OffsetDate set, a dialog is kept when (TopDate, TopMessage)
	// is below (OffsetDate, OffsetID) in that order, so the offset is the
	// last dialog of the previous page. With only OffsetID set, a dialog
	// is kept when TopMessage < OffsetID. The first page is the one with
	// both zero.
	OffsetDate time.Time
	OffsetID   int32
	// Limit is the most dialogs returned; it must be positive.
	Limit int
	// PinnedOnly keeps pinned dialogs; ExcludePinned leaves them out.
	// Setting both is ErrInvalid.
	PinnedOnly, ExcludePinned bool
}

// SearchQuery selects messages by text.
type SearchQuery struct {
	// Text is found anywhere in a message's text, ignoring case (Unicode
	// simple case folding, as strings.EqualFold). "" matches every
	// message. Like Message.Text it must be UTF-8 without NUL.
	Text string
	// Peer restricts the search to one dialog; the zero Peer searches
	// them all.
	Peer Peer
	// MaxID keeps ids below it; 0: unbounded.
	MaxID int32
	// From and To keep dates in [From, To); zero: unbounded.
	From, To time.Time
	// Limit is the most messages returned; it must be positive.
	Limit int
}

// BoxTx is the write side of a Boxes transaction. Owners must be users:
// writes naming another owner fail with ErrNotFound.
type BoxTx interface {
	// NextID reserves the next message id of owner's box: 1, 2, ...
	// without gaps among kept transactions.
	NextID(owner int64) (int32, error)
	// PutMessage stores a new message (its ID from NextID). ErrExists if
	// the owner already has its id or its non-zero RandomID; ErrInvalid if
	// the id is not positive or was not reserved by NextID, or the peer or
	// the text is invalid.
	PutMessage(m Message) error
	// Message reads one message, or ErrNotFound.
	Message(owner int64, id int32) (Message, error)
	// ByRandomID finds the owner's message sent with randomID, or
	// ErrNotFound (also for 0).
	ByRandomID(owner, randomID int64) (Message, error)
	// ByGlobalID returns every copy of a message, ordered by owner then
	// id; none if there is none. ErrInvalid if globalID is 0.
	ByGlobalID(globalID int64) ([]Message, error)
	// UpdateMessage replaces a stored message (edit, pin, read mention):
	// every field but OwnerID and ID, which find it. ErrNotFound if
	// missing; ErrExists if its new RandomID is taken; ErrInvalid if the
	// peer or the text is invalid.
	UpdateMessage(m Message) error
	// DeleteMessages removes messages of owner; missing ids are ignored.
	DeleteMessages(owner int64, ids []int32) error
	// Dialog reads one dialog, or ErrNotFound.
	Dialog(owner int64, peer Peer) (Dialog, error)
	// PutDialog creates or replaces a dialog. ErrInvalid if the peer is
	// invalid or PinnedOrder negative.
	PutDialog(d Dialog) error
	// DeleteDialog removes a dialog (its messages stay unless deleted).
	// ErrNotFound if missing.
	DeleteDialog(owner int64, peer Peer) error
	// AppendUpdate adds an entry to owner's log, advancing the box pts by
	// ptsCount, and returns the entry's Pts. ErrInvalid if ptsCount is
	// negative.
	AppendUpdate(owner int64, ptsCount int32, date time.Time, payload []byte) (int32, error)
	// NextSeq advances and returns the owner's container seq.
	NextSeq(owner int64) (int32, error)
	// AppendBotUpdate adds u to the Bot API queue of u.BotID and returns
	// its update_id: one above the last id the bot's queue handed out, or
	// u.ID for a bot's first update. ErrInvalid if u.BotID or (for a first
	// update) u.ID is not positive; ErrNotFound if u.BotID is not a user.
	AppendBotUpdate(u BotUpdate) (int64, error)

	// The basic group writes below are those of Chats, inside the
	// transaction, with the same rules and errors: a membership change
	// and the service messages that announce it are kept or dropped
	// together. Chats sees them once the transaction is committed; the
	// reads below see the transaction's own writes.

	// CreateChat is Chats.Create.
	CreateChat(c Chat, members []ChatMember) (Chat, error)
	// Chat reads one chat, or ErrNotFound.
	Chat(id int64) (Chat, error)
	// ChatMembers reads the members of a chat, ordered as Chats.Members.
	ChatMembers(chatID int64) ([]ChatMember, error)
	// AddChatMember is Chats.AddMember.
	AddChatMember(m ChatMember) error
	// RemoveChatMember is Chats.RemoveMember.
	RemoveChatMember(chatID, userID int64) error
	// SetChatAdmin is Chats.SetAdmin.
	SetChatAdmin(chatID, userID int64, admin bool) error
	// UpdateChat is Chats.Update.
	UpdateChat(c Chat) error
	// UseInvite counts one more use of the invite link hash and returns
	// it as counted; ErrNotFound if there is no such link. Callers check
	// its limits in the same transaction, so that two joins cannot both
	// take a link's last use.
	UseInvite(hash string) (ChatInvite, error)
}
