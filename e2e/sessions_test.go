package e2e

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/gotd/log/logslog"
	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/transport"
)

// device is one client installation of a test: a name it reports in
// initConnection and the storage that keeps its auth key between runs.
type device struct {
	name string
	st   session.StorageMemory
	// appID and appHash are the app it presents; 0: the server's.
	appID   int
	appHash string
}

// deviceClient makes a gotd client for d; with a handler it receives
// updates.
func (s *server) deviceClient(d *device, h telegram.UpdateHandler) *telegram.Client {
	host, portText, _ := net.SplitHostPort(s.mtproto)
	port, _ := strconv.Atoi(portText)
	appID, appHash := d.appID, d.appHash
	if appID == 0 {
		appID, appHash = s.appID, s.appHash
	}
	if appID == 0 {
		appID, appHash = 1, "roost" // any app is accepted with --dev
	}
	return telegram.NewClient(appID, appHash, telegram.Options{
		PublicKeys: []telegram.PublicKey{{RSA: s.publicKey()}},
		DC:         2,
		DCList: dcs.List{
			Options: []tg.DCOption{{ID: 2, IPAddress: host, Port: port}},
		},
		Resolver:       dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate}),
		SessionStorage: &d.st,
		Device:         telegram.DeviceConfig{DeviceModel: d.name, SystemVersion: "RoostOS 1", AppVersion: "9.9"},
		UpdateHandler:  h,
		NoUpdates:      h == nil,
		Logger:         logslog.New(slog.New(slog.NewTextHandler(testWriter{s.t}, &slog.HandlerOptions{Level: slog.LevelError}))),
	})
}

// on runs f on device d, failing the test on an error.
func (s *server) on(t *testing.T, d *device, f func(ctx context.Context, c *telegram.Client) error) {
	t.Helper()
	c := s.deviceClient(d, nil)
	if err := c.Run(ctxFor(t), func(ctx context.Context) error { return f(ctx, c) }); err != nil {
		t.Fatalf("%s: %v", d.name, err)
	}
}

// terminated checks that devices, logged out from elsewhere, can no
// longer act: their next call is answered 401 SESSION_REVOKED, as Telegram
// answers a terminated session.
func (s *server) terminated(t *testing.T, devs ...*device) {
	t.Helper()
	for _, d := range devs {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		c := s.deviceClient(d, nil)
		err := c.Run(ctx, func(ctx context.Context) error {
			_, err := c.Self(ctx)
			return err
		})
		cancel()
		if !tgerr.Is(err, "SESSION_REVOKED") {
			t.Errorf("%s after it was logged out: %v, want SESSION_REVOKED", d.name, err)
		}
	}
}

func authorizations(ctx context.Context, t *testing.T, c *telegram.Client) (cur tg.Authorization, others []tg.Authorization) {
	t.Helper()
	res, err := c.API().AccountGetAuthorizations(ctx)
	if err != nil {
		t.Fatalf("account.getAuthorizations: %v", err)
	}
	if res.AuthorizationTTLDays != 180 {
		t.Errorf("authorization_ttl_days = %d", res.AuthorizationTTLDays)
	}
	n := 0
	for _, a := range res.Authorizations {
		if a.Current {
			cur = a
			n++
		} else {
			others = append(others, a)
		}
	}
	if n != 1 || !res.Authorizations[0].Current {
		t.Errorf("%d current authorizations, first current %v", n, len(res.Authorizations) > 0 && res.Authorizations[0].Current)
	}
	return cur, others
}

// Two devices of one user see each other and one logs the other out.
func TestAuthorizations(t *testing.T) {
	s := startServer(t)
	const phone = "9996623001"
	a, b := &device{name: "Device A"}, &device{name: "Device B"}
	s.on(t, a, func(ctx context.Context, c *telegram.Client) error { return login(ctx, c, phone) })
	s.on(t, b, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, phone); err != nil {
			return err
		}
		cur, others := authorizations(ctx, t, c)
		if cur.Hash != 0 || cur.DeviceModel != "Device B" || cur.SystemVersion != "RoostOS 1" || cur.AppVersion != "9.9" || cur.APIID != 1 {
			t.Errorf("current: %+v", cur)
		}
		if len(others) != 1 {
			t.Fatalf("other devices: %+v", others)
		}
		o := others[0]
		if o.Hash == 0 || o.DeviceModel != "Device A" || o.DateCreated == 0 || o.DateActive < o.DateCreated {
			t.Errorf("other: %+v", o)
		}
		_, err := c.API().AccountResetAuthorization(ctx, o.Hash+1)
		wantErr(t, "unknown hash", err, "HASH_INVALID")
		_, err = c.API().AccountResetAuthorization(ctx, 0)
		wantErr(t, "hash 0", err, "HASH_INVALID")
		if ok, err := c.API().AccountUpdateDeviceLocked(ctx, 600); err != nil || !ok {
			t.Errorf("account.updateDeviceLocked: %v %v", ok, err)
		}
		// A test deployment lets a fresh login end the others.
		if ok, err := c.API().AccountResetAuthorization(ctx, o.Hash); err != nil || !ok {
			t.Fatalf("account.resetAuthorization: %v %v", ok, err)
		}
		if _, others := authorizations(ctx, t, c); len(others) != 0 {
			t.Errorf("after reset: %+v", others)
		}
		_, err = c.API().AccountResetAuthorization(ctx, o.Hash)
		wantErr(t, "reset twice", err, "HASH_INVALID")
		return nil
	})
	s.terminated(t, a)
	// B is still in.
	s.on(t, b, func(ctx context.Context, c *telegram.Client) error {
		_, err := c.Self(ctx)
		return err
	})
}

