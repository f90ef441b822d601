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
	if err := checkText(text, es); err != nil {
		return store.Message{}, 0, err
	}
	now := c.now().Truncate(time.Second)
	col := newCollector(o)
	var mine store.Message
	var pts int32
	err := c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		m, err := tx.Message(editor, id)
		if errors.Is(err, store.ErrNotFound) || err == nil && m.Peer != peer {
			return ErrMessageIDInvalid
		} else if err != nil {
			return err
		}
		if m.Action != nil {
			return ErrMessageIDInvalid
		}
		if !m.Out || m.FromID != editor {
			return ErrMessageAuthorRequired
		}
		saved := peer.Kind == store.PeerUser && peer.ID == editor
		if !saved && now.Sub(m.Date) > EditTimeLimit {
			return ErrMessageEditExpired
		}
		ents := EncodeEntities(es)
		if m.Text == text && string(m.Entities) == string(ents) {
			return ErrMessageNotModified
		}
		copies, err := tx.ByGlobalID(m.GlobalID)
		if err != nil {
			return err
		}
		for _, cp := range copies {
			cp.Text, cp.Entities, cp.EditDate = text, ents, now
			if err := tx.UpdateMessage(cp); err != nil {
				return err
			}
			col.message(cp)
			p, err := col.log(tx, cp.OwnerID, 1, now, Event{Kind: EventEditMessage, Peer: &cp.Peer, IDs: []int32{cp.ID}})
			if err != nil {
				return err
			}
			if cp.OwnerID == editor {
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
