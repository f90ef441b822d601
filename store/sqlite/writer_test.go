package sqlite

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

// waitFor polls cond until it holds. The tests use it to reach a state of
// the writer's goroutine, never to measure time.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 100_000 {
		if cond() {
			return
		}
		runtime.Gosched()
		time.Sleep(100 * time.Microsecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func queued(w *writer) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.queue)
}

func mkUsers(t *testing.T, s *Store, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		u, err := s.Users().Create(t.Context(), store.User{Phone: fmt.Sprint(1555000 + i), CreatedAt: time.Unix(1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = u.ID
	}
	return ids
}

// putText reserves the next id of owner and stores a message with text.
func putText(tx store.BoxTx, owner, peer int64, text string, randomID int64) error {
	id, err := tx.NextID(owner)
	if err != nil {
		return err
	}
	if err := tx.PutMessage(store.Message{OwnerID: owner, ID: id, Peer: store.Peer{Kind: store.PeerUser, ID: peer},
		Date: time.Unix(100, 0), Text: text, RandomID: randomID}); err != nil {
		return err
	}
	_, err = tx.AppendUpdate(owner, 1, time.Unix(100, 0), []byte(text))
	return err
}

// TestGroupCommit queues calls of every outcome while the writer waits,
// so that they run in one transaction, and checks that each is kept or
// dropped on its own.
func TestGroupCommit(t *testing.T) {
	s := openT(t)
	ctx := t.Context()
	ids := mkUsers(t, s, 2)
	a, b := ids[0], ids[1]
	w := s.writer

	// Hold the write gate: the writer takes the first call and waits.
	if err := s.lockWrite(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 10)
	panics := make([]any, 10)
	returned := make(chan int, 10)
	// call queues f and waits until it is queued, so that calls run in
	// the order of the test.
	call := func(i int, ctx context.Context, f func(tx store.BoxTx) error) {
		before := queued(w)
		wg.Go(func() {
			defer func() { panics[i] = recover(); returned <- i }()
			errs[i] = s.Boxes().Update(ctx, f)
		})
		if i > 0 {
			waitFor(t, fmt.Sprintf("call %d to queue", i), func() bool { return queued(w) == before+1 })
		}
	}
	ok := func(text string, rid int64) func(tx store.BoxTx) error {
		return func(tx store.BoxTx) error { return putText(tx, a, b, text, rid) }
	}
	errBoom := errors.New("boom")
	call(0, ctx, ok("first", 1))
	waitFor(t, "the writer to take the first call", func() bool { return w.txs.Load() == 1 && queued(w) == 0 })

	cancelled, cancel := context.WithCancel(ctx)
	call(1, ctx, ok("second", 2))
	call(2, ctx, func(tx store.BoxTx) error {
		if err := putText(tx, a, b, "dropped", 3); err != nil {
			return err
		}
		return errBoom
	})
	call(3, ctx, func(tx store.BoxTx) error {
		if err := putText(tx, b, a, "dropped too", 4); err != nil {
			return err
		}
		panic("boom")
	})
	call(4, ctx, ok("third", 5))
	call(5, ctx, func(tx store.BoxTx) error {
		// A resent random id: handled, and the call goes on.
		if err := putText(tx, a, b, "resent", 2); !errors.Is(err, store.ErrExists) {
			return fmt.Errorf("resent: %w", err)
		}
		return putText(tx, b, a, "reply", 6)
	})
	call(6, cancelled, ok("never", 7))
	call(7, ctx, ok("fourth", 8))
	cancel()
	if i := <-returned; i != 6 {
		t.Fatalf("call %d returned while the writer waited; want the cancelled call 6", i)
	}
	s.unlockWrite()
	wg.Wait()

	for i, want := range []error{nil, nil, errBoom, nil, nil, nil, context.Canceled, nil} {
		if !errors.Is(errs[i], want) || (want == nil && errs[i] != nil) {
			t.Errorf("call %d: err = %v, want %v", i, errs[i], want)
		}
	}
	if panics[3] != "boom" {
		t.Errorf("call 3 panicked with %v, want boom", panics[3])
	}
	for i, p := range panics {
		if i != 3 && p != nil {
			t.Errorf("call %d panicked: %v", i, p)
		}
	}
	if txs, calls := w.txs.Load(), w.calls.Load(); txs != 2 || calls != 7 {
		t.Errorf("ran %d calls in %d transactions, want 7 in 2", calls, txs)
	}
	// Kept: first, second, third, fourth in a; reply in b. Call 5 kept
	// the id it reserved in a before its handled error (so a's last id is
	// 5); the dropped calls left nothing, so nothing else is missing.
	for owner, want := range map[int64][]string{a: {"first", "second", "third", "fourth"}, b: {"reply"}} {
		wantState := store.BoxState{LastID: int32(len(want)), Pts: int32(len(want))}
		if owner == a {
			wantState.LastID++
		}
		if st, err := s.Boxes().State(ctx, owner); err != nil || st != wantState {
			t.Errorf("state of %d = %+v, %v; want %+v", owner, st, err, wantState)
		}
		ms, err := s.Boxes().Messages(ctx, owner, []int32{1, 2, 3, 4, 5, 6})
		var texts []string
		for _, m := range ms {
			texts = append(texts, m.Text)
		}
		if err != nil || strings.Join(texts, ",") != strings.Join(want, ",") {
			t.Errorf("messages of %d = %v, %v; want %v", owner, texts, err, want)
		}
	}
}

// TestCacheFollowsOtherWriters changes boxes behind the writer's back, as
// another process or an administrator would: the writer must not use what
// it cached before.
func TestCacheFollowsOtherWriters(t *testing.T) {
	s := openT(t)
	ctx := t.Context()
	ids := mkUsers(t, s, 2)
	a, b := ids[0], ids[1]
	peer := store.Peer{Kind: store.PeerUser, ID: b}
	mustUpdate := func(f func(tx store.BoxTx) error) {
		t.Helper()
		if err := s.Boxes().Update(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	mustUpdate(func(tx store.BoxTx) error {
		if err := putText(tx, a, b, "hello", 1); err != nil {
			return err
		}
		return tx.PutDialog(store.Dialog{OwnerID: a, Peer: peer, TopMessage: 1})
	})

	// Another connection moves the counters and drops the dialog.
	if _, err := s.db.ExecContext(ctx, `UPDATE boxes SET last_id = 41, pts = 9 WHERE owner_id = ?`, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM dialogs WHERE owner_id = ?`, a); err != nil {
		t.Fatal(err)
	}
	mustUpdate(func(tx store.BoxTx) error {
		if id, err := tx.NextID(a); err != nil || id != 42 {
			t.Errorf("next id after another writer = %d, %v; want 42", id, err)
		}
		if pts, err := tx.AppendUpdate(a, 1, time.Unix(1, 0), nil); err != nil || pts != 10 {
			t.Errorf("pts after another writer = %d, %v; want 10", pts, err)
		}
		if _, err := tx.Dialog(a, peer); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("dialog deleted by another writer: err = %v, want ErrNotFound", err)
		}
		return nil
	})

	// Deleting the user takes the box along.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, a); err != nil {
		t.Fatal(err)
	}
	if err := s.Boxes().Update(ctx, func(tx store.BoxTx) error {
		_, err := tx.NextID(a)
		return err
	}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("next id of a deleted user: err = %v, want ErrNotFound", err)
	}
}
