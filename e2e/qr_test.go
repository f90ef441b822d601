package e2e

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/telegram/auth/qrlogin"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
)

// qrLogin logs device desk in by QR code with gotd's qrlogin flow, the
// code accepted on logged-in device phone. password is the account's
// two-step password, "" if none. It returns the user desk is logged in
// as and the authorization phone was given.
func (s *server) qrLogin(t *testing.T, desk, phone *device, password string) (*tg.User, *tg.Authorization) {
	t.Helper()
	ctx := ctxFor(t)
	tokens := make(chan qrlogin.Token, 1)
	type acceptance struct {
		a   *tg.Authorization
		err error
	}
	accepted := make(chan acceptance, 1)
	go func() {
		var tok qrlogin.Token
		select {
		case tok = <-tokens:
		case <-ctx.Done():
			accepted <- acceptance{err: ctx.Err()}
			return
		}
		c := s.deviceClient(phone, nil)
		var res acceptance
		res.err = c.Run(ctx, func(ctx context.Context) error {
			var err error
			res.a, err = c.QR().Accept(ctx, tok)
			return err
		})
		accepted <- res
	}()

	d := tg.NewUpdateDispatcher()
	loggedIn := qrlogin.OnLoginToken(d)
	// The server pushes updateShort{updateLoginToken} when the code is
	// accepted; note it on the way to gotd's dispatcher.
	var pushed atomic.Bool
	h := telegram.UpdateHandlerFunc(func(ctx context.Context, u tg.UpdatesClass) error {
		if us, ok := u.(*tg.UpdateShort); ok {
			if _, ok := us.Update.(*tg.UpdateLoginToken); ok {
				pushed.Store(true)
			}
		}
		return d.Handle(ctx, u)
	})
	c := s.deviceClient(desk, h)
	var me *tg.User
	err := c.Run(ctx, func(ctx context.Context) error {
		show := func(ctx context.Context, tok qrlogin.Token) error {
			if tok.URL() == "" {
				t.Error("empty tg://login URL")
			}
			select {
			case tokens <- tok: // the first code is scanned
			default:
			}
			return nil
		}
		_, err := c.QR().Auth(ctx, loggedIn, show)
		if password != "" {
			if !tgerr.Is(err, "SESSION_PASSWORD_NEEDED") {
				t.Fatalf("QR login of an account with a password: %v, want SESSION_PASSWORD_NEEDED", err)
			}
			_, err = c.Auth().Password(ctx, password)
		}
		if err != nil {
			return err
		}
		me, err = c.Self(ctx)
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", desk.name, err)
	}
	res := <-accepted
	if res.err != nil {
		t.Fatalf("%s accepting: %v", phone.name, res.err)
	}
	if !pushed.Load() {
		t.Error("no updateLoginToken reached the new device")
	}
	return me, res.a
}

func TestQRLogin(t *testing.T) {
	s := startServer(t)
	phone := &device{name: "Phone"}
	var me *tg.User
	s.on(t, phone, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996623101"); err != nil {
			return err
		}
		var err error
		me, err = c.Self(ctx)
		return err
	})
	desk := &device{name: "Desktop"}
	got, a := s.qrLogin(t, desk, phone, "")
	if got.ID != me.ID || !got.Self {
		t.Errorf("desktop logged in as %+v, want user %d", got, me.ID)
	}
	if a.Current || a.Hash == 0 || a.DeviceModel != "Desktop" || a.PasswordPending || a.DateCreated == 0 {
		t.Errorf("authorization of the new device: %+v", a)
	}
	// The desktop is a device of the account like any other: it lists the
	// phone, and stays logged in.
	s.on(t, desk, func(ctx context.Context, c *telegram.Client) error {
		cur, others := authorizations(ctx, t, c)
		if cur.DeviceModel != "Desktop" || len(others) != 1 || others[0].DeviceModel != "Phone" {
			t.Errorf("desktop sees current %+v, others %+v", cur, others)
		}
		return nil
	})
	s.on(t, phone, func(ctx context.Context, c *telegram.Client) error {
		_, others := authorizations(ctx, t, c)
		if len(others) != 1 || others[0].Hash != a.Hash {
			t.Errorf("phone sees %+v, want the desktop with hash %d", others, a.Hash)
		}
		return nil
	})
}

func TestQRLoginPassword(t *testing.T) {
	s := startServer(t)
	const password = "correct horse"
	phone := &device{name: "Phone"}
	s.on(t, phone, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996623102"); err != nil {
			return err
		}
		return c.Auth().UpdatePassword(ctx, password, auth.UpdatePasswordOptions{})
	})
	desk := &device{name: "Desktop"}
	got, a := s.qrLogin(t, desk, phone, password)
	if got.Phone != "9996623102" {
		t.Errorf("logged in as %+v", got)
	}
	if !a.PasswordPending {
		t.Errorf("authorization given to the phone: %+v, want password_pending", a)
	}
}

func TestQRLoginErrors(t *testing.T) {
	s := startServer(t)
	phone := &device{name: "Phone"}
	var me int64
	s.on(t, phone, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996623103"); err != nil {
			return err
		}
		self, err := c.Self(ctx)
		if err == nil {
			me = self.ID
		}
		return err
	})
	export := func(d *device, except ...int64) *tg.AuthLoginToken {
		t.Helper()
		var tok *tg.AuthLoginToken
		s.on(t, d, func(ctx context.Context, c *telegram.Client) error {
			res, err := c.API().AuthExportLoginToken(ctx, &tg.AuthExportLoginTokenRequest{APIID: 1, APIHash: "roost", ExceptIDs: except})
			if err != nil {
				return err
			}
			var ok bool
			if tok, ok = res.(*tg.AuthLoginToken); !ok {
				t.Fatalf("export: %T", res)
			}
			return nil
		})
		return tok
	}
	accepted := export(&device{name: "Accepted"})
	has := export(&device{name: "Has the account"}, me)
	expiring := export(&device{name: "Slow"})

	s.on(t, &device{name: "Logged out"}, func(ctx context.Context, c *telegram.Client) error {
		_, err := c.API().AuthAcceptLoginToken(ctx, accepted.Token)
		wantErr(t, "accept without login", err, "AUTH_KEY_UNREGISTERED")
		_, err = c.API().AuthImportLoginToken(ctx, []byte("no such token"))
		wantErr(t, "import of an unknown token", err, "AUTH_TOKEN_INVALID")
		return nil
	})
	s.on(t, phone, func(ctx context.Context, c *telegram.Client) error {
		api := c.API()
		_, err := api.AuthAcceptLoginToken(ctx, []byte("no such token"))
		wantErr(t, "unknown token", err, "AUTH_TOKEN_INVALID")
		if _, err := api.AuthAcceptLoginToken(ctx, accepted.Token); err != nil {
			return err
		}
		_, err = api.AuthAcceptLoginToken(ctx, accepted.Token)
		wantErr(t, "accept twice", err, "AUTH_TOKEN_ALREADY_ACCEPTED")
		_, err = api.AuthAcceptLoginToken(ctx, has.Token)
		wantErr(t, "token of a device that has the account", err, "AUTH_TOKEN_INVALID")
		return nil
	})
	if testing.Short() {
		return
	}
	// A token is good for 30 seconds.
	time.Sleep(time.Until(time.Unix(int64(expiring.Expires)+1, 0)))
	s.on(t, phone, func(ctx context.Context, c *telegram.Client) error {
		_, err := c.API().AuthAcceptLoginToken(ctx, expiring.Token)
		wantErr(t, "expired token", err, "AUTH_TOKEN_EXPIRED")
		return nil
	})
}
