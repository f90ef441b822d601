package core

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/memory"
)

func TestQRLogin(t *testing.T) {
	w := newDeviceWorld(t)
	w.c.Dev = true
	q := &QR{Core: w.c}
	alice, bob := w.user("15550001"), w.user("15550002")
	phone := w.device(1, alice.ID)
	desk := w.device(2, 0)

	tok, err := q.ExportLoginToken(w.ctx, desk, 0, 1, "any", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok.Token) != loginTokenSize || !tok.Expires.Equal(w.now.Add(LoginTokenTTL)) {
		t.Fatalf("token %x expires %v", tok.Token, tok.Expires)
	}
	if _, err := q.AcceptLoginToken(w.ctx, w.keys, alice.ID, []byte("nonsense")); !errors.Is(err, ErrAuthTokenInvalid) {
		t.Errorf("unknown token: %v", err)
	}
	acc, err := q.AcceptLoginToken(w.ctx, w.keys, alice.ID, tok.Token)
	if err != nil {
		t.Fatal(err)
	}
	if acc.KeyID != desk || acc.PasswordPending || w.keys.logins[desk] != alice.ID {
		t.Fatalf("accepted %+v; logins %v", acc, w.keys.logins)
	}
	if _, err := q.AcceptLoginToken(w.ctx, w.keys, bob.ID, tok.Token); !errors.Is(err, ErrAuthTokenAlreadyAccepted) {
		t.Errorf("second accept: %v", err)
	}
	// The new device asks again and learns it is in, as often as it asks.
	for i := 0; i < 2; i++ {
		res, err := q.ExportLoginToken(w.ctx, desk, alice.ID, 1, "any", nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Token != nil || res.User.ID != alice.ID {
			t.Errorf("export after accept: %+v", res)
		}
	}
	// Once it logs out, the old acceptance no longer counts.
	res, err := q.ExportLoginToken(w.ctx, desk, 0, 1, "any", nil)
	if err != nil || res.Token == nil {
		t.Errorf("export after log out: %+v %v", res, err)
	}
	_ = phone
}

func TestQRLoginErrors(t *testing.T) {
	w := newDeviceWorld(t)
	q := &QR{Core: w.c}
	alice := w.user("15550001")
	desk := w.device(2, 0)
	// A production deployment checks the app.
	if _, err := q.ExportLoginToken(w.ctx, desk, 0, 1, "any", nil); !errors.Is(err, ErrAPIIDInvalid) {
		t.Errorf("unknown app: %v", err)
	}
	app, err := w.c.Store.Apps().Create(w.ctx, store.App{Hash: "secret", Title: "Desk", CreatedAt: w.now})
	if err != nil {
		t.Fatal(err)
	}
	export := func(except ...int64) []byte {
		t.Helper()
		tok, err := q.ExportLoginToken(w.ctx, desk, 0, app.ID, app.Hash, except)
		if err != nil {
			t.Fatal(err)
		}
		return tok.Token
	}
	// Expired.
	tok := export()
	w.now = w.now.Add(LoginTokenTTL)
	if _, err := q.AcceptLoginToken(w.ctx, w.keys, alice.ID, tok); !errors.Is(err, ErrAuthTokenExpired) {
		t.Errorf("expired token: %v", err)
	}
	// An account the device has already.
	if _, err := q.AcceptLoginToken(w.ctx, w.keys, alice.ID, export(7, alice.ID)); !errors.Is(err, ErrAuthTokenInvalid) {
		t.Errorf("token of a device that has the account: %v", err)
	}
	// Bots do not accept tokens.
	bot, err := w.c.Store.Users().Create(w.ctx, store.User{Bot: true, Username: "x_bot", FirstName: "X"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.AcceptLoginToken(w.ctx, w.keys, bot.ID, export()); err == nil || err.Error() != "400 BOT_METHOD_INVALID" {
		t.Errorf("bot accepts: %v", err)
	}
	// The device was logged out for good meanwhile.
	tok = export()
	if err := w.c.Store.AuthKeys().Delete(w.ctx, desk); err != nil {
		t.Fatal(err)
	}
	if _, err := q.AcceptLoginToken(w.ctx, w.keys, alice.ID, tok); !errors.Is(err, ErrAuthTokenInvalid) {
		t.Errorf("token of a dropped key: %v", err)
	}
	// Long after expiry a token is forgotten.
	w.now = w.now.Add(LoginTokenTTL + loginTokenGrace)
	export()
	if _, err := q.AcceptLoginToken(w.ctx, w.keys, alice.ID, tok); !errors.Is(err, ErrAuthTokenInvalid) {
		t.Errorf("forgotten token: %v", err)
	}
}

func TestQRLoginPassword(t *testing.T) {
	w := newDeviceWorld(t)
	w.c.Dev = true
	q := &QR{Core: w.c}
	alice := w.user("15550001")
	verifier := make([]byte, 256)
	verifier[255] = 4
	if err := w.c.Store.Passwords().Set(w.ctx, store.Password{UserID: alice.ID, Salt1: make([]byte, 40), Salt2: make([]byte, 16),
		Verifier: verifier, Hint: "pet", UpdatedAt: w.now}); err != nil {
		t.Fatal(err)
	}
	desk := w.device(2, 0)
	tok, err := q.ExportLoginToken(w.ctx, desk, 0, 1, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := q.AcceptLoginToken(w.ctx, w.keys, alice.ID, tok.Token)
	if err != nil {
		t.Fatal(err)
	}
	if !acc.PasswordPending || w.keys.logins[desk] != 0 {
		t.Fatalf("accepted %+v, logins %v: the device must wait for the password", acc, w.keys.logins)
	}
	if _, err := q.ExportLoginToken(w.ctx, desk, 0, 1, "", nil); !errors.Is(err, ErrPasswordNeeded) {
		t.Errorf("export before the password: %v", err)
	}
	// account.getPassword on the new device offers the account's password
	// to prove, as after a code sign-in.
	st, err := w.c.PasswordState(w.ctx, 0, desk)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Has || st.Hint != "pet" {
		t.Errorf("password state of the new device: has=%v hint=%q", st.Has, st.Hint)
	}
	// auth.checkPassword logs the key in; then the export says so.
	res, err := q.ExportLoginToken(w.ctx, desk, alice.ID, 1, "", nil)
	if err != nil || res.User.ID != alice.ID {
		t.Errorf("export after the password: %+v %v", res, err)
	}
	// When the password step lapses, the device starts over.
	w.now = w.now.Add(PasswordLoginTTL)
	res, err = q.ExportLoginToken(w.ctx, desk, 0, 1, "", nil)
	if err != nil || res.Token == nil {
		t.Errorf("export after the password step lapsed: %+v %v", res, err)
	}
}

func TestImportLoginToken(t *testing.T) {
	w := newDeviceWorld(t)
	w.c.Dev = true
	q := &QR{Core: w.c}
	alice := w.user("15550001")
	desk, other := w.device(2, 0), w.device(3, 0)
	tok, err := q.ExportLoginToken(w.ctx, desk, 0, 1, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.ImportLoginToken(w.ctx, desk, 0, []byte("nope")); !errors.Is(err, ErrAuthTokenInvalid) {
		t.Errorf("unknown token: %v", err)
	}
	if _, err := q.ImportLoginToken(w.ctx, other, 0, tok.Token); !errors.Is(err, ErrAuthTokenInvalid) {
		t.Errorf("another device's token: %v", err)
	}
	res, err := q.ImportLoginToken(w.ctx, desk, 0, tok.Token)
	if err != nil || string(res.Token) != string(tok.Token) {
		t.Errorf("import of a waiting token: %+v %v", res, err)
	}
	if _, err := q.AcceptLoginToken(w.ctx, w.keys, alice.ID, tok.Token); err != nil {
		t.Fatal(err)
	}
	res, err = q.ImportLoginToken(w.ctx, desk, alice.ID, tok.Token)
	if err != nil || res.User.ID != alice.ID {
		t.Errorf("import of an accepted token: %+v %v", res, err)
	}
	tok, _ = q.ExportLoginToken(w.ctx, other, 0, 1, "", nil)
	w.now = w.now.Add(LoginTokenTTL)
	if _, err := q.ImportLoginToken(w.ctx, other, 0, tok.Token); !errors.Is(err, ErrAuthTokenExpired) {
		t.Errorf("expired token: %v", err)
	}
}

func TestLoginTokensPerDevice(t *testing.T) {
	w := newDeviceWorld(t)
	w.c.Dev = true
	q := &QR{Core: w.c}
	alice := w.user("15550001")
	desk := w.device(2, 0)
	var toks [][]byte
	for i := 0; i < 2*tokensPerKey; i++ {
		tok, err := q.ExportLoginToken(w.ctx, desk, 0, 1, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		toks = append(toks, tok.Token)
	}
	if len(q.tokens) != tokensPerKey || len(q.byKey[desk]) != tokensPerKey {
		t.Fatalf("%d tokens kept, want %d", len(q.tokens), tokensPerKey)
	}
	if _, err := q.AcceptLoginToken(w.ctx, w.keys, alice.ID, toks[0]); !errors.Is(err, ErrAuthTokenInvalid) {
		t.Errorf("oldest token: %v", err)
	}
	if _, err := q.AcceptLoginToken(w.ctx, w.keys, alice.ID, toks[len(toks)-1]); err != nil {
		t.Errorf("newest token: %v", err)
	}
}

func FuzzAcceptLoginToken(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("0123456789abcdef0123456789abcdef"))
	st := memory.New()
	c := &Core{Store: st, Dev: true}
	u, err := st.Users().Create(context.Background(), store.User{Phone: "15550001", FirstName: "A"})
	if err != nil {
		f.Fatal(err)
	}
	if err := st.AuthKeys().Create(context.Background(), store.AuthKey{ID: 2, CreatedAt: time.Now()}); err != nil {
		f.Fatal(err)
	}
	q := &QR{Core: c}
	if _, err := q.ExportLoginToken(context.Background(), 2, 0, 1, "", nil); err != nil {
		f.Fatal(err)
	}
	keys := &recordingKeys{st: st}
	f.Fuzz(func(t *testing.T, token []byte) {
		// Only an exported token is accepted: 256 random bits are not
		// guessed.
		if _, err := q.AcceptLoginToken(context.Background(), keys, u.ID, token); !errors.Is(err, ErrAuthTokenInvalid) {
			t.Fatalf("accept %x: %v", token, err)
		}
		if _, err := q.ImportLoginToken(context.Background(), 2, 0, token); !errors.Is(err, ErrAuthTokenInvalid) {
			t.Fatalf("import %x: %v", token, err)
		}
	})
}
