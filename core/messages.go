package core

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/roostchat/roost/store"
)

// Limits of messages, as the official server has them (help.getConfig
// says message_length_max and edit_time_limit).
const (
	MaxMessageLength = 4096
	EditTimeLimit    = 48 * time.Hour
)

// Errors of messaging, with the official strings.
var (
	ErrMessageEmpty          = bad("MESSAGE_EMPTY")
	ErrMessageTooLong        = bad("MESSAGE_TOO_LONG")
	ErrMessageIDInvalid      = bad("MESSAGE_ID_INVALID")
	ErrMessageNotModified    = bad("MESSAGE_NOT_MODIFIED")
	ErrMessageAuthorRequired = &Error{403, "MESSAGE_AUTHOR_REQUIRED"}
	ErrMessageEditExpired    = bad("MESSAGE_EDIT_TIME_EXPIRED")
	ErrYouBlockedUser        = bad("YOU_BLOCKED_USER")
	ErrChatIDInvalid         = bad("CHAT_ID_INVALID")
	ErrChatWriteForbidden    = &Error{403, "CHAT_WRITE_FORBIDDEN"}
	ErrEntitiesTooLong       = bad("ENTITIES_TOO_LONG")
	ErrEntityBoundsInvalid   = bad("ENTITY_BOUNDS_INVALID")
)

// Entity is a formatting or semantic span of a message text, in UTF-16
// code units as Telegram counts them.
type Entity struct {
	Type     string `json:"t"`
	Offset   int32  `json:"o"`
	Length   int32  `json:"l"`
	URL      string `json:"u,omitempty"`
	UserID   int64  `json:"id,omitempty"`
	Language string `json:"lang,omitempty"`
	// EmojiID is the document of a custom_emoji.
	EmojiID int64 `json:"e,omitempty"`
}

// EncodeEntities and DecodeEntities are the stored form of entities.
func EncodeEntities(es []Entity) []byte {
	if len(es) == 0 {
		return nil
	}
	b, _ := json.Marshal(es)
	return b
}

// DecodeEntities reads entities stored by EncodeEntities.
func DecodeEntities(b []byte) []Entity {
	if len(b) == 0 {
		return nil
	}
	var es []Entity
	json.Unmarshal(b, &es)
	return es
}

// UTF16Len counts s in UTF-16 code units, as entity offsets do.
func UTF16Len(s string) int32 {
	n := int32(0)
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func checkText(text string, es []Entity) error {
	if text == "" {
		return ErrMessageEmpty
	}
	n := UTF16Len(text)
	if n > MaxMessageLength {
		return ErrMessageTooLong
	}
	if len(es) > 10000 {
		return ErrEntitiesTooLong
	}
	for _, e := range es {
		if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
			return ErrEntityBoundsInvalid
		}
	}
	return nil
}

// Send is a message to send.
type Send struct {
	From     int64
	To       store.Peer
	Text     string
	Entities []Entity
	// ReplyTo is the sender's id of the message answered, or 0.
	ReplyTo    int32
	Silent     bool
	NoForwards bool
	RandomID   int64
	ClearDraft bool
	// ReplyMarkup is a bot's keyboard; ignored from users, as Telegram
	// does.
	ReplyMarkup *ReplyMarkup
	Origin      Origin
}

// Sent is the sender's result: the sender's copy and its log position.
type Sent struct {
	Message  store.Message
	Pts      int32
	PtsCount int32
}

// globalIDEpoch starts the clock of global ids.
var globalIDEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// globalID returns a new id to link the copies of one message. The ids
// grow with time — microseconds since globalIDEpoch times 4096, or one
// more than the last when that is not more — so they stay unique in the
// process and across restarts, and the store's index of them grows at
// its right edge: a batch of sends dirties a page or two of it instead
// of one random page per message.
func (c *Core) globalID() int64 {
	now := time.Since(globalIDEpoch).Microseconds() << 12
	for {
		prev := c.lastGlobal.Load()
		next := max(prev+1, now)
		if c.lastGlobal.CompareAndSwap(prev, next) {
			return next
		}
	}
}

