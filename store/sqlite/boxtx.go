package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/rules"
)

// errTxDone fails a BoxTx used after its function returned.
var errTxDone = errors.New("box transaction is over")

// boxTx is the store.BoxTx of one Boxes.Update call.
type boxTx struct {
	b    *batch
	undo undo // this call's changes to the writer's cache
	done bool
}

var _ store.BoxTx = (*boxTx)(nil)

// over fails once the call's function has returned.
func (t *boxTx) over() error {
	if t.done {
		return errTxDone
	}
	return nil
}

// counters returns owner's cached counters, reading them on a miss. A
// box that does not exist yet is zero, and needs the owner to be a user.
func (t *boxTx) counters(owner int64) (*counters, error) {
	if err := t.over(); err != nil {
		return nil, err
	}
	c := t.b.cache
	if e := c.counters[owner]; e != nil {
		return e, nil
	}
	var last, pts, seq int64
	e := &counters{inDB: true}
	err := t.b.row(wGetBox, owner).Scan(&last, &pts, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		e.inDB, err = false, t.mustUser(owner)
	}
	if err != nil {
		return nil, err
	}
	e.st = store.BoxState{LastID: int32(last), Pts: int32(pts), Seq: int32(seq)}
	c.counters[owner] = e
	return e, nil
}

// mustUser fails with store.ErrNotFound unless owner is a user.
func (t *boxTx) mustUser(owner int64) error {
	var n int
	if err := t.b.row(wUserExists, owner).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("user %d: %w", owner, store.ErrNotFound)
	}
	return nil
}

// advance adds delta to the counter of owner that field selects and
// returns its new value.
func (t *boxTx) advance(what string, owner int64, delta int32, field func(*store.BoxState) *int32) (int32, error) {
	e, err := t.counters(owner)
	if err != nil {
		return 0, fmt.Errorf("%s of user %d: %w", what, owner, err)
	}
	v := field(&e.st)
	if *v > math.MaxInt32-delta {
		return 0, fmt.Errorf("%s of user %d: exhausted", what, owner)
	}
	t.b.cache.change(&t.undo, owner, e)
	*v += delta
	return *v, nil
}

func (t *boxTx) NextID(owner int64) (int32, error) {
	return t.advance("next message id", owner, 1, func(st *store.BoxState) *int32 { return &st.LastID })
}

func (t *boxTx) NextSeq(owner int64) (int32, error) {
	return t.advance("next seq", owner, 1, func(st *store.BoxState) *int32 { return &st.Seq })
}

func (t *boxTx) PutMessage(m store.Message) error {
	if err := t.over(); err != nil {
		return err
	}
	err := rules.Message(m)
	if err == nil {
		var e *counters
		if e, err = t.counters(m.OwnerID); err == nil && m.ID > e.st.LastID {
			err = fmt.Errorf("id not reserved (last is %d): %w", e.st.LastID, store.ErrInvalid)
		}
	}
	if err == nil {
		_, err = t.b.exec(wPutMessage, messageArgs(m)...)
	}
	if err != nil {
		return fmt.Errorf("put message %d of user %d: %w", m.ID, m.OwnerID, constraintErr(err))
	}
	return nil
}

// message reads one message with a statement that selects at most one.
func (t *boxTx) message(what string, id stmtID, owner, key int64) (store.Message, error) {
	if err := t.over(); err != nil {
		return store.Message{}, err
	}
	m, err := scanMessage(t.b.row(id, owner, key))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Message{}, fmt.Errorf("%s %d of user %d: %w", what, key, owner, err)
	}
	return m, nil
}

func (t *boxTx) Message(owner int64, id int32) (store.Message, error) {
	return t.message("message", wGetMessage, owner, int64(id))
}

func (t *boxTx) ByRandomID(owner, randomID int64) (store.Message, error) {
	if randomID == 0 {
		return store.Message{}, fmt.Errorf("message with random id 0: %w", store.ErrNotFound)
	}
	return t.message("message with random id", wByRandomID, owner, randomID)
}

func (t *boxTx) ByGlobalID(globalID int64) ([]store.Message, error) {
	if err := t.over(); err != nil {
		return nil, err
	}
	if globalID == 0 {
		return nil, fmt.Errorf("messages with global id 0: %w", store.ErrInvalid)
	}
	ms, err := scanMessages(t.b.query(wByGlobalID, globalID))
	if err != nil {
		return nil, fmt.Errorf("messages with global id %d: %w", globalID, err)
	}
	return ms, nil
}

