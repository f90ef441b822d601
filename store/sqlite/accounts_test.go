package sqlite_test

import (
	"bytes"
	"crypto/sha256"
	"slices"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/sqlite"
)

// TestReopenAccounts checks that accounts survive a restart and that the
// id sequences go on where they stopped.
func TestReopenAccounts(t *testing.T) {
	s, path := openTemp(t)
	ctx := t.Context()
	now := time.Unix(1_700_000_000, 0).UTC()
	alice, err := s.Users().Create(ctx, store.User{Phone: "15550001", FirstName: "Alice", Username: "Alice",
		About: "hi", CreatedAt: now, LastSeenAt: now.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	bot, err := s.Users().Create(ctx, store.User{FirstName: "Echo", Username: "EchoBot", Bot: true,
		BotOwnerID: alice.ID, CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	code := store.LoginCode{Hash: "abc", Phone: "15550002", Code: "11111", AuthKeyID: 5, CreatedAt: now,
		ExpiresAt: now.Add(5 * time.Minute), Attempts: 1, Verified: true}
	pw := store.Password{UserID: alice.ID, Salt1: []byte{1}, Salt2: []byte{2}, Verifier: []byte{3}, Hint: "h",
		Email: "a@example.com", EmailConfirmed: true, UpdatedAt: now}
	contact := store.Contact{OwnerID: alice.ID, UserID: bot.ID, FirstName: "My bot", CreatedAt: now}
	token := sha256.Sum256([]byte("secret"))
	app, err := s.Apps().Create(ctx, store.App{Hash: "0123", Title: "Test", CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		s.LoginCodes().Put(ctx, code),
		s.Passwords().Set(ctx, pw),
		s.Contacts().Put(ctx, contact),
		s.Contacts().Block(ctx, bot.ID, alice.ID, now),
		s.Privacy().Set(ctx, alice.ID, "status", []byte("nobody")),
		s.Bots().SetToken(ctx, bot.ID, token),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if got, err := s.Users().ByUsername(ctx, "alice"); err != nil || got != alice {
		t.Errorf("user after reopen = %+v, %v; want %+v", got, err, alice)
	}
	if got, err := s.Users().Get(ctx, bot.ID); err != nil || got != bot {
		t.Errorf("bot after reopen = %+v, %v; want %+v", got, err, bot)
	}
	if got, err := s.LoginCodes().Get(ctx, "abc"); err != nil || got != code {
		t.Errorf("code after reopen = %+v, %v; want %+v", got, err, code)
	}
	if n, err := s.LoginCodes().CountSince(ctx, "15550002", now); err != nil || n != 1 {
		t.Errorf("codes sent after reopen = %d, %v; want 1", n, err)
	}
	if got, err := s.Passwords().Get(ctx, alice.ID); err != nil || !bytes.Equal(got.Verifier, pw.Verifier) ||
		got.Email != pw.Email || !got.EmailConfirmed || !got.UpdatedAt.Equal(now) {
		t.Errorf("password after reopen = %+v, %v; want %+v", got, err, pw)
	}
	if got, err := s.Contacts().List(ctx, alice.ID); err != nil || !slices.Equal(got, []store.Contact{contact}) {
		t.Errorf("contacts after reopen = %+v, %v", got, err)
	}
	if ids, total, err := s.Contacts().Blocked(ctx, bot.ID, 0, 10); err != nil || total != 1 || !slices.Equal(ids, []int64{alice.ID}) {
		t.Errorf("blocked after reopen = %v, %d, %v", ids, total, err)
	}
	if got, err := s.Privacy().Get(ctx, alice.ID, "status"); err != nil || string(got) != "nobody" {
		t.Errorf("privacy after reopen = %q, %v", got, err)
	}
	if got, err := s.Bots().TokenHash(ctx, bot.ID); err != nil || got != token {
		t.Errorf("token after reopen = %x, %v", got, err)
	}
	if got, err := s.Apps().Get(ctx, app.ID); err != nil || got != app {
		t.Errorf("app after reopen = %+v, %v; want %+v", got, err, app)
	}
	if next, err := s.Users().Create(ctx, store.User{Phone: "15550003", CreatedAt: now}); err != nil || next.ID != bot.ID+1 {
		t.Errorf("user id after reopen = %d, %v; want %d", next.ID, err, bot.ID+1)
	}
	if next, err := s.Apps().Create(ctx, store.App{Hash: "x", CreatedAt: now}); err != nil || next.ID != app.ID+1 {
		t.Errorf("app id after reopen = %d, %v; want %d", next.ID, err, app.ID+1)
	}
}
