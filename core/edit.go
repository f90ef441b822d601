package core

import (
	"context"
	"errors"
	"time"

	"github.com/roostchat/roost/store"
)

// EditMessage changes the text of a message in every box that has it.
// Only its author may, within EditTimeLimit (Saved Messages: always).
func (c *Core) EditMessage(ctx context.Context, editor int64, peer store.Peer, id int32, text string, es []Entity, o Origin) (store.Message, int32, error) {
	return c.Edit(ctx, Edit{Editor: editor, Peer: peer, ID: id, Text: &text, Entities: es, Origin: o})
}

// Edit is a change of a sent message: its text, its reply markup, or
// both.
type Edit struct {
	Editor int64
	Peer   store.Peer
	ID     int32
	// Text and Entities replace the text when Text is not nil.
	Text     *string
	Entities []Entity
	// Markup replaces the reply markup when SetMarkup (nil removes it).
	Markup    *ReplyMarkup
	SetMarkup bool
	Origin    Origin
}

// Edit applies e to every copy of the message and returns the editor's
// copy with its log position.
func (c *Core) Edit(ctx context.Context, e Edit) (store.Message, int32, error) {
	if e.Text != nil {
		if err := checkText(*e.Text, e.Entities); err != nil {
			return store.Message{}, 0, err
		}
	}
	if e.SetMarkup && e.Markup != nil {
		if err := e.Markup.Check(); err != nil {
			return store.Message{}, 0, err
		}
	}
	now := c.now().Truncate(time.Second)
	col := newCollector(e.Origin)
	var mine store.Message
	var pts int32
	err := c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		m, err := c.editable(tx, e, now)
		if err != nil {
			return err
		}
		text, ents, markup := m.Text, m.Entities, m.ReplyMarkup
		if e.Text != nil {
			text, ents = *e.Text, EncodeEntities(e.Entities)
		}
		if e.SetMarkup {
			markup = EncodeMarkup(e.Markup)
		}
		if m.Text == text && string(m.Entities) == string(ents) && string(m.ReplyMarkup) == string(markup) {
			return ErrMessageNotModified
		}
		copies, err := tx.ByGlobalID(m.GlobalID)
		if err != nil {
			return err
		}
		for _, cp := range copies {
			cp.Text, cp.Entities, cp.ReplyMarkup, cp.EditDate = text, ents, markup, now
			if err := tx.UpdateMessage(cp); err != nil {
				return err
			}
			col.message(cp)
			if err := c.queueMessage(tx, BotEditedMessage, cp, now); err != nil {
				return err
			}
			p, err := col.log(tx, cp.OwnerID, 1, now, Event{Kind: EventEditMessage, Peer: &cp.Peer, IDs: []int32{cp.ID}})
			if err != nil {
				return err
			}
			if cp.OwnerID == e.Editor {
				mine, pts = cp, p
			}
		}
		return nil
	})
	if err != nil {
		return store.Message{}, 0, err
	}
	c.notify(col.pushes())
	return mine, pts, nil
}

// editable finds the message e edits and checks the editor may.
func (c *Core) editable(tx store.BoxTx, e Edit, now time.Time) (store.Message, error) {
	m, err := tx.Message(e.Editor, e.ID)
	if errors.Is(err, store.ErrNotFound) || err == nil && m.Peer != e.Peer {
		return m, ErrMessageIDInvalid
	} else if err != nil {
		return m, err
	}
	if m.Action != nil {
		return m, ErrMessageIDInvalid
	}
	if !m.Out || m.FromID != e.Editor {
		return m, ErrMessageAuthorRequired
	}
	saved := e.Peer.Kind == store.PeerUser && e.Peer.ID == e.Editor
	if !saved && now.Sub(m.Date) > EditTimeLimit {
		return m, ErrMessageEditExpired
	}
	return m, nil
}

// Affected is the log position a change moved the caller's box to
// (messages.affectedMessages).
type Affected struct {
	Pts      int32
	PtsCount int32
}

// DeleteMessages deletes messages of owner's box; with revoke, the copies
// in the other participants' boxes too (a user may revoke only messages
// of private chats and his own messages in groups).
func (c *Core) DeleteMessages(ctx context.Context, owner int64, ids []int32, revoke bool, o Origin) (Affected, error) {
	now := c.now().Truncate(time.Second)
	col := newCollector(o)
	var res Affected
	var stale []store.Dialog
	err := c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		gone := map[int64][]int32{}
		var peers = map[int64]map[store.Peer]bool{}
		for _, id := range ids {
			m, err := tx.Message(owner, id)
			if errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			targets := []store.Message{m}
			if revoke && (m.Peer.Kind == store.PeerUser || m.FromID == owner) {
				if targets, err = tx.ByGlobalID(m.GlobalID); err != nil {
					return err
				}
			}
			for _, t := range targets {
				gone[t.OwnerID] = append(gone[t.OwnerID], t.ID)
				if peers[t.OwnerID] == nil {
					peers[t.OwnerID] = map[store.Peer]bool{}
				}
				peers[t.OwnerID][t.Peer] = true
			}
		}
		for who, list := range gone {
			if err := tx.DeleteMessages(who, list); err != nil {
				return err
			}
			for p := range peers[who] {
				stale = append(stale, store.Dialog{OwnerID: who, Peer: p})
			}
			pts, err := col.log(tx, who, int32(len(list)), now, Event{Kind: EventDeleteMessages, IDs: list})
			if err != nil {
				return err
			}
			if who == owner {
				res = Affected{Pts: pts, PtsCount: int32(len(list))}
			}
		}
		return nil
	})
	if err != nil {
		return Affected{}, err
	}
	if res.Pts == 0 { // nothing was deleted: the caller's pts stands
		st, err := c.Store.Boxes().State(ctx, owner)
		if err != nil {
			return Affected{}, err
		}
		res.Pts = st.Pts
	}
	for _, d := range stale {
		if err := c.refreshTop(ctx, d.OwnerID, d.Peer); err != nil {
			return Affected{}, err
		}
	}
	c.notify(col.pushes())
	return res, nil
}

// refreshTop points a dialog at its newest remaining message, after the
// transaction that deleted its top one.
func (c *Core) refreshTop(ctx context.Context, owner int64, p store.Peer) error {
	last, err := c.Store.Boxes().History(ctx, owner, p, store.HistoryQuery{Before: true, Limit: 1})
	if err != nil {
		return err
	}
	return c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		d, err := tx.Dialog(owner, p)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if _, err := tx.Message(owner, d.TopMessage); err == nil {
			return nil // still there (or a newer message arrived)
		}
		d.TopMessage, d.TopDate = 0, time.Time{}
		if len(last) > 0 {
			d.TopMessage, d.TopDate = last[0].ID, last[0].Date
		}
		return tx.PutDialog(d)
	})
}
