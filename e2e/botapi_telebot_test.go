package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	gobot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/gotd/td/tg"
	tele "gopkg.in/telebot.v3"
)

// newTelebot makes a telebot bot pointed at s; errors its handlers
// return are recorded.
func (s *server) newTelebot(t *testing.T, token string, poller tele.Poller) (*tele.Bot, *recorder[error]) {
	t.Helper()
	errs := &recorder[error]{}
	b, err := tele.NewBot(tele.Settings{URL: "http://" + s.http, Token: token, Poller: poller,
		OnError: func(err error, _ tele.Context) { errs.add(err) }})
	if err != nil {
		fatalf(t, "telebot NewBot: %v", err)
	}
	return b, errs
}

// runTelebot starts b; it stops with the test or when stop is called.
func runTelebot(t *testing.T, b *tele.Bot) (stop func()) {
	done := make(chan struct{})
	go func() { defer close(done); b.Start() }()
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			b.Stop()
			<-done
		}
	}
	t.Cleanup(stop)
	return stop
}

// TestTelebotLongPoll: the same conversation as TestGobotLongPoll with
// gopkg.in/telebot.v3, which sends every call as JSON.
func TestTelebotLongPoll(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "telebot_poll_bot")
	b, errs := s.newTelebot(t, token, &tele.LongPoller{Timeout: 10 * time.Second})
	if b.Me.Username != "telebot_poll_bot" || !b.Me.IsBot || b.Me.ID != botIDOf(t, token) {
		t.Errorf("getMe: %+v", b.Me)
	}
	starts := &recorder[*tele.Message]{}
	presses := &recorder[*tele.Callback]{}
	temps := &recorder[*tele.Message]{}
	menu := &tele.ReplyMarkup{}
	pick := menu.Data("One", "pick", "1")
	menu.Inline(menu.Row(pick, menu.Data("Two", "pick", "2")))
	b.Handle("/start", func(c tele.Context) error {
		starts.add(c.Message())
		return c.Send("Hello from telebot")
	})
	b.Handle(tele.OnText, func(c tele.Context) error { return c.Send("echo: " + c.Text()) })
	b.Handle("/keyboard", func(c tele.Context) error { return c.Send("Pick one", menu) })
	b.Handle("/temp", func(c tele.Context) error {
		m, err := c.Bot().Send(c.Chat(), "temporary")
		if err == nil {
			temps.add(m)
		}
		return err
	})
	b.Handle(&pick, func(c tele.Context) error {
		presses.add(c.Callback())
		if err := c.Respond(&tele.CallbackResponse{Text: "You picked " + c.Data(), ShowAlert: true}); err != nil {
			return err
		}
		return c.Edit("Picked " + c.Data())
	})
	stop := runTelebot(t, b)

	s.withChatter(t, "9996629101", "telebot_poll_bot", func(ctx context.Context, u *chatter) error {
		u.send(ctx, "/start")
		u.waitMessage(ctx, "the reply to /start", u.fromBot("Hello from telebot"))
		m := starts.wait(t, "/start handler", 1)[0]
		if m.Text != "/start" || m.Chat.ID != u.me.ID || m.Chat.Type != tele.ChatPrivate || m.Sender.ID != u.me.ID ||
			len(m.Entities) != 1 || m.Entities[0].Type != tele.EntityCommand {
			t.Errorf("/start message: %+v", m)
		}

		u.send(ctx, "hello telebot")
		u.waitMessage(ctx, "the echo", u.fromBot("echo: hello telebot"))

		u.send(ctx, "/keyboard")
		kb := u.waitMessage(ctx, "the keyboard", u.fromBot("Pick one"))
		data, ok := callbackData(kb)
		if !ok || data != "\fpick|1" {
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
		if q.Sender.ID != u.me.ID || q.Unique != "pick" || q.Data != "1" || q.Message == nil || q.Message.Text != "Pick one" {
			t.Errorf("callback: %+v", q)
		}
		waitFor(t, "the edit", func() bool {
			m, ok := u.message(ctx, kb.ID).(*tg.Message)
			return ok && m.Message == "Picked 1"
		})
		if m := u.message(ctx, kb.ID).(*tg.Message); m.EditDate == 0 || m.ReplyMarkup != nil {
			t.Errorf("edited message: edit_date=%d markup=%+v", m.EditDate, m.ReplyMarkup)
		}

		// An edit by the bot outside a handler, with a new keyboard.
		u.send(ctx, "/temp")
		tmp := u.waitMessage(ctx, "the temporary message", u.fromBot("temporary"))
		sent := temps.wait(t, "temp handler", 1)[0]
		if _, err := b.Edit(sent, "temporary, edited", menu); err != nil {
			t.Errorf("edit: %v", err)
		}
		waitFor(t, "the second edit", func() bool {
			m, ok := u.message(ctx, tmp.ID).(*tg.Message)
			return ok && m.Message == "temporary, edited" && m.EditDate != 0 && m.ReplyMarkup != nil
		})
		if err := b.Delete(sent); err != nil {
			t.Errorf("delete: %v", err)
		}
		if m, ok := u.message(ctx, tmp.ID).(*tg.Message); ok {
			t.Errorf("deleted message still readable: %+v", m)
		}
		if slices.ContainsFunc(u.history(ctx), u.fromBot("temporary, edited")) {
			t.Error("deleted message still in history")
		}
		if err := b.Delete(sent); err == nil || !strings.Contains(err.Error(), "message to delete not found") {
			t.Errorf("second delete: %v", err)
		}
		return nil
	})
	stop()
	for _, err := range errs.all() {
		t.Errorf("telebot: %v", err)
	}
}

