package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/tg"

	rtg "github.com/roostchat/roost/tg"
)

// createApp registers an API client with roost app create.
func (s *server) createApp(t *testing.T) (int, string) {
	t.Helper()
	out, err := exec.Command(binary, "app", "create", "--title", "e2e", "--data", s.data).CombinedOutput()
	if err != nil {
		t.Fatalf("roost app create: %v\n%s", err, out)
	}
	var id int
	var hash string
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "api_id: "); ok {
			id, _ = strconv.Atoi(v)
		}
		if v, ok := strings.CutPrefix(line, "api_hash: "); ok {
			hash = v
		}
	}
	if id == 0 || hash == "" {
		t.Fatalf("app create printed %q", out)
	}
	return id, hash
}

// Outside --dev only registered apps connect, and login codes go to the
// operator's webhook, never to the log.
func TestProductionMode(t *testing.T) {
	codes := make(chan map[string]string, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v map[string]string
		if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		codes <- v
	}))
	defer hook.Close()
	s := startServerWith(t, "--code-webhook", hook.URL)

	// An unknown api_id is refused at initConnection.
	rc := s.open(t, s.newKey(t, 0), 0)
	req := rc.sendObj(&rtg.InvokeWithLayerRequest{Layer: 229, Query: &rtg.InitConnectionRequest{
		APIID: 4242, DeviceModel: "e2e", SystemVersion: "1", AppVersion: "1", SystemLangCode: "en",
		LangCode: "en", Query: &rtg.HelpGetNearestDcRequest{}}}, true)
	rc.rpcError(req, 400, "API_ID_INVALID")

	s.appID, s.appHash = s.createApp(t)
	const phone = "15550001234"
	code := auth.CodeAuthenticatorFunc(func(ctx context.Context, _ *tg.AuthSentCode) (string, error) {
		select {
		case v := <-codes:
			if v["phone"] != phone {
				t.Errorf("webhook got phone %q", v["phone"])
			}
			return v["code"], nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	})
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		_, err := c.API().AuthSendCode(ctx, &tg.AuthSendCodeRequest{PhoneNumber: phone, APIID: s.appID, APIHash: "wrong"})
		wantErr(t, "wrong api_hash", err, "API_ID_INVALID")
		// The fixed test-number code is a --dev convenience only.
		flow := auth.NewFlow(signUpAs{auth.CodeOnly(phone, code)}, auth.SendCodeOptions{})
		if err := flow.Run(ctx, c.Auth()); err != nil {
			return err
		}
		me, err := c.Self(ctx)
		if err == nil && me.FirstName != "Prod" {
			t.Errorf("signed up as %+v", me)
		}
		return err
	})
	for line := range drain(s.logLines) {
		if strings.Contains(line, "login code") && strings.Contains(line, "code=") {
			t.Errorf("a login code reached the log outside --dev: %s", line)
		}
	}
}

// signUpAs answers the sign-up form for a code-only authenticator.
type signUpAs struct{ auth.UserAuthenticator }

func (signUpAs) SignUp(context.Context) (auth.UserInfo, error) {
	return auth.UserInfo{FirstName: "Prod"}, nil
}

func (signUpAs) AcceptTermsOfService(context.Context, tg.HelpTermsOfService) error { return nil }

// drain returns what is buffered in ch without waiting.
func drain(ch chan string) chan string {
	out := make(chan string, len(ch))
	for {
		select {
		case v := <-ch:
			out <- v
		default:
			close(out)
			return out
		}
	}
}
