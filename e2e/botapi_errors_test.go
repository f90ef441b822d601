package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// startedUser signs a user in, has it write /start to the bot and
// returns its id, which is then the bot's chat_id of their chat.
func (s *server) startedUser(t *testing.T, phone, botUsername string) int64 {
	t.Helper()
	var id int64
	s.withChatter(t, phone, botUsername, func(ctx context.Context, u *chatter) error {
		u.send(ctx, "/start")
		id = u.me.ID
		return nil
	})
	return id
}

// TestBotAPIErrors: bad input over plain HTTP answers the official
// error_code and description.
func TestBotAPIErrors(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "errors_test_bot")
	user := s.startedUser(t, "9996629201", "errors_test_bot")
	stranger := s.userID(t, "9996629202")
	chat := func(extra map[string]any) map[string]any {
		p := map[string]any{"chat_id": user}
		for k, v := range extra {
			p[k] = v
		}
		return p
	}

	// Routing and the token.
	id, _, _ := strings.Cut(token, ":")
	wantAPIError(t, "wrong token", s.botCall(t, id+":wrongsecret", "getMe", nil), 401, "Unauthorized")
	wantAPIError(t, "unknown bot", s.botCall(t, "999999999:"+strings.Repeat("A", 35), "getMe", nil), 401, "Unauthorized")
	wantAPIError(t, "malformed token", s.botCall(t, "not-a-token", "getMe", nil), 404, "Not Found")
	wantAPIError(t, "token without secret", s.botCall(t, id+":", "getMe", nil), 404, "Not Found")
	wantAPIError(t, "token starting with 0", s.botCall(t, "0"+token, "getMe", nil), 404, "Not Found")
	wantAPIError(t, "unknown method", s.botCall(t, token, "sendTelepathy", nil), 404, "Not Found")
	r, _ := http.NewRequest(http.MethodGet, "http://"+s.http+"/nobot/getMe", nil)
	wantAPIError(t, "path without /bot", doAPI(t, r), 404, "Not Found")
	r, _ = http.NewRequest(http.MethodPut, s.botURL(token, "getMe"), nil)
	wantAPIError(t, "PUT", doAPI(t, r), 501, "Not Implemented")

	// sendMessage's parameters.
	wantAPIError(t, "unknown chat", s.botCall(t, token, "sendMessage", map[string]any{"chat_id": 123456789, "text": "x"}),
		400, "Bad Request: chat not found")
	wantAPIError(t, "unknown @username", s.botCall(t, token, "sendMessage", map[string]any{"chat_id": "@nobody_here", "text": "x"}),
		400, "Bad Request: chat not found")
	wantAPIError(t, "missing chat_id", s.botCall(t, token, "sendMessage", map[string]any{"text": "x"}),
		400, "Bad Request: chat_id is empty")
	wantAPIError(t, "missing text", s.botCall(t, token, "sendMessage", chat(nil)), 400, "Bad Request: message text is empty")
	wantAPIError(t, "empty text", s.botCall(t, token, "sendMessage", chat(map[string]any{"text": ""})),
		400, "Bad Request: message text is empty")
	wantAPIError(t, "blank text", s.botCall(t, token, "sendMessage", chat(map[string]any{"text": " \n "})),
		400, "Bad Request: message text is empty")
	wantAPIError(t, "text over 4096", s.botCall(t, token, "sendMessage", chat(map[string]any{"text": strings.Repeat("я", 4097)})),
		400, "Bad Request: message is too long")
	s.mustCall(t, token, "sendMessage", chat(map[string]any{"text": strings.Repeat("я", 4096)}), nil)
	wantAPIError(t, "unclosed HTML tag", s.botCall(t, token, "sendMessage", chat(map[string]any{"text": "<b>x", "parse_mode": "HTML"})),
		400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`)
	wantAPIError(t, "unknown parse_mode", s.botCall(t, token, "sendMessage", chat(map[string]any{"text": "x", "parse_mode": "Klingon"})),
		400, "Bad Request: unsupported parse_mode")

	// Reply markup.
	button := func(b map[string]any) map[string]any {
		return chat(map[string]any{"text": "x", "reply_markup": map[string]any{"inline_keyboard": [][]map[string]any{{b}}}})
	}
	wantAPIError(t, "callback_data over 64 bytes", s.botCall(t, token, "sendMessage",
		button(map[string]any{"text": "b", "callback_data": strings.Repeat("d", 65)})), 400, "Bad Request: BUTTON_DATA_INVALID")
	s.mustCall(t, token, "sendMessage", button(map[string]any{"text": "b", "callback_data": strings.Repeat("d", 64)}), nil)
	wantAPIError(t, "keyboard rows not arrays", s.botCall(t, token, "sendMessage",
		chat(map[string]any{"text": "x", "reply_markup": map[string]any{"inline_keyboard": []any{map[string]any{"text": "b"}}}})),
		400, `Bad Request: Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays`)
	wantAPIError(t, "keyboard not an array", s.botCall(t, token, "sendMessage",
		chat(map[string]any{"text": "x", "reply_markup": map[string]any{"inline_keyboard": "nope"}})),
		400, `Bad Request: Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array`)
	wantAPIError(t, "reply_markup not JSON", s.botCall(t, token, "sendMessage", chat(map[string]any{"text": "x", "reply_markup": "{"})),
		400, "Bad Request: can't parse reply keyboard markup JSON object")

	// Who the bot may write to.
	wantAPIError(t, "user who never started the bot", s.botCall(t, token, "sendMessage",
		map[string]any{"chat_id": stranger, "text": "hi"}), 403, "Forbidden: bot can't initiate conversation with a user")
	wantAPIError(t, "another bot", s.botCall(t, token, "sendMessage",
		map[string]any{"chat_id": botIDOf(t, s.createBot(t, "other_test_bot")), "text": "hi"}), 403, "Forbidden: bot can't send messages to bots")

	// Edits and deletions of what is not there.
	wantAPIError(t, "edit missing", s.botCall(t, token, "editMessageText", chat(map[string]any{"message_id": 99999, "text": "x"})),
		400, "Bad Request: message to edit not found")
	wantAPIError(t, "delete missing", s.botCall(t, token, "deleteMessage", chat(map[string]any{"message_id": 99999})),
		400, "Bad Request: message to delete not found")
	var sent struct {
		MessageID int64 `json:"message_id"`
	}
	s.mustCall(t, token, "sendMessage", chat(map[string]any{"text": "same"}), &sent)
	wantAPIError(t, "edit to the same text", s.botCall(t, token, "editMessageText",
		chat(map[string]any{"message_id": sent.MessageID, "text": "same"})), 400,
		"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	wantAPIError(t, "answer unknown query", s.botCall(t, token, "answerCallbackQuery", map[string]any{"callback_query_id": "12345"}),
		400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
}

// TestBotAPIParams: parameters arrive by query string, urlencoded form,
// JSON (non-string members as their JSON text) and multipart; method
// names are case-insensitive and GET works.
func TestBotAPIParams(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "params_test_bot")
	user := s.startedUser(t, "9996629301", "params_test_bot")
	uid := itoa64(user)
	type sentMsg struct {
		MessageID int64  `json:"message_id"`
		Text      string `json:"text"`
		Chat      struct {
			ID int64 `json:"id"`
		} `json:"chat"`
		ReplyMarkup *struct {
			InlineKeyboard [][]struct {
				Text         string `json:"text"`
				CallbackData string `json:"callback_data"`
			} `json:"inline_keyboard"`
		} `json:"reply_markup"`
	}
	check := func(what string, a apiAnswer, text string, markup bool) {
		t.Helper()
		if !a.OK || a.Status != 200 {
			t.Errorf("%s: %d %s", what, a.ErrorCode, a.Description)
			return
		}
		var m sentMsg
		if err := json.Unmarshal(a.Result, &m); err != nil {
			t.Errorf("%s: %s: %v", what, a.Result, err)
			return
		}
		if m.Text != text || m.Chat.ID != user || m.MessageID == 0 {
			t.Errorf("%s: sent %+v, want text %q to %d", what, m, text, user)
		}
		if markup && (m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard) != 1 ||
			m.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "cb") {
			t.Errorf("%s: reply_markup %+v", what, m.ReplyMarkup)
		}
	}
	const kb = `{"inline_keyboard":[[{"text":"b","callback_data":"cb"}]]}`

	// The query string, with POST and with GET.
	q := url.Values{"chat_id": {uid}, "text": {"by query+string"}, "reply_markup": {kb}}
	r, _ := http.NewRequest(http.MethodPost, s.botURL(token, "sendMessage")+"?"+q.Encode(), nil)
	check("POST query string", doAPI(t, r), "by query+string", true)
	r, _ = http.NewRequest(http.MethodGet, s.botURL(token, "sendMessage")+"?"+q.Encode(), nil)
	check("GET query string", doAPI(t, r), "by query+string", true)
	r, _ = http.NewRequest(http.MethodGet, s.botURL(token, "getMe"), nil)
	if a := doAPI(t, r); !a.OK || !strings.Contains(string(a.Result), `"username":"params_test_bot"`) {
		t.Errorf("GET getMe: %+v %s", a, a.Result)
	}

	// A urlencoded form.
	form := url.Values{"chat_id": {uid}, "text": {"by form & more"}, "reply_markup": {kb}}
	r, _ = http.NewRequest(http.MethodPost, s.botURL(token, "sendMessage"), strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	check("urlencoded form", doAPI(t, r), "by form & more", true)

	// A query-string value wins over the body's.
	r, _ = http.NewRequest(http.MethodPost, s.botURL(token, "sendMessage")+"?text=from+query", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	check("query over body", doAPI(t, r), "from query", true)

	// JSON: a number chat_id, a number text and an object reply_markup
	// are taken as their JSON text.
	body := `{"chat_id":` + uid + `,"text":4096,"disable_notification":true,"reply_markup":` + kb + `}`
	r, _ = http.NewRequest(http.MethodPost, s.botURL(token, "sendMessage"), strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	check("JSON raw members", doAPI(t, r), "4096", true)
	// reply_markup as a JSON string holding the object works the same.
	check("JSON string markup", s.botCall(t, token, "sendMessage", map[string]any{"chat_id": uid, "text": "by json", "reply_markup": kb}),
		"by json", true)

	// Multipart, the way go-telegram/bot sends every call.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("chat_id", uid)
	mw.WriteField("text", "by multipart")
	mw.WriteField("reply_markup", kb)
	mw.Close()
	r, _ = http.NewRequest(http.MethodPost, s.botURL(token, "sendMessage"), &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	check("multipart", doAPI(t, r), "by multipart", true)
	// A multipart body with no parts carries no parameters.
	r, _ = http.NewRequest(http.MethodPost, s.botURL(token, "getMe"), nil)
	r.Header.Set("Content-Type", "multipart/form-data; boundary=xyz")
	if a := doAPI(t, r); !a.OK {
		t.Errorf("empty multipart getMe: %d %s", a.ErrorCode, a.Description)
	}
	r, _ = http.NewRequest(http.MethodPost, s.botURL(token, "getMe"), strings.NewReader("x"))
	r.Header.Set("Content-Type", "multipart/form-data")
	wantAPIError(t, "multipart without boundary", doAPI(t, r), 400, "Bad Request: boundary not found")

	// Method names are case-insensitive.
	for _, m := range []string{"SENDMESSAGE", "sendmessage", "SendMessage"} {
		check(m, s.botCall(t, token, m, map[string]any{"chat_id": user, "text": "case " + m}), "case "+m, false)
	}
	// The method may also come as a parameter when the path names none.
	r, _ = http.NewRequest(http.MethodGet, s.botURL(token, "")+"?method=getMe", nil)
	if a := doAPI(t, r); !a.OK {
		t.Errorf("method parameter: %d %s", a.ErrorCode, a.Description)
	}

	// The user got them all.
	s.withChatter(t, "9996629301", "params_test_bot", func(ctx context.Context, u *chatter) error {
		for _, text := range []string{"by query+string", "by form & more", "from query", "4096", "by json", "by multipart", "case SENDMESSAGE"} {
			u.waitMessage(ctx, text, u.fromBot(text))
		}
		return nil
	})
}

// TestBotAPIConflicts: a second long poll ends the first with 409, and
// getUpdates is refused while a webhook is set.
func TestBotAPIConflicts(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "conflict_test_bot")

	type result struct {
		a   apiAnswer
		err error
	}
	poll := func(timeout int) chan result {
		ch := make(chan result, 1)
		go func() {
			body, _ := json.Marshal(map[string]any{"timeout": timeout})
			resp, err := http.Post(s.botURL(token, "getUpdates"), "application/json", bytes.NewReader(body))
			if err != nil {
				ch <- result{err: err}
				return
			}
			defer resp.Body.Close()
			var a apiAnswer
			err = json.NewDecoder(resp.Body).Decode(&a)
			a.Status, a.ContentType = resp.StatusCode, resp.Header.Get("Content-Type")
			ch <- result{a, err}
		}()
		return ch
	}
	first := poll(20)
	// Give the first poll time to be waiting before the second starts.
	time.Sleep(time.Second)
	second := poll(2)
	select {
	case r := <-first:
		if r.err != nil {
			t.Fatal(r.err)
		}
		wantAPIError(t, "first of two long polls", r.a, 409,
			"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
	case r := <-second:
		t.Fatalf("the second poll ended first: %+v %v", r.a, r.err)
	case <-time.After(botWait):
		t.Fatal("the first long poll was not ended by the second")
	}
	select {
	case r := <-second:
		if r.err != nil || !r.a.OK || string(r.a.Result) != "[]" {
			t.Errorf("second long poll: %+v %s %v", r.a, r.a.Result, r.err)
		}
	case <-time.After(botWait):
		t.Fatal("the second long poll did not end")
	}

	// A webhook set: getUpdates is refused; a waiting poll is ended.
	waiting := poll(20)
	time.Sleep(time.Second)
	a := s.botCall(t, token, "setWebhook", map[string]any{"url": "http://127.0.0.1:9/hook"})
	if !a.OK || a.Description != "Webhook was set" {
		t.Fatalf("setWebhook: %+v", a)
	}
	select {
	case r := <-waiting:
		if r.err != nil {
			t.Fatal(r.err)
		}
		wantAPIError(t, "long poll during setWebhook", r.a, 409, "Conflict: terminated by setWebhook request")
	case <-time.After(botWait):
		t.Fatal("setWebhook did not end the waiting long poll")
	}
	wantAPIError(t, "getUpdates with a webhook", s.botCall(t, token, "getUpdates", nil), 409,
		"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
	if a := s.botCall(t, token, "deleteWebhook", nil); !a.OK || a.Description != "Webhook was deleted" {
		t.Errorf("deleteWebhook: %+v", a)
	}
	if a := s.botCall(t, token, "getUpdates", nil); !a.OK || string(a.Result) != "[]" {
		t.Errorf("getUpdates after deleteWebhook: %+v %s", a, a.Result)
	}
}

func itoa64(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestBotAPIOffsets: getUpdates' offset rules: below it is confirmed, a
// negative one keeps the last updates, and one far past the queue's end
// is ignored, confirming nothing, as the official server's queue does.
func TestBotAPIOffsets(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "offsets_test_bot")
	const phone = "9996629601"
	send := func(texts ...string) {
		s.withChatter(t, phone, "offsets_test_bot", func(ctx context.Context, u *chatter) error {
			for _, text := range texts {
				u.send(ctx, text)
			}
			return nil
		})
	}
	texts := func(ups []apiUpdate) string {
		var out []string
		for _, u := range ups {
			if u.Message != nil {
				out = append(out, u.Message.Text)
			}
		}
		return strings.Join(out, ",")
	}
	send("a", "b", "c", "d")
	all := s.getUpdates(t, token, nil)
	if texts(all) != "a,b,c,d" {
		t.Fatalf("queue: %q", texts(all))
	}
	first, last := all[0].UpdateID, all[3].UpdateID
	// Far in the future: ignored, nothing confirmed.
	if got := texts(s.getUpdates(t, token, map[string]any{"offset": last + 1000})); got != "a,b,c,d" {
		t.Errorf("offset far past the end: %q", got)
	}
	if got := texts(s.getUpdates(t, token, map[string]any{"offset": 1})); got != "a,b,c,d" {
		t.Errorf("offset 1 after a future offset: %q", got)
	}
	// Limit and offset inside the queue.
	if got := texts(s.getUpdates(t, token, map[string]any{"offset": first + 1, "limit": 2})); got != "b,c" {
		t.Errorf("offset first+1, limit 2: %q", got)
	}
	if got := texts(s.getUpdates(t, token, nil)); got != "b,c,d" {
		t.Errorf("after confirming a: %q", got)
	}
	// A negative offset keeps the last ones.
	if got := texts(s.getUpdates(t, token, map[string]any{"offset": -1})); got != "d" {
		t.Errorf("offset -1: %q", got)
	}
	if got := texts(s.getUpdates(t, token, nil)); got != "d" {
		t.Errorf("after offset -1: %q", got)
	}
	// Everything confirmed; a long poll with an offset in the future still
	// gets the next update.
	if got := s.getUpdates(t, token, map[string]any{"offset": last + 1}); len(got) != 0 {
		t.Errorf("after confirming all: %+v", got)
	}
	done := make(chan []apiUpdate, 1)
	go func() {
		ups, _ := pollOnce(s, token, map[string]any{"offset": last + 1000, "timeout": 20})
		done <- ups
	}()
	time.Sleep(500 * time.Millisecond)
	send("e")
	select {
	case ups := <-done:
		if texts(ups) != "e" || ups[0].UpdateID != last+1 {
			t.Errorf("long poll with a future offset: %+v, want e as %d", ups, last+1)
		}
	case <-time.After(botWait):
		t.Error("a long poll with a future offset missed the new update")
	}
}

// pollOnce is one getUpdates call outside the test goroutine.
func pollOnce(s *server, token string, params map[string]any) ([]apiUpdate, error) {
	body, _ := json.Marshal(params)
	resp, err := http.Post(s.botURL(token, "getUpdates"), "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var a struct {
		OK     bool        `json:"ok"`
		Result []apiUpdate `json:"result"`
	}
	err = json.NewDecoder(resp.Body).Decode(&a)
	return a.Result, err
}

// TestBotAPICallbackTimeout: a press nobody answers ends with
// BOT_RESPONSE_TIMEOUT for the user; the query still reaches the bot,
// whose late answer is refused, as is a second answer to a query.
func TestBotAPICallbackTimeout(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "late_answer_bot")
	user := s.startedUser(t, "9996629701", "late_answer_bot")
	s.getUpdates(t, token, map[string]any{"offset": -1})
	kb := map[string]any{"inline_keyboard": [][]map[string]any{{{"text": "Press", "callback_data": "late"}}}}
	var sent struct {
		MessageID int64 `json:"message_id"`
	}
	s.mustCall(t, token, "sendMessage", map[string]any{"chat_id": user, "text": "Press me", "reply_markup": kb}, &sent)
	last := s.getUpdates(t, token, nil)
	offset := int64(0)
	if len(last) > 0 {
		offset = last[len(last)-1].UpdateID + 1
	}
	s.withChatter(t, "9996629701", "late_answer_bot", func(ctx context.Context, u *chatter) error {
		m := u.waitMessage(ctx, "the keyboard", u.fromBot("Press me"))
		_, err := u.press(ctx, m.ID, "other")
		wantErr(t, "data not on the keyboard", err, "DATA_INVALID")
		_, err = u.press(ctx, m.ID, "late")
		wantErr(t, "unanswered press", err, "BOT_RESPONSE_TIMEOUT")

		// The bot reads the query late: its answer is refused.
		ups := s.getUpdates(t, token, map[string]any{"offset": offset})
		if len(ups) != 1 || ups[0].CallbackQuery == nil || ups[0].CallbackQuery.Data != "late" {
			fatalf(t, "late callback query: %+v", ups)
		}
		offset = ups[0].UpdateID + 1
		wantAPIError(t, "late answer", s.botCall(t, token, "answerCallbackQuery",
			map[string]any{"callback_query_id": ups[0].CallbackQuery.ID, "text": "too late"}), 400,
			"Bad Request: query is too old and response timeout expired or query ID is invalid")

		// A timely answer works once.
		answered := make(chan apiAnswer, 1)
		go func() {
			ups, err := pollOnce(s, token, map[string]any{"offset": offset, "timeout": 20})
			if err != nil || len(ups) != 1 || ups[0].CallbackQuery == nil {
				answered <- apiAnswer{Description: fmt.Sprintf("poll: %+v %v", ups, err)}
				return
			}
			id := ups[0].CallbackQuery.ID
			body, _ := json.Marshal(map[string]any{"callback_query_id": id, "text": "in time"})
			resp, err := http.Post(s.botURL(token, "answerCallbackQuery"), "application/json", bytes.NewReader(body))
			if err != nil {
				answered <- apiAnswer{Description: err.Error()}
				return
			}
			resp.Body.Close()
			// The second answer to the same query.
			resp, err = http.Post(s.botURL(token, "answerCallbackQuery"), "application/json", bytes.NewReader(body))
			if err != nil {
				answered <- apiAnswer{Description: err.Error()}
				return
			}
			defer resp.Body.Close()
			var a apiAnswer
			json.NewDecoder(resp.Body).Decode(&a)
			a.Status, a.ContentType = resp.StatusCode, resp.Header.Get("Content-Type")
			answered <- a
		}()
		ans, err := u.press(ctx, m.ID, "late")
		if err != nil || ans.Alert || ans.Message != "in time" {
			t.Errorf("answered press: %+v %v", ans, err)
		}
		wantAPIError(t, "second answer", <-answered, 400,
			"Bad Request: query is too old and response timeout expired or query ID is invalid")
		return nil
	})
}
