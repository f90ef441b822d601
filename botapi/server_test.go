package botapi

import (
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

func TestRouting(t *testing.T) {
	h := newHarness(t, false)
	for _, tc := range []struct {
		verb, path string
		code       int
		desc       string
	}{
		{"GET", "/bot" + h.token + "/getMe", 200, ""},
		{"GET", "/bot" + h.token + "/GETME", 200, ""},
		{"POST", "/bot" + h.token + "/test/getme", 200, ""},
		{"GET", "/bot" + h.token + "/noSuchMethod", 404, "Not Found"},
		{"GET", "/bot123:wrong/getMe", 401, "Unauthorized"},
		{"GET", "/botnotatoken/getMe", 404, "Not Found"},
		{"GET", "/bot0123:abc/getMe", 404, "Not Found"},
		{"GET", "/elsewhere", 404, "Not Found"},
		{"PUT", "/bot" + h.token + "/getMe", 501, "Not Implemented"},
	} {
		r := h.do(tc.verb, tc.path, "", "")
		if r.Status != tc.code || tc.desc != "" && r.Description != tc.desc {
			t.Errorf("%s %s: %d %q, want %d %q", tc.verb, tc.path, r.Status, r.Description, tc.code, tc.desc)
		}
	}
}

func TestParameterEncodings(t *testing.T) {
	h := newHarness(t, false)
	chat := strconv.FormatInt(h.user.ID, 10)
	path := "/bot" + h.token + "/sendMessage"
	var mp strings.Builder
	w := multipart.NewWriter(&mp)
	w.WriteField("chat_id", chat)
	w.WriteField("text", "by multipart")
	w.Close()
	for name, r := range map[string]reply{
		"query":     h.do("GET", path+"?chat_id="+chat+"&text=by+query", "", ""),
		"form":      h.do("POST", path, "application/x-www-form-urlencoded", "chat_id="+chat+"&text=by%20form"),
		"json":      h.do("POST", path, "application/json", `{"chat_id":`+chat+`,"text":"by json"}`),
		"multipart": h.do("POST", path, w.FormDataContentType(), mp.String()),
		// The query string wins over the body.
		"query first": h.do("POST", path+"?text=by+query+first", "application/json", `{"chat_id":"`+chat+`","text":"lost"}`),
	} {
		var m Message
		r.into(t, &m)
		if !strings.HasPrefix(m.Text, "by ") || m.Chat.ID != h.user.ID {
			t.Errorf("%s: sent %q to %d", name, m.Text, m.Chat.ID)
		}
	}
}

func TestErrors(t *testing.T) {
	h := newHarness(t, false)
	chat := strconv.FormatInt(h.user.ID, 10)
	for _, tc := range []struct {
		name   string
		method string
		form   url.Values
		code   int
		desc   string
	}{
		{"no chat", "sendMessage", url.Values{"text": {"x"}}, 400, "Bad Request: chat_id is empty"},
		{"unknown chat", "sendMessage", url.Values{"chat_id": {"42"}, "text": {"x"}}, 400, "Bad Request: chat not found"},
		{"empty text", "sendMessage", url.Values{"chat_id": {chat}}, 400, "Bad Request: message text is empty"},
		{"long text", "sendMessage", url.Values{"chat_id": {chat}, "text": {strings.Repeat("a", 4097)}}, 400, "Bad Request: message is too long"},
		{"callback data", "sendMessage", url.Values{"chat_id": {chat}, "text": {"x"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"b","callback_data":"` + strings.Repeat("d", 65) + `"}]]}`}},
			400, "Bad Request: BUTTON_DATA_INVALID"},
		{"rows", "sendMessage", url.Values{"chat_id": {chat}, "text": {"x"},
			"reply_markup": {`{"inline_keyboard":[{"text":"b","callback_data":"d"}]}`}},
			400, `Bad Request: Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays`},
		{"markup json", "sendMessage", url.Values{"chat_id": {chat}, "text": {"x"}, "reply_markup": {`{`}},
			400, "Bad Request: can't parse reply keyboard markup JSON object"},
		{"text button inline", "sendMessage", url.Values{"chat_id": {chat}, "text": {"x"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"b"}]]}`}},
			400, "Bad Request: Can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{"edit missing", "editMessageText", url.Values{"chat_id": {chat}, "message_id": {"999"}, "text": {"x"}},
			400, "Bad Request: message to edit not found"},
		{"delete missing", "deleteMessage", url.Values{"chat_id": {chat}, "message_id": {"999"}},
			400, "Bad Request: message to delete not found"},
		{"action", "sendChatAction", url.Values{"chat_id": {chat}, "action": {"dancing"}},
			400, "Bad Request: wrong parameter action in request"},
		{"callback id", "answerCallbackQuery", url.Values{"callback_query_id": {"12345"}},
			400, "Bad Request: query is too old and response timeout expired or query ID is invalid"},
	} {
		r := h.call(tc.method, tc.form)
		if r.OK || r.ErrorCode != tc.code || r.Description != tc.desc {
			t.Errorf("%s: %v %d %q, want %d %q", tc.name, r.OK, r.ErrorCode, r.Description, tc.code, tc.desc)
		}
	}
}

