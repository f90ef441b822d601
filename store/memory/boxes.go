package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/rules"
)

// msgKey names one copy of a message.
type msgKey struct {
	owner int64
	id    int32
}

// box is one user's common box.
type box struct {
	state   store.BoxState
	msgs    map[int32]store.Message
	random  map[int64]int32 // random id → message id
	dialogs map[store.Peer]store.Dialog
	log     []store.Update // by Pts, then in the order appended
}

func newBox() *box {
	return &box{
		msgs:    make(map[int32]store.Message),
		random:  make(map[int64]int32),
		dialogs: make(map[store.Peer]store.Dialog),
	}
}

// boxData is the part of Store that holds message boxes. Store.boxMu
// guards it; Store.boxWriter serialises Boxes.Update calls.
type boxData struct {
	boxes  map[int64]*box
	global map[int64]map[msgKey]struct{} // global id → its copies
}

func newBoxData() boxData {
	return boxData{boxes: make(map[int64]*box), global: make(map[int64]map[msgKey]struct{})}
}

// cloneMessage copies m's byte slices, so that the store and its callers
// never share memory.
func cloneMessage(m store.Message) store.Message {
	m.Entities, m.Media = rules.Bytes(m.Entities), rules.Bytes(m.Media)
	m.FwdFrom, m.Action = rules.Bytes(m.FwdFrom), rules.Bytes(m.Action)
	m.ReplyMarkup = rules.Bytes(m.ReplyMarkup)
	m.Date, m.EditDate = second(m.Date), second(m.EditDate)
	return m
}

// cloneDialog copies d's draft.
func cloneDialog(d store.Dialog) store.Dialog {
	d.Draft = rules.Bytes(d.Draft)
	d.TopDate = second(d.TopDate)
	return d
}

type boxes struct{ s *Store }

// readBoxes runs f under the read lock of the boxes.
func (s *Store) readBoxes(f func() error) error {
	s.boxMu.RLock()
	defer s.boxMu.RUnlock()
	if s.boxes == nil {
		return errClosed
	}
	return f()
}

func (b boxes) Update(ctx context.Context, f func(tx store.BoxTx) error) error {
	if f == nil {
		return fmt.Errorf("update boxes: nil function: %w", store.ErrInvalid)
	}
	b.s.boxWriter.Lock()
	defer b.s.boxWriter.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.s.readBoxes(func() error { return nil }); err != nil {
		return err // closed
	}
	tx := &boxTx{s: b.s, boxes: make(map[int64]*txBox)}
	err := func() error {
		defer func() { tx.done = true }()
		return f(tx)
	}() // a panic leaves tx unapplied and goes on to the caller
	if err != nil {
		return err
	}
	return tx.commit()
}

func (b boxes) State(_ context.Context, owner int64) (store.BoxState, error) {
	var st store.BoxState
	err := b.s.readBoxes(func() error {
		if bx := b.s.boxes[owner]; bx != nil {
			st = bx.state
		}
		return nil
	})
	return st, err
}

func (b boxes) Message(_ context.Context, owner int64, id int32) (store.Message, error) {
	var m store.Message
	err := b.s.readBoxes(func() error {
		bx := b.s.boxes[owner]
		if bx == nil {
			return fmt.Errorf("message %d of user %d: %w", id, owner, store.ErrNotFound)
		}
		var ok bool
		if m, ok = bx.msgs[id]; !ok {
			return fmt.Errorf("message %d of user %d: %w", id, owner, store.ErrNotFound)
		}
		m = cloneMessage(m)
		return nil
	})
	return m, err
}

func (b boxes) Messages(_ context.Context, owner int64, ids []int32) ([]store.Message, error) {
	var out []store.Message
	err := b.s.readBoxes(func() error {
		bx := b.s.boxes[owner]
		if bx == nil {
			return nil
		}
		uniq := slices.Clone(ids)
		slices.Sort(uniq)
		for _, id := range slices.Compact(uniq) {
			if m, ok := bx.msgs[id]; ok {
				out = append(out, cloneMessage(m))
			}
		}
		return nil
	})
	return out, err
}

