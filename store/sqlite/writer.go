package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/roostchat/roost/store"
)

// errClosed fails Boxes.Update calls made after Close.
var errClosed = errors.New("sqlite store: closed")

// maxBatch bounds the calls that share one transaction, so that a burst
// does not make one commit arbitrarily large.
const maxBatch = 256

// writer runs the Boxes.Update calls of a Store: one goroutine, on a
// connection of its own, one call after the other.
//
// Group commit. Calls that queue while a transaction runs go together into
// the next one. Each call runs inside a SAVEPOINT: when it fails (or
// panics) ROLLBACK TO undoes exactly its work and the others stay; when it
// succeeds RELEASE folds its work into the transaction. One COMMIT then
// makes the whole batch durable, and only then does any caller learn its
// result, so a call reported successful is committed and a failed one left
// nothing behind. If anything beyond a call's own work fails (a savepoint,
// the commit), every call of the batch that had not already failed gets
// that error and none of their work stays: all-or-nothing holds per call
// either way, and calls still run in the order they queued, each seeing
// the work of the ones before it, as with one transaction per call.
//
// The gain is that SQLite writes each page a batch touches to the WAL once
// per batch instead of once per call: the counters, the right edges of
// the indexes and each dialog's leaf are shared by many calls. A batch of
// one runs without savepoints.
type writer struct {
	s     *Store
	conn  *sql.Conn
	ckpt  *checkpointer
	cache *boxCache // owned by the loop

	mu     sync.Mutex
	queue  []*call
	closed bool

	batch []*call       // the batch being run; owned by the loop
	wake  chan struct{} // buffered: the queue may have grown
	done  chan struct{} // closed when the loop has stopped

	// Transactions run and calls they ran, for tests and metrics.
	txs, calls atomic.Int64
}

// call is one Boxes.Update call.
type call struct {
	f     func(store.BoxTx) error
	state atomic.Int32
	// Set by the loop before done is closed.
	err      error
	panicked bool
	panicVal any
	done     chan struct{}
}

// States of a call. The caller cancels a queued call; the loop takes it.
const (
	callQueued int32 = iota
	callTaken
	callCancelled
)

// failed reports whether the call's own work was dropped.
func (c *call) failed() bool { return c.err != nil || c.panicked }

// startWriter takes a connection of s's pool for the writer and starts its
// loop.
func startWriter(ctx context.Context, s *Store) (*writer, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("writer connection: %w", err)
	}
	// A larger page cache keeps the hot pages of every box between
	// batches; savepoint journals stay in memory; the checkpointer
	// checkpoints, and the writer, which rewinds the WAL after it, cuts
	// the file back to walSizeLimit.
	for _, p := range []string{`PRAGMA cache_size = -32768`, `PRAGMA temp_store = MEMORY`, `PRAGMA wal_autocheckpoint = 0`,
		fmt.Sprintf(`PRAGMA journal_size_limit = %d`, walSizeLimit)} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return nil, errors.Join(fmt.Errorf("writer connection: %s: %w", p, err), conn.Close())
		}
	}
	ckpt, err := startCheckpointer(ctx, s)
	if err != nil {
		return nil, errors.Join(err, conn.Close())
	}
	w := &writer{s: s, conn: conn, ckpt: ckpt, cache: newBoxCache(), wake: make(chan struct{}, 1),
		done: make(chan struct{})}
	go w.loop()
	return w, nil
}

// do queues f and waits for its result. A panic of f goes on here, in the
// caller's goroutine.
func (w *writer) do(ctx context.Context, f func(store.BoxTx) error) error {
	if f == nil {
		return fmt.Errorf("update boxes: nil function: %w", store.ErrInvalid)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c := &call{f: f, done: make(chan struct{})}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return errClosed
	}
	w.queue = append(w.queue, c)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
	select {
	case <-c.done:
	case <-ctx.Done():
		if c.state.CompareAndSwap(callQueued, callCancelled) {
			return ctx.Err() // never ran
		}
		<-c.done // it runs already: it completes
	}
	if c.panicked {
		panic(c.panicVal)
	}
	return c.err
}

// close stops accepting calls, lets the loop finish the queued ones and
// releases the connection.
func (w *writer) close() error {
	w.mu.Lock()
	again := w.closed
	w.closed = true
	w.mu.Unlock()
	if again {
		<-w.done
		return nil
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
	<-w.done
	return errors.Join(w.ckpt.close(), w.conn.Close())
}

func (w *writer) loop() {
	defer close(w.done)
	for {
		<-w.wake
		for {
			closed := w.take()
			if len(w.batch) == 0 {
				if closed {
					return
				}
				break
			}
			w.run(w.batch)
			w.ckpt.poke()
			clear(w.batch) // let the calls go
		}
	}
}

// take moves up to maxBatch queued calls to w.batch and reports whether
// the writer is closed.
func (w *writer) take() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := min(len(w.queue), maxBatch)
	w.batch = append(w.batch[:0], w.queue[:n]...)
	rest := copy(w.queue, w.queue[n:])
	clear(w.queue[rest:])
	w.queue = w.queue[:rest]
	return w.closed
}

