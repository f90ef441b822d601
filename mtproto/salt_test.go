package mtproto

import (
	"context"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

// A salt is accepted from ValidSince until SaltGrace after ValidUntil;
// a future salt is not accepted yet.
func TestSaltValidity(t *testing.T) {
	h := newHarness(t)
	k := h.srv.key(context.Background(), h.key.IntID())
	now := time.Now()
	k.salts = []store.Salt{
		{Salt: 1, ValidSince: now.Add(-2 * time.Hour), ValidUntil: now.Add(-SaltGrace - time.Second)},
		{Salt: 2, ValidSince: now.Add(-time.Hour), ValidUntil: now.Add(-SaltGrace + time.Minute)},
		{Salt: 3, ValidSince: now.Add(-10 * time.Minute), ValidUntil: now.Add(20 * time.Minute)},
		{Salt: 4, ValidSince: now.Add(20 * time.Minute), ValidUntil: now.Add(50 * time.Minute)},
	}
	cases := []struct {
		salt int64
		want bool
	}{
		{1, false}, // ended more than SaltGrace ago
		{2, true},  // ended, within the grace period
		{3, true},  // current
		{4, false}, // not valid yet
		{5, false}, // unknown
	}
	for _, c := range cases {
		if got := k.validSalt(c.salt, now); got != c.want {
			t.Errorf("validSalt(%d) = %v, want %v", c.salt, got, c.want)
		}
	}
	// The future salt becomes valid in its period.
	if !k.validSalt(4, now.Add(25*time.Minute)) {
		t.Error("future salt not accepted in its period")
	}
}

// get_future_salts: n salts starting with the current one, back to back,
// each SaltPeriod long, stored, and the same ones when asked again.
func TestFutureSalts(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	k := h.srv.key(ctx, h.key.IntID())
	now := time.Now()
	salts, err := k.futureSalts(ctx, h.srv.Store.Salts(), now, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(salts) != 5 {
		t.Fatalf("%d salts, want 5", len(salts))
	}
	if salts[0].Salt != h.salt {
		t.Errorf("first salt %x, want the current %x", salts[0].Salt, h.salt)
	}
	for i := 1; i < len(salts); i++ {
		if !salts[i].ValidSince.Equal(salts[i-1].ValidUntil) {
			t.Errorf("salt %d starts at %v, the previous ends at %v", i, salts[i].ValidSince, salts[i-1].ValidUntil)
		}
		if d := salts[i].ValidUntil.Sub(salts[i].ValidSince); d != SaltPeriod {
			t.Errorf("salt %d lasts %v, want %v", i, d, SaltPeriod)
		}
		if salts[i].Salt == salts[i-1].Salt {
			t.Errorf("salt %d repeats the previous one", i)
		}
	}
	stored, err := h.srv.Store.Salts().List(ctx, h.key.IntID(), now, 64)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 5 {
		t.Errorf("store holds %d salts, want 5", len(stored))
	}
	again, err := k.futureSalts(ctx, h.srv.Store.Salts(), now, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		if again[i].Salt != salts[i].Salt {
			t.Errorf("second call salt %d = %x, want %x", i, again[i].Salt, salts[i].Salt)
		}
	}
	if got := k.currentSalt(ctx, h.srv.Store.Salts(), now); got != h.salt {
		t.Errorf("currentSalt = %x, want %x", got, h.salt)
	}
	// Later the next salt is current, and the first one stays accepted
	// for the grace period.
	later := salts[1].ValidSince.Add(time.Second)
	if got := k.currentSalt(ctx, h.srv.Store.Salts(), later); got != salts[1].Salt {
		t.Errorf("currentSalt later = %x, want %x", got, salts[1].Salt)
	}
	if !k.validSalt(salts[0].Salt, later) {
		t.Error("previous salt rejected within the grace period")
	}
}

// A key idle for longer than its salt schedule gets a new salt valid now.
func TestCurrentSaltAfterSchedule(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	k := h.srv.key(ctx, h.key.IntID())
	later := time.Now().Add(5 * time.Hour)
	got := k.currentSalt(ctx, h.srv.Store.Salts(), later)
	if got == h.salt || got == 0 {
		t.Fatalf("currentSalt after the schedule = %x (old %x)", got, h.salt)
	}
	if !k.validSalt(got, later) {
		t.Error("new salt not valid")
	}
	if k.validSalt(h.salt, later) {
		t.Error("salt that ended hours ago still valid")
	}
}

// A key loaded from the store (after a restart) knows the salts stored
// for it, including one in its grace period.
func TestSaltsLoadedWithKey(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	now := time.Now()
	old := store.Salt{Salt: 42, ValidSince: now.Add(-40 * time.Minute), ValidUntil: now.Add(-10 * time.Minute)}
	if err := h.srv.Store.Salts().Add(ctx, h.key.IntID(), old); err != nil {
		t.Fatal(err)
	}
	k := h.srv.key(ctx, h.key.IntID())
	if !k.validSalt(42, now) || !k.validSalt(h.salt, now) {
		t.Error("stored salts not accepted after loading the key")
	}
}
