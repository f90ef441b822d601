package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
)

// A recovery e-mail is confirmed with a code from the operator's hook,
// and a forgotten password is reset with a second one.
func TestPasswordRecovery(t *testing.T) {
	mails := make(chan map[string]string, 8)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v map[string]string
		json.NewDecoder(r.Body).Decode(&v)
		if v["email"] != "" {
			mails <- v
		}
	}))
	defer hook.Close()
	s := startServerWith(t, "--dev", "--code-webhook", hook.URL)
	const phone = "9996625001"
	mailCode := func(ctx context.Context) string {
		select {
		case v := <-mails:
			if v["email"] != "ann@example.com" {
				t.Errorf("code sent to %q", v["email"])
			}
			return v["code"]
		case <-ctx.Done():
			t.Fatal("no e-mail code")
			return ""
		}
	}
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, phone); err != nil {
			return err
		}
		p, err := c.API().AccountGetPassword(ctx)
		if err != nil {
			return err
		}
		algo := p.NewAlgo.(*tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow)
		hash, err := auth.NewPasswordHash([]byte("forgotten"), algo)
		if err != nil {
			return err
		}
		_, err = c.API().AccountUpdatePasswordSettings(ctx, &tg.AccountUpdatePasswordSettingsRequest{
			Password:    &tg.InputCheckPasswordEmpty{},
			NewSettings: tg.AccountPasswordInputSettings{NewAlgo: algo, NewPasswordHash: hash, Email: "ann@example.com"}})
		// gotd reads EMAIL_UNCONFIRMED_5 as EMAIL_UNCONFIRMED with argument 5.
		if e, ok := tgerr.As(err); !ok || e.Type != "EMAIL_UNCONFIRMED" || e.Argument != 5 {
			t.Errorf("password with e-mail: %v, want EMAIL_UNCONFIRMED_5", err)
		}
		p, err = c.API().AccountGetPassword(ctx)
		if err != nil {
			return err
		}
		if !p.HasPassword || p.HasRecovery || p.EmailUnconfirmedPattern != "a**@e******.com" {
			t.Errorf("before confirmation: has=%v recovery=%v pattern=%q", p.HasPassword, p.HasRecovery, p.EmailUnconfirmedPattern)
		}
		code := mailCode(ctx)
		_, err = c.API().AccountConfirmPasswordEmail(ctx, "00000")
		wantErr(t, "wrong e-mail code", err, "CODE_INVALID")
		if _, err := c.API().AccountConfirmPasswordEmail(ctx, code); err != nil {
			return err
		}
		if p, err = c.API().AccountGetPassword(ctx); err != nil || !p.HasRecovery {
			t.Errorf("after confirmation: recovery=%v err=%v", p.HasRecovery, err)
		}
		return nil
	})
	// A new device forgot the password: it recovers with the e-mailed code.
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		api := c.API()
		sent, err := api.AuthSendCode(ctx, &tg.AuthSendCodeRequest{PhoneNumber: phone, APIID: 1, APIHash: "x"})
		if err != nil {
			return err
		}
		_, err = api.AuthSignIn(ctx, &tg.AuthSignInRequest{PhoneNumber: phone,
			PhoneCodeHash: sent.(*tg.AuthSentCode).PhoneCodeHash, PhoneCode: "22222"})
		wantErr(t, "sign-in with 2FA", err, "SESSION_PASSWORD_NEEDED")
		rec, err := api.AuthRequestPasswordRecovery(ctx)
		if err != nil {
			return err
		}
		if rec.EmailPattern != "a**@e******.com" {
			t.Errorf("email pattern %q", rec.EmailPattern)
		}
		code := mailCode(ctx)
		if ok, err := api.AuthCheckRecoveryPassword(ctx, code); err != nil || !ok {
			t.Errorf("checkRecoveryPassword: %v %v", ok, err)
		}
		_, err = api.AuthRecoverPassword(ctx, &tg.AuthRecoverPasswordRequest{Code: "00000"})
		wantErr(t, "wrong recovery code", err, "CODE_INVALID")
		if _, err := api.AuthRecoverPassword(ctx, &tg.AuthRecoverPasswordRequest{Code: code}); err != nil {
			return err
		}
		me, err := c.Self(ctx)
		if err != nil {
			return err
		}
		if me.Phone != phone {
			t.Errorf("recovered into %+v", me)
		}
		p, err := api.AccountGetPassword(ctx)
		if err != nil || p.HasPassword {
			t.Errorf("password after recovery: has=%v err=%v", p.HasPassword, err)
		}
		return nil
	})
}
