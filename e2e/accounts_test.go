package e2e

import (
	"context"
	"errors"
	"testing"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/transport"
)

// userClient runs f with a fresh gotd client (a new device) of s.
func (s *server) userClient(t *testing.T, st telegram.SessionStorage, f func(ctx context.Context, c *telegram.Client) error) {
	t.Helper()
	if st == nil {
		st = &session.StorageMemory{}
	}
	c := s.client(dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate}), st)
	if err := c.Run(ctxFor(t), func(ctx context.Context) error { return f(ctx, c) }); err != nil {
		t.Fatal(err)
	}
}

// login signs in (signing up first when needed) with a test number.
func login(ctx context.Context, c *telegram.Client, phone string) error {
	return auth.NewFlow(auth.TestUser(phone, 2), auth.SendCodeOptions{}).Run(ctx, c.Auth())
}

func wantErr(t *testing.T, what string, err error, msg string) {
	t.Helper()
	if !tgerr.Is(err, msg) {
		t.Errorf("%s: %v, want %s", what, err, msg)
	}
}

func TestSignUpAndSignIn(t *testing.T) {
	s := startServer(t)
	const phone = "9996621001"
	var id int64
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, phone); err != nil {
			return err
		}
		me, err := c.Self(ctx)
		if err != nil {
			return err
		}
		if me.FirstName != "Test" || me.LastName != "User" || !me.Self || me.Phone != phone {
			t.Errorf("after sign-up: %+v", me)
		}
		id = me.ID
		return nil
	})
	// A second device signs in to the same account.
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, phone); err != nil {
			return err
		}
		me, err := c.Self(ctx)
		if err != nil {
			return err
		}
		if me.ID != id {
			t.Errorf("sign-in reached user %d, want %d", me.ID, id)
		}
		// Log out: the key is no longer authorized.
		if _, err := c.API().AuthLogOut(ctx); err != nil {
			return err
		}
		_, err = c.Self(ctx)
		wantErr(t, "self after log out", err, "AUTH_KEY_UNREGISTERED")
		return nil
	})
}

func TestLoginErrors(t *testing.T) {
	s := startServer(t)
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		api := c.API()
		_, err := api.AuthSendCode(ctx, &tg.AuthSendCodeRequest{PhoneNumber: "12ab", APIID: 1, APIHash: "x"})
		wantErr(t, "bad phone", err, "PHONE_NUMBER_INVALID")
		sent, err := api.AuthSendCode(ctx, &tg.AuthSendCodeRequest{PhoneNumber: "9996621002", APIID: 1, APIHash: "x"})
		if err != nil {
			return err
		}
		hash := sent.(*tg.AuthSentCode).PhoneCodeHash
		_, err = api.AuthSignIn(ctx, &tg.AuthSignInRequest{PhoneNumber: "9996621002", PhoneCodeHash: hash, PhoneCode: "11111"})
		wantErr(t, "wrong code", err, "PHONE_CODE_INVALID")
		_, err = api.AuthSignIn(ctx, &tg.AuthSignInRequest{PhoneNumber: "9996621002", PhoneCodeHash: "nope", PhoneCode: "22222"})
		wantErr(t, "unknown hash", err, "PHONE_CODE_EXPIRED")
		// The right code: sign-up required, and the code stays valid for
		// a second sign-in and for sign-up.
		for i := 0; i < 2; i++ {
			res, err := api.AuthSignIn(ctx, &tg.AuthSignInRequest{PhoneNumber: "9996621002", PhoneCodeHash: hash, PhoneCode: "22222"})
			if err != nil {
				return err
			}
			if _, ok := res.(*tg.AuthAuthorizationSignUpRequired); !ok {
				t.Errorf("sign-in of a new number: %T, want sign-up required", res)
			}
		}
		_, err = api.AuthSignUp(ctx, &tg.AuthSignUpRequest{PhoneNumber: "9996621002", PhoneCodeHash: hash, FirstName: ""})
		wantErr(t, "empty first name", err, "FIRSTNAME_INVALID")
		if _, err := api.AuthSignUp(ctx, &tg.AuthSignUpRequest{PhoneNumber: "9996621002", PhoneCodeHash: hash, FirstName: "Ann"}); err != nil {
			return err
		}
		return nil
	})
}