// TestTelebotCommands: setMyCommands with a scope and a language through
// telebot (JSON with the scope as an object), read back through both
// frameworks; the user's users.getFullUser shows the default scope's
// commands in bot_info.
func TestTelebotCommands(t *testing.T) {
	defer catchAbort(t)
	s := startServer(t)
	token := s.createBot(t, "telebot_cmd_bot")
	b, _ := s.newTelebot(t, token, &tele.LongPoller{Timeout: time.Second})
	def := []tele.Command{{Text: "start", Description: "Start the bot"}, {Text: "help", Description: "Show help"}}
	group := []tele.Command{{Text: "gruppe", Description: "Nur in Gruppen"}}
	groupScope := tele.CommandScope{Type: tele.CommandScopeAllGroupChats}
	if err := b.SetCommands(def); err != nil {
		t.Fatalf("setMyCommands default: %v", err)
	}
	if err := b.SetCommands(group, groupScope, "de"); err != nil {
		t.Fatalf("setMyCommands all_group_chats/de: %v", err)
	}
	got, err := b.Commands()
	if err != nil || !slices.Equal(got, def) {
		t.Errorf("getMyCommands default: %+v %v", got, err)
	}
	got, err = b.Commands(groupScope, "de")
	if err != nil || !slices.Equal(got, group) {
		t.Errorf("getMyCommands all_group_chats/de: %+v %v", got, err)
	}
	// Scopes and languages match exactly: no language is another list.
	got, err = b.Commands(groupScope)
	if err != nil || len(got) != 0 {
		t.Errorf("getMyCommands all_group_chats: %+v %v", got, err)
	}

	// go-telegram/bot reads them too (multipart, the scope as JSON text).
	gb, err := gobot.New(token, gobot.WithServerURL("http://"+s.http), gobot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxFor(t)
	gcmds, err := gb.GetMyCommands(ctx, &gobot.GetMyCommandsParams{Scope: &models.BotCommandScopeAllGroupChats{}, LanguageCode: "de"})
	if err != nil || len(gcmds) != 1 || gcmds[0].Command != "gruppe" || gcmds[0].Description != "Nur in Gruppen" {
		t.Errorf("go-telegram getMyCommands: %+v %v", gcmds, err)
	}
	if ok, err := gb.SetMyCommands(ctx, &gobot.SetMyCommandsParams{Scope: &models.BotCommandScopeAllGroupChats{},
		LanguageCode: "de", Commands: []models.BotCommand{{Command: "neu", Description: "Neu"}}}); !ok || err != nil {
		t.Errorf("go-telegram setMyCommands: %v %v", ok, err)
	}
	got, err = b.Commands(groupScope, "de")
	if err != nil || !slices.Equal(got, []tele.Command{{Text: "neu", Description: "Neu"}}) {
		t.Errorf("getMyCommands after go-telegram set: %+v %v", got, err)
	}

	s.withChatter(t, "9996629102", "telebot_cmd_bot", func(ctx context.Context, u *chatter) error {
		full, err := u.c.API().UsersGetFullUser(ctx, &tg.InputUser{UserID: u.bot.ID, AccessHash: u.bot.AccessHash})
		if err != nil {
			return err
		}
		bi, ok := full.FullUser.GetBotInfo()
		if !ok {
			fatalf(t, "no bot_info: %+v", full.FullUser)
		}
		var cmds []tele.Command
		for _, c := range bi.Commands {
			cmds = append(cmds, tele.Command{Text: c.Command, Description: c.Description})
		}
		if bi.UserID != u.bot.ID || !slices.Equal(cmds, def) {
			t.Errorf("bot_info: user_id=%d commands=%+v, want %+v", bi.UserID, cmds, def)
		}
		return nil
	})

	// Deleting the default list empties bot_info's.
	if err := b.DeleteCommands(); err != nil {
		t.Errorf("deleteMyCommands: %v", err)
	}
	if got, err := b.Commands(); err != nil || len(got) != 0 {
		t.Errorf("getMyCommands after delete: %+v %v", got, err)
	}
	s.withChatter(t, "9996629102", "telebot_cmd_bot", func(ctx context.Context, u *chatter) error {
		full, err := u.c.API().UsersGetFullUser(ctx, &tg.InputUser{UserID: u.bot.ID, AccessHash: u.bot.AccessHash})
		if err != nil {
			return err
		}
		if bi, ok := full.FullUser.GetBotInfo(); ok && len(bi.Commands) != 0 {
			t.Errorf("bot_info commands after delete: %+v", bi.Commands)
		}
		return nil
	})
}
