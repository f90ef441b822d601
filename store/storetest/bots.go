package storetest

import (
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/roostchat/roost/store"
)

func testBots(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	bs := s.Bots()
	owner := mustUser(t, s, person(1))
	bot := mustUser(t, s, store.User{FirstName: "Echo", Username: "echo_bot", Bot: true, BotOwnerID: owner.ID})
	other := mustUser(t, s, store.User{FirstName: "Other", Bot: true})

	if _, err := bs.TokenHash(ctx, bot.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("hash before set: err = %v, want ErrNotFound", err)
	}
	h1 := sha256.Sum256([]byte("secret one"))
	if err := bs.SetToken(ctx, bot.ID, h1); err != nil {
		t.Fatalf("set token: %v", err)
	}
	if got, err := bs.TokenHash(ctx, bot.ID); err != nil || got != h1 {
		t.Errorf("hash = %x, %v; want %x", got, err, h1)
	}
	h2 := sha256.Sum256([]byte("secret two"))
	if err := bs.SetToken(ctx, bot.ID, h2); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if got, err := bs.TokenHash(ctx, bot.ID); err != nil || got != h2 {
		t.Errorf("hash after revoke = %x, %v; want %x", got, err, h2)
	}
	if _, err := bs.TokenHash(ctx, other.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("hash of a bot without token: err = %v, want ErrNotFound", err)
	}

	if err := bs.SetToken(ctx, owner.ID, h1); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("token for a person: err = %v, want ErrInvalid", err)
	}
	if err := bs.SetToken(ctx, 99, h1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("token for a missing user: err = %v, want ErrNotFound", err)
	}
	if _, err := bs.TokenHash(ctx, owner.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("hash of a person: err = %v, want ErrNotFound", err)
	}
}
