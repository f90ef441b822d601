package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

func testAuthKeys(t *testing.T, open Open) {
	t.Run("CreateGet", func(t *testing.T) {
		s, ctx := openT(t, open)
		perm := NewKey(-42) // ids are signed; negative ones are normal
		perm.CreatedAt = base.Add(700 * time.Millisecond).In(time.FixedZone("X", 3600))
		temp := newTemp(43, 3600)
		mustCreate(t, s, perm, temp)

		got, err := s.AuthKeys().Get(ctx, perm.ID)
		if err != nil {
			t.Fatalf("get: %v", err)
		}
		want := perm
		want.CreatedAt = base // truncated to the second, in UTC
		if got != want {
			t.Errorf("get perm = %+v, want %+v", got, want)
		}
		if got.Temporary() {
			t.Error("perm key reported temporary")
		}
		got, err = s.AuthKeys().Get(ctx, temp.ID)
		if err != nil {
			t.Fatalf("get temp: %v", err)
		}
		if got != temp || !got.Temporary() {
			t.Errorf("get temp = %+v, want %+v", got, temp)
		}
	})
	t.Run("CreateErrors", func(t *testing.T) {
		s, ctx := openT(t, open)
		mustCreate(t, s, NewKey(1))
		dup := NewKey(1)
		if err := s.AuthKeys().Create(ctx, dup); !errors.Is(err, store.ErrExists) {
			t.Errorf("duplicate id: err = %v, want ErrExists", err)
		}
		got, err := s.AuthKeys().Get(ctx, 1)
		if err != nil || got.Key == dup.Key {
			t.Errorf("duplicate create changed the stored key (err %v)", err)
		}
		for name, k := range map[string]store.AuthKey{
			"zero id":  NewKey(0),
			"perm key": {ID: 2, PermKeyID: 1},
			"user":     {ID: 3, UserID: 7},
		} {
			if err := s.AuthKeys().Create(ctx, k); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("%s: err = %v, want ErrInvalid", name, err)
			}
		}
		if _, err := s.AuthKeys().Get(ctx, 99); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("get missing: err = %v, want ErrNotFound", err)
		}
	})
	t.Run("SetUser", func(t *testing.T) {
		s, ctx := openT(t, open)
		mustCreate(t, s, NewKey(1), newTemp(2, 60))
		if err := s.AuthKeys().SetUser(ctx, 1, 777); err != nil {
			t.Fatalf("set user: %v", err)
		}
		if k, _ := s.AuthKeys().Get(ctx, 1); k.UserID != 777 {
			t.Errorf("user = %d, want 777", k.UserID)
		}
		if err := s.AuthKeys().SetUser(ctx, 1, 0); err != nil {
			t.Fatalf("clear user: %v", err)
		}
		if k, _ := s.AuthKeys().Get(ctx, 1); k.UserID != 0 {
			t.Errorf("user after clear = %d, want 0", k.UserID)
		}
		if err := s.AuthKeys().SetUser(ctx, 2, 777); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("temp key: err = %v, want ErrInvalid", err)
		}
		if err := s.AuthKeys().SetUser(ctx, 3, 777); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing key: err = %v, want ErrNotFound", err)
		}
	})
	t.Run("ByUser", func(t *testing.T) {
		s, ctx := openT(t, open)
		ak := s.AuthKeys()
		k1, k2, k3, k4 := NewKey(1), NewKey(2), NewKey(3), NewKey(4)
		k1.CreatedAt, k2.CreatedAt, k3.CreatedAt, k4.CreatedAt = at(30), at(10), at(10), at(20)
		mustCreate(t, s, k1, k2, k3, k4, newTemp(10, 60))
		if err := ak.BindTemp(ctx, 10, 3); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{1, 2, 3} {
			if err := ak.SetUser(ctx, id, 1_000_001); err != nil {
				t.Fatal(err)
			}
		}
		if err := ak.SetUser(ctx, 4, 1_000_002); err != nil {
			t.Fatal(err)
		}
		// Ordered by CreatedAt then id; the bound temporary key is not an
		// authorization of its own.
		got, err := ak.ByUser(ctx, 1_000_001)
		if err != nil {
			t.Fatalf("by user: %v", err)
		}
		if ids := keyIDs(got); !slices.Equal(ids, []int64{2, 3, 1}) {
			t.Errorf("keys of user = %v, want [2 3 1]", ids)
		}
		k2.UserID = 1_000_001
		if len(got) > 0 && got[0] != k2 {
			t.Errorf("first key = %+v, want %+v", got[0], k2)
		}
		if err := ak.SetUser(ctx, 3, 0); err != nil {
			t.Fatal(err)
		}
		if got, err := ak.ByUser(ctx, 1_000_001); err != nil || !slices.Equal(keyIDs(got), []int64{2, 1}) {
			t.Errorf("keys after log out = %v, %v; want [2 1]", keyIDs(got), err)
		}
		if got, err := ak.ByUser(ctx, 5); err != nil || len(got) != 0 {
			t.Errorf("keys of a user without keys = %v, %v", got, err)
		}
		if _, err := ak.ByUser(ctx, 0); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("user 0: err = %v, want ErrInvalid", err)
		}
	})
	t.Run("BindTemp", func(t *testing.T) {
		s, ctx := openT(t, open)
		ak := s.AuthKeys()
		mustCreate(t, s, NewKey(1), NewKey(2), newTemp(10, 60), newTemp(11, 60))

		if _, err := ak.BoundTemp(ctx, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("bound temp before binding: err = %v, want ErrNotFound", err)
		}
		if err := ak.BindTemp(ctx, 10, 1); err != nil {
			t.Fatalf("bind: %v", err)
		}
		if err := ak.BindTemp(ctx, 10, 1); err != nil {
			t.Errorf("bind again to the same key: %v", err)
		}
		if k, _ := ak.Get(ctx, 10); k.PermKeyID != 1 {
			t.Errorf("perm key of temp = %d, want 1", k.PermKeyID)
		}
		if k, err := ak.BoundTemp(ctx, 1); err != nil || k.ID != 10 {
			t.Errorf("bound temp = %d, %v; want 10", k.ID, err)
		}
		if err := ak.BindTemp(ctx, 10, 2); !errors.Is(err, store.ErrAlreadyBound) {
			t.Errorf("bind to another perm key: err = %v, want ErrAlreadyBound", err)
		}

		// A new temporary key replaces the old one.
		if err := ak.BindTemp(ctx, 11, 1); err != nil {
			t.Fatalf("bind replacement: %v", err)
		}
		if k, _ := ak.Get(ctx, 10); k.PermKeyID != 0 {
			t.Errorf("replaced temp key still bound to %d", k.PermKeyID)
		}
		if k, err := ak.BoundTemp(ctx, 1); err != nil || k.ID != 11 {
			t.Errorf("bound temp after replacement = %d, %v; want 11", k.ID, err)
		}
		// The unbound key may now be bound elsewhere.
		if err := ak.BindTemp(ctx, 10, 2); err != nil {
			t.Errorf("bind unbound key to another perm key: %v", err)
		}

		for _, c := range []struct {
			name       string
			temp, perm int64
			want       error
		}{
			{"perm as temp", 1, 2, store.ErrInvalid},
			{"temp as perm", 10, 11, store.ErrInvalid},
			{"missing temp", 99, 1, store.ErrNotFound},
			{"missing perm", 10, 99, store.ErrNotFound},
		} {
			if err := ak.BindTemp(ctx, c.temp, c.perm); !errors.Is(err, c.want) {
				t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
			}
		}
	})
	t.Run("DeleteCascades", func(t *testing.T) {
		s, ctx := openT(t, open)
		ak := s.AuthKeys()
		mustCreate(t, s, NewKey(1), NewKey(2), newTemp(10, 60))
		if err := ak.BindTemp(ctx, 10, 1); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{1, 2, 10} {
			if err := s.Salts().Add(ctx, id, store.Salt{Salt: id, ValidSince: at(0), ValidUntil: at(100)}); err != nil {
				t.Fatal(err)
			}
			if err := s.Sessions().Save(ctx, store.Session{AuthKeyID: id, ID: 5, CreatedAt: at(0), LastUsedAt: at(0)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := ak.Delete(ctx, 1); err != nil {
			t.Fatalf("delete: %v", err)
		}
		for _, id := range []int64{1, 10} {
			if _, err := ak.Get(ctx, id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("key %d after delete: err = %v, want ErrNotFound", id, err)
			}
			if l, err := s.Salts().List(ctx, id, at(0), 10); err != nil || len(l) != 0 {
				t.Errorf("salts of deleted key %d: %v, %v", id, l, err)
			}
			if l, err := s.Sessions().List(ctx, id); err != nil || len(l) != 0 {
				t.Errorf("sessions of deleted key %d: %v, %v", id, l, err)
			}
		}
		if _, err := ak.Get(ctx, 2); err != nil {
			t.Errorf("unrelated key deleted: %v", err)
		}
		if l, _ := s.Salts().List(ctx, 2, at(0), 10); len(l) != 1 {
			t.Errorf("unrelated salts = %v", l)
		}
		if l, _ := s.Sessions().List(ctx, 2); len(l) != 1 {
			t.Errorf("unrelated sessions = %v", l)
		}
		if err := ak.Delete(ctx, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete twice: err = %v, want ErrNotFound", err)
		}

		// Deleting a bound temporary key frees its permanent key.
		mustCreate(t, s, newTemp(11, 60))
		if err := ak.BindTemp(ctx, 11, 2); err != nil {
			t.Fatal(err)
		}
		if err := ak.Delete(ctx, 11); err != nil {
			t.Fatal(err)
		}
		if _, err := ak.BoundTemp(ctx, 2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("bound temp after deleting it: err = %v, want ErrNotFound", err)
		}
		if _, err := ak.Get(ctx, 2); err != nil {
			t.Errorf("perm key deleted with its temp key: %v", err)
		}
	})
	t.Run("DeleteExpired", func(t *testing.T) {
		s, ctx := openT(t, open)
		ak := s.AuthKeys()
		mustCreate(t, s, NewKey(1), newTemp(10, 60), newTemp(11, 120), newTemp(12, 61))
		if err := ak.BindTemp(ctx, 10, 1); err != nil {
			t.Fatal(err)
		}
		k, _ := ak.Get(ctx, 10)
		if k.Expired(at(59)) || !k.Expired(at(60)) {
			t.Errorf("Expired around ExpiresAt is wrong for %v", k.ExpiresAt)
		}
		n, err := ak.DeleteExpired(ctx, at(60).Add(500*time.Millisecond))
		if err != nil || n != 1 {
			t.Fatalf("delete expired = %d, %v; want 1", n, err)
		}
		if _, err := ak.Get(ctx, 10); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired key kept: %v", err)
		}
		for _, id := range []int64{1, 11, 12} {
			if _, err := ak.Get(ctx, id); err != nil {
				t.Errorf("key %d deleted: %v", id, err)
			}
		}
		if _, err := ak.BoundTemp(ctx, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired key still bound: %v", err)
		}
		if n, err := ak.DeleteExpired(ctx, at(1000)); err != nil || n != 2 {
			t.Errorf("delete expired later = %d, %v; want 2", n, err)
		}
	})
}

func keyIDs(ks []store.AuthKey) []int64 {
	ids := make([]int64, len(ks))
	for i, k := range ks {
		ids[i] = k.ID
	}
	return ids
}
