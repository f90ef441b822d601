package memory

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/rules"
)

// errTxDone fails a BoxTx used after its function returned.
var errTxDone = errors.New("box transaction is over")

// boxTx is the store.BoxTx of one Boxes.Update call. Its writes are staged
// in boxes and applied to the store at commit, so that readers see only
// committed data and a failed call leaves nothing behind. The store's
// boxWriter lock is held throughout: the committed boxes change only at
// commit, under boxMu as well.
type boxTx struct {
	s     *Store
	boxes map[int64]*txBox // owners touched
	done  bool
	bots  map[int64]*txBotQueue // Bot API queues appended to (botapi.go)
	chats *chatTx               // basic group writes (chattx.go)
}

// txBox is the staged state of one owner's box.
type txBox struct {
	base    *box // nil for a box not committed yet
	user    bool // the owner is known to be a user
	state   store.BoxState
	msgs    map[int32]*store.Message     // written or, nil, deleted
	dialogs map[store.Peer]*store.Dialog // written or, nil, deleted
	log     []store.Update
	trimTo  int32 // drop the log up to this pts at commit (store.TrimUpTo)
}

var _ store.BoxTx = (*boxTx)(nil)

// box returns the staged box of owner. A write needs the owner to be a
// user.
func (t *boxTx) box(owner int64, write bool) (*txBox, error) {
	if t.done {
		return nil, errTxDone
	}
	b := t.boxes[owner]
	if b == nil {
		b = &txBox{msgs: make(map[int32]*store.Message), dialogs: make(map[store.Peer]*store.Dialog)}
		err := t.s.readBoxes(func() error {
			b.base = t.s.boxes[owner]
			return nil
		})
		if err != nil {
			return nil, err
		}
		if b.base != nil {
			b.state = b.base.state
		}
		t.boxes[owner] = b
	}
	if write && !b.user {
		err := t.s.read(func() error { return t.s.mustUser(owner) })
		if err != nil {
			return nil, err
		}
		b.user = true
	}
	return b, nil
}

// message returns the staged or committed message id, or nil. The caller
// holds no lock; the committed boxes do not change during the call.
func (b *txBox) message(id int32) *store.Message {
	if m, ok := b.msgs[id]; ok {
		return m
	}
	if b.base != nil {
		if m, ok := b.base.msgs[id]; ok {
			return &m
		}
	}
	return nil
}

// byRandom returns the message of the box with the random id, or nil.
func (b *txBox) byRandom(randomID int64) *store.Message {
	for _, m := range b.msgs {
		if m != nil && m.RandomID == randomID {
			return m
		}
	}
	if b.base != nil {
		if id, ok := b.base.random[randomID]; ok {
			if _, staged := b.msgs[id]; !staged {
				m := b.base.msgs[id]
				return &m
			}
		}
	}
	return nil
}

func (t *boxTx) NextID(owner int64) (int32, error) {
	b, err := t.box(owner, true)
	if err != nil {
		return 0, fmt.Errorf("next message id of user %d: %w", owner, err)
	}
	if b.state.LastID == math.MaxInt32 {
		return 0, fmt.Errorf("next message id of user %d: exhausted", owner)
	}
	b.state.LastID++
	return b.state.LastID, nil
}

func (t *boxTx) NextSeq(owner int64) (int32, error) {
	b, err := t.box(owner, true)
	if err != nil {
		return 0, fmt.Errorf("next seq of user %d: %w", owner, err)
	}
	if b.state.Seq == math.MaxInt32 {
		return 0, fmt.Errorf("next seq of user %d: exhausted", owner)
	}
	b.state.Seq++
	return b.state.Seq, nil
}

