package storetest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/roostchat/roost/store"
)

// equalPassword compares passwords, with nil and empty byte slices equal.
func equalPassword(a, b store.Password) bool {
	return a.UserID == b.UserID && bytes.Equal(a.Salt1, b.Salt1) && bytes.Equal(a.Salt2, b.Salt2) &&
		bytes.Equal(a.Verifier, b.Verifier) && a.Hint == b.Hint && a.Email == b.Email &&
		a.EmailConfirmed == b.EmailConfirmed && a.UpdatedAt.Equal(b.UpdatedAt) && a.UpdatedAt.Location() == b.UpdatedAt.Location()
}

func testPasswords(t *testing.T, open Open) {
	t.Run("SetGetDelete", func(t *testing.T) {
		s, ctx := openT(t, open)
		ps := s.Passwords()
		u := mustUser(t, s, person(1))
		other := mustUser(t, s, person(2))
		if _, err := ps.Get(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("get before set: err = %v, want ErrNotFound", err)
		}

		salt1, verifier := bytes.Repeat([]byte{1}, 40), bytes.Repeat([]byte{0xff}, 256)
		p := store.Password{
			UserID: u.ID, Salt1: salt1, Salt2: []byte{2, 0, 2}, Verifier: verifier,
			Hint: "pet", Email: "a@example.com", UpdatedAt: at(10),
		}
		if err := ps.Set(ctx, p); err != nil {
			t.Fatalf("set: %v", err)
		}
		want := p
		want.Salt1, want.Verifier = bytes.Clone(salt1), bytes.Clone(verifier)
		salt1[0], verifier[0] = 9, 9 // the store keeps its own copy
		got, err := ps.Get(ctx, u.ID)
		if err != nil || !equalPassword(got, want) {
			t.Fatalf("get = %+v, %v; want %+v", got, err, want)
		}
		got.Salt2[0] = 7 // and hands out copies
		if again, _ := ps.Get(ctx, u.ID); again.Salt2[0] != 2 {
			t.Error("changing a returned slice changed the stored password")
		}

		// Set replaces every field.
		repl := store.Password{UserID: u.ID, Salt1: []byte{3}, Salt2: []byte{4}, Verifier: []byte{5},
			Email: "b@example.com", EmailConfirmed: true, UpdatedAt: at(20)}
		if err := ps.Set(ctx, repl); err != nil {
			t.Fatalf("replace: %v", err)
		}
		if got, err := ps.Get(ctx, u.ID); err != nil || !equalPassword(got, repl) {
			t.Errorf("after replace = %+v, %v; want %+v", got, err, repl)
		}
		// Empty slices (an email waiting for confirmation before any
		// password) are stored as such.
		empty := store.Password{UserID: other.ID, Email: "c@example.com", UpdatedAt: at(30)}
		if err := ps.Set(ctx, empty); err != nil {
			t.Fatalf("set without salts: %v", err)
		}
		if got, err := ps.Get(ctx, other.ID); err != nil || !equalPassword(got, empty) {
			t.Errorf("get without salts = %+v, %v; want %+v", got, err, empty)
		}

		if err := ps.Delete(ctx, u.ID); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := ps.Get(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("get after delete: err = %v, want ErrNotFound", err)
		}
		if err := ps.Delete(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete twice: err = %v, want ErrNotFound", err)
		}
		if _, err := ps.Get(ctx, other.ID); err != nil {
			t.Errorf("delete removed another user's password: %v", err)
		}
		if err := ps.Set(ctx, store.Password{UserID: 99, Verifier: []byte{1}}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("set for a missing user: err = %v, want ErrNotFound", err)
		}
	})
}