func TestBotCannotStartConversation(t *testing.T) {
	h := newHarness(t, false)
	other, err := h.core.Store.Users().Create(t.Context(), userNamed("Bob", "15550002"))
	if err != nil {
		t.Fatal(err)
	}
	r := h.call("sendMessage", url.Values{"chat_id": {strconv.FormatInt(other.ID, 10)}, "text": {"hi"}})
	if r.ErrorCode != 403 || r.Description != "Forbidden: bot can't initiate conversation with a user" {
		t.Errorf("got %d %q", r.ErrorCode, r.Description)
	}
}

func TestGetUpdatesOffsets(t *testing.T) {
	h := newHarness(t, false)
	h.userSays("one")
	h.userSays("two")
	var ups []Update
	h.call("getUpdates", nil).into(t, &ups)
	if len(ups) != 3 || ups[0].Message.Text != "/start" || ups[2].Message.Text != "two" {
		t.Fatalf("updates %+v", ups)
	}
	for i := 1; i < len(ups); i++ {
		if ups[i].UpdateID != ups[i-1].UpdateID+1 {
			t.Errorf("update ids %d then %d", ups[i-1].UpdateID, ups[i].UpdateID)
		}
	}
	if e := ups[0].Message.Entities; len(e) != 1 || e[0].Type != "bot_command" {
		t.Errorf("/start entities %+v, want a bot_command", e)
	}
	// Confirming the first two leaves the third.
	var rest []Update
	h.call("getUpdates", url.Values{"offset": {strconv.FormatInt(ups[2].UpdateID, 10)}}).into(t, &rest)
	if len(rest) != 1 || rest[0].UpdateID != ups[2].UpdateID {
		t.Fatalf("after offset: %+v", rest)
	}
	// A negative offset keeps the last ones.
	h.userSays("three")
	var last []Update
	h.call("getUpdates", url.Values{"offset": {"-1"}}).into(t, &last)
	if len(last) != 1 || last[0].Message.Text != "three" {
		t.Fatalf("offset -1: %+v", last)
	}
	// limit is clamped, not refused.
	if r := h.call("getUpdates", url.Values{"limit": {"500"}}); !r.OK {
		t.Errorf("limit 500: %s", r.Description)
	}
}

func TestLongPollConflict(t *testing.T) {
	h := newHarness(t, false)
	h.call("getUpdates", url.Values{"offset": {"-1"}}) // drop /start
	var ids []Update
	h.call("getUpdates", url.Values{"offset": {"-1"}}).into(t, &ids)
	first := make(chan reply)
	go func() {
		first <- h.call("getUpdates", url.Values{"timeout": {"20"}, "offset": {strconv.FormatInt(ids[0].UpdateID+1, 10)}})
	}()
	waitPolling(t, h)
	second := make(chan reply)
	go func() {
		second <- h.call("getUpdates", url.Values{"timeout": {"20"}, "offset": {strconv.FormatInt(ids[0].UpdateID+1, 10)}})
	}()
	r := <-first
	if r.ErrorCode != 409 || r.Description != "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" {
		t.Errorf("first poll: %d %q", r.ErrorCode, r.Description)
	}
	h.userSays("wake")
	var got []Update
	(<-second).into(t, &got)
	if len(got) != 1 || got[0].Message.Text != "wake" {
		t.Errorf("second poll: %+v", got)
	}
}

// waitPolling waits until a long poll of the harness bot is running.
func waitPolling(t *testing.T, h *harness) {
	t.Helper()
	b := h.srv.state(h.bot.ID)
	for range 1000 {
		b.mu.Lock()
		running := b.poll != nil
		b.mu.Unlock()
		if running {
			return
		}
		sleepMillis(5)
	}
	t.Fatal("no long poll started")
}

