package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/roostchat/roost/store"
)

// MaxForward is the most messages one messages.forwardMessages call may
// forward, as the official server allows.
const MaxForward = 100

// Errors of forwarding, with the official strings.
var (
	ErrMessageIDsEmpty        = bad("MESSAGE_IDS_EMPTY")
	ErrRandomIDInvalid        = bad("RANDOM_ID_INVALID")
	ErrRandomIDDuplicate      = bad("RANDOM_ID_DUPLICATE")
	ErrChatForwardsRestricted = bad("CHAT_FORWARDS_RESTRICTED")
)

// FwdHeader is where a forwarded message came from, as its copies keep
// it (store.Message.FwdFrom): the original author and date, and for a
// message saved to Saved Messages the dialog and id it was saved from in
// the saver's box.
type FwdHeader struct {
	FromID         int64       `json:"f,omitempty"`
	Date           time.Time   `json:"d"`
	SavedFromPeer  *store.Peer `json:"sp,omitempty"`
	SavedFromMsgID int32       `json:"sm,omitempty"`
}

// EncodeFwdHeader is the stored form of a forward header.
func EncodeFwdHeader(h FwdHeader) []byte {
	b, _ := json.Marshal(h)
	return b
}

// DecodeFwdHeader reads a header stored by EncodeFwdHeader; ok is false
// for nil or unreadable bytes.
func DecodeFwdHeader(b []byte) (FwdHeader, bool) {
	if len(b) == 0 {
		return FwdHeader{}, false
	}
	var h FwdHeader
	if err := json.Unmarshal(b, &h); err != nil || h.Date.Year() < 0 || h.Date.Year() > 9999 {
		return FwdHeader{}, false
	}
	if h.SavedFromPeer != nil && (h.SavedFromPeer.ID <= 0 || h.SavedFromPeer.Kind != store.PeerUser && h.SavedFromPeer.Kind != store.PeerChat) {
		h.SavedFromPeer, h.SavedFromMsgID = nil, 0
	}
	return h, true
}

// Forward asks to forward messages of one dialog to another.
type Forward struct {
	From     int64
	FromPeer store.Peer
	ToPeer   store.Peer
	// IDs are the sender's message ids, forwarded in this order; RandomIDs
	// has one non-zero random_id per id.
	IDs       []int32
	RandomIDs []int64
	// DropAuthor sends the copies as the forwarder's own messages;
	// DropMediaCaptions also strips the captions of media messages.
	DropAuthor        bool
	DropMediaCaptions bool
	Silent            bool
	NoForwards        bool
	Origin            Origin
}

// Forwarded is the sender's result: the sender's new copies in the order
// asked, each with its log position.
type Forwarded struct {
	Messages []store.Message
	// Pts of each message's new_message entry; all 0 when the call was a
	// retry (every random id already used) and nothing was sent.
	Pts []int32
}

func (f Forward) check() error {
	if len(f.IDs) == 0 {
		return ErrMessageIDsEmpty
	}
	if len(f.IDs) > MaxForward {
		return ErrMessageIDInvalid // no official string for too many
	}
	if len(f.RandomIDs) != len(f.IDs) {
		return ErrRandomIDInvalid
	}
	seen := make(map[int64]bool, len(f.RandomIDs))
	for _, r := range f.RandomIDs {
		if r == 0 {
			return ErrRandomIDInvalid
		}
		if seen[r] {
			return ErrRandomIDDuplicate
		}
		seen[r] = true
	}
	return nil
}

