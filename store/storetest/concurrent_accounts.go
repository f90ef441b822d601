package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/roostchat/roost/store"
)

// testConcurrentAccounts races writers of accounts; run it with -race.
func testConcurrentAccounts(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	owner := mustUser(t, s, person(0))
	const workers, perWorker = 8, 20

	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		ids    []int64
		winner = make([]int, 0, workers)
	)
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Go(func() {
			// Everyone races for the same username, in various cases: one
			// wins.
			name := []string{"contested", "CONTESTED", "Contested"}[w%3]
			u, err := s.Users().Create(ctx, store.User{Phone: fmt.Sprintf("1666%04d", w), Username: name, CreatedAt: base})
			switch {
			case err == nil:
				mu.Lock()
				winner = append(winner, w)
				ids = append(ids, u.ID)
				mu.Unlock()
			case !errors.Is(err, store.ErrExists):
				errs <- fmt.Errorf("contested create: %w", err)
			}
			for i := range perWorker {
				u, err := s.Users().Create(ctx, person(1+w*perWorker+i))
				if err != nil {
					errs <- fmt.Errorf("create: %w", err)
					return
				}
				mu.Lock()
				ids = append(ids, u.ID)
				mu.Unlock()
				if err := s.Contacts().Put(ctx, store.Contact{OwnerID: owner.ID, UserID: u.ID, CreatedAt: at(i)}); err != nil {
					errs <- fmt.Errorf("put contact: %w", err)
					return
				}
				if err := s.Contacts().Block(ctx, owner.ID, u.ID, at(i)); err != nil {
					errs <- fmt.Errorf("block: %w", err)
					return
				}
				if err := s.Users().SetLastSeen(ctx, owner.ID, at(i)); err != nil {
					errs <- fmt.Errorf("set last seen: %w", err)
					return
				}
				code := store.LoginCode{Hash: fmt.Sprint(w, "-", i), Phone: "15550000", CreatedAt: at(i), ExpiresAt: at(i + 60)}
				if err := s.LoginCodes().Put(ctx, code); err != nil {
					errs <- fmt.Errorf("put code: %w", err)
					return
				}
				if _, _, err := s.Contacts().Blocked(ctx, owner.ID, 0, 10); err != nil {
					errs <- fmt.Errorf("blocked: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	if len(winner) != 1 {
		t.Errorf("%d creates won the same username, want 1", len(winner))
	}
	const want = workers*perWorker + 1
	if len(ids) != want {
		t.Fatalf("%d users created, want %d", len(ids), want)
	}
	// Every assigned id is distinct, and they are the next ones in a row.
	slices.Sort(ids)
	for i, id := range ids {
		if id != owner.ID+1+int64(i) {
			t.Fatalf("ids = %v..., want %d in a row after %d", ids[:i+1], want, owner.ID)
		}
	}
	if l, err := s.Contacts().List(ctx, owner.ID); err != nil || len(l) != workers*perWorker {
		t.Errorf("contacts = %d, %v; want %d", len(l), err, workers*perWorker)
	}
	if _, total, err := s.Contacts().Blocked(ctx, owner.ID, 0, 0); err != nil || total != workers*perWorker {
		t.Errorf("blocked = %d, %v; want %d", total, err, workers*perWorker)
	}
	if n, err := s.LoginCodes().CountSince(ctx, "15550000", at(0)); err != nil || n != workers*perWorker {
		t.Errorf("codes sent = %d, %v; want %d", n, err, workers*perWorker)
	}
}
