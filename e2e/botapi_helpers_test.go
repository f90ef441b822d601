package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gotd/td/telegram"
	"github.com/gotd/td/tg"
)

// errAbort ends a test from inside a gotd client's callback, where
// t.Fatal would only end the callback's goroutine and leave the client
// running until its deadline: fatalf reports the failure and panics with
// it, and withChatter and catchAbort recover it.
var errAbort = errors.New("test aborted")

// fatalf is t.Fatalf that also works inside a client's callback.
func fatalf(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Errorf(format, args...)
	panic(errAbort)
}

// catchAbort, deferred by a test, turns an abort into t.FailNow.
func catchAbort(t *testing.T) {
	if r := recover(); r != nil {
		if r == errAbort {
			t.FailNow()
		}
		panic(r)
	}
}

// botWait is how long a test waits for something the bot or the user
// should see: generous, as the machine is shared.
const botWait = 30 * time.Second

// apiAnswer is one Bot API answer, as a plain HTTP client reads it.
type apiAnswer struct {
	Status      int             `json:"-"`
	ContentType string          `json:"-"`
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// botURL is the address of a method of the Bot API of s.
func (s *server) botURL(token, method string) string {
	return "http://" + s.http + "/bot" + token + "/" + method
}

// do sends r and reads the Bot API envelope of the answer.
func doAPI(t *testing.T, r *http.Request) apiAnswer {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		fatalf(t, "%s %s: %v", r.Method, r.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fatalf(t, "%v", err)
	}
	var a apiAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		fatalf(t, "%s %s: status %d, body %q is no Bot API envelope: %v", r.Method, r.URL.Path, resp.StatusCode, body, err)
	}
	a.Status, a.ContentType = resp.StatusCode, resp.Header.Get("Content-Type")
	return a
}

// botCall calls a method with params as a JSON object.
func (s *server) botCall(t *testing.T, token, method string, params map[string]any) apiAnswer {
	t.Helper()
	return s.botCallCtx(context.Background(), t, token, method, params)
}

func (s *server) botCallCtx(ctx context.Context, t *testing.T, token, method string, params map[string]any) apiAnswer {
	t.Helper()
	if params == nil {
		params = map[string]any{}
	}
	body, err := json.Marshal(params)
	if err != nil {
		fatalf(t, "%v", err)
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, s.botURL(token, method), bytes.NewReader(body))
	if err != nil {
		fatalf(t, "%v", err)
	}
	r.Header.Set("Content-Type", "application/json")
	return doAPI(t, r)
}

// mustCall calls a method that must succeed and decodes its result into
// out (if not nil).
func (s *server) mustCall(t *testing.T, token, method string, params map[string]any, out any) {
	t.Helper()
	a := s.botCall(t, token, method, params)
	if !a.OK || a.Status != 200 {
		fatalf(t, "%s: %d %s", method, a.ErrorCode, a.Description)
	}
	if out != nil {
		if err := json.Unmarshal(a.Result, out); err != nil {
			fatalf(t, "%s: result %s: %v", method, a.Result, err)
		}
	}
}

// wantAPIError checks a failed answer: HTTP status, error_code and the
// exact description.
func wantAPIError(t *testing.T, what string, a apiAnswer, code int, description string) {
	t.Helper()
	if a.OK || a.Status != code || a.ErrorCode != code || a.Description != description {
		t.Errorf("%s: ok=%v status=%d error_code=%d description=%q; want %d %q",
			what, a.OK, a.Status, a.ErrorCode, a.Description, code, description)
	}
	if !strings.HasPrefix(a.ContentType, "application/json") {
		t.Errorf("%s: Content-Type %q", what, a.ContentType)
	}
}

// botIDOf is the bot's user id, the part of its token before the colon.
func botIDOf(t *testing.T, token string) int64 {
	t.Helper()
	id, _, _ := strings.Cut(token, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		fatalf(t, "token %q: %v", token, err)
	}
	return n
}

// apiUpdate is the part of an Update the raw tests read.
type apiUpdate struct {
	UpdateID int64 `json:"update_id"`
	Message  *struct {
		MessageID int64  `json:"message_id"`
		Text      string `json:"text"`
		Chat      struct {
			ID int64 `json:"id"`
		} `json:"chat"`
	} `json:"message"`
	CallbackQuery *struct {
		ID   string `json:"id"`
		Data string `json:"data"`
	} `json:"callback_query"`
}

// getUpdates is one raw getUpdates call that must succeed.
func (s *server) getUpdates(t *testing.T, token string, params map[string]any) []apiUpdate {
	t.Helper()
	var ups []apiUpdate
	s.mustCall(t, token, "getUpdates", params, &ups)
	return ups
}

// chatter is a gotd user in a private chat with a bot.
type chatter struct {
	t   *testing.T
	c   *telegram.Client
	me  *tg.User
	bot *tg.User
}

// withChatter signs phone in on a new device, resolves the bot by
// username and runs f.
func (s *server) withChatter(t *testing.T, phone, botUsername string, f func(ctx context.Context, u *chatter) error) {
	t.Helper()
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, phone); err != nil {
			return err
		}
		me, err := c.Self(ctx)
		if err != nil {
			return err
		}
		bot, err := resolve(ctx, c, botUsername)
		if err != nil {
			return fmt.Errorf("resolve @%s: %w", botUsername, err)
		}
		return runGuarded(func() error { return f(ctx, &chatter{t: t, c: c, me: me, bot: bot}) })
	})
}

