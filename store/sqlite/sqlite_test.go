package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/sqlite"
	"github.com/roostchat/roost/store/storetest"
)

func openTemp(t testing.TB) (*sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "roost.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s, path
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, _ := openTemp(t)
		return s
	})
}

func TestReopen(t *testing.T) {
	s, path := openTemp(t)
	ctx := t.Context()
	k := storetest.NewKey(7)
	if err := s.AuthKeys().Create(ctx, k); err != nil {
		t.Fatal(err)
	}
	if err := s.AuthKeys().SetUser(ctx, 7, 1000); err != nil {
		t.Fatal(err)
	}
	salt := store.Salt{Salt: 5, ValidSince: k.CreatedAt, ValidUntil: k.CreatedAt.Add(1800e9)}
	if err := s.Salts().Add(ctx, 7, salt); err != nil {
		t.Fatal(err)
	}
	sess := store.Session{AuthKeyID: 7, ID: 9, Layer: 200, CreatedAt: k.CreatedAt, LastUsedAt: k.CreatedAt}
	if err := s.Sessions().Save(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	k.UserID = 1000
	if got, err := s.AuthKeys().Get(ctx, 7); err != nil || got != k {
		t.Errorf("key after reopen = %+v, %v; want %+v", got, err, k)
	}
	if l, err := s.Salts().List(ctx, 7, k.CreatedAt, 10); err != nil || len(l) != 1 || l[0] != salt {
		t.Errorf("salts after reopen = %v, %v", l, err)
	}
	if got, err := s.Sessions().Get(ctx, 7, 9); err != nil || got != sess {
		t.Errorf("session after reopen = %+v, %v; want %+v", got, err, sess)
	}
}

func TestMigrationsIdempotent(t *testing.T) {
	s, path := openTemp(t)
	v := s.SchemaVersion()
	if v < 1 {
		t.Fatalf("schema version %d after open", v)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		s, err := sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if got := s.SchemaVersion(); got != v {
			t.Errorf("schema version after reopen = %d, want %d", got, v)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	for _, path := range []string{"", "a?b.db", filepath.Join(t.TempDir(), "missing", "roost.db")} {
		if s, err := sqlite.Open(t.Context(), path); err == nil {
			s.Close()
			t.Errorf("open %q: no error", path)
		}
	}
}

func TestConcurrentOpen(t *testing.T) {
	// Two stores on one file, as two processes would have: both migrate and
	// write without "database is locked" errors.
	a, path := openTemp(t)
	defer a.Close()
	b, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	defer b.Close()
	errs := make(chan error, 2)
	for i, s := range []*sqlite.Store{a, b} {
		go func() {
			for j := range 50 {
				if err := s.AuthKeys().Create(t.Context(), storetest.NewKey(int64(i*100+j+1))); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if _, err := b.AuthKeys().Get(t.Context(), 1); err != nil {
		t.Errorf("key written by the other store: %v", err)
	}
	if err := a.AuthKeys().Create(t.Context(), storetest.NewKey(1)); !errors.Is(err, store.ErrExists) {
		t.Errorf("duplicate across stores: err = %v, want ErrExists", err)
	}
}

func TestFileMode(t *testing.T) {
	s, path := openTemp(t)
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("database file mode = %v, want 0600", perm)
	}
}
