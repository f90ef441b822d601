package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	gobot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	tele "gopkg.in/telebot.v3"
)

// hookDelivery is what a webhook request carried besides its update.
type hookDelivery struct {
	method, path, secret, contentType string
}

// hookServer is the bot's end of a webhook: a plain HTTP server on
// loopback that records each delivery and passes it to next, or answers
// 500 while failing is set.
type hookServer struct {
	*httptest.Server
	deliveries recorder[hookDelivery]
	failing    atomic.Bool
	mu         sync.Mutex
	next       http.Handler
}

func newHookServer(t *testing.T) *hookServer {
	h := &hookServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.deliveries.add(hookDelivery{r.Method, r.URL.Path, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), r.Header.Get("Content-Type")})
		if h.failing.Load() {
			http.Error(w, "not now", http.StatusInternalServerError)
			return
		}
		h.mu.Lock()
		next := h.next
		h.mu.Unlock()
		if next == nil {
			http.Error(w, "no bot yet", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) serve(next http.Handler) {
	h.mu.Lock()
	h.next = next
	h.mu.Unlock()
}

// checkDeliveries: every request was a POST of JSON to path with the
// secret.
func (h *hookServer) checkDeliveries(t *testing.T, path, secret string) {
	t.Helper()
	ds := h.deliveries.all()
	if len(ds) == 0 {
		t.Error("no webhook deliveries")
	}
	for _, d := range ds {
		if d.method != http.MethodPost || d.path != path || d.secret != secret || !strings.HasPrefix(d.contentType, "application/json") {
			t.Errorf("webhook delivery %+v, want POST %s of JSON with secret %q", d, path, secret)
		}
	}
}

// TestBotAPIWebhookGobot: go-telegram/bot in webhook mode. Updates
// queued before setWebhook and after it arrive as POSTs with the secret
// header; a failing endpoint leaves the update pending and records the
// error in getWebhookInfo, and it is delivered once the endpoint
// recovers; deleteWebhook returns the bot to getUpdates.
func TestBotAPIWebhookGobot(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "gobot_hook_bot")
	const secret = "s3cret_Token-1"
	hook := newHookServer(t)
	url := hook.URL + "/hook"
	texts := &recorder[string]{}
	handlerErrs := &recorder[error]{}
	b, errs, stop := s.runGobot(t, token, true, gobot.WithWebhookSecretToken(secret),
		gobot.WithDefaultHandler(func(ctx context.Context, b *gobot.Bot, u *models.Update) {
			if u.Message == nil {
				return
			}
			texts.add(u.Message.Text)
			_, err := b.SendMessage(ctx, &gobot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "hook echo: " + u.Message.Text})
			gobotFailed(handlerErrs, "echo", err)
		}))
	b.RegisterHandler(gobot.HandlerTypeMessageText, "keyboard", gobot.MatchTypeCommand, func(ctx context.Context, b *gobot.Bot, u *models.Update) {
		_, err := b.SendMessage(ctx, &gobot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "Hook keyboard",
			ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Go", CallbackData: "go"}}}}})
		gobotFailed(handlerErrs, "keyboard", err)
	})
	b.RegisterHandler(gobot.HandlerTypeCallbackQueryData, "go", gobot.MatchTypeExact, func(ctx context.Context, b *gobot.Bot, u *models.Update) {
		_, err := b.AnswerCallbackQuery(ctx, &gobot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID,
			Text: "Went by webhook", ShowAlert: true})
		gobotFailed(handlerErrs, "answer", err)
	})
	hook.serve(b.WebhookHandler())

	s.withChatter(t, "9996629401", "gobot_hook_bot", func(ctx context.Context, u *chatter) error {
		// Two messages wait in the queue while the bot has no webhook.
		u.send(ctx, "early 1")
		u.send(ctx, "early 2")
		info, err := b.GetWebhookInfo(ctx)
		if err != nil || info.URL != "" || info.PendingUpdateCount != 2 {
			t.Errorf("getWebhookInfo before setWebhook: %+v %v", info, err)
		}
		ok, err := b.SetWebhook(ctx, &gobot.SetWebhookParams{URL: url, SecretToken: secret})
		if err != nil || !ok {
			fatalf(t, "setWebhook: %v %v", ok, err)
		}
		u.waitMessage(ctx, "the echo of early 1", u.fromBot("hook echo: early 1"))
		u.waitMessage(ctx, "the echo of early 2", u.fromBot("hook echo: early 2"))

		u.send(ctx, "/start")
		u.waitMessage(ctx, "the echo of /start", u.fromBot("hook echo: /start"))

		// A callback query by webhook: the press waits for the answer.
		u.send(ctx, "/keyboard")
		kb := u.waitMessage(ctx, "the keyboard", u.fromBot("Hook keyboard"))
		ans, err := u.press(ctx, kb.ID, "go")
		if err != nil {
			return fmt.Errorf("press: %w", err)
		}
		if !ans.Alert || ans.Message != "Went by webhook" {
			t.Errorf("callback answer: %+v", ans)
		}

		// getWebhookInfo shows the webhook, nothing pending.
		waitFor(t, "an empty queue", func() bool {
			info, err := b.GetWebhookInfo(ctx)
			return err == nil && info.PendingUpdateCount == 0
		})
		info, err = b.GetWebhookInfo(ctx)
		if err != nil || info.URL != url || info.IPAddress != "127.0.0.1" || info.LastErrorDate != 0 || info.MaxConnections != 40 {
			t.Errorf("getWebhookInfo: %+v %v", info, err)
		}

		// The endpoint fails: the update stays pending with the error.
		hook.failing.Store(true)
		u.send(ctx, "while failing")
		waitFor(t, "the delivery error", func() bool {
			info, err = b.GetWebhookInfo(ctx)
			return err == nil && info.LastErrorDate != 0
		})
		if info.PendingUpdateCount != 1 || info.LastErrorMessage != "Wrong response from the webhook: 500 Internal Server Error" {
			t.Errorf("getWebhookInfo while failing: %+v", info)
		}
		hook.failing.Store(false)
		u.waitMessage(ctx, "the echo after recovery", u.fromBot("hook echo: while failing"))
		waitFor(t, "an empty queue after recovery", func() bool {
			info, err := b.GetWebhookInfo(ctx)
			return err == nil && info.PendingUpdateCount == 0
		})

		// deleteWebhook: updates wait for getUpdates again.
		if ok, err := b.DeleteWebhook(ctx, &gobot.DeleteWebhookParams{}); err != nil || !ok {
			t.Errorf("deleteWebhook: %v %v", ok, err)
		}
		before := len(hook.deliveries.all())
		u.send(ctx, "after delete")
		waitFor(t, "the update pending", func() bool {
			info, err := b.GetWebhookInfo(ctx)
			return err == nil && info.URL == "" && info.PendingUpdateCount == 1
		})
		ups := s.getUpdates(t, token, nil)
		if len(ups) != 1 || ups[0].Message == nil || ups[0].Message.Text != "after delete" {
			t.Errorf("getUpdates after deleteWebhook: %+v", ups)
		}
		if n := len(hook.deliveries.all()); n != before {
			t.Errorf("%d deliveries after deleteWebhook", n-before)
		}
		return nil
	})
	stop()
	hook.checkDeliveries(t, "/hook", secret)
	// Each message reached the handler once.
	got := texts.all()
	for _, want := range []string{"early 1", "early 2", "/start", "while failing"} {
		if n := count(got, want); n != 1 {
			t.Errorf("the bot got %q %d times (all: %q)", want, n, got)
		}
	}
	for _, err := range handlerErrs.all() {
		t.Errorf("handler: %v", err)
	}
	for _, err := range errs.all() {
		t.Errorf("framework: %v", err)
	}
}