func TestTwoFactor(t *testing.T) {
	s := startServer(t)
	const phone, password = "9996621003", "correct horse"
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, phone); err != nil {
			return err
		}
		return c.Auth().UpdatePassword(ctx, password, auth.UpdatePasswordOptions{Hint: "horse"})
	})
	// The password survives a restart.
	s.restart()
	code := auth.CodeAuthenticatorFunc(func(context.Context, *tg.AuthSentCode) (string, error) { return "22222", nil })
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		err := auth.NewFlow(auth.Constant(phone, "wrong", code), auth.SendCodeOptions{}).Run(ctx, c.Auth())
		// gotd turns PASSWORD_HASH_INVALID into auth.ErrPasswordInvalid.
		if !errors.Is(err, auth.ErrPasswordInvalid) {
			t.Errorf("wrong password: %v, want PASSWORD_HASH_INVALID", err)
		}
		return nil
	})
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := auth.NewFlow(auth.Constant(phone, password, code), auth.SendCodeOptions{}).Run(ctx, c.Auth()); err != nil {
			return err
		}
		// Remove the password: the old one proves the change.
		p, err := c.API().AccountGetPassword(ctx)
		if err != nil {
			return err
		}
		if !p.HasPassword || p.Hint != "horse" {
			t.Errorf("account.password: has=%v hint=%q", p.HasPassword, p.Hint)
		}
		old, err := auth.PasswordHash([]byte(password), p.SRPID, p.SRPB, p.SecureRandom, p.CurrentAlgo)
		if err != nil {
			return err
		}
		_, err = c.API().AccountUpdatePasswordSettings(ctx, &tg.AccountUpdatePasswordSettingsRequest{
			Password: old, NewSettings: tg.AccountPasswordInputSettings{NewAlgo: &tg.PasswordKdfAlgoUnknown{}}})
		return err
	})
	// Without a password, the code alone signs in.
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error { return login(ctx, c, phone) })
}

func TestUsernames(t *testing.T) {
	s := startServer(t)
	var aliceID int64
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996621004"); err != nil {
			return err
		}
		_, err := c.API().AccountUpdateUsername(ctx, "ab")
		wantErr(t, "short username", err, "USERNAME_INVALID")
		me, err := c.API().AccountUpdateUsername(ctx, "Alice_Roost")
		if err != nil {
			return err
		}
		aliceID = me.(*tg.User).ID
		return nil
	})
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996621005"); err != nil {
			return err
		}
		ok, err := c.API().AccountCheckUsername(ctx, "alice_roost")
		if err != nil || ok {
			t.Errorf("checkUsername of a taken name: %v %v", ok, err)
		}
		_, err = c.API().AccountUpdateUsername(ctx, "ALICE_roost")
		wantErr(t, "taken username", err, "USERNAME_OCCUPIED")
		res, err := c.API().ContactsResolveUsername(ctx, &tg.ContactsResolveUsernameRequest{Username: "alice_roost"})
		if err != nil {
			return err
		}
		alice := res.Users[0].(*tg.User)
		if alice.ID != aliceID || alice.Self || alice.Phone != "" {
			t.Errorf("resolved %+v, want user %d without phone", alice, aliceID)
		}
		full, err := c.API().UsersGetFullUser(ctx, &tg.InputUser{UserID: alice.ID, AccessHash: alice.AccessHash})
		if err != nil {
			return err
		}
		if full.FullUser.ID != aliceID {
			t.Errorf("full user %d", full.FullUser.ID)
		}
		_, err = c.API().UsersGetFullUser(ctx, &tg.InputUser{UserID: alice.ID, AccessHash: alice.AccessHash + 1})
		wantErr(t, "wrong access hash", err, "USER_ID_INVALID")
		_, err = c.API().ContactsResolveUsername(ctx, &tg.ContactsResolveUsernameRequest{Username: "nobody_here"})
		wantErr(t, "unknown username", err, "USERNAME_NOT_OCCUPIED")
		return nil
	})
}
