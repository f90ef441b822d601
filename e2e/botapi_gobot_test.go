package e2e

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	gobot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/gotd/td/tg"
)

// runGobot starts a go-telegram/bot bot pointed at s; it runs (long
// polling, or serving the webhook when webhook is set) until the
// returned stop is called or the test ends.
func (s *server) runGobot(t *testing.T, token string, webhook bool, opts ...gobot.Option) (*gobot.Bot, *recorder[error], func()) {
	t.Helper()
	errs := &recorder[error]{}
	opts = append([]gobot.Option{gobot.WithServerURL("http://" + s.http),
		gobot.WithErrorsHandler(func(err error) { errs.add(err) })}, opts...)
	b, err := gobot.New(token, opts...)
	if err != nil {
		fatalf(t, "go-telegram/bot New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if webhook {
			b.StartWebhook(ctx)
		} else {
			b.Start(ctx)
		}
	}()
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return b, errs, stop
}

// gobotFailed records an error of a handler's call.
func gobotFailed(errs *recorder[error], what string, err error) {
	if err != nil {
		errs.add(fmt.Errorf("%s: %w", what, err))
	}
}

// TestGobotLongPoll: a go-telegram/bot bot long-polls Roost while a gotd
// user talks to it: /start is routed by its bot_command entity, text is
// echoed, an inline button's press reaches the callback handler whose
// alert the user gets, the bot edits and deletes its messages and the
// user sees both.
func TestGobotLongPoll(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "gobot_poll_bot")
	starts := &recorder[*models.Update]{}
	presses := &recorder[*models.CallbackQuery]{}
	temps := &recorder[int]{}
	handlerErrs := &recorder[error]{}
	edits := &recorder[*models.Message]{}
	b, errs, stop := s.runGobot(t, token, false,
		gobot.WithDefaultHandler(func(ctx context.Context, b *gobot.Bot, u *models.Update) {
			if u.EditedMessage != nil {
				edits.add(u.EditedMessage)
			}
			if u.Message == nil {
				return
			}
			_, err := b.SendMessage(ctx, &gobot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "echo: " + u.Message.Text})
			gobotFailed(handlerErrs, "echo", err)
		}))
	b.RegisterHandler(gobot.HandlerTypeMessageText, "start", gobot.MatchTypeCommand, func(ctx context.Context, b *gobot.Bot, u *models.Update) {
		starts.add(u)
		m, err := b.SendMessage(ctx, &gobot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "Hello from gobot",
			ReplyParameters: &models.ReplyParameters{MessageID: u.Message.ID}})
		gobotFailed(handlerErrs, "start", err)
		if err == nil && (m.ReplyToMessage == nil || m.ReplyToMessage.ID != u.Message.ID || m.ReplyToMessage.Text != "/start") {
			handlerErrs.add(fmt.Errorf("the reply to /start answers %+v", m.ReplyToMessage))
		}
	})
	b.RegisterHandler(gobot.HandlerTypeMessageText, "keyboard", gobot.MatchTypeCommand, func(ctx context.Context, b *gobot.Bot, u *models.Update) {
		_, err := b.SendMessage(ctx, &gobot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "Pick one",
			ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
				{{Text: "One", CallbackData: "pick:1"}, {Text: "Two", CallbackData: "pick:2"}},
			}}})
		gobotFailed(handlerErrs, "keyboard", err)
	})
	b.RegisterHandler(gobot.HandlerTypeMessageText, "temp", gobot.MatchTypeCommand, func(ctx context.Context, b *gobot.Bot, u *models.Update) {
		m, err := b.SendMessage(ctx, &gobot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "temporary"})
		gobotFailed(handlerErrs, "temp", err)
		if err == nil {
			temps.add(m.ID)
		}
	})
	b.RegisterHandler(gobot.HandlerTypeCallbackQueryData, "pick:", gobot.MatchTypePrefix, func(ctx context.Context, b *gobot.Bot, u *models.Update) {
		q := u.CallbackQuery
		presses.add(q)
		n := strings.TrimPrefix(q.Data, "pick:")
		_, err := b.AnswerCallbackQuery(ctx, &gobot.AnswerCallbackQueryParams{CallbackQueryID: q.ID,
			Text: "You picked " + n, ShowAlert: true})
		gobotFailed(handlerErrs, "answer", err)
		if q.Message.Message == nil {
			handlerErrs.add(errors.New("callback query without its message"))
			return
		}
		_, err = b.EditMessageText(ctx, &gobot.EditMessageTextParams{ChatID: q.Message.Message.Chat.ID,
			MessageID: q.Message.Message.ID, Text: "Picked " + n})
		gobotFailed(handlerErrs, "edit", err)
	})

	s.withChatter(t, "9996629001", "gobot_poll_bot", func(ctx context.Context, u *chatter) error {
		// 1. /start is routed to the command handler, which replies.
		start := u.send(ctx, "/start")
		hi := u.waitMessage(ctx, "the reply to /start", u.fromBot("Hello from gobot"))
		if r, ok := hi.ReplyTo.(*tg.MessageReplyHeader); !ok || r.ReplyToMsgID != start {
			t.Errorf("the user sees the reply to /start answer %+v, want message %d", hi.ReplyTo, start)
		}
		up := starts.wait(t, "/start handler", 1)[0]
		m := up.Message
		if m.Text != "/start" || m.Chat.ID != u.me.ID || m.Chat.Type != "private" || m.From == nil || m.From.ID != u.me.ID ||
			len(m.Entities) != 1 || m.Entities[0].Type != models.MessageEntityTypeBotCommand ||
			m.Entities[0].Offset != 0 || m.Entities[0].Length != 6 {
			t.Errorf("/start update: %+v", m)
		}

		// A text message and the bot's reply.
		hello := u.send(ctx, "hello there")
		u.waitMessage(ctx, "the echo", u.fromBot("echo: hello there"))

		// The user's edit reaches the bot as edited_message.
		if _, err := u.c.API().MessagesEditMessage(ctx, &tg.MessagesEditMessageRequest{Peer: u.peer(), ID: hello,
			Message: "hello again"}); err != nil {
			return fmt.Errorf("edit: %w", err)
		}
		if e := edits.wait(t, "edited_message", 1)[0]; e.Text != "hello again" || e.EditDate == 0 || e.Chat.ID != u.me.ID {
			t.Errorf("edited_message: %+v", e)
		}

		// 2. An inline button: the press blocks until the bot answers.
		u.send(ctx, "/keyboard")
		kb := u.waitMessage(ctx, "the keyboard", u.fromBot("Pick one"))
		data, ok := callbackData(kb)
		if !ok || data != "pick:1" {
			fatalf(t, "keyboard message markup: %+v", kb.ReplyMarkup)
		}
		ans, err := u.press(ctx, kb.ID, data)
		if err != nil {
			return fmt.Errorf("press: %w", err)
		}
		if !ans.Alert || ans.Message != "You picked 1" {
			t.Errorf("callback answer: %+v", ans)
		}
		q := presses.wait(t, "callback handler", 1)[0]
		if q.From.ID != u.me.ID || q.Data != "pick:1" || q.ChatInstance == "" || q.Message.Message == nil ||
			q.Message.Message.Text != "Pick one" {
			t.Errorf("callback query: %+v", q)
		}

		// 3. The edit reaches the user: new text, edit date, keyboard gone.
		waitFor(t, "the edit", func() bool {
			m, ok := u.message(ctx, kb.ID).(*tg.Message)
			return ok && m.Message == "Picked 1"
		})
		edited := u.message(ctx, kb.ID).(*tg.Message)
		if edited.EditDate == 0 || edited.ReplyMarkup != nil {
			t.Errorf("edited message: edit_date=%d markup=%+v", edited.EditDate, edited.ReplyMarkup)
		}

		// The deletion reaches the user.
		u.send(ctx, "/temp")
		tmp := u.waitMessage(ctx, "the temporary message", u.fromBot("temporary"))
		botMsgID := temps.wait(t, "temp handler", 1)[0]
		ok, err = b.DeleteMessage(ctx, &gobot.DeleteMessageParams{ChatID: u.me.ID, MessageID: botMsgID})
		if err != nil || !ok {
			fatalf(t, "deleteMessage: %v %v", ok, err)
		}
		if _, ok := u.message(ctx, tmp.ID).(*tg.MessageEmpty); !ok {
			t.Errorf("deleted message still readable: %+v", u.message(ctx, tmp.ID))
		}
		if slices.ContainsFunc(u.history(ctx), u.fromBot("temporary")) {
			t.Error("deleted message still in history")
		}
		// Deleting it again is an error the framework reports.
		_, err = b.DeleteMessage(ctx, &gobot.DeleteMessageParams{ChatID: u.me.ID, MessageID: botMsgID})
		if err == nil || !strings.Contains(err.Error(), "Bad Request: message to delete not found") {
			t.Errorf("second deleteMessage: %v", err)
		}
		return nil
	})
	stop()
	for _, err := range handlerErrs.all() {
		t.Errorf("handler: %v", err)
	}
	for _, err := range errs.all() {
		t.Errorf("framework: %v", err)
	}
}

