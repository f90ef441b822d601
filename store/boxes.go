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
// himself for Saved Messages) or a basic group.
type Peer struct {
	Kind PeerKind
	ID   int64
}

// Message is one copy of a message in one user's box. Private chats and
// basic groups live in each user's common box: a message exists once per
// participant, each copy with that owner's own message id.
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
	Text     string
	// Entities, Media, FwdFrom and Action are core's own encodings.
	Entities []byte
	Media    []byte
	FwdFrom  []byte
	// Action makes the message a service message (chat created, ...).
	Action []byte
	// ReplyTo is the owner's id of the message replied to, or 0.
	ReplyTo int32
	// RandomID is the sender's random_id, on the sender's copy only; a
	// box holds one message per non-zero random id.
	RandomID int64
	// GlobalID links the copies of one message across boxes (edits and
	// deletions for everyone find them by it).
	GlobalID int64
	Silent   bool
	// NoForwards forbids forwarding and saving.
	NoForwards bool
	// Mentioned: the message mentions the owner; MediaUnread: the mention
	// or voice message is not read yet.
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
	// Draft is core's encoding of the draft, nil when none.
	Draft []byte
}

// Update is one entry of a user's update log.
type Update struct {
	OwnerID int64
	// Pts is the owner's box pts after the update; PtsCount how many
	// events it carries (0 for an update that does not move pts).
	Pts      int32
	PtsCount int32
	Date     time.Time
	// Payload is core's encoding of the event.
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
type Boxes interface {
	// Update runs f in one write transaction; everything f does is kept
	// only when f returns nil. Calls are serialised per store.
	Update(ctx context.Context, f func(tx BoxTx) error) error
	// State returns the counters of owner's box (zero for a new one).
	State(ctx context.Context, owner int64) (BoxState, error)
	// Message returns one message, or ErrNotFound.
	Message(ctx context.Context, owner int64, id int32) (Message, error)
	// Messages returns the messages among ids that exist, in id order.
	Messages(ctx context.Context, owner int64, ids []int32) ([]Message, error)
	// History returns up to limit messages of the dialog with peer whose
	// ids are in (minID, maxID) (0: unbounded), newest first when
	// before is true (ids < maxID), else oldest first (ids > minID).
	History(ctx context.Context, owner int64, peer Peer, q HistoryQuery) ([]Message, error)
	// Count returns how many messages the dialog with peer holds.
	Count(ctx context.Context, owner int64, peer Peer) (int, error)
	// Dialogs returns the owner's dialogs with a top message in folder,
	// pinned first (by PinnedOrder, descending), then by TopDate and
	// TopMessage descending, skipping those not after the offset.
	Dialogs(ctx context.Context, owner int64, q DialogQuery) ([]Dialog, error)
	// Dialog returns one dialog, or ErrNotFound.
	Dialog(ctx context.Context, owner int64, peer Peer) (Dialog, error)
	// Updates returns up to limit log entries of owner with Pts > after,
	// in Pts order.
	Updates(ctx context.Context, owner int64, after int32, limit int) ([]Update, error)
	// Search returns up to limit messages of owner containing text
	// (case-insensitive), newest first, optionally within one dialog
	// (Peer.ID != 0), with ids below maxID (0: unbounded) and dates in
	// [from, to) (zero: unbounded).
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
	Limit   int
	// OnlyMentions keeps unread mentions of the owner.
	OnlyMentions bool
}

// DialogQuery selects a page of dialogs.
type DialogQuery struct {
	FolderID int32
	// OffsetDate and OffsetID page past dialogs not newer than them
	// (zero: from the newest); pinned dialogs come only on the first
	// page.
	OffsetDate time.Time
	OffsetID   int32
	Limit      int
	// PinnedOnly keeps pinned dialogs; ExcludePinned leaves them out.
	PinnedOnly, ExcludePinned bool
}

// SearchQuery selects messages by text.
type SearchQuery struct {
	Text     string
	Peer     Peer
	MaxID    int32
	From, To time.Time
	Limit    int
}

// BoxTx is the write side of a Boxes transaction.
type BoxTx interface {
	// NextID reserves the next message id of owner's box.
	NextID(owner int64) (int32, error)
	// PutMessage stores a new message (its ID from NextID). ErrExists if
	// the owner already has its non-zero RandomID.
	PutMessage(m Message) error
	// Message reads one message, or ErrNotFound.
	Message(owner int64, id int32) (Message, error)
	// ByRandomID finds the owner's message sent with randomID.
	ByRandomID(owner, randomID int64) (Message, error)
	// ByGlobalID returns every copy of a message.
	ByGlobalID(globalID int64) ([]Message, error)
	// UpdateMessage replaces a stored message (edit, pin, read mention).
	UpdateMessage(m Message) error
	// DeleteMessages removes messages of owner; missing ids are ignored.
	DeleteMessages(owner int64, ids []int32) error
	// Dialog reads one dialog, or ErrNotFound.
	Dialog(owner int64, peer Peer) (Dialog, error)
	// PutDialog creates or replaces a dialog.
	PutDialog(d Dialog) error
	// DeleteDialog removes a dialog (its messages stay unless deleted).
	DeleteDialog(owner int64, peer Peer) error
	// AppendUpdate adds an entry to owner's log, advancing the box pts by
	// ptsCount, and returns the entry's Pts.
	AppendUpdate(owner int64, ptsCount int32, date time.Time, payload []byte) (int32, error)
	// NextSeq advances and returns the owner's container seq.
	NextSeq(owner int64) (int32, error)
	// State returns the owner's counters as the transaction sees them.
	State(owner int64) (BoxState, error)
	// LastMessage returns the newest message of the dialog with peer as
	// the transaction sees it, or ErrNotFound when none is left.
	LastMessage(owner int64, peer Peer) (Message, error)
}