func TestResetAuthorizations(t *testing.T) {
	s := startServer(t)
	const phone = "9996623002"
	devs := []*device{{name: "One"}, {name: "Two"}, {name: "Three"}}
	for _, d := range devs {
		s.on(t, d, func(ctx context.Context, c *telegram.Client) error { return login(ctx, c, phone) })
	}
	other := &device{name: "Someone else"}
	s.on(t, other, func(ctx context.Context, c *telegram.Client) error { return login(ctx, c, "9996623003") })
	s.on(t, devs[2], func(ctx context.Context, c *telegram.Client) error {
		if _, others := authorizations(ctx, t, c); len(others) != 2 {
			t.Errorf("before: %d other devices", len(others))
		}
		if ok, err := c.API().AuthResetAuthorizations(ctx); err != nil || !ok {
			t.Fatalf("auth.resetAuthorizations: %v %v", ok, err)
		}
		if _, others := authorizations(ctx, t, c); len(others) != 0 {
			t.Errorf("after: %+v", others)
		}
		return nil
	})
	s.terminated(t, devs[0], devs[1])
	// Another account is not touched.
	s.on(t, other, func(ctx context.Context, c *telegram.Client) error {
		_, err := c.Self(ctx)
		return err
	})
}

func TestAuthorizationsNeedLogin(t *testing.T) {
	s := startServer(t)
	s.on(t, &device{name: "Fresh"}, func(ctx context.Context, c *telegram.Client) error {
		_, err := c.API().AccountGetAuthorizations(ctx)
		wantErr(t, "getAuthorizations", err, "AUTH_KEY_UNREGISTERED")
		_, err = c.API().AuthResetAuthorizations(ctx)
		wantErr(t, "resetAuthorizations", err, "AUTH_KEY_UNREGISTERED")
		_, err = c.API().AccountResetAuthorization(ctx, 1)
		wantErr(t, "resetAuthorization", err, "AUTH_KEY_UNREGISTERED")
		_, err = c.API().AuthExportAuthorization(ctx, 2)
		wantErr(t, "exportAuthorization", err, "AUTH_KEY_UNREGISTERED")
		return nil
	})
}

// auth.exportAuthorization and auth.importAuthorization carry a login to
// a new key, as clients do between data centers.
func TestExportImportAuthorization(t *testing.T) {
	s := startServer(t)
	var exported *tg.AuthExportedAuthorization
	var me int64
	s.on(t, &device{name: "Main"}, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996623004"); err != nil {
			return err
		}
		_, err := c.API().AuthExportAuthorization(ctx, 5)
		wantErr(t, "unknown dc", err, "DC_ID_INVALID")
		if exported, err = c.API().AuthExportAuthorization(ctx, 2); err != nil {
			return err
		}
		self, err := c.Self(ctx)
		me = self.ID
		return err
	})
	if exported.ID != me || len(exported.Bytes) == 0 {
		t.Fatalf("exported %+v for user %d", exported, me)
	}
	s.on(t, &device{name: "Media"}, func(ctx context.Context, c *telegram.Client) error {
		_, err := c.API().AuthImportAuthorization(ctx, &tg.AuthImportAuthorizationRequest{ID: me, Bytes: []byte("forged")})
		wantErr(t, "forged bytes", err, "AUTH_BYTES_INVALID")
		res, err := c.API().AuthImportAuthorization(ctx, &tg.AuthImportAuthorizationRequest{ID: me, Bytes: exported.Bytes})
		if err != nil {
			return err
		}
		if u := res.(*tg.AuthAuthorization).User.(*tg.User); u.ID != me || !u.Self {
			t.Errorf("imported as %+v", u)
		}
		self, err := c.Self(ctx)
		if err == nil && self.ID != me {
			t.Errorf("self is %d, want %d", self.ID, me)
		}
		return err
	})
	// The bytes work once.
	s.on(t, &device{name: "Third"}, func(ctx context.Context, c *telegram.Client) error {
		_, err := c.API().AuthImportAuthorization(ctx, &tg.AuthImportAuthorizationRequest{ID: me, Bytes: exported.Bytes})
		wantErr(t, "second import", err, "AUTH_BYTES_INVALID")
		return nil
	})
}