// randomID returns a random positive id.
func (c *Core) randomID() int64 {
	var b [8]byte
	io.ReadFull(c.rand(), b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

// recipients returns who gets a copy of a message to peer from sender,
// as the owners see the dialog: (owner, the peer in the owner's box).
func (c *Core) recipients(ctx context.Context, from int64, to store.Peer) ([]int64, error) {
	switch to.Kind {
	case store.PeerUser:
		if to.ID == from {
			return []int64{from}, nil
		}
		sent, got, err := c.Store.Contacts().Blocks(ctx, from, to.ID)
		if err != nil {
			return nil, err
		}
		if sent {
			return nil, ErrYouBlockedUser
		}
		if exists, _ := c.userKind(ctx, to.ID); !exists {
			return nil, ErrPeerIDInvalid
		}
		// A user who blocked the sender gets nothing; the sender's copy
		// still appears sent, as on Telegram.
		if got {
			return []int64{from}, nil
		}
		return []int64{from, to.ID}, nil
	case store.PeerChat:
		return c.chatAudience(ctx, from, to.ID)
	}
	return nil, ErrPeerIDInvalid
}

// peerFor returns the dialog peer of owner for a message between sender
// and to.
func peerFor(owner, sender int64, to store.Peer) store.Peer {
	if to.Kind == store.PeerUser && owner != sender {
		return store.Peer{Kind: store.PeerUser, ID: sender}
	}
	return to
}

// SendMessage sends a text message; a retry with the same random_id
// returns the first result instead of sending twice.
func (c *Core) SendMessage(ctx context.Context, s Send) (Sent, error) {
	if err := checkText(s.Text, s.Entities); err != nil {
		return Sent{}, err
	}
	s.Entities = autoEntities(s.Text, s.Entities)
	if err := c.checkBotSend(ctx, &s); err != nil {
		return Sent{}, err
	}
	owners, err := c.recipients(ctx, s.From, s.To)
	if err != nil {
		return Sent{}, err
	}
	mentions := mentioned(s.Entities)
	now := c.now().Truncate(time.Second)
	var (
		col  *collector
		sent Sent
	)
	err = c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		col = newCollector(s.Origin)
		var replyGlobal int64
		if s.ReplyTo != 0 {
			if r, err := tx.Message(s.From, s.ReplyTo); err == nil {
				replyGlobal = r.GlobalID
			}
		}
		g := c.globalID()
		for _, owner := range owners {
			m, err := c.putCopy(tx, col, owner, s, g, replyGlobal, mentions[owner], now)
			if owner == s.From && s.RandomID != 0 && errors.Is(err, store.ErrExists) {
				return errResent // the box holds one message per random_id
			}
			if err != nil {
				return err
			}
			if owner == s.From {
				d := col.get(owner)
				e := d.Entries[len(d.Entries)-1]
				sent = Sent{Message: m, Pts: e.Pts, PtsCount: e.PtsCount}
			}
		}
		return nil
	})
	if errors.Is(err, errResent) {
		return c.firstSend(ctx, s)
	}
	if err != nil {
		return Sent{}, err
	}
	c.notify(col.pushes())
	return sent, nil
}

// errResent rolls back a send whose random_id the sender used before.
var errResent = errors.New("random_id used before")

// firstSend returns the message first sent with s's random_id, for a
// retried request: nothing new is sent or pushed. The duplicate is found
// by the sender's copy failing to insert, which spares every first send
// a lookup.
func (c *Core) firstSend(ctx context.Context, s Send) (Sent, error) {
	var sent Sent
	err := c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		m, err := tx.ByRandomID(s.From, s.RandomID)
		sent = Sent{Message: m}
		return err
	})
	return sent, err
}

// putCopy writes owner's copy of a new message with its dialog and log
// entry.
func (c *Core) putCopy(tx store.BoxTx, col *collector, owner int64, s Send, g, replyGlobal int64, mention bool, now time.Time) (store.Message, error) {
	id, err := tx.NextID(owner)
	if err != nil {
		return store.Message{}, err
	}
	out := owner == s.From
	m := store.Message{OwnerID: owner, ID: id, Peer: peerFor(owner, s.From, s.To), FromID: s.From, Out: out,
		Date: now, Text: s.Text, Entities: EncodeEntities(s.Entities), GlobalID: g, Silent: s.Silent,
		NoForwards: s.NoForwards, Mentioned: mention && !out, MediaUnread: mention && !out}
	if out {
		m.RandomID = s.RandomID
	}
	m.ReplyMarkup = EncodeMarkup(s.ReplyMarkup)
	if replyGlobal != 0 {
		m.ReplyTo = copyID(tx, owner, replyGlobal)
	}
	if err := tx.PutMessage(m); err != nil {
		return m, err
	}
	if err := bumpDialog(tx, m, out && s.ClearDraft); err != nil {
		return m, err
	}
	col.message(m)
	if err := c.queueMessage(tx, BotMessage, m, now); err != nil {
		return m, err
	}
	ev := Event{Kind: EventNewMessage, Peer: &m.Peer, IDs: []int32{id}}
	if out {
		ev.RandomID = s.RandomID
	}
	_, err = col.log(tx, owner, 1, now, ev)
	return m, err
}

// copyID finds owner's copy of the message globalID, or 0.
func copyID(tx store.BoxTx, owner, globalID int64) int32 {
	copies, err := tx.ByGlobalID(globalID)
	if err != nil {
		return 0
	}
	for _, m := range copies {
		if m.OwnerID == owner {
			return m.ID
		}
	}
	return 0
}

// bumpDialog makes m the top message of its dialog, counting it unread
// when incoming.
func bumpDialog(tx store.BoxTx, m store.Message, clearDraft bool) error {
	d, err := tx.Dialog(m.OwnerID, m.Peer)
	if errors.Is(err, store.ErrNotFound) {
		d = store.Dialog{OwnerID: m.OwnerID, Peer: m.Peer}
	} else if err != nil {
		return err
	}
	d.TopMessage, d.TopDate = m.ID, m.Date
	if !m.Out {
		d.UnreadCount++
		if m.Mentioned {
			d.UnreadMentions++
		}
	} else if m.Peer.Kind == store.PeerUser && m.Peer.ID == m.OwnerID {
		d.ReadInboxMaxID, d.ReadOutboxMaxID = m.ID, m.ID // Saved Messages are read
	}
	if clearDraft {
		d.Draft = nil
	}
	return tx.PutDialog(d)
}

// mentioned returns the users a message's entities mention by id.
func mentioned(es []Entity) map[int64]bool {
	out := map[int64]bool{}
	for _, e := range es {
		if e.Type == "text_mention" && e.UserID != 0 {
			out[e.UserID] = true
		}
	}
	return out
}
