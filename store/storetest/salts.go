package storetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/roostchat/roost/store"
)

func testSalts(t *testing.T, open Open) {
	t.Run("AddList", func(t *testing.T) {
		s, ctx := openT(t, open)
		mustCreate(t, s, NewKey(1), NewKey(2))
		sl := s.Salts()
		s1 := store.Salt{Salt: -5, ValidSince: at(0), ValidUntil: at(1800)}
		s2 := store.Salt{Salt: 9, ValidSince: at(1800), ValidUntil: at(3600)}
		s3 := store.Salt{Salt: 3, ValidSince: at(1800), ValidUntil: at(3600)}
		s4 := store.Salt{Salt: 4, ValidSince: at(3600), ValidUntil: at(5400)}
		if err := sl.Add(ctx, 1, s2, s1, s4); err != nil {
			t.Fatalf("add: %v", err)
		}
		if err := sl.Add(ctx, 1, s3); err != nil {
			t.Fatalf("add: %v", err)
		}
		if err := sl.Add(ctx, 2, store.Salt{Salt: 100, ValidSince: at(0), ValidUntil: at(9000)}); err != nil {
			t.Fatalf("add to key 2: %v", err)
		}
		if err := sl.Add(ctx, 1); err != nil {
			t.Errorf("add nothing: %v", err)
		}

		check := func(name string, got []store.Salt, err error, want ...store.Salt) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s = %+v, want %+v", name, got, want)
			}
		}
		l, err := sl.List(ctx, 1, at(0), 64)
		check("list all", l, err, s1, s3, s2, s4)
		l, err = sl.List(ctx, 1, at(0), 2)
		check("list limit 2", l, err, s1, s3)
		l, err = sl.List(ctx, 1, at(1800), 64) // s1 ends at 1800: no longer valid
		check("list at 1800", l, err, s3, s2, s4)
		l, err = sl.List(ctx, 1, at(5400), 64)
		check("list at end", l, err)
		l, err = sl.List(ctx, 3, at(0), 64)
		check("list of unknown key", l, err)

		// Adding a salt the key has replaces its window.
		s4b := store.Salt{Salt: 4, ValidSince: at(3600), ValidUntil: at(7200)}
		if err := sl.Add(ctx, 1, s4b); err != nil {
			t.Fatal(err)
		}
		l, err = sl.List(ctx, 1, at(5400), 64)
		check("list after replace", l, err, s4b)

		if !s1.ValidAt(at(0)) || s1.ValidAt(at(1800)) || s1.ValidAt(at(-1)) {
			t.Error("Salt.ValidAt bounds wrong")
		}
	})
	t.Run("Errors", func(t *testing.T) {
		s, ctx := openT(t, open)
		mustCreate(t, s, NewKey(1))
		sl := s.Salts()
		ok := store.Salt{Salt: 1, ValidSince: at(0), ValidUntil: at(1)}
		if err := sl.Add(ctx, 2, ok); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown key: err = %v, want ErrNotFound", err)
		}
		bad := store.Salt{Salt: 2, ValidSince: at(10), ValidUntil: at(10)}
		if err := sl.Add(ctx, 1, ok, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("empty window: err = %v, want ErrInvalid", err)
		}
		if l, _ := sl.List(ctx, 1, at(0), 10); len(l) != 0 {
			t.Errorf("a failed Add stored salts: %v", l)
		}
		if _, err := sl.List(ctx, 1, at(0), 0); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("limit 0: err = %v, want ErrInvalid", err)
		}
	})
	t.Run("DeleteBefore", func(t *testing.T) {
		s, ctx := openT(t, open)
		mustCreate(t, s, NewKey(1), NewKey(2))
		sl := s.Salts()
		keep := store.Salt{Salt: 3, ValidSince: at(0), ValidUntil: at(101)}
		if err := sl.Add(ctx, 1, store.Salt{Salt: 1, ValidSince: at(0), ValidUntil: at(100)}, keep); err != nil {
			t.Fatal(err)
		}
		if err := sl.Add(ctx, 2, store.Salt{Salt: 2, ValidSince: at(0), ValidUntil: at(50)}); err != nil {
			t.Fatal(err)
		}
		n, err := sl.DeleteBefore(ctx, at(100))
		if err != nil || n != 2 {
			t.Fatalf("delete before = %d, %v; want 2", n, err)
		}
		l, err := sl.List(ctx, 1, at(0), 10)
		if err != nil || !slices.Equal(l, []store.Salt{keep}) {
			t.Errorf("left = %v, %v; want %v", l, err, keep)
		}
	})
}