// ForwardMessages copies messages of f.FromPeer to f.ToPeer, with a
// forward header naming the original author unless f.DropAuthor. A
// message that forbids forwarding fails the whole call with
// CHAT_FORWARDS_RESTRICTED; a service message or a missing id with
// MESSAGE_ID_INVALID. A retry whose random ids were all used already
// returns the first result; a partly used set is RANDOM_ID_DUPLICATE.
func (c *Core) ForwardMessages(ctx context.Context, f Forward) (Forwarded, error) {
	if err := f.check(); err != nil {
		return Forwarded{}, err
	}
	owners, err := c.recipients(ctx, f.From, f.ToPeer)
	if err != nil {
		return Forwarded{}, err
	}
	now := c.now().Truncate(time.Second)
	col := newCollector(f.Origin)
	var res Forwarded
	err = c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		if done, err := previousForward(tx, f); err != nil || done != nil {
			res = Forwarded{Messages: done, Pts: make([]int32, len(done))}
			return err
		}
		srcs := make([]store.Message, len(f.IDs))
		for i, id := range f.IDs {
			m, err := tx.Message(f.From, id)
			if errors.Is(err, store.ErrNotFound) || err == nil && (m.Peer != f.FromPeer || m.Action != nil) {
				return ErrMessageIDInvalid
			} else if err != nil {
				return fmt.Errorf("forward: read message %d: %w", id, err)
			}
			if m.NoForwards {
				return ErrChatForwardsRestricted
			}
			srcs[i] = m
		}
		for i, src := range srcs {
			g := c.globalID()
			for _, owner := range owners {
				m, pts, err := c.putForward(tx, col, owner, f, src, f.RandomIDs[i], g, now)
				if err != nil {
					return err
				}
				if owner == f.From {
					res.Messages = append(res.Messages, m)
					res.Pts = append(res.Pts, pts)
				}
			}
		}
		return nil
	})
	if err != nil {
		return Forwarded{}, err
	}
	c.notify(col.pushes())
	return res, nil
}

// previousForward finds the copies an earlier call sent with f's random
// ids: all of them (a retry), none (nil), or an error when only some.
func previousForward(tx store.BoxTx, f Forward) ([]store.Message, error) {
	var found []store.Message
	for _, r := range f.RandomIDs {
		m, err := tx.ByRandomID(f.From, r)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("forward: find random id: %w", err)
		}
		found = append(found, m)
	}
	switch len(found) {
	case 0:
		return nil, nil
	case len(f.RandomIDs):
		return found, nil
	}
	return nil, ErrRandomIDDuplicate
}

// fwdHeaderOf is the header a copy of src forwarded by f gets: src's own
// header when src is itself a forward (the original author stays), else
// src's author and date.
func fwdHeaderOf(f Forward, src store.Message, owner int64, to store.Peer) FwdHeader {
	h, ok := DecodeFwdHeader(src.FwdFrom)
	if !ok {
		h = FwdHeader{FromID: src.FromID, Date: src.Date}
	}
	h.SavedFromPeer, h.SavedFromMsgID = nil, 0
	if to.Kind == store.PeerUser && to.ID == owner && owner == f.From {
		p := src.Peer
		h.SavedFromPeer, h.SavedFromMsgID = &p, src.ID
	}
	return h
}

// putForward writes owner's copy of a forwarded message with its dialog
// and log entry, returning the copy and the entry's pts.
func (c *Core) putForward(tx store.BoxTx, col *collector, owner int64, f Forward, src store.Message, randomID, g int64, now time.Time) (store.Message, int32, error) {
	id, err := tx.NextID(owner)
	if err != nil {
		return store.Message{}, 0, err
	}
	out := owner == f.From
	m := store.Message{OwnerID: owner, ID: id, Peer: peerFor(owner, f.From, f.ToPeer), FromID: f.From, Out: out,
		Date: now, Text: src.Text, Entities: src.Entities, Media: src.Media, GlobalID: g, Silent: f.Silent,
		NoForwards: f.NoForwards}
	if f.DropAuthor {
		if f.DropMediaCaptions && src.Media != nil {
			m.Text, m.Entities = "", nil
		}
	} else {
		m.FwdFrom = EncodeFwdHeader(fwdHeaderOf(f, src, owner, f.ToPeer))
	}
	if out {
		m.RandomID = randomID
	}
	if err := tx.PutMessage(m); err != nil {
		return m, 0, fmt.Errorf("forward: put copy: %w", err)
	}
	if err := bumpDialog(tx, m, false); err != nil {
		return m, 0, err
	}
	col.message(m)
	if err := c.queueMessage(tx, BotMessage, m, now); err != nil {
		return m, 0, err
	}
	ev := Event{Kind: EventNewMessage, Peer: &m.Peer, IDs: []int32{id}}
	if out {
		ev.RandomID = randomID
	}
	pts, err := col.log(tx, owner, 1, now, ev)
	return m, pts, err
}
