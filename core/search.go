package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/roostchat/roost/store"
)

// searchCountCap bounds how many matches a search counts for its total;
// a client shown "10000" results pages on regardless.
const searchCountCap = 10000

// SearchPage asks for a page of text search results, newest first, as
// messages.search does: the page starts below OffsetID (0: the newest),
// skipping AddOffset more matches, within [MinDate, MaxDate) when set.
// Peer's zero value searches every dialog.
type SearchPage struct {
	Text      string
	Peer      store.Peer
	MinDate   time.Time
	MaxDate   time.Time
	OffsetID  int32
	AddOffset int32
	Limit     int32
}

// Search returns a page of owner's messages containing p.Text and the
// number of matches overall (capped at searchCountCap). A negative
// AddOffset is taken as 0: the store pages towards older messages only.
func (c *Core) Search(ctx context.Context, owner int64, p SearchPage) ([]store.Message, int, error) {
	if !validText(p.Text) {
		return nil, 0, nil // no stored text can contain it
	}
	limit := int(p.Limit)
	if limit <= 0 || limit > MaxHistoryLimit {
		limit = MaxHistoryLimit
	}
	skip := int(max(p.AddOffset, 0))
	q := store.SearchQuery{Text: p.Text, Peer: p.Peer, MaxID: max(p.OffsetID, 0), From: p.MinDate, To: p.MaxDate,
		Limit: limit + skip}
	ms, err := c.Store.Boxes().Search(ctx, owner, q)
	if err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	if skip >= len(ms) {
		ms = nil
	} else {
		ms = ms[skip:]
	}
	q.MaxID, q.Limit = 0, searchCountCap
	all, err := c.Store.Boxes().Search(ctx, owner, q)
	if err != nil {
		return nil, 0, fmt.Errorf("search count: %w", err)
	}
	return ms, len(all), nil
}

// GlobalPage asks for a page of messages.searchGlobal: below OffsetID
// (the last message of the previous page; 0: from the newest).
type GlobalPage struct {
	Text     string
	MinDate  time.Time
	MaxDate  time.Time
	OffsetID int32
	Limit    int32
}

// GlobalResult is a page of a global search. NextRate is the offset_rate
// of the next page (the date of the last message) when there may be
// more, else 0.
type GlobalResult struct {
	Messages []store.Message
	Count    int
	NextRate int32
}

// SearchGlobal searches all of owner's dialogs. Message ids of one box
// grow with time, so the last message's id alone places the next page.
func (c *Core) SearchGlobal(ctx context.Context, owner int64, p GlobalPage) (GlobalResult, error) {
	if p.Text == "" {
		return GlobalResult{}, ErrSearchQueryEmpty
	}
	ms, n, err := c.Search(ctx, owner, SearchPage{Text: p.Text, MinDate: p.MinDate, MaxDate: p.MaxDate,
		OffsetID: p.OffsetID, Limit: p.Limit})
	if err != nil {
		return GlobalResult{}, err
	}
	r := GlobalResult{Messages: ms, Count: n}
	limit := int(p.Limit)
	if limit <= 0 || limit > MaxHistoryLimit {
		limit = MaxHistoryLimit
	}
	if len(ms) == limit {
		r.NextRate = int32(ms[len(ms)-1].Date.Unix())
	}
	return r, nil
}

// validText reports text a store can search for: UTF-8 without NUL.
func validText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// UnreadMentions returns a page of the unread mentions of owner in a
// dialog, as messages.getUnreadMentions pages them (see History), and
// how many there are.
func (c *Core) UnreadMentions(ctx context.Context, owner int64, peer store.Peer, p HistoryPage) ([]store.Message, int, error) {
	limit := int(p.Limit)
	if limit <= 0 || limit > MaxHistoryLimit {
		limit = MaxHistoryLimit
	}
	boxes := c.Store.Boxes()
	var out []store.Message
	if p.AddOffset < 0 && p.OffsetID > 0 {
		newer, err := boxes.History(ctx, owner, peer, store.HistoryQuery{MinID: p.OffsetID - 1, OnlyMentions: true,
			Limit: min(int(-p.AddOffset), limit)})
		if err != nil {
			return nil, 0, fmt.Errorf("unread mentions: %w", err)
		}
		for i := len(newer) - 1; i >= 0; i-- {
			out = append(out, newer[i])
		}
	}
	if rest := limit - len(out); rest > 0 {
		skip := int(max(p.AddOffset, 0))
		older, err := boxes.History(ctx, owner, peer, store.HistoryQuery{MaxID: max(p.OffsetID, 0), Before: true,
			OnlyMentions: true, Limit: rest + skip})
		if err != nil {
			return nil, 0, fmt.Errorf("unread mentions: %w", err)
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
	d, err := boxes.Dialog(ctx, owner, peer)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, 0, err
	}
	return filtered, int(max(d.UnreadMentions, int32(len(filtered)))), nil
}

// ReadMentions marks every unread mention of owner in a dialog read
// (messages.readMentions). It moves pts only when one was unread.
func (c *Core) ReadMentions(ctx context.Context, owner int64, peer store.Peer, o Origin) (Affected, error) {
	var ids []int32
	maxID := int32(0)
	for {
		page, err := c.Store.Boxes().History(ctx, owner, peer, store.HistoryQuery{MaxID: maxID, Before: true,
			OnlyMentions: true, Limit: MaxHistoryLimit})
		if err != nil {
			return Affected{}, fmt.Errorf("read mentions: %w", err)
		}
		for _, m := range page {
			ids = append(ids, m.ID)
		}
		if len(page) < MaxHistoryLimit {
			break
		}
		maxID = page[len(page)-1].ID
	}
	return c.ReadMessageContents(ctx, owner, ids, o)
}

// ReadMessageContents marks the contents of owner's messages read
// (mentions, voice notes): they lose MediaUnread, and their dialogs'
// unread mention counts drop. Missing ids and messages already read are
// ignored; pts moves only when something changed.
func (c *Core) ReadMessageContents(ctx context.Context, owner int64, ids []int32, o Origin) (Affected, error) {
	now := c.now().Truncate(time.Second)
	col := newCollector(o)
	var res Affected
	err := c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		var read []int32
		drop := map[store.Peer]int32{}
		seen := map[int32]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			m, err := tx.Message(owner, id)
			if errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return fmt.Errorf("read contents: %w", err)
			}
			if !m.MediaUnread {
				continue
			}
			m.MediaUnread = false
			if err := tx.UpdateMessage(m); err != nil {
				return fmt.Errorf("read contents: %w", err)
			}
			read = append(read, id)
			if m.Mentioned {
				drop[m.Peer]++
			}
		}
		if len(read) == 0 {
			return nil
		}
		for p, n := range drop {
			d, err := tx.Dialog(owner, p)
			if errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			d.UnreadMentions = max(d.UnreadMentions-n, 0)
			if err := tx.PutDialog(d); err != nil {
				return err
			}
		}
		n := int32(len(read))
		pts, err := col.log(tx, owner, n, now, Event{Kind: EventReadContents, IDs: read})
		if err != nil {
			return err
		}
		res = Affected{Pts: pts, PtsCount: n}
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
