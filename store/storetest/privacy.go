package storetest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/roostchat/roost/store"
)

func testPrivacy(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	pr := s.Privacy()
	u := mustUser(t, s, person(1))
	v := mustUser(t, s, person(2))
	if _, err := pr.Get(ctx, u.ID, "status"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("get before set: err = %v, want ErrNotFound", err)
	}
	rules := []byte{1, 2, 3}
	if err := pr.Set(ctx, u.ID, "status", rules); err != nil {
		t.Fatalf("set: %v", err)
	}
	rules[0] = 9 // the store keeps its own copy
	if err := pr.Set(ctx, u.ID, "phone", []byte{4}); err != nil {
		t.Fatalf("set other key: %v", err)
	}
	if err := pr.Set(ctx, v.ID, "status", []byte{5}); err != nil {
		t.Fatalf("set for other user: %v", err)
	}
	check := func(userID int64, key string, want []byte) {
		t.Helper()
		got, err := pr.Get(ctx, userID, key)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("get %d %q = %v, %v; want %v", userID, key, got, err, want)
		}
	}
	check(u.ID, "status", []byte{1, 2, 3})
	check(u.ID, "phone", []byte{4})
	check(v.ID, "status", []byte{5})

	got, _ := pr.Get(ctx, u.ID, "status")
	got[0] = 8 // and hands out copies
	check(u.ID, "status", []byte{1, 2, 3})

	if err := pr.Set(ctx, u.ID, "status", []byte{6, 7}); err != nil {
		t.Fatalf("replace: %v", err)
	}
	check(u.ID, "status", []byte{6, 7})
	// Keys are compared exactly.
	if _, err := pr.Get(ctx, u.ID, "Status"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("get with other case: err = %v, want ErrNotFound", err)
	}

	// Empty rules are rules, not the default.
	if err := pr.Set(ctx, u.ID, "phone", nil); err != nil {
		t.Fatalf("set empty: %v", err)
	}
	if got, err := pr.Get(ctx, u.ID, "phone"); err != nil || got == nil || len(got) != 0 {
		t.Errorf("get empty = %v (nil %t), %v; want empty and not nil", got, got == nil, err)
	}

	if err := pr.Set(ctx, 99, "status", []byte{1}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("set for a missing user: err = %v, want ErrNotFound", err)
	}
	if err := pr.Set(ctx, u.ID, "", []byte{1}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty key: err = %v, want ErrInvalid", err)
	}
}
