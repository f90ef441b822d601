package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/roostchat/roost/store"
)

// MaxPinnedDialogs is how many dialogs of the main list one may pin, as
// help.getConfig's pinned_dialogs_count_max says for a free account.
const MaxPinnedDialogs = 5

// ErrPinnedDialogsTooMuch is the official error of pinning one dialog
// too many.
var ErrPinnedDialogsTooMuch = bad("PINNED_DIALOGS_TOO_MUCH")

// Kinds of event that do not move pts (logged with a pts_count of 0 so
// that both the live push and getDifference carry them).
const (
	// EventDialogPinned: Peer was pinned (Pinned) or unpinned.
	EventDialogPinned EventKind = "dialog_pinned"
	// EventPinnedDialogs: the order of pinned dialogs changed.
	EventPinnedDialogs EventKind = "pinned_dialogs"
)

// PinMessage pins (or, with unpin, unpins) a message of owner's dialog
// with peer. In a private chat the other side's copy follows unless
// oneSide; in a basic group every member's copy follows. It returns the
// owner's log position of the change.
func (c *Core) PinMessage(ctx context.Context, owner int64, peer store.Peer, id int32, unpin, oneSide bool, o Origin) (Affected, error) {
	now := c.now().Truncate(time.Second)
	col := newCollector(o)
	var res Affected
	err := c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		m, err := tx.Message(owner, id)
		if errors.Is(err, store.ErrNotFound) || err == nil && (m.Peer != peer || m.Action != nil) {
			return ErrMessageIDInvalid
		} else if err != nil {
			return fmt.Errorf("pin: %w", err)
		}
		targets := []store.Message{m}
		if !oneSide && m.GlobalID != 0 {
			if targets, err = tx.ByGlobalID(m.GlobalID); err != nil {
				return fmt.Errorf("pin: copies: %w", err)
			}
		}
		for _, t := range targets {
			t.Pinned = !unpin
			if err := tx.UpdateMessage(t); err != nil {
				return fmt.Errorf("pin: %w", err)
			}
			pts, err := col.log(tx, t.OwnerID, 1, now, Event{Kind: EventPinned, Peer: &t.Peer, IDs: []int32{t.ID}, Pinned: !unpin})
			if err != nil {
				return err
			}
			if t.OwnerID == owner {
				res = Affected{Pts: pts, PtsCount: 1}
			}
		}
		return nil
	})
	if err != nil {
		return Affected{}, err
	}
	c.notify(col.pushes())
	return res, nil
}

// UnpinAllMessages unpins every pinned message of owner's dialog with
// peer, and the other copies of them (messages.unpinAllMessages).
func (c *Core) UnpinAllMessages(ctx context.Context, owner int64, peer store.Peer, o Origin) (Affected, error) {
	var pinned []int32
	maxID := int32(0)
	for {
		page, err := c.Store.Boxes().History(ctx, owner, peer, store.HistoryQuery{MaxID: maxID, Before: true, Limit: MaxHistoryLimit})
		if err != nil {
			return Affected{}, fmt.Errorf("unpin all: %w", err)
		}
		for _, m := range page {
			if m.Pinned {
				pinned = append(pinned, m.ID)
			}
		}
		if len(page) < MaxHistoryLimit {
			break
		}
		maxID = page[len(page)-1].ID
	}
	now := c.now().Truncate(time.Second)
	col := newCollector(o)
	var res Affected
	err := c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		by := map[int64][]store.Message{}
		var owners []int64
		for _, id := range pinned {
			m, err := tx.Message(owner, id)
			if err != nil || !m.Pinned {
				continue // gone or unpinned meanwhile
			}
			targets := []store.Message{m}
			if m.GlobalID != 0 {
				if targets, err = tx.ByGlobalID(m.GlobalID); err != nil {
					return fmt.Errorf("unpin all: copies: %w", err)
				}
			}
			for _, t := range targets {
				if !t.Pinned {
					continue
				}
				t.Pinned = false
				if err := tx.UpdateMessage(t); err != nil {
					return fmt.Errorf("unpin all: %w", err)
				}
				if by[t.OwnerID] == nil {
					owners = append(owners, t.OwnerID)
				}
				by[t.OwnerID] = append(by[t.OwnerID], t)
			}
		}
		for _, who := range owners {
			ms := by[who]
			ids := make([]int32, len(ms))
			for i, t := range ms {
				ids[i] = t.ID
			}
			pts, err := col.log(tx, who, 1, now, Event{Kind: EventPinned, Peer: &ms[0].Peer, IDs: ids})
			if err != nil {
				return err
			}
			if who == owner {
				res = Affected{Pts: pts, PtsCount: 1}
			}
		}
		return nil
	})
	if err != nil {
		return Affected{}, err
	}
	if res.Pts == 0 {
		st, err := c.Store.Boxes().State(ctx, owner)
		if err != nil {
			return Affected{}, err
		}
		res.Pts = st.Pts
	}
	c.notify(col.pushes())
	return res, nil
}