// userID signs phone in once and returns the account's id.
func (s *server) userID(t *testing.T, phone string) int64 {
	t.Helper()
	var id int64
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, phone); err != nil {
			return err
		}
		me, err := c.Self(ctx)
		if err != nil {
			return err
		}
		id = me.ID
		return nil
	})
	return id
}

// runGuarded runs f, turning an abort into an error.
func runGuarded(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != errAbort {
				panic(r)
			}
			err = errAbort
		}
	}()
	return f()
}

func (u *chatter) peer() *tg.InputPeerUser { return inputPeer(u.bot) }

// send writes text to the bot and returns the user's id of the message.
func (u *chatter) send(ctx context.Context, text string) int {
	u.t.Helper()
	res, err := u.c.API().MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: u.peer(), Message: text, RandomID: rid()})
	if err != nil {
		fatalf(u.t, "send %q: %v", text, err)
	}
	for _, up := range updatesOf(res) {
		switch up := up.(type) {
		case *tg.UpdateMessageID:
			return up.ID
		case *tg.UpdateNewMessage:
			return up.Message.GetID()
		}
	}
	if s, ok := res.(*tg.UpdateShortSentMessage); ok {
		return s.ID
	}
	fatalf(u.t, "send %q: no message id in %T", text, res)
	return 0
}

// history is the dialog with the bot, newest first.
func (u *chatter) history(ctx context.Context) []*tg.Message {
	u.t.Helper()
	res, err := u.c.API().MessagesGetHistory(ctx, &tg.MessagesGetHistoryRequest{Peer: u.peer(), Limit: 100})
	if err != nil {
		fatalf(u.t, "getHistory: %v", err)
	}
	ms, ok := res.(tg.ModifiedMessagesMessages)
	if !ok {
		fatalf(u.t, "getHistory: %T", res)
	}
	var out []*tg.Message
	for _, m := range ms.GetMessages() {
		if m, ok := m.(*tg.Message); ok {
			out = append(out, m)
		}
	}
	return out
}

// waitMessage polls the history until a message matches f.
func (u *chatter) waitMessage(ctx context.Context, what string, f func(*tg.Message) bool) *tg.Message {
	u.t.Helper()
	deadline := time.Now().Add(botWait)
	for {
		for _, m := range u.history(ctx) {
			if f(m) {
				return m
			}
		}
		if time.Now().After(deadline) {
			fatalf(u.t, "the user never saw %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fromBot matches an incoming message of the bot with this text.
func (u *chatter) fromBot(text string) func(*tg.Message) bool {
	return func(m *tg.Message) bool {
		return !m.Out && m.Message == text && fromID(m) == u.bot.ID
	}
}

func fromID(m *tg.Message) int64 {
	if p, ok := m.FromID.(*tg.PeerUser); ok {
		return p.UserID
	}
	if p, ok := m.PeerID.(*tg.PeerUser); ok && !m.Out {
		return p.UserID
	}
	return 0
}

// message reads one message of the dialog by the user's id.
func (u *chatter) message(ctx context.Context, id int) tg.MessageClass {
	u.t.Helper()
	res, err := u.c.API().MessagesGetMessages(ctx, []tg.InputMessageClass{&tg.InputMessageID{ID: id}})
	if err != nil {
		fatalf(u.t, "getMessages %d: %v", id, err)
	}
	ms := res.(tg.ModifiedMessagesMessages).GetMessages()
	if len(ms) != 1 {
		fatalf(u.t, "getMessages %d: %d messages, want one (messageEmpty when gone)", id, len(ms))
	}
	return ms[0]
}

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(botWait)
	for !cond() {
		if time.Now().After(deadline) {
			fatalf(t, "timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// press presses a callback button of the user's message msgID; it
// returns when the bot answered.
func (u *chatter) press(ctx context.Context, msgID int, data string) (*tg.MessagesBotCallbackAnswer, error) {
	return u.c.API().MessagesGetBotCallbackAnswer(ctx, &tg.MessagesGetBotCallbackAnswerRequest{Peer: u.peer(),
		MsgID: msgID, Data: []byte(data)})
}

// callbackData is the data of the first callback button of m, if any.
func callbackData(m *tg.Message) (string, bool) {
	kb, ok := m.ReplyMarkup.(*tg.ReplyInlineMarkup)
	if !ok {
		return "", false
	}
	for _, row := range kb.Rows {
		for _, b := range row.Buttons {
			if cb, ok := b.Type.(*tg.InlineButtonTypeCallback); ok {
				return string(cb.Data), true
			}
		}
	}
	return "", false
}

// recorder collects what a framework's handlers saw, for the test to
// wait on.
type recorder[T any] struct {
	mu  sync.Mutex
	got []T
}

func (r *recorder[T]) add(v T) {
	r.mu.Lock()
	r.got = append(r.got, v)
	r.mu.Unlock()
}

func (r *recorder[T]) all() []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]T(nil), r.got...)
}

// wait waits until n values were recorded and returns them all.
func (r *recorder[T]) wait(t *testing.T, what string, n int) []T {
	t.Helper()
	waitFor(t, what, func() bool { return len(r.all()) >= n })
	return r.all()
}