// byID orders messages by id, ascending or descending.
func byID(ms []store.Message, desc bool) {
	slices.SortFunc(ms, func(a, b store.Message) int {
		if desc {
			return cmp.Compare(b.ID, a.ID)
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// firstN returns the first n elements of s, or s when shorter.
func firstN[T any](s []T, n int) []T {
	return s[:min(len(s), n)]
}

func (b boxes) History(_ context.Context, owner int64, peer store.Peer, q store.HistoryQuery) ([]store.Message, error) {
	if err := rules.History(peer, q); err != nil {
		return nil, fmt.Errorf("history of user %d: %w", owner, err)
	}
	var out []store.Message
	err := b.s.readBoxes(func() error {
		bx := b.s.boxes[owner]
		if bx == nil {
			return nil
		}
		for _, m := range bx.msgs {
			switch {
			case m.Peer != peer, m.ID <= q.MinID, q.MaxID != 0 && m.ID >= q.MaxID,
				!q.MaxDate.IsZero() && unix(m.Date) >= q.MaxDate.Unix(), q.OnlyMentions && !(m.Mentioned && m.MediaUnread):
				continue
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	byID(out, q.Before)
	out = firstN(out, q.Limit)
	for i := range out {
		out[i] = cloneMessage(out[i])
	}
	return out, nil
}

func (b boxes) Count(_ context.Context, owner int64, peer store.Peer) (int, error) {
	n := 0
	err := b.s.readBoxes(func() error {
		if bx := b.s.boxes[owner]; bx != nil {
			for _, m := range bx.msgs {
				if m.Peer == peer {
					n++
				}
			}
		}
		return nil
	})
	return n, err
}

// dialogOrder orders dialogs as the dialog list shows them, pinned ones
// aside: newest top message first, then by peer, descending.
func dialogOrder(a, b store.Dialog) int {
	if c := cmp.Compare(unix(b.TopDate), unix(a.TopDate)); c != 0 {
		return c
	}
	if c := cmp.Compare(b.TopMessage, a.TopMessage); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Peer.Kind, a.Peer.Kind); c != 0 {
		return c
	}
	return cmp.Compare(b.Peer.ID, a.Peer.ID)
}

// afterOffset reports whether d comes after the offset of q (see
// store.DialogQuery).
func afterOffset(d store.Dialog, q store.DialogQuery) bool {
	switch {
	case !q.OffsetDate.IsZero():
		date, off := unix(d.TopDate), q.OffsetDate.Unix()
		return date < off || (date == off && d.TopMessage < q.OffsetID)
	case q.OffsetID != 0:
		return d.TopMessage < q.OffsetID
	}
	return true
}

func (b boxes) Dialogs(_ context.Context, owner int64, q store.DialogQuery) ([]store.Dialog, error) {
	if err := rules.Dialogs(q); err != nil {
		return nil, fmt.Errorf("dialogs of user %d: %w", owner, err)
	}
	first := q.OffsetDate.IsZero() && q.OffsetID == 0
	var pinned, rest []store.Dialog
	err := b.s.readBoxes(func() error {
		bx := b.s.boxes[owner]
		if bx == nil {
			return nil
		}
		for _, d := range bx.dialogs {
			switch {
			case d.FolderID != q.FolderID || d.TopMessage == 0:
			case d.PinnedOrder > 0:
				if first && !q.ExcludePinned {
					pinned = append(pinned, cloneDialog(d))
				}
			case !q.PinnedOnly && afterOffset(d, q):
				rest = append(rest, cloneDialog(d))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(pinned, func(a, b store.Dialog) int {
		if c := cmp.Compare(b.PinnedOrder, a.PinnedOrder); c != 0 {
			return c
		}
		return dialogOrder(a, b)
	})
	slices.SortFunc(rest, dialogOrder)
	return firstN(append(pinned, rest...), q.Limit), nil
}

func (b boxes) Dialog(_ context.Context, owner int64, peer store.Peer) (store.Dialog, error) {
	var d store.Dialog
	err := b.s.readBoxes(func() error {
		var ok bool
		if bx := b.s.boxes[owner]; bx != nil {
			d, ok = bx.dialogs[peer]
		}
		if !ok {
			return fmt.Errorf("dialog %d:%d of user %d: %w", peer.Kind, peer.ID, owner, store.ErrNotFound)
		}
		d = cloneDialog(d)
		return nil
	})
	return d, err
}

func (b boxes) Updates(_ context.Context, owner int64, after int32, limit int) ([]store.Update, error) {
	if err := rules.Updates(after, limit); err != nil {
		return nil, fmt.Errorf("updates of user %d: %w", owner, err)
	}
	var out []store.Update
	err := b.s.readBoxes(func() error {
		bx := b.s.boxes[owner]
		if bx == nil {
			return nil
		}
		i := sort.Search(len(bx.log), func(i int) bool { return bx.log[i].Pts > after })
		for _, u := range firstN(bx.log[i:], limit) {
			u.Payload = rules.Bytes(u.Payload)
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

func (b boxes) Search(_ context.Context, owner int64, q store.SearchQuery) ([]store.Message, error) {
	if err := rules.Search(q); err != nil {
		return nil, fmt.Errorf("search messages of user %d: %w", owner, err)
	}
	needle := rules.Fold(q.Text)
	var out []store.Message
	err := b.s.readBoxes(func() error {
		bx := b.s.boxes[owner]
		if bx == nil {
			return nil
		}
		for _, m := range bx.msgs {
			date := unix(m.Date)
			switch {
			case q.Peer != (store.Peer{}) && m.Peer != q.Peer, q.MaxID != 0 && m.ID >= q.MaxID,
				!q.From.IsZero() && date < q.From.Unix(), !q.To.IsZero() && date >= q.To.Unix(),
				!rules.Contains(m.Text, needle):
				continue
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	byID(out, true)
	out = firstN(out, q.Limit)
	for i := range out {
		out[i] = cloneMessage(out[i])
	}
	return out, nil
}
