package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

func testApps(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	as := s.Apps()
	in := store.App{Hash: "0123456789abcdef0123456789abcdef", Title: "Roost Desktop", CreatedAt: base.Add(time.Millisecond)}
	a, err := as.Create(ctx, in)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	want := in
	want.ID, want.CreatedAt = store.FirstAppID, base
	if a != want {
		t.Errorf("create returned %+v, want %+v", a, want)
	}
	if got, err := as.Get(ctx, a.ID); err != nil || got != want {
		t.Errorf("get = %+v, %v; want %+v", got, err, want)
	}

	// Explicit ids are kept; small ones leave the sequence alone, large
	// ones move it.
	for _, id := range []int32{4, 2040} {
		if got, err := as.Create(ctx, store.App{ID: id, Hash: "h", CreatedAt: base}); err != nil || got.ID != id {
			t.Errorf("create with id %d = %+v, %v", id, got, err)
		}
	}
	if b, err := as.Create(ctx, store.App{Hash: "h", CreatedAt: base}); err != nil || b.ID != store.FirstAppID+1 {
		t.Errorf("second app = %+v, %v; want id %d", b, err, store.FirstAppID+1)
	}
	if _, err := as.Create(ctx, store.App{ID: 500_000, Hash: "h", CreatedAt: base}); err != nil {
		t.Fatal(err)
	}
	if c, err := as.Create(ctx, store.App{Hash: "h", CreatedAt: base}); err != nil || c.ID != 500_001 {
		t.Errorf("app after a large explicit id = %+v, %v; want id 500001", c, err)
	}

	for _, c := range []struct {
		name string
		a    store.App
		want error
	}{
		{"same id", store.App{ID: 2040, Hash: "x"}, store.ErrExists},
		{"same assigned id", store.App{ID: store.FirstAppID, Hash: "x"}, store.ErrExists},
		{"negative id", store.App{ID: -1, Hash: "x"}, store.ErrInvalid},
		{"empty hash", store.App{Hash: ""}, store.ErrInvalid},
	} {
		if _, err := as.Create(ctx, c.a); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	if got, _ := as.Get(ctx, 2040); got.Hash != "h" {
		t.Errorf("duplicate create changed the app: %+v", got)
	}
	if _, err := as.Get(ctx, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("get missing: err = %v, want ErrNotFound", err)
	}
}
