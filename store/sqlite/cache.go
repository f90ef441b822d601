package sqlite

import (
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/rules"
)

// Bounds of the writer's cache: past them it starts again empty (at the
// start of a batch, when nothing in it is waiting to be written).
const (
	maxCachedBoxes   = 1 << 16
	maxCachedDialogs = 1 << 17
)

// boxCache mirrors the rows of boxes and dialogs the writer read or wrote,
// so that a send reads neither its counters nor its dialogs from SQLite,
// and writes each box's counters once per batch instead of once per
// change. Only the writer's goroutine uses it.
//
// It is valid while no other connection changed the database: each batch
// reads PRAGMA data_version, which changes exactly when another connection
// (another process, an account write on the pool, an administrator)
// committed, and empties the cache when it did. Counters and dialogs
// changed in a batch are written before its COMMIT (flush), once each
// however often the batch changed them. A call that fails undoes its
// changes to the cache along with its savepoint; a batch that fails
// empties it.
type boxCache struct {
	version      int64 // data_version the entries hold for; -1: none yet
	counters     map[int64]*counters
	dirty        []int64 // owners whose counters changed in this batch
	dialogs      map[dialogKey]*cachedDialog
	dirtyDialogs []dialogKey // dialogs put in this batch
}

// counters is the cached row of boxes of one owner.
type counters struct {
	st    store.BoxState
	inDB  bool // the row exists: flush updates it, else inserts it
	dirty bool // changed since the last flush
}

type dialogKey struct {
	owner int64
	peer  store.Peer
}

// cachedDialog is a dialog row, or the knowledge that there is none.
type cachedDialog struct {
	d      store.Dialog
	exists bool
	inDB   bool // the row is in the database: flush updates it, else inserts it
	dirty  bool // put since the last flush
}

func newBoxCache() *boxCache {
	c := &boxCache{}
	c.reset()
	return c
}

// reset empties the cache.
func (c *boxCache) reset() {
	c.version = -1
	c.counters = make(map[int64]*counters)
	c.dirty = c.dirty[:0]
	c.dialogs = make(map[dialogKey]*cachedDialog)
	c.dirtyDialogs = c.dirtyDialogs[:0]
}

// validate empties the cache unless it holds for data version v, or when
// it grew past its bounds.
func (c *boxCache) validate(v int64) {
	if v != c.version || len(c.counters) > maxCachedBoxes || len(c.dialogs) > maxCachedDialogs {
		c.reset()
		c.version = v
	}
}

// undo is the log of one call's changes to the cache, replayed backwards
// when the call is rolled back.
type undo []func()

func (u *undo) add(f func()) { *u = append(*u, f) }

func (u undo) replay() {
	for i := len(u) - 1; i >= 0; i-- {
		u[i]()
	}
}

// change records the current value of owner's counters in u and marks
// them dirty, before the caller changes them.
func (c *boxCache) change(u *undo, owner int64, e *counters) {
	prev := *e
	u.add(func() { *e = prev })
	if !e.dirty {
		e.dirty = true
		c.dirty = append(c.dirty, owner)
	}
}

// putDialog caches d (or its absence, exists false) and records the
// previous entry in u. inDB tells whether the database holds the row
// now; dirty, whether flush must write d.
func (c *boxCache) putDialog(u *undo, k dialogKey, d store.Dialog, exists, inDB, dirty bool) {
	prev, had := c.dialogs[k]
	u.add(func() {
		if had {
			c.dialogs[k] = prev
		} else {
			delete(c.dialogs, k)
		}
	})
	d.Draft = rules.Bytes(d.Draft)
	c.dialogs[k] = &cachedDialog{d: d, exists: exists, inDB: inDB, dirty: dirty}
	if dirty && !(had && prev.dirty) {
		c.dirtyDialogs = append(c.dirtyDialogs, k)
	}
}
