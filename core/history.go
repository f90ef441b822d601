package core

import (
	"context"
	"sort"
	"time"

	"github.com/roostchat/roost/store"
)

// MaxHistoryLimit caps one page of history, as the official server does.
const MaxHistoryLimit = 100

// HistoryPage asks for a page of a dialog as messages.getHistory does:
// OffsetID/OffsetDate pick where to start, AddOffset shifts (negative:
// towards newer messages), MaxID/MinID bound the ids (exclusive).
type HistoryPage struct {
	OffsetID   int32
	OffsetDate time.Time
	AddOffset  int32
	Limit      int32
	MaxID      int32
	MinID      int32
}

// History returns a page of owner's dialog with peer, newest first, and
// the number of messages in the dialog. As on the official pagination
// page: the page starts at the first message older than OffsetID (or
// than OffsetDate; the newest when both are 0), shifted by AddOffset —
// a negative AddOffset takes that many messages at or above OffsetID
// first — and holds at most Limit messages with MinID < id < MaxID.
func (c *Core) History(ctx context.Context, owner int64, peer store.Peer, p HistoryPage) ([]store.Message, int, error) {
	limit := int(p.Limit)
	if limit <= 0 || limit > MaxHistoryLimit {
		limit = MaxHistoryLimit
	}
	boxes := c.Store.Boxes()
	var out []store.Message
	if p.AddOffset < 0 && p.OffsetID > 0 {
		newer, err := boxes.History(ctx, owner, peer, store.HistoryQuery{MinID: p.OffsetID - 1, Limit: min(int(-p.AddOffset), limit)})
		if err != nil {
			return nil, 0, err
		}
		for i := len(newer) - 1; i >= 0; i-- {
			out = append(out, newer[i])
		}
	}
	// The window holds -AddOffset messages at or above OffsetID and the
	// rest below it, whether or not the newer part was full.
	rest := limit
	if p.AddOffset < 0 {
		rest = limit + int(p.AddOffset)
	}
	if rest > 0 {
		skip := int(max(p.AddOffset, 0))
		older, err := boxes.History(ctx, owner, peer, store.HistoryQuery{MaxID: p.OffsetID, Before: true,
			MaxDate: p.OffsetDate, Limit: rest + skip})
		if err != nil {
			return nil, 0, err
		}
		if skip < len(older) {
			out = append(out, older[skip:]...)
		}
	}
	filtered := out[:0]
	for _, m := range out {
		if (p.MaxID == 0 || m.ID < p.MaxID) && (p.MinID == 0 || m.ID > p.MinID) {
			filtered = append(filtered, m)
		}
	}
	sort.Slice(filtered, func(i, j int) bool { return filtered[i].ID > filtered[j].ID })
	n, err := boxes.Count(ctx, owner, peer)
	return filtered, n, err
}

// Messages returns owner's messages by id (missing ones left out).
func (c *Core) Messages(ctx context.Context, owner int64, ids []int32) ([]store.Message, error) {
	return c.Store.Boxes().Messages(ctx, owner, ids)
}

// DialogsPage asks for a page of dialogs as messages.getDialogs does.
type DialogsPage struct {
	OffsetDate    time.Time
	OffsetID      int32
	Limit         int32
	FolderID      int32
	ExcludePinned bool
}

// Dialogs returns a page of owner's dialogs with their top messages.
func (c *Core) Dialogs(ctx context.Context, owner int64, p DialogsPage) ([]store.Dialog, []store.Message, error) {
	limit := int(p.Limit)
	if limit <= 0 || limit > MaxHistoryLimit {
		limit = MaxHistoryLimit
	}
	ds, err := c.Store.Boxes().Dialogs(ctx, owner, store.DialogQuery{FolderID: p.FolderID, OffsetDate: p.OffsetDate,
		OffsetID: p.OffsetID, Limit: limit, ExcludePinned: p.ExcludePinned})
	if err != nil {
		return nil, nil, err
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

// Dialog returns owner's dialog with peer.
func (c *Core) Dialog(ctx context.Context, owner int64, peer store.Peer) (store.Dialog, error) {
	return c.Store.Boxes().Dialog(ctx, owner, peer)
}
