package storetest

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

// Open returns a new, empty store for one test. Run closes it.
type Open func(t *testing.T) store.Store

// Run runs the whole suite against the implementation that open returns.
func Run(t *testing.T, open Open) {
	t.Run("AuthKeys", func(t *testing.T) { testAuthKeys(t, open) })
	t.Run("Salts", func(t *testing.T) { testSalts(t, open) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, open) })
	t.Run("Users", func(t *testing.T) { testUsers(t, open) })
	t.Run("UsernamePrefix", func(t *testing.T) { testUsernamePrefix(t, open) })
	t.Run("LoginCodes", func(t *testing.T) { testLoginCodes(t, open) })
	t.Run("Passwords", func(t *testing.T) { testPasswords(t, open) })
	t.Run("Contacts", func(t *testing.T) { testContacts(t, open) })
	t.Run("Privacy", func(t *testing.T) { testPrivacy(t, open) })
	t.Run("Apps", func(t *testing.T) { testApps(t, open) })
	t.Run("Bots", func(t *testing.T) { testBots(t, open) })
	t.Run("BotTokens", func(t *testing.T) { testBotTokens(t, open) })
	t.Run("BotAPI", func(t *testing.T) { testBotAPI(t, open) })
	t.Run("Boxes", func(t *testing.T) { testBoxes(t, open) })
	t.Run("Chats", func(t *testing.T) { testChats(t, open) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open) })
	t.Run("ConcurrentAccounts", func(t *testing.T) { testConcurrentAccounts(t, open) })
	t.Run("Closed", func(t *testing.T) { testClosed(t, open) })
}

// base is an arbitrary whole second that the suite's times count from.
var base = time.Unix(1_700_000_000, 0).UTC()

// at returns base plus sec seconds.
func at(sec int) time.Time { return base.Add(time.Duration(sec) * time.Second) }

// NewKey returns a permanent key with the given id, random key bytes and
// CreatedAt = base. Other tests may use it to fill a store.
func NewKey(id int64) store.AuthKey {
	k := store.AuthKey{ID: id, CreatedAt: base}
	_, _ = rand.Read(k.Key[:]) // never fails (crypto/rand since Go 1.24)
	return k
}

// newTemp returns a temporary key expiring expiresIn seconds after base.
func newTemp(id int64, expiresIn int) store.AuthKey {
	k := NewKey(id)
	k.ExpiresAt = at(expiresIn)
	return k
}

func openT(t *testing.T, open Open) (store.Store, context.Context) {
	t.Helper()
	s := open(t)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s, t.Context()
}

func mustCreate(t *testing.T, s store.Store, keys ...store.AuthKey) {
	t.Helper()
	for _, k := range keys {
		if err := s.AuthKeys().Create(t.Context(), k); err != nil {
			t.Fatalf("create key %d: %v", k.ID, err)
		}
	}
}

func testClosed(t *testing.T, open Open) {
	s := open(t)
	mustCreate(t, s, NewKey(1))
	u := mustUser(t, s, person(1))
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	ctx := t.Context()
	if _, err := s.AuthKeys().Get(ctx, 1); err == nil {
		t.Error("Get after Close: no error")
	}
	if _, err := s.Users().Get(ctx, u.ID); err == nil {
		t.Error("Users().Get after Close: no error")
	}
	if _, err := s.Users().Create(ctx, person(2)); err == nil {
		t.Error("Users().Create after Close: no error")
	}
	if err := s.Contacts().Block(ctx, u.ID, u.ID, base); err == nil {
		t.Error("Contacts().Block after Close: no error")
	}
	ran := false
	if err := s.Boxes().Update(ctx, func(store.BoxTx) error { ran = true; return nil }); err == nil || ran {
		t.Errorf("Boxes().Update after Close = %v, ran %v; want an error, not run", err, ran)
	}
	if _, err := s.Boxes().State(ctx, u.ID); err == nil {
		t.Error("Boxes().State after Close: no error")
	}
	if _, err := s.Chats().Get(ctx, 1); err == nil {
		t.Error("Chats().Get after Close: no error")
	}
	if _, err := s.BotAPI().Pending(ctx, u.ID, base); err == nil {
		t.Error("BotAPI().Pending after Close: no error")
	}
	if err := s.BotAPI().SetText(ctx, u.ID, "name", "", "x"); err == nil {
		t.Error("BotAPI().SetText after Close: no error")
	}
}
