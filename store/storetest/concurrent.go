package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/roostchat/roost/store"
)

// testConcurrent runs writers and readers at once; run it with -race.
func testConcurrent(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	const workers, perWorker = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				id := int64(w*1000 + i + 1)
				if err := s.AuthKeys().Create(ctx, NewKey(id)); err != nil {
					errs <- fmt.Errorf("create %d: %w", id, err)
					return
				}
				if err := s.Salts().Add(ctx, id, store.Salt{Salt: id, ValidSince: at(0), ValidUntil: at(1800)}); err != nil {
					errs <- fmt.Errorf("add salt %d: %w", id, err)
					return
				}
				if err := s.Sessions().Save(ctx, store.Session{AuthKeyID: id, ID: 1, CreatedAt: at(0), LastUsedAt: at(i)}); err != nil {
					errs <- fmt.Errorf("save session %d: %w", id, err)
					return
				}
				if err := s.Sessions().Touch(ctx, id, 1, at(i+1)); err != nil {
					errs <- fmt.Errorf("touch session %d: %w", id, err)
					return
				}
				if _, err := s.AuthKeys().Get(ctx, int64(w*1000+1)); err != nil {
					errs <- fmt.Errorf("get: %w", err)
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
	for w := range workers {
		for i := range perWorker {
			id := int64(w*1000 + i + 1)
			if _, err := s.AuthKeys().Get(ctx, id); err != nil {
				t.Errorf("key %d: %v", id, err)
			}
			if l, err := s.Sessions().List(ctx, id); err != nil || len(l) != 1 || !l[0].LastUsedAt.Equal(at(i+1)) {
				t.Errorf("sessions of %d = %v, %v", id, l, err)
			}
		}
	}
}