func TestWebhookSettings(t *testing.T) {
	h := newHarness(t, false)
	got := make(chan *http.Request, 4)
	hook := httptestServer(t, func(w http.ResponseWriter, r *http.Request) { got <- r })
	r := h.call("setWebhook", url.Values{"url": {hook}, "secret_token": {"s3cret"}})
	if !r.OK || r.Description != "Webhook was set" {
		t.Fatalf("setWebhook: %+v", r)
	}
	if r := h.call("setWebhook", url.Values{"url": {hook}, "secret_token": {"s3cret"}}); r.Description != "Webhook is already set" {
		t.Errorf("again: %q", r.Description)
	}
	req := <-got // the /start queued before
	if req.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cret" {
		t.Errorf("secret header %q", req.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
	}
	if r := h.call("getUpdates", nil); r.ErrorCode != 409 {
		t.Errorf("getUpdates with a webhook: %d %q", r.ErrorCode, r.Description)
	}
	var info WebhookInfo
	h.call("getWebhookInfo", nil).into(t, &info)
	if info.URL != hook || info.MaxConnections != defaultMaxConnections {
		t.Errorf("info %+v", info)
	}
	if r := h.call("setWebhook", url.Values{"url": {"ftp://x"}}); r.Description != "Bad Request: invalid webhook URL specified" {
		t.Errorf("bad url: %q", r.Description)
	}
	if r := h.call("setWebhook", url.Values{"url": {hook}, "secret_token": {"a b"}}); r.Description != "Bad Request: secret token contains unallowed characters" {
		t.Errorf("bad secret: %q", r.Description)
	}
	if r := h.call("deleteWebhook", nil); r.Description != "Webhook was deleted" {
		t.Errorf("delete: %q", r.Description)
	}
	if r := h.call("deleteWebhook", nil); r.Description != "Webhook is already deleted" {
		t.Errorf("delete again: %q", r.Description)
	}
}

// TestWebhookFixedIPAndRetryAfter: a webhook with ip_address reaches that
// address whatever its host name, and a Retry-After in a failed answer
// is honoured before the update is posted again.
func TestWebhookFixedIPAndRetryAfter(t *testing.T) {
	h := newHarness(t, false)
	got := make(chan string, 4)
	var calls atomic.Int32
	hook := httptestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		got <- r.Host
	})
	u, _ := url.Parse(hook)
	named := "http://bots.example.invalid:" + u.Port() + "/hook"
	if r := h.call("setWebhook", url.Values{"url": {named}, "ip_address": {"127.0.0.1"}}); !r.OK {
		t.Fatalf("setWebhook: %s", r.Description)
	}
	var host string
	select {
	case host = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery to the fixed address")
	}
	if !strings.HasPrefix(host, "bots.example.invalid") {
		t.Errorf("Host header %q, want the URL's host", host)
	}
	var info WebhookInfo
	h.call("getWebhookInfo", nil).into(t, &info)
	if info.IPAddress != "127.0.0.1" || info.LastErrorMessage != "Wrong response from the webhook: 429 Too Many Requests" {
		t.Errorf("info %+v", info)
	}
}

// TestWebhookGroups: a chat whose deliveries fail holds back only its own
// updates; another chat's go on, each chat in order, each update once.
func TestWebhookGroups(t *testing.T) {
	h := newHarness(t, false)
	other, err := h.core.Store.Users().Create(t.Context(), userNamed("Bob", "15550003"))
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		byChat   = map[int64][]string{}
		failAnn  atomic.Bool
		annTries atomic.Int32
	)
	failAnn.Store(true)
	hook := httptestServer(t, func(w http.ResponseWriter, r *http.Request) {
		var u Update
		json.NewDecoder(r.Body).Decode(&u)
		if u.Message == nil {
			return
		}
		if u.Message.Chat.ID == h.user.ID && failAnn.Load() {
			annTries.Add(1)
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		mu.Lock()
		byChat[u.Message.Chat.ID] = append(byChat[u.Message.Chat.ID], u.Message.Text)
		mu.Unlock()
	})
	if r := h.call("setWebhook", url.Values{"url": {hook}, "max_connections": {"2"}}); !r.OK {
		t.Fatal(r.Description)
	}
	h.userSays("a1")
	for _, text := range []string{"/start", "b1", "b2"} {
		if _, err := h.core.SendMessage(t.Context(), core.Send{From: other.ID,
			To: store.Peer{Kind: store.PeerUser, ID: h.bot.ID}, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	h.userSays("a2")
	got := func(chat int64) []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), byChat[chat]...)
	}
	waitUntil(t, "Bob's updates while Ann's fail", func() bool { return len(got(other.ID)) == 3 })
	if n := annTries.Load(); n == 0 {
		t.Error("Ann's chat was never tried")
	}
	failAnn.Store(false)
	waitUntil(t, "Ann's updates after the endpoint recovers", func() bool { return len(got(h.user.ID)) == 3 })
	if a, b := strings.Join(got(h.user.ID), ","), strings.Join(got(other.ID), ","); a != "/start,a1,a2" || b != "/start,b1,b2" {
		t.Errorf("delivered %q and %q", a, b)
	}
	var info WebhookInfo
	waitUntil(t, "an empty queue", func() bool {
		h.call("getWebhookInfo", nil).into(t, &info)
		return info.PendingUpdateCount == 0
	})
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
