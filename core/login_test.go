package core

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

func TestLoginCodes(t *testing.T) {
	c, ctx := newCore(t), context.Background()
	c.Dev = true
	now := time.Unix(1_800_000_000, 0)
	c.Now = func() time.Time { return now }
	sent, err := c.SendCode(ctx, "+999 66 2 1234", 1, 1, "x")
	if err != nil {
		t.Fatal(err)
	}
	// A code stays valid through sign-up required, and its wrong
	// attempts are limited.
	for i := 0; i < 2; i++ {
		if _, err := c.SignIn(ctx, 1, "9996621234", sent.Hash, "22222"); !errors.Is(err, ErrSignUpRequired) {
			t.Fatalf("sign-in %d: %v", i, err)
		}
	}
	if _, err := c.SignUp(ctx, "9996621234", sent.Hash, "", ""); !errors.Is(err, ErrFirstNameInvalid) {
		t.Errorf("empty first name: %v", err)
	}
	u, err := c.SignUp(ctx, "9996621234", sent.Hash, "Ann", "")
	if err != nil || u.ID < store.FirstUserID || u.Phone != "9996621234" {
		t.Fatalf("sign-up: %+v %v", u, err)
	}
	// The code was used up.
	if _, err := c.SignIn(ctx, 1, "9996621234", sent.Hash, "22222"); !errors.Is(err, ErrPhoneCodeExpired) {
		t.Errorf("reused code: %v", err)
	}
	sent, _ = c.SendCode(ctx, "9996621234", 1, 1, "x")
	for i := 0; i < MaxCodeAttempts; i++ {
		if _, err := c.SignIn(ctx, 1, "9996621234", sent.Hash, "00000"); !errors.Is(err, ErrPhoneCodeInvalid) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	if _, err := c.SignIn(ctx, 1, "9996621234", sent.Hash, "22222"); !errors.Is(err, ErrPhoneCodeExpired) {
		t.Errorf("after too many attempts: %v", err)
	}
	// Expiry, resend and cancel.
	sent, _ = c.SendCode(ctx, "9996621234", 1, 1, "x")
	now = now.Add(CodeLifetime - time.Second)
	if _, err := c.ResendCode(ctx, "9996621234", sent.Hash); err != nil {
		t.Fatal(err)
	}
	now = now.Add(CodeLifetime - time.Second)
	if _, err := c.SignIn(ctx, 1, "9996621234", sent.Hash, "22222"); err != nil {
		t.Errorf("code after resend: %v", err)
	}
	sent, _ = c.SendCode(ctx, "9996621234", 1, 1, "x")
	if err := c.CancelCode(ctx, "9996621234", sent.Hash); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SignIn(ctx, 1, "9996621234", sent.Hash, "22222"); !errors.Is(err, ErrPhoneCodeExpired) {
		t.Errorf("cancelled code: %v", err)
	}
	sent, _ = c.SendCode(ctx, "9996621234", 1, 1, "x")
	now = now.Add(CodeLifetime)
	if _, err := c.SignIn(ctx, 1, "9996621234", sent.Hash, "22222"); !errors.Is(err, ErrPhoneCodeExpired) {
		t.Errorf("expired code: %v", err)
	}
}

func TestSendCodeFloodWait(t *testing.T) {
	c, ctx := newCore(t), context.Background()
	c.Dev = true
	for i := 0; i < CodesPerWindow; i++ {
		if _, err := c.SendCode(ctx, "15550001111", 1, 1, "x"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.SendCode(ctx, "15550001111", 1, 1, "x"); !IsFloodWait(err) {
		t.Errorf("code %d in an hour: %v, want FLOOD_WAIT_X", CodesPerWindow+1, err)
	}
	// Outside --dev an unregistered app gets no code at all.
	c.Dev = false
	if _, err := c.SendCode(ctx, "15550002222", 1, 1, "x"); !errors.Is(err, ErrAPIIDInvalid) {
		t.Errorf("unregistered app: %v", err)
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{"+1 (555) 000-1234": "15550001234", "9996621234": "9996621234"} {
		if got, err := NormalizePhone(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for _, in := range []string{"", "123", "+0123456", "12ab3456", "1234567890123456", "1+23456"} {
		if _, err := NormalizePhone(in); !errors.Is(err, ErrPhoneNumberInvalid) {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestValidUsername(t *testing.T) {
	for _, ok := range []string{"alice", "Alice_Roost", "a1234", "weather_bot"} {
		if !ValidUsername(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "abcd", "1alice", "_alice", "alice_", "al__ice", "alice!", "abcdefghijklmnopqrstuvwxyzabcdefg"} {
		if ValidUsername(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}
