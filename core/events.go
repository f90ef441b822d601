package core

import (
	"encoding/json"
	"time"

	"github.com/roostchat/roost/store"
)

// EventKind names what an entry of a user's update log records.
type EventKind string

// Kinds of event in the common box.
const (
	EventNewMessage     EventKind = "new_message"
	EventEditMessage    EventKind = "edit_message"
	EventDeleteMessages EventKind = "delete_messages"
	EventReadInbox      EventKind = "read_inbox"
	EventReadOutbox     EventKind = "read_outbox"
	EventReadContents   EventKind = "read_contents"
	EventPinned         EventKind = "pinned"
	// EventBotCallback is a button press pushed to a bot's MTProto
	// sessions; it is never logged (updateBotCallbackQuery has no pts).
	EventBotCallback EventKind = "bot_callback_query"
)

// Event is one change in a user's common box, as its update log keeps it.
type Event struct {
	Kind EventKind   `json:"k"`
	Peer *store.Peer `json:"p,omitempty"`
	// IDs are the owner's message ids the event is about.
	IDs []int32 `json:"i,omitempty"`
	// MaxID is the read boundary of read events.
	MaxID int32 `json:"m,omitempty"`
	// StillUnread is what remains unread after a read_inbox.
	StillUnread int32 `json:"u,omitempty"`
	Pinned      bool  `json:"pin,omitempty"`
	// RandomID maps a sent message to the client's random_id.
	RandomID int64 `json:"r,omitempty"`
	// Draft is the dialog's draft after a draft event (EncodeDraft).
	Draft []byte `json:"dr,omitempty"`
	// Callback is the press of an EventBotCallback.
	Callback *CallbackQuery `json:"cb,omitempty"`
}

func encodeEvent(e Event) []byte {
	b, _ := json.Marshal(e)
	return b
}

// DecodeEvent reads a log entry's payload.
func DecodeEvent(b []byte) (Event, error) {
	var e Event
	err := json.Unmarshal(b, &e)
	return e, err
}

// Entry is an update log entry with its event decoded.
type Entry struct {
	Pts      int32
	PtsCount int32
	Date     time.Time
	Event    Event
}

// Origin is the session a change came from; its own result tells it
// about the change, so pushes skip it.
type Origin struct {
	KeyID     int64
	SessionID int64
}

// Push is what one user must be told after a change: new log entries and
// the messages they refer to.
type Push struct {
	UserID   int64
	Entries  []Entry
	Messages []store.Message
	Origin   Origin
}

// Typing is a user's chat action, pushed without touching the log.
type Typing struct {
	UserID int64
	// From is who types; Peer is where, as the receiver sees it.
	From   int64
	Peer   store.Peer
	Action string
}

// Notifier carries pushes to the users' live sessions (the MTProto push
// path, the Bot API update queues). Core calls it after a change is
// committed; it must not block for long.
type Notifier interface {
	Push(p Push)
	Typing(t Typing)
}

// notify hands pushes to the notifier, if any.
func (c *Core) notify(ps []Push) {
	for _, p := range ps {
		if c.Notifier != nil {
			c.Notifier.Push(p)
		}
		c.wake(p.UserID)
	}
}

// collector gathers, inside a transaction, what to push after it.
type collector struct {
	origin Origin
	by     map[int64]*Push
	order  []int64
}

func newCollector(o Origin) *collector { return &collector{origin: o, by: map[int64]*Push{}} }

func (col *collector) get(user int64) *Push {
	d := col.by[user]
	if d == nil {
		d = &Push{UserID: user, Origin: col.origin}
		col.by[user] = d
		col.order = append(col.order, user)
	}
	return d
}

// log appends an event to owner's log inside tx and records it for the
// push.
func (col *collector) log(tx store.BoxTx, owner int64, count int32, date time.Time, e Event) (int32, error) {
	pts, err := tx.AppendUpdate(owner, count, date, encodeEvent(e))
	if err != nil {
		return 0, err
	}
	d := col.get(owner)
	d.Entries = append(d.Entries, Entry{Pts: pts, PtsCount: count, Date: date, Event: e})
	return pts, nil
}

func (col *collector) message(m store.Message) {
	d := col.get(m.OwnerID)
	d.Messages = append(d.Messages, m)
}

func (col *collector) pushes() []Push {
	out := make([]Push, 0, len(col.order))
	for _, u := range col.order {
		out = append(out, *col.by[u])
	}
	return out
}