func count[T comparable](s []T, v T) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}

// TestBotAPIWebhookTelebot: telebot sets the webhook (with its secret)
// from a tele.Webhook and processes the deliveries; its handlers reply.
func TestBotAPIWebhookTelebot(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "telebot_hook_bot")
	const secret = "telebot_secret"
	hook := newHookServer(t)
	wh := &tele.Webhook{SecretToken: secret, Endpoint: &tele.WebhookEndpoint{PublicURL: hook.URL + "/tele"}}
	b, errs := s.newTelebot(t, token, wh)
	b.Handle("/start", func(c tele.Context) error { return c.Send("Hello by telebot webhook") })
	b.Handle(tele.OnText, func(c tele.Context) error { return c.Send("telebot hook echo: " + c.Text()) })
	// telebot's own Webhook poller races its handler against setting
	// up where updates go, and closes its stop channel twice on Stop;
	// so the test serves the deliveries itself, as telebot's handler
	// does: check the secret, decode, ProcessUpdate.
	hook.serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != secret {
			http.Error(w, "wrong secret", http.StatusForbidden)
			return
		}
		var u tele.Update
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		b.ProcessUpdate(u)
	}))
	if err := b.SetWebhook(wh); err != nil {
		t.Fatalf("setWebhook: %v", err)
	}
	if info, err := b.Webhook(); err != nil || info.Listen != hook.URL+"/tele" {
		t.Fatalf("getWebhookInfo: %+v %v", info, err)
	}

	s.withChatter(t, "9996629402", "telebot_hook_bot", func(ctx context.Context, u *chatter) error {
		u.send(ctx, "/start")
		u.waitMessage(ctx, "the reply to /start", u.fromBot("Hello by telebot webhook"))
		u.send(ctx, "ping")
		u.waitMessage(ctx, "the echo", u.fromBot("telebot hook echo: ping"))
		return nil
	})
	waitFor(t, "an empty queue", func() bool {
		info, err := b.Webhook()
		return err == nil && info.PendingUpdates == 0
	})
	if err := b.RemoveWebhook(); err != nil {
		t.Errorf("deleteWebhook: %v", err)
	}
	if info, err := b.Webhook(); err != nil || info.Listen != "" {
		t.Errorf("getWebhookInfo after deleteWebhook: %+v %v", info, err)
	}
	hook.checkDeliveries(t, "/tele", secret)
	for _, err := range errs.all() {
		t.Errorf("telebot: %v", err)
	}
}