// startProdServer runs roost serve as a production deployment, without
// --dev: login codes are POSTed to a webhook and come out of the returned
// channel, and clients need a registered app (s.appID, s.appHash).
func startProdServer(t *testing.T) (*server, <-chan string) {
	t.Helper()
	codes := make(chan string, 16)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Code string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		codes <- body.Code
	}))
	t.Cleanup(hook.Close)
	s := startServerWith(t, "--code-webhook", hook.URL)
	s.appID, s.appHash = s.createApp(t)
	return s, codes
}

// Outside --dev, a login younger than a day may not end the others.
func TestFreshResetForbidden(t *testing.T) {
	s, codes := startProdServer(t)
	const phone = "9996623201"
	code := auth.CodeAuthenticatorFunc(func(ctx context.Context, _ *tg.AuthSentCode) (string, error) {
		select {
		case c := <-codes:
			return c, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	})
	signIn := func(ctx context.Context, c *telegram.Client) error {
		return auth.NewFlow(signUpAs{auth.CodeOnly(phone, code)}, auth.SendCodeOptions{}).Run(ctx, c.Auth())
	}
	a, b := &device{name: "Old"}, &device{name: "New"}
	s.on(t, a, signIn)
	// Logged in on Old, the account gets New's code from 777000 there.
	fromOld := auth.CodeAuthenticatorFunc(func(ctx context.Context, _ *tg.AuthSentCode) (string, error) {
		var code string
		s.on(t, a, func(ctx context.Context, c *telegram.Client) error {
			code = serviceCode(ctx, t, c)
			return nil
		})
		return code, nil
	})
	s.on(t, b, func(ctx context.Context, c *telegram.Client) error {
		if err := auth.NewFlow(auth.CodeOnly(phone, fromOld), auth.SendCodeOptions{}).Run(ctx, c.Auth()); err != nil {
			return err
		}
		_, others := authorizations(ctx, t, c)
		if len(others) != 1 || others[0].AppName != "e2e" || others[0].APIID != s.appID {
			t.Fatalf("other devices: %+v", others)
		}
		_, err := c.API().AccountResetAuthorization(ctx, others[0].Hash)
		wantErr(t, "reset by a fresh login", err, "FRESH_RESET_AUTHORISATION_FORBIDDEN")
		if rpcErr, ok := tgerr.As(err); !ok || rpcErr.Code != 406 {
			t.Errorf("error code: %v, want 406", err)
		}
		_, err = c.API().AuthResetAuthorizations(ctx)
		wantErr(t, "reset all by a fresh login", err, "FRESH_RESET_AUTHORISATION_FORBIDDEN")
		return nil
	})
	// Nothing was ended.
	s.on(t, a, func(ctx context.Context, c *telegram.Client) error {
		_, err := c.Self(ctx)
		return err
	})
}

// serviceCode reads the newest login code that the service account 777000
// sent to the client's account.
func serviceCode(ctx context.Context, t *testing.T, c *telegram.Client) string {
	t.Helper()
	h, err := c.API().MessagesGetHistory(ctx, &tg.MessagesGetHistoryRequest{Peer: &tg.InputPeerUser{UserID: 777000,
		AccessHash: serviceAccessHash(ctx, t, c)}, Limit: 1})
	if err != nil {
		t.Fatalf("history of 777000: %v", err)
	}
	var ms []tg.MessageClass
	switch v := h.(type) {
	case *tg.MessagesMessages:
		ms = v.Messages
	case *tg.MessagesMessagesSlice:
		ms = v.Messages
	}
	if len(ms) == 0 {
		t.Fatal("no message from 777000")
	}
	sub := regexp.MustCompile(`Login code: (\d+)`).FindStringSubmatch(ms[0].(*tg.Message).Message)
	if sub == nil {
		t.Fatalf("no code in %q", ms[0].(*tg.Message).Message)
	}
	return sub[1]
}

// serviceAccessHash finds the access hash of 777000 in the dialogs.
func serviceAccessHash(ctx context.Context, t *testing.T, c *telegram.Client) int64 {
	d, err := c.API().MessagesGetDialogs(ctx, &tg.MessagesGetDialogsRequest{OffsetPeer: &tg.InputPeerEmpty{}, Limit: 20})
	if err != nil {
		t.Fatalf("dialogs: %v", err)
	}
	for _, u := range d.(*tg.MessagesDialogs).Users {
		if u, ok := u.(*tg.User); ok && u.ID == 777000 {
			return u.AccessHash
		}
	}
	t.Fatal("777000 is not among the dialogs")
	return 0
}
