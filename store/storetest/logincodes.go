package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

// newCode returns a code for phone created at sec, expiring 300 s later.
func newCode(hash, phone string, sec int) store.LoginCode {
	return store.LoginCode{Hash: hash, Phone: phone, Code: "12345", AuthKeyID: 7, CreatedAt: at(sec), ExpiresAt: at(sec + 300)}
}

func testLoginCodes(t *testing.T, open Open) {
	t.Run("PutGetUpdateDelete", func(t *testing.T) {
		s, ctx := openT(t, open)
		lc := s.LoginCodes()
		c := store.LoginCode{
			Hash: "a1b2c3d4e5f60718", Phone: "15550001", Code: "04321", AuthKeyID: -99,
			CreatedAt: base.Add(400 * time.Millisecond), ExpiresAt: at(300),
		}
		if err := lc.Put(ctx, c); err != nil {
			t.Fatalf("put: %v", err)
		}
		want := c
		want.CreatedAt = base
		if got, err := lc.Get(ctx, c.Hash); err != nil || got != want {
			t.Errorf("get = %+v, %v; want %+v", got, err, want)
		}

		// Update changes only Attempts, Verified and ExpiresAt.
		upd := store.LoginCode{Hash: c.Hash, Phone: "other", Code: "99999", AuthKeyID: 1,
			CreatedAt: at(50), ExpiresAt: at(600), Attempts: 2, Verified: true}
		if err := lc.Update(ctx, upd); err != nil {
			t.Fatalf("update: %v", err)
		}
		want.Attempts, want.Verified, want.ExpiresAt = 2, true, at(600)
		if got, err := lc.Get(ctx, c.Hash); err != nil || got != want {
			t.Errorf("after update = %+v, %v; want %+v", got, err, want)
		}

		if err := lc.Delete(ctx, c.Hash); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := lc.Get(ctx, c.Hash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("get after delete: err = %v, want ErrNotFound", err)
		}
		// The hash may be used again once deleted.
		if err := lc.Put(ctx, newCode(c.Hash, "15550002", 10)); err != nil {
			t.Errorf("put a deleted hash again: %v", err)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		s, ctx := openT(t, open)
		lc := s.LoginCodes()
		first := newCode("h", "15550001", 0)
		if err := lc.Put(ctx, first); err != nil {
			t.Fatal(err)
		}
		if err := lc.Put(ctx, newCode("h", "15550002", 5)); !errors.Is(err, store.ErrExists) {
			t.Errorf("duplicate hash: err = %v, want ErrExists", err)
		}
		if got, _ := lc.Get(ctx, "h"); got != first {
			t.Errorf("duplicate put changed the code: %+v", got)
		}
		if n, _ := lc.CountSince(ctx, "15550002", at(0)); n != 0 {
			t.Errorf("a failed put counts as sent: %d", n)
		}
		if err := lc.Put(ctx, newCode("", "15550001", 0)); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("empty hash: err = %v, want ErrInvalid", err)
		}
		if _, err := lc.Get(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("get missing: err = %v, want ErrNotFound", err)
		}
		if err := lc.Update(ctx, newCode("missing", "15550001", 0)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update missing: err = %v, want ErrNotFound", err)
		}
		if _, err := lc.Get(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update of a missing code created it: err = %v", err)
		}
		if err := lc.Delete(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete missing: err = %v, want ErrNotFound", err)
		}
	})
	t.Run("CountSince", func(t *testing.T) {
		s, ctx := openT(t, open)
		lc := s.LoginCodes()
		for i, sec := range []int{0, 100, 200, 3600} {
			if err := lc.Put(ctx, newCode(string(rune('a'+i)), "15550001", sec)); err != nil {
				t.Fatal(err)
			}
		}
		if err := lc.Put(ctx, newCode("z", "15550002", 150)); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			phone string
			since int
			want  int
		}{
			{"15550001", -1, 4},
			{"15550001", 0, 4},   // at since counts
			{"15550001", 1, 3},   // before since does not
			{"15550001", 200, 2}, // window edges are inclusive
			{"15550001", 3601, 0},
			{"15550002", 0, 1},
			{"15550003", 0, 0},
		} {
			if n, err := lc.CountSince(ctx, c.phone, at(c.since)); err != nil || n != c.want {
				t.Errorf("count %s since %d = %d, %v; want %d", c.phone, c.since, n, err, c.want)
			}
		}
		// Sent codes still count once deleted, used or expired.
		if err := lc.Delete(ctx, "b"); err != nil {
			t.Fatal(err)
		}
		if n, err := lc.DeleteExpired(ctx, at(600)); err != nil || n != 3 {
			t.Fatalf("delete expired = %d, %v; want 3 (a, c, z)", n, err)
		}
		if n, _ := lc.CountSince(ctx, "15550001", at(0)); n != 4 {
			t.Errorf("count after deletes = %d, want 4", n)
		}
		// Until LoginCodeHistory has passed.
		day := int(store.LoginCodeHistory / time.Second)
		if _, err := lc.DeleteExpired(ctx, at(day+99)); err != nil {
			t.Fatal(err)
		}
		if n, _ := lc.CountSince(ctx, "15550001", at(-1)); n != 3 {
			t.Errorf("count a day after the first send = %d, want 3", n)
		}
		if _, err := lc.DeleteExpired(ctx, at(day+100)); err != nil {
			t.Fatal(err)
		}
		if n, _ := lc.CountSince(ctx, "15550001", at(-1)); n != 2 {
			t.Errorf("count a day after the second send = %d, want 2", n)
		}
		if _, err := lc.DeleteExpired(ctx, at(day+3600)); err != nil {
			t.Fatal(err)
		}
		if n, _ := lc.CountSince(ctx, "15550001", at(-1)); n != 0 {
			t.Errorf("count a day after the last send = %d, want 0", n)
		}
		if n, _ := lc.CountSince(ctx, "15550002", at(-1)); n != 0 {
			t.Errorf("count of the other phone a day later = %d, want 0", n)
		}
	})
	t.Run("DeleteExpired", func(t *testing.T) {
		s, ctx := openT(t, open)
		lc := s.LoginCodes()
		for _, c := range []store.LoginCode{newCode("a", "1", 0), newCode("b", "2", 1), newCode("c", "3", 50)} {
			if err := lc.Put(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		// An updated expiry is what counts.
		c, _ := lc.Get(ctx, "a")
		c.ExpiresAt = at(1000)
		if err := lc.Update(ctx, c); err != nil {
			t.Fatal(err)
		}
		if n, err := lc.DeleteExpired(ctx, at(300)); err != nil || n != 0 {
			t.Errorf("delete expired before any expiry = %d, %v; want 0", n, err)
		}
		if n, err := lc.DeleteExpired(ctx, at(301).Add(999*time.Millisecond)); err != nil || n != 1 {
			t.Errorf("delete expired at b's expiry = %d, %v; want 1", n, err)
		}
		if _, err := lc.Get(ctx, "b"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired code kept: err = %v", err)
		}
		for _, h := range []string{"a", "c"} {
			if _, err := lc.Get(ctx, h); err != nil {
				t.Errorf("code %s deleted early: %v", h, err)
			}
		}
		if n, err := lc.DeleteExpired(ctx, at(1000)); err != nil || n != 2 {
			t.Errorf("delete expired later = %d, %v; want 2", n, err)
		}
	})
}