// TestBotAPIWebhookRestart: a bot answers its webhook with a method call
// in the response body (which the server runs); the webhook outlives a
// restart of the server, and updates sent after it are delivered.
func TestBotAPIWebhookRestart(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "hook_restart_bot")
	const phone = "9996629403"
	hook := newHookServer(t)
	updates := &recorder[apiUpdate]{}
	hook.serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u apiUpdate
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil || u.Message == nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		updates.add(u)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"method": "sendMessage", "chat_id": u.Message.Chat.ID,
			"text": "answered in reply to " + u.Message.Text})
	}))
	a := s.botCall(t, token, "setWebhook", map[string]any{"url": hook.URL + "/r", "secret_token": "abc"})
	if !a.OK || a.Description != "Webhook was set" {
		t.Fatalf("setWebhook: %+v", a)
	}
	if a := s.botCall(t, token, "setWebhook", map[string]any{"url": hook.URL + "/r", "secret_token": "abc"}); !a.OK || a.Description != "Webhook is already set" {
		t.Errorf("setWebhook again: %+v", a)
	}
	s.withChatter(t, phone, "hook_restart_bot", func(ctx context.Context, u *chatter) error {
		u.send(ctx, "before")
		u.waitMessage(ctx, "the answer in the reply", u.fromBot("answered in reply to before"))
		return nil
	})
	s.restart()
	wantAPIError(t, "getUpdates with a webhook after a restart", s.botCall(t, token, "getUpdates", nil), 409,
		"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
	var info struct {
		URL     string `json:"url"`
		Pending int    `json:"pending_update_count"`
	}
	s.mustCall(t, token, "getWebhookInfo", nil, &info)
	if info.URL != hook.URL+"/r" {
		t.Errorf("getWebhookInfo after a restart: %+v", info)
	}
	s.withChatter(t, phone, "hook_restart_bot", func(ctx context.Context, u *chatter) error {
		u.send(ctx, "after")
		u.waitMessage(ctx, "the answer after the restart", u.fromBot("answered in reply to after"))
		return nil
	})
	ups := updates.all()
	if len(ups) != 2 || ups[0].Message.Text != "before" || ups[1].Message.Text != "after" || ups[1].UpdateID != ups[0].UpdateID+1 {
		t.Errorf("webhook updates: %+v", ups)
	}
	hook.checkDeliveries(t, "/r", "abc")
	if a := s.botCall(t, token, "deleteWebhook", nil); !a.OK || a.Description != "Webhook was deleted" {
		t.Errorf("deleteWebhook: %+v", a)
	}
	if a := s.botCall(t, token, "deleteWebhook", nil); !a.OK || a.Description != "Webhook is already deleted" {
		t.Errorf("deleteWebhook again: %+v", a)
	}
}