// run runs a batch in one transaction and then tells each caller.
func (w *writer) run(calls []*call) {
	live := calls[:0]
	for _, c := range calls {
		if c.state.CompareAndSwap(callQueued, callTaken) {
			live = append(live, c)
		}
	}
	var tx *sql.Tx
	defer func() {
		// A panic here is a bug of the store, not of a call (runCall
		// catches those): fail the batch rather than leave the loop dead
		// and every later call waiting.
		if r := recover(); r != nil {
			if tx != nil {
				_ = tx.Rollback()
			}
			w.cache.reset()
			failAll(live, fmt.Errorf("update boxes: internal error: %v", r))
		}
		for _, c := range live {
			close(c.done)
		}
	}()
	if len(live) == 0 {
		return
	}
	w.txs.Add(1)
	w.calls.Add(int64(len(live)))
	ctx := context.Background() // a caller's cancellation must not interrupt the others' work
	if err := w.s.lockWrite(ctx); err != nil {
		failAll(live, fmt.Errorf("update boxes: %w", err))
		return
	}
	defer w.s.unlockWrite()
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		w.cache.reset()
		failAll(live, fmt.Errorf("update boxes: begin: %w", err))
		return
	}
	b := &batch{tx: tx, ctx: ctx, prepared: w.s.stmts, cache: w.cache}
	var version int64
	if err := b.row(wDataVersion).Scan(&version); err != nil {
		w.abort(tx, live, fmt.Errorf("update boxes: data version: %w", err))
		return
	}
	w.cache.validate(version)
	if len(live) == 1 {
		c := live[0]
		b.runCall(c)
		if c.failed() {
			if err := tx.Rollback(); err != nil && c.err != nil {
				c.err = errors.Join(c.err, fmt.Errorf("update boxes: rollback: %w", err))
			}
			return
		}
		w.commit(b, live)
		return
	}
	for _, c := range live {
		if _, err := b.exec(wSavepoint); err != nil {
			w.abort(tx, live, fmt.Errorf("update boxes: savepoint: %w", err))
			return
		}
		b.runCall(c)
		if c.failed() {
			if _, err := b.exec(wRollbackTo); err != nil {
				w.abort(tx, live, fmt.Errorf("update boxes: roll back a failed call: %w", err))
				return
			}
		}
		if _, err := b.exec(wRelease); err != nil {
			w.abort(tx, live, fmt.Errorf("update boxes: release savepoint: %w", err))
			return
		}
	}
	w.commit(b, live)
}

// commit writes the counters the batch changed and commits it.
func (w *writer) commit(b *batch, calls []*call) {
	if err := b.flush(); err != nil {
		w.abort(b.tx, calls, fmt.Errorf("update boxes: %w", err))
		return
	}
	if err := b.tx.Commit(); err != nil {
		w.cache.reset()
		failAll(calls, fmt.Errorf("update boxes: commit: %w", err))
	}
}

// failAll gives err to every call that has not failed on its own.
func failAll(calls []*call, err error) {
	for _, c := range calls {
		if !c.failed() {
			c.err = err
		}
	}
}

// abort rolls the whole transaction back, forgets the cache and fails the
// batch with err.
func (w *writer) abort(tx *sql.Tx, calls []*call, err error) {
	if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
		err = errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
	}
	w.cache.reset()
	failAll(calls, err)
}

// batch is one transaction of the writer, shared by the calls it runs.
type batch struct {
	tx       *sql.Tx
	ctx      context.Context
	prepared *[numStmts]*sql.Stmt
	stmts    [numStmts]*sql.Stmt // bound to tx, made on first use
	cache    *boxCache
}

// stmt returns the statement id bound to the transaction.
func (b *batch) stmt(id stmtID) *sql.Stmt {
	if b.stmts[id] == nil {
		b.stmts[id] = b.tx.StmtContext(b.ctx, b.prepared[id])
	}
	return b.stmts[id]
}

func (b *batch) exec(id stmtID, args ...any) (sql.Result, error) {
	return b.stmt(id).ExecContext(b.ctx, args...)
}

func (b *batch) row(id stmtID, args ...any) *sql.Row {
	return b.stmt(id).QueryRowContext(b.ctx, args...)
}

func (b *batch) query(id stmtID, args ...any) (*sql.Rows, error) {
	return b.stmt(id).QueryContext(b.ctx, args...)
}

// runCall runs one call's function, catching its panic. A failed call
// undoes its changes to the cache; the caller rolls back its SQL.
func (b *batch) runCall(c *call) {
	tx := &boxTx{b: b}
	defer func() {
		tx.done = true
		if r := recover(); r != nil {
			c.panicked, c.panicVal = true, r
		}
		if c.failed() {
			tx.undo.replay()
		}
	}()
	c.err = c.f(tx)
}

// flush writes the counters and dialogs the batch changed.
func (b *batch) flush() error {
	c := b.cache
	for _, owner := range c.dirty {
		e := c.counters[owner]
		if e == nil || !e.dirty {
			continue // rolled back
		}
		var err error
		if e.inDB {
			err = changedOne(b.exec(wUpdateBox, int64(e.st.LastID), int64(e.st.Pts), int64(e.st.Seq), owner))
		} else {
			_, err = b.exec(wInsertBox, owner, int64(e.st.LastID), int64(e.st.Pts), int64(e.st.Seq))
		}
		if err != nil {
			return fmt.Errorf("write counters of user %d: %w", owner, err)
		}
		e.inDB, e.dirty = true, false
	}
	c.dirty = c.dirty[:0]
	for _, k := range c.dirtyDialogs {
		e := c.dialogs[k]
		if e == nil || !e.dirty || !e.exists {
			continue // rolled back or deleted
		}
		a := dialogArgs(e.d)
		var err error
		if e.inDB {
			// SET takes the columns after the key (owner, peer), WHERE the key.
			args := append(append(make([]any, 0, len(a)), a[3:]...), a[0], a[1], a[2])
			err = changedOne(b.exec(wUpdateDialog, args...))
		} else {
			_, err = b.exec(wInsertDialog, a...)
		}
		if err != nil {
			return fmt.Errorf("write dialog %d:%d of user %d: %w", k.peer.Kind, k.peer.ID, k.owner, constraintErr(err))
		}
		e.inDB, e.dirty = true, false
	}
	c.dirtyDialogs = c.dirtyDialogs[:0]
	return nil
}