func (t *boxTx) UpdateMessage(m store.Message) error {
	if err := t.over(); err != nil {
		return err
	}
	err := rules.Message(m)
	if err == nil {
		// SET takes the columns after the key (owner, id), WHERE the key.
		a := messageArgs(m)
		args := append(append(make([]any, 0, len(a)), a[2:]...), a[0], a[1])
		err = changedOne(t.b.exec(wUpdateMessage, args...))
	}
	if err != nil {
		return fmt.Errorf("update message %d of user %d: %w", m.ID, m.OwnerID, constraintErr(err))
	}
	return nil
}

func (t *boxTx) DeleteMessages(owner int64, ids []int32) error {
	if err := t.over(); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := t.b.exec(wDeleteMessage, owner, int64(id)); err != nil {
			return fmt.Errorf("delete message %d of user %d: %w", id, owner, err)
		}
	}
	return nil
}

// dialog returns the cached dialog with peer, reading it on a miss.
func (t *boxTx) dialog(owner int64, peer store.Peer) (*cachedDialog, error) {
	if err := t.over(); err != nil {
		return nil, err
	}
	k := dialogKey{owner, peer}
	if e := t.b.cache.dialogs[k]; e != nil {
		return e, nil
	}
	d, err := scanDialog(t.b.row(wGetDialog, owner, int64(peer.Kind), peer.ID))
	e := &cachedDialog{d: d, exists: err == nil, inDB: err == nil}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	t.b.cache.dialogs[k] = e
	return e, nil
}

func (t *boxTx) Dialog(owner int64, peer store.Peer) (store.Dialog, error) {
	e, err := t.dialog(owner, peer)
	if err == nil && !e.exists {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Dialog{}, fmt.Errorf("dialog %d:%d of user %d: %w", peer.Kind, peer.ID, owner, err)
	}
	d := e.d
	d.Draft = rules.Bytes(d.Draft)
	return d, nil
}

// PutDialog changes the cached dialog; flush writes it at the end of the
// batch (a dialog changed by several calls of a batch is written once).
func (t *boxTx) PutDialog(d store.Dialog) error {
	err := rules.Dialog(d)
	var e *cachedDialog
	if err == nil {
		e, err = t.dialog(d.OwnerID, d.Peer)
	}
	if err == nil && !e.exists && !e.inDB {
		err = t.mustUser(d.OwnerID)
	}
	if err != nil {
		return fmt.Errorf("put dialog %d:%d of user %d: %w", d.Peer.Kind, d.Peer.ID, d.OwnerID, constraintErr(err))
	}
	d.TopDate = fromUnix(unix(d.TopDate))
	t.b.cache.putDialog(&t.undo, dialogKey{d.OwnerID, d.Peer}, d, true, e.inDB, true)
	return nil
}

func (t *boxTx) DeleteDialog(owner int64, peer store.Peer) error {
	e, err := t.dialog(owner, peer)
	if err == nil && !e.exists {
		err = store.ErrNotFound
	}
	if err == nil && e.inDB {
		err = changedOne(t.b.exec(wDeleteDialog, owner, int64(peer.Kind), peer.ID))
	}
	if err != nil {
		return fmt.Errorf("delete dialog %d:%d of user %d: %w", peer.Kind, peer.ID, owner, err)
	}
	t.b.cache.putDialog(&t.undo, dialogKey{owner, peer}, store.Dialog{}, false, false, false)
	return nil
}

func (t *boxTx) AppendUpdate(owner int64, ptsCount int32, date time.Time, payload []byte) (int32, error) {
	if err := t.over(); err != nil {
		return 0, err
	}
	if ptsCount < 0 {
		return 0, fmt.Errorf("append update of user %d: pts count %d: %w", owner, ptsCount, store.ErrInvalid)
	}
	var (
		pts int32
		err error
	)
	if ptsCount == 0 {
		var e *counters
		if e, err = t.counters(owner); err == nil {
			pts = e.st.Pts
			_, err = t.b.exec(wAppendZero, owner, int64(pts), owner, int64(pts), unix(date), blob(payload))
		}
	} else if pts, err = t.advance("pts", owner, ptsCount, func(st *store.BoxState) *int32 { return &st.Pts }); err == nil {
		_, err = t.b.exec(wAppend, owner, int64(pts), int64(ptsCount), unix(date), blob(payload))
		if err == nil {
			err = t.trimLog(owner, pts-ptsCount, pts) // trim.go
		}
	}
	if err != nil {
		return 0, fmt.Errorf("append update of user %d: %w", owner, constraintErr(err))
	}
	return pts, nil
}