// polled is an update a framework's handler saw.
type polled struct {
	id   int64
	text string
}

// checkOnce: the texts arrived in order, each once, with increasing
// update_ids.
func checkOnce(t *testing.T, got []polled, want []string) {
	t.Helper()
	var texts []string
	for i, p := range got {
		texts = append(texts, p.text)
		if i > 0 && p.id <= got[i-1].id {
			t.Errorf("update_id %d after %d", p.id, got[i-1].id)
		}
	}
	if !slices.Equal(texts, want) {
		t.Errorf("the bot got %q, want %q", texts, want)
	}
}

// TestGobotRestart: messages sent while no bot polls survive a restart
// and reach go-telegram/bot exactly once, in order; a restart while the
// bot polls loses and repeats nothing either.
func TestGobotRestart(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "gobot_restart_bot")
	const phone = "9996629501"
	var want []string
	s.withChatter(t, phone, "gobot_restart_bot", func(ctx context.Context, u *chatter) error {
		for i := 1; i <= 6; i++ {
			text := fmt.Sprintf("offline %d", i)
			u.send(ctx, text)
			want = append(want, text)
		}
		return nil
	})
	s.restart()

	got := &recorder[polled]{}
	_, errs, stop := s.runGobot(t, token, false, gobot.WithNotAsyncHandlers(),
		gobot.WithDefaultHandler(func(ctx context.Context, b *gobot.Bot, u *models.Update) {
			if u.Message != nil {
				got.add(polled{u.ID, u.Message.Text})
			}
		}))
	got.wait(t, "the offline messages", len(want))
	// A message sent now comes after them all: a repeat would come first.
	send := func(texts ...string) {
		s.withChatter(t, phone, "gobot_restart_bot", func(ctx context.Context, u *chatter) error {
			for _, text := range texts {
				u.send(ctx, text)
				want = append(want, text)
			}
			return nil
		})
	}
	send("sentinel 1")
	got.wait(t, "sentinel 1", len(want))
	checkOnce(t, got.all(), want)

	// The server restarts under the polling bot, which reconnects.
	s.restart()
	send("online 1", "online 2", "online 3", "sentinel 2")
	got.wait(t, "the messages after the restart", len(want))
	stop()
	checkOnce(t, got.all(), want)
	for _, err := range errs.all() {
		// Errors of getUpdates while the server was down are expected.
		if !strings.Contains(err.Error(), "error get updates") {
			t.Errorf("framework: %v", err)
		}
	}
}

