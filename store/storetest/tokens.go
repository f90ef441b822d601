package storetest

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/roostchat/roost/store"
)

// testBotTokens covers the sealed copies of bot tokens and the bots of an
// owner.
func testBotTokens(t *testing.T, open Open) {
	t.Run("Sealed", func(t *testing.T) {
		s, ctx := openT(t, open)
		bs := s.Bots()
		owner := mustUser(t, s, person(1))
		bot := mustUser(t, s, store.User{FirstName: "Echo", Username: "echo_bot", Bot: true, BotOwnerID: owner.ID})

		if _, err := bs.SealedToken(ctx, bot.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("sealed before any token: err = %v, want ErrNotFound", err)
		}
		h1, sealed1 := sha256.Sum256([]byte("one")), []byte("sealed one")
		if err := bs.SetSealedToken(ctx, bot.ID, h1, sealed1); err != nil {
			t.Fatalf("set sealed: %v", err)
		}
		sealed1[0] = 'X' // the store keeps its own copy
		if got, err := bs.SealedToken(ctx, bot.ID); err != nil || string(got) != "sealed one" {
			t.Errorf("sealed = %q, %v; want %q", got, err, "sealed one")
		} else {
			got[0] = 'Y'
			if again, _ := bs.SealedToken(ctx, bot.ID); string(again) != "sealed one" {
				t.Errorf("changing a returned copy changed the store: %q", again)
			}
		}
		if got, err := bs.TokenHash(ctx, bot.ID); err != nil || got != h1 {
			t.Errorf("hash = %x, %v; want %x", got, err, h1)
		}

		h2 := sha256.Sum256([]byte("two"))
		if err := bs.SetSealedToken(ctx, bot.ID, h2, []byte("sealed two")); err != nil {
			t.Fatalf("replace sealed: %v", err)
		}
		if got, err := bs.SealedToken(ctx, bot.ID); err != nil || !bytes.Equal(got, []byte("sealed two")) {
			t.Errorf("sealed after revoke = %q, %v", got, err)
		}
		if got, _ := bs.TokenHash(ctx, bot.ID); got != h2 {
			t.Errorf("hash after revoke = %x, want %x", got, h2)
		}

		// A token set without a copy drops the copy of the one it replaces.
		h3 := sha256.Sum256([]byte("three"))
		if err := bs.SetToken(ctx, bot.ID, h3); err != nil {
			t.Fatalf("set token: %v", err)
		}
		if _, err := bs.SealedToken(ctx, bot.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("sealed after SetToken: err = %v, want ErrNotFound", err)
		}

		if err := bs.SetSealedToken(ctx, bot.ID, h1, nil); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("empty sealed: err = %v, want ErrInvalid", err)
		}
		if got, _ := bs.TokenHash(ctx, bot.ID); got != h3 {
			t.Errorf("a refused SetSealedToken changed the hash: %x", got)
		}
		if err := bs.SetSealedToken(ctx, owner.ID, h1, []byte("x")); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("sealed token for a person: err = %v, want ErrInvalid", err)
		}
		if err := bs.SetSealedToken(ctx, 99, h1, []byte("x")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("sealed token for a missing user: err = %v, want ErrNotFound", err)
		}

		if err := bs.SetSealedToken(ctx, bot.ID, h1, []byte("last")); err != nil {
			t.Fatal(err)
		}
		if err := bs.Delete(ctx, bot.ID); err != nil {
			t.Fatalf("delete bot: %v", err)
		}
		if _, err := bs.SealedToken(ctx, bot.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("sealed after delete: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("ByOwner", func(t *testing.T) {
		s, ctx := openT(t, open)
		bs := s.Bots()
		alice := mustUser(t, s, person(1))
		bob := mustUser(t, s, person(2))
		a1 := mustUser(t, s, store.User{FirstName: "A1", Username: "a_one_bot", Bot: true, BotOwnerID: alice.ID})
		mustUser(t, s, store.User{FirstName: "B1", Username: "b_one_bot", Bot: true, BotOwnerID: bob.ID})
		a2 := mustUser(t, s, store.User{FirstName: "A2", Username: "a_two_bot", Bot: true, BotOwnerID: alice.ID})
		mustUser(t, s, store.User{FirstName: "Orphan", Username: "orphan_bot", Bot: true})

		got, err := bs.ByOwner(ctx, alice.ID)
		if err != nil || len(got) != 2 || got[0].ID != a1.ID || got[1].ID != a2.ID {
			t.Fatalf("bots of alice = %+v, %v; want %d, %d", got, err, a1.ID, a2.ID)
		}
		if got[1].Username != "a_two_bot" || got[1].FirstName != "A2" || !got[1].Bot || got[1].BotOwnerID != alice.ID {
			t.Errorf("bot as listed: %+v", got[1])
		}
		if got, err := bs.ByOwner(ctx, a1.ID); err != nil || len(got) != 0 {
			t.Errorf("bots of a bot = %+v, %v; want none", got, err)
		}
		if got, err := bs.ByOwner(ctx, 0); err != nil || len(got) != 0 {
			t.Errorf("bots of owner 0 = %+v, %v; want none", got, err)
		}
		if err := bs.Delete(ctx, a1.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := bs.ByOwner(ctx, alice.ID); err != nil || len(got) != 1 || got[0].ID != a2.ID {
			t.Errorf("bots of alice after a delete = %+v, %v", got, err)
		}
	})
}