func (t *boxTx) PutMessage(m store.Message) error {
	err := rules.Message(m)
	var b *txBox
	if err == nil {
		b, err = t.box(m.OwnerID, true)
	}
	switch {
	case err != nil:
	case m.ID > b.state.LastID:
		err = fmt.Errorf("id not reserved (last is %d): %w", b.state.LastID, store.ErrInvalid)
	case b.message(m.ID) != nil:
		err = fmt.Errorf("id: %w", store.ErrExists)
	case m.RandomID != 0 && b.byRandom(m.RandomID) != nil:
		err = fmt.Errorf("random id %d: %w", m.RandomID, store.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("put message %d of user %d: %w", m.ID, m.OwnerID, err)
	}
	m = cloneMessage(m)
	b.msgs[m.ID] = &m
	return nil
}

func (t *boxTx) Message(owner int64, id int32) (store.Message, error) {
	b, err := t.box(owner, false)
	if err != nil {
		return store.Message{}, err
	}
	m := b.message(id)
	if m == nil {
		return store.Message{}, fmt.Errorf("message %d of user %d: %w", id, owner, store.ErrNotFound)
	}
	return cloneMessage(*m), nil
}

func (t *boxTx) ByRandomID(owner, randomID int64) (store.Message, error) {
	b, err := t.box(owner, false)
	if err != nil {
		return store.Message{}, err
	}
	var m *store.Message
	if randomID != 0 {
		m = b.byRandom(randomID)
	}
	if m == nil {
		return store.Message{}, fmt.Errorf("message with random id %d of user %d: %w", randomID, owner, store.ErrNotFound)
	}
	return cloneMessage(*m), nil
}

func (t *boxTx) ByGlobalID(globalID int64) ([]store.Message, error) {
	if t.done {
		return nil, errTxDone
	}
	if globalID == 0 {
		return nil, fmt.Errorf("messages with global id 0: %w", store.ErrInvalid)
	}
	var keys []msgKey
	err := t.s.readBoxes(func() error {
		for k := range t.s.global[globalID] {
			keys = append(keys, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for owner, b := range t.boxes {
		for id, m := range b.msgs {
			if m != nil && m.GlobalID == globalID {
				keys = append(keys, msgKey{owner, id})
			}
		}
	}
	slices.SortFunc(keys, func(a, b msgKey) int {
		if c := cmp.Compare(a.owner, b.owner); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	var out []store.Message
	for _, k := range slices.Compact(keys) {
		b, err := t.box(k.owner, false)
		if err != nil {
			return nil, err
		}
		if m := b.message(k.id); m != nil && m.GlobalID == globalID {
			out = append(out, cloneMessage(*m))
		}
	}
	return out, nil
}

func (t *boxTx) UpdateMessage(m store.Message) error {
	err := rules.Message(m)
	var b *txBox
	if err == nil {
		b, err = t.box(m.OwnerID, false)
	}
	if err == nil {
		if b.message(m.ID) == nil {
			err = store.ErrNotFound
		} else if other := b.byRandom(m.RandomID); m.RandomID != 0 && other != nil && other.ID != m.ID {
			err = fmt.Errorf("random id %d: %w", m.RandomID, store.ErrExists)
		}
	}
	if err != nil {
		return fmt.Errorf("update message %d of user %d: %w", m.ID, m.OwnerID, err)
	}
	m = cloneMessage(m)
	b.msgs[m.ID] = &m
	return nil
}

func (t *boxTx) DeleteMessages(owner int64, ids []int32) error {
	b, err := t.box(owner, false)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if b.message(id) != nil {
			b.msgs[id] = nil
		}
	}
	return nil
}

// dialog returns the staged or committed dialog with peer, or nil.
func (b *txBox) dialog(peer store.Peer) *store.Dialog {
	if d, ok := b.dialogs[peer]; ok {
		return d
	}
	if b.base != nil {
		if d, ok := b.base.dialogs[peer]; ok {
			return &d
		}
	}
	return nil
}

func (t *boxTx) Dialog(owner int64, peer store.Peer) (store.Dialog, error) {
	b, err := t.box(owner, false)
	if err != nil {
		return store.Dialog{}, err
	}
	d := b.dialog(peer)
	if d == nil {
		return store.Dialog{}, fmt.Errorf("dialog %d:%d of user %d: %w", peer.Kind, peer.ID, owner, store.ErrNotFound)
	}
	return cloneDialog(*d), nil
}

func (t *boxTx) PutDialog(d store.Dialog) error {
	err := rules.Dialog(d)
	var b *txBox
	if err == nil {
		b, err = t.box(d.OwnerID, true)
	}
	if err != nil {
		return fmt.Errorf("put dialog %d:%d of user %d: %w", d.Peer.Kind, d.Peer.ID, d.OwnerID, err)
	}
	d = cloneDialog(d)
	b.dialogs[d.Peer] = &d
	return nil
}

func (t *boxTx) DeleteDialog(owner int64, peer store.Peer) error {
	b, err := t.box(owner, false)
	if err == nil && b.dialog(peer) == nil {
		err = store.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("delete dialog %d:%d of user %d: %w", peer.Kind, peer.ID, owner, err)
	}
	b.dialogs[peer] = nil
	return nil
}

func (t *boxTx) AppendUpdate(owner int64, ptsCount int32, date time.Time, payload []byte) (int32, error) {
	if ptsCount < 0 {
		return 0, fmt.Errorf("append update of user %d: pts count %d: %w", owner, ptsCount, store.ErrInvalid)
	}
	b, err := t.box(owner, true)
	if err != nil {
		return 0, fmt.Errorf("append update of user %d: %w", owner, err)
	}
	if b.state.Pts > math.MaxInt32-ptsCount {
		return 0, fmt.Errorf("append update of user %d: pts exhausted", owner)
	}
	b.state.Pts += ptsCount
	if upTo, ok := store.TrimUpTo(b.state.Pts-ptsCount, b.state.Pts); ok {
		b.trimTo = upTo
	}
	b.log = append(b.log, store.Update{OwnerID: owner, Pts: b.state.Pts, PtsCount: ptsCount, Date: second(date),
		Payload: rules.Bytes(payload)})
	return b.state.Pts, nil
}

// commit applies the staged writes to the store.
func (t *boxTx) commit() error {
	applyChats, unlockChats, err := t.lockChats()
	if err != nil {
		return err
	}
	defer unlockChats()
	t.s.boxMu.Lock()
	defer t.s.boxMu.Unlock()
	if t.s.boxes == nil {
		return errClosed
	}
	applyChats()
	for owner, b := range t.boxes {
		bx := t.s.boxes[owner]
		if bx == nil {
			if !b.user {
				continue // only read
			}
			bx = newBox()
			t.s.boxes[owner] = bx
		}
		bx.state = b.state
		for id, m := range b.msgs {
			t.s.removeMessage(owner, bx, id)
			if m != nil {
				t.s.addMessage(bx, *m)
			}
		}
		for peer, d := range b.dialogs {
			if d == nil {
				delete(bx.dialogs, peer)
			} else {
				bx.dialogs[peer] = *d
			}
		}
		bx.log = trimLog(append(bx.log, b.log...), b.trimTo)
	}
	t.commitBots()
	return nil
}

// removeMessage drops a committed message and its index entries. The
// caller holds boxMu.
func (s *Store) removeMessage(owner int64, bx *box, id int32) {
	m, ok := bx.msgs[id]
	if !ok {
		return
	}
	delete(bx.msgs, id)
	if m.RandomID != 0 && bx.random[m.RandomID] == id {
		delete(bx.random, m.RandomID)
	}
	if m.GlobalID != 0 {
		copies := s.global[m.GlobalID]
		delete(copies, msgKey{owner, id})
		if len(copies) == 0 {
			delete(s.global, m.GlobalID)
		}
	}
}

// addMessage stores a message and its index entries. The caller holds
// boxMu.
func (s *Store) addMessage(bx *box, m store.Message) {
	bx.msgs[m.ID] = m
	if m.RandomID != 0 {
		bx.random[m.RandomID] = m.ID
	}
	if m.GlobalID != 0 {
		copies := s.global[m.GlobalID]
		if copies == nil {
			copies = make(map[msgKey]struct{})
			s.global[m.GlobalID] = copies
		}
		copies[msgKey{m.OwnerID, m.ID}] = struct{}{}
	}
}