// TestBotAPIRestartConfirmHalf: a bot reads half of the pending
// updates and confirms them, the server restarts, and a new getUpdates
// without an offset starts at the first unconfirmed update; numbering
// goes on after the queue empties and the server restarts again.
func TestBotAPIRestartConfirmHalf(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "half_restart_bot")
	const phone = "9996629502"
	send := func(texts ...string) {
		s.withChatter(t, phone, "half_restart_bot", func(ctx context.Context, u *chatter) error {
			for _, text := range texts {
				u.send(ctx, text)
			}
			return nil
		})
	}
	var texts []string
	for i := 1; i <= 8; i++ {
		texts = append(texts, fmt.Sprintf("m%d", i))
	}
	send(texts...)
	textsOf := func(ups []apiUpdate) []string {
		var out []string
		for i, u := range ups {
			if u.Message == nil {
				t.Errorf("update %d is no message", u.UpdateID)
				continue
			}
			if i > 0 && u.UpdateID != ups[i-1].UpdateID+1 {
				t.Errorf("update_id %d after %d", u.UpdateID, ups[i-1].UpdateID)
			}
			out = append(out, u.Message.Text)
		}
		return out
	}

	first := s.getUpdates(t, token, map[string]any{"limit": 4})
	if got := textsOf(first); !slices.Equal(got, texts[:4]) {
		t.Fatalf("first half: %q", got)
	}
	if first[0].UpdateID < 2_000_001 || first[0].UpdateID > 1_000_000_000 {
		t.Errorf("first update_id %d outside the official range", first[0].UpdateID)
	}
	next := first[3].UpdateID + 1
	// Confirm the first half (the answer starts the second).
	if ups := s.getUpdates(t, token, map[string]any{"offset": next, "limit": 1}); len(ups) != 1 || ups[0].UpdateID != next {
		t.Fatalf("confirming getUpdates: %+v", ups)
	}
	s.restart()

	// A new bot instance, knowing no offset, gets the second half.
	second := s.getUpdates(t, token, nil)
	if got := textsOf(second); !slices.Equal(got, texts[4:]) || second[0].UpdateID != next {
		t.Fatalf("after the restart: %q from %d, want %q from %d", got, second[0].UpdateID, texts[4:], next)
	}
	last := second[len(second)-1].UpdateID
	// Asking again without confirming repeats them.
	if got := textsOf(s.getUpdates(t, token, nil)); !slices.Equal(got, texts[4:]) {
		t.Errorf("unconfirmed second half: %q", got)
	}
	if ups := s.getUpdates(t, token, map[string]any{"offset": last + 1}); len(ups) != 0 {
		t.Errorf("after confirming all: %+v", ups)
	}
	s.restart()
	if ups := s.getUpdates(t, token, nil); len(ups) != 0 {
		t.Errorf("confirmed updates came back after a restart: %+v", ups)
	}
	send("m9")
	ups := s.getUpdates(t, token, map[string]any{"timeout": 10})
	if got := textsOf(ups); !slices.Equal(got, []string{"m9"}) || ups[0].UpdateID != last+1 {
		t.Errorf("after the second restart: %+v, want m9 as %d", ups, last+1)
	}
}
