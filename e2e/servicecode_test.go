package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/tg"
)

// A user logged in on one device gets the login code of a new device as
// a message from the service account 777000, and the new device signs in
// with it.
func TestLoginCodeFromServiceAccount(t *testing.T) {
	hooked := make(chan string, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v map[string]string
		json.NewDecoder(r.Body).Decode(&v)
		hooked <- v["code"]
	}))
	defer hook.Close()
	s := startServerWith(t, "--dev", "--code-webhook", hook.URL)
	const phone = "15550003333" // not a test number: its codes are random
	fromHook := auth.CodeAuthenticatorFunc(func(ctx context.Context, _ *tg.AuthSentCode) (string, error) { return <-hooked, nil })
	st := &session.StorageMemory{}
	s.userClient(t, st, func(ctx context.Context, c *telegram.Client) error {
		return auth.NewFlow(signUpAs{auth.CodeOnly(phone, fromHook)}, auth.SendCodeOptions{}).Run(ctx, c.Auth())
	})
	box := newInbox()
	ready, done := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.liveClient(t, st, box, func(ctx context.Context, c *telegram.Client) error {
			if _, err := c.API().UpdatesGetState(ctx); err != nil {
				return err
			}
			close(ready)
			<-done
			return nil
		})
	}()
	<-ready
	codeRe := regexp.MustCompile(`Login code: (\d{5})`)
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		var typ tg.AuthSentCodeTypeClass
		fromMessage := auth.CodeAuthenticatorFunc(func(ctx context.Context, sent *tg.AuthSentCode) (string, error) {
			typ = sent.Type
			var code string
			box.wait(t, "the login code from 777000", func(u tg.UpdatesClass) bool {
				for _, x := range updatesOf(u) {
					n, ok := x.(*tg.UpdateNewMessage)
					if !ok {
						continue
					}
					m := n.Message.(*tg.Message)
					if from, ok := m.PeerID.(*tg.PeerUser); ok && from.UserID == 777000 {
						if sub := codeRe.FindStringSubmatch(m.Message); sub != nil {
							code = sub[1]
							return true
						}
					}
				}
				return false
			})
			return code, nil
		})
		if err := auth.NewFlow(auth.CodeOnly(phone, fromMessage), auth.SendCodeOptions{}).Run(ctx, c.Auth()); err != nil {
			return err
		}
		if _, ok := typ.(*tg.AuthSentCodeTypeApp); !ok {
			t.Errorf("sent code type %T, want auth.sentCodeTypeApp", typ)
		}
		return nil
	})
	if len(hooked) != 0 {
		t.Error("the code of a logged-in account also went to the webhook")
	}
	close(done)
	wg.Wait()
}