// ToggleDialogPin pins or unpins owner's dialog with peer; a newly pinned
// dialog goes to the top. ErrPeerIDInvalid when there is no such dialog,
// ErrPinnedDialogsTooMuch past MaxPinnedDialogs.
func (c *Core) ToggleDialogPin(ctx context.Context, owner int64, peer store.Peer, pinned bool, o Origin) error {
	col := newCollector(o)
	now := c.now().Truncate(time.Second)
	d0, err := c.Store.Boxes().Dialog(ctx, owner, peer)
	if errors.Is(err, store.ErrNotFound) {
		return ErrPeerIDInvalid
	} else if err != nil {
		return fmt.Errorf("pin dialog: %w", err)
	}
	cur, err := c.Store.Boxes().Dialogs(ctx, owner, store.DialogQuery{FolderID: d0.FolderID, PinnedOnly: true, Limit: MaxHistoryLimit})
	if err != nil {
		return fmt.Errorf("pin dialog: %w", err)
	}
	err = c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		d, err := tx.Dialog(owner, peer)
		if errors.Is(err, store.ErrNotFound) {
			return ErrPeerIDInvalid
		} else if err != nil {
			return fmt.Errorf("pin dialog: %w", err)
		}
		if (d.PinnedOrder > 0) == pinned {
			return nil
		}
		d.PinnedOrder = 0
		if pinned {
			top := int32(0)
			for _, x := range cur {
				top = max(top, x.PinnedOrder)
			}
			if len(cur) >= MaxPinnedDialogs {
				return ErrPinnedDialogsTooMuch
			}
			d.PinnedOrder = top + 1
		}
		if err := tx.PutDialog(d); err != nil {
			return fmt.Errorf("pin dialog: %w", err)
		}
		_, err = col.log(tx, owner, 0, now, Event{Kind: EventDialogPinned, Peer: &peer, Pinned: pinned})
		return err
	})
	if err != nil {
		return err
	}
	c.notify(col.pushes())
	return nil
}

// ReorderPinnedDialogs sets the order of owner's pinned dialogs to order
// (first on top); with force, pinned dialogs not listed are unpinned, and
// otherwise they keep their place below the listed ones. Listed dialogs
// must exist (ErrPeerIDInvalid).
func (c *Core) ReorderPinnedDialogs(ctx context.Context, owner int64, folder int32, order []store.Peer, force bool, o Origin) error {
	if len(order) > MaxPinnedDialogs {
		return ErrPinnedDialogsTooMuch
	}
	cur, err := c.Store.Boxes().Dialogs(ctx, owner, store.DialogQuery{FolderID: folder, PinnedOnly: true, Limit: MaxHistoryLimit})
	if err != nil {
		return fmt.Errorf("reorder pinned: %w", err)
	}
	col := newCollector(o)
	now := c.now().Truncate(time.Second)
	err = c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		listed := map[store.Peer]bool{}
		var rest []store.Peer
		for _, d := range cur {
			rest = append(rest, d.Peer)
		}
		var all []store.Peer
		for _, p := range order {
			if listed[p] {
				continue
			}
			listed[p] = true
			all = append(all, p)
		}
		var dropped []store.Peer
		for _, p := range rest {
			if listed[p] {
				continue
			}
			if force {
				dropped = append(dropped, p)
			} else {
				all = append(all, p)
			}
		}
		for i, p := range all {
			d, err := tx.Dialog(owner, p)
			if errors.Is(err, store.ErrNotFound) {
				return ErrPeerIDInvalid
			} else if err != nil {
				return fmt.Errorf("reorder pinned: %w", err)
			}
			d.PinnedOrder = int32(len(all) - i)
			if err := tx.PutDialog(d); err != nil {
				return fmt.Errorf("reorder pinned: %w", err)
			}
		}
		for _, p := range dropped {
			d, err := tx.Dialog(owner, p)
			if err != nil {
				continue
			}
			d.PinnedOrder = 0
			if err := tx.PutDialog(d); err != nil {
				return fmt.Errorf("reorder pinned: %w", err)
			}
		}
		_, err := col.log(tx, owner, 0, now, Event{Kind: EventPinnedDialogs})
		return err
	})
	if err != nil {
		return err
	}
	c.notify(col.pushes())
	return nil
}

// PinnedDialogs returns owner's pinned dialogs of folder, top first,
// with their top messages.
func (c *Core) PinnedDialogs(ctx context.Context, owner int64, folder int32) ([]store.Dialog, []store.Message, error) {
	ds, err := c.Store.Boxes().Dialogs(ctx, owner, store.DialogQuery{FolderID: folder, PinnedOnly: true, Limit: MaxHistoryLimit})
	if err != nil {
		return nil, nil, fmt.Errorf("pinned dialogs: %w", err)
	}
	ids := make([]int32, 0, len(ds))
	for _, d := range ds {
		if d.TopMessage != 0 {
			ids = append(ids, d.TopMessage)
		}
	}
	ms, err := c.Store.Boxes().Messages(ctx, owner, ids)
	return ds, ms, err
}
