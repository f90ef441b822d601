package core

import (
	"context"
	"errors"
	"time"

	"github.com/roostchat/roost/store"
)

// ReadHistory marks the owner's incoming messages of a dialog read up to
// maxID (0: all), and tells the senders (read receipts). It moves the
// owner's pts only when something was unread.
func (c *Core) ReadHistory(ctx context.Context, owner int64, peer store.Peer, maxID int32, o Origin) (Affected, error) {
	now := c.now().Truncate(time.Second)
	col := newCollector(o)
	var res Affected
	err := c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		d, err := tx.Dialog(owner, peer)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if maxID <= 0 || maxID > d.TopMessage {
			maxID = d.TopMessage
		}
		if maxID <= d.ReadInboxMaxID {
			return nil
		}
		// Messages read now: incoming ones in (ReadInboxMaxID, maxID].
		var senders = map[int64][]store.Message{}
		read := int32(0)
		for id := d.ReadInboxMaxID + 1; id <= maxID; id++ {
			m, err := tx.Message(owner, id)
			if err != nil || m.Peer != peer || m.Out {
				continue
			}
			read++
			if g, err := tx.ByGlobalID(m.GlobalID); err == nil {
				for _, cp := range g {
					if cp.OwnerID == m.FromID && cp.OwnerID != owner {
						senders[cp.OwnerID] = append(senders[cp.OwnerID], cp)
					}
				}
			}
		}
		d.ReadInboxMaxID = maxID
		d.UnreadCount = max(d.UnreadCount-read, 0)
		if err := tx.PutDialog(d); err != nil {
			return err
		}
		pts, err := col.log(tx, owner, 1, now, Event{Kind: EventReadInbox, Peer: &peer, MaxID: maxID, StillUnread: d.UnreadCount})
		if err != nil {
			return err
		}
		res = Affected{Pts: pts, PtsCount: 1}
		for sender, copies := range senders {
			top := copies[len(copies)-1]
			sd, err := tx.Dialog(sender, top.Peer)
			if err != nil || top.ID <= sd.ReadOutboxMaxID {
				continue
			}
			sd.ReadOutboxMaxID = top.ID
			if err := tx.PutDialog(sd); err != nil {
				return err
			}
			if _, err := col.log(tx, sender, 1, now, Event{Kind: EventReadOutbox, Peer: &top.Peer, MaxID: top.ID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Affected{}, err
	}
	if res.Pts == 0 { // nothing was unread: the caller's pts stands
		st, err := c.Store.Boxes().State(ctx, owner)
		if err != nil {
			return Affected{}, err
		}
		res.Pts = st.Pts
	}
	c.notify(col.pushes())
	return res, nil
}

// SetTyping tells the other side of a dialog that from is typing.
func (c *Core) SetTyping(ctx context.Context, from int64, peer store.Peer, action string) error {
	owners, err := c.recipients(ctx, from, peer)
	if err != nil {
		return err
	}
	if c.Notifier == nil {
		return nil
	}
	for _, u := range owners {
		if u != from {
			c.Notifier.Typing(Typing{UserID: u, From: from, Peer: peerFor(u, from, peer), Action: action})
		}
	}
	return nil
}
