package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/tg"
)

// botFatherID is @BotFather's id, as on Telegram.
const botFatherID = 93372553

// botFatherChat is a user's conversation with @BotFather over gotd.
type botFatherChat struct {
	t    *testing.T
	ctx  context.Context
	api  *tg.Client
	peer *tg.InputPeerUser
}

// openBotFather resolves @BotFather for the client c.
func openBotFather(ctx context.Context, t *testing.T, c *telegram.Client) *botFatherChat {
	t.Helper()
	bf, err := resolve(ctx, c, "BotFather")
	if err != nil {
		t.Fatalf("resolve @BotFather: %v", err)
	}
	if bf.ID != botFatherID || !bf.Bot || bf.Username != "BotFather" {
		t.Fatalf("@BotFather = %+v", bf)
	}
	return &botFatherChat{t: t, ctx: ctx, api: c.API(), peer: inputPeer(bf)}
}

// history returns the chat's messages, newest first.
func (b *botFatherChat) history() []*tg.Message {
	b.t.Helper()
	res, err := b.api.MessagesGetHistory(b.ctx, &tg.MessagesGetHistoryRequest{Peer: b.peer, Limit: 20})
	if err != nil {
		b.t.Fatalf("history: %v", err)
	}
	msgs, ok := res.(tg.ModifiedMessagesMessages)
	if !ok {
		b.t.Fatalf("history: %T", res)
	}
	var out []*tg.Message
	for _, m := range msgs.GetMessages() {
		if m, ok := m.(*tg.Message); ok {
			out = append(out, m)
		}
	}
	return out
}

// newest is the id of the newest message of the chat, 0 when empty.
func (b *botFatherChat) newest() int {
	if h := b.history(); len(h) > 0 {
		return h[0].ID
	}
	return 0
}

// waitReply waits for BotFather's first message after id after.
func (b *botFatherChat) waitReply(after int) *tg.Message {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		h := b.history()
		for i := len(h) - 1; i >= 0; i-- {
			if h[i].ID > after && !h[i].Out {
				return h[i]
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("no reply from @BotFather after message %d", after)
	return nil
}

// say sends text and returns BotFather's reply, which must start with
// want.
func (b *botFatherChat) say(text, want string) *tg.Message {
	b.t.Helper()
	before := b.newest()
	if _, err := b.api.MessagesSendMessage(b.ctx, &tg.MessagesSendMessageRequest{Peer: b.peer, Message: text, RandomID: rid()}); err != nil {
		b.t.Fatalf("send %q: %v", text, err)
	}
	m := b.waitReply(before)
	if !strings.HasPrefix(m.Message, want) {
		b.t.Fatalf("reply to %q: %q, want it to start with %q", text, m.Message, want)
	}
	return m
}

// press presses the inline button with text under m and returns the
// reply that follows, which must start with want.
func (b *botFatherChat) press(m *tg.Message, text, want string) *tg.Message {
	b.t.Helper()
	mk, ok := m.ReplyMarkup.(*tg.ReplyInlineMarkup)
	if !ok {
		b.t.Fatalf("no inline buttons under %q: %T", m.Message, m.ReplyMarkup)
	}
	var data []byte
	for _, row := range mk.Rows {
		for _, btn := range row.Buttons {
			if cb, ok := btn.Type.(*tg.InlineButtonTypeCallback); ok && btn.Text == text {
				data = cb.Data
			}
		}
	}
	if data == nil {
		b.t.Fatalf("no button %q under %q", text, m.Message)
	}
	before := b.newest()
	if _, err := b.api.MessagesGetBotCallbackAnswer(b.ctx, &tg.MessagesGetBotCallbackAnswerRequest{
		Peer: b.peer, MsgID: m.ID, Data: data}); err != nil {
		b.t.Fatalf("press %q: %v", text, err)
	}
	r := b.waitReply(before)
	if !strings.HasPrefix(r.Message, want) {
		b.t.Fatalf("press %q: %q, want it to start with %q", text, r.Message, want)
	}
	return r
}

// tokenOf returns the token in a reply: the text of its code entity.
func tokenOf(t *testing.T, m *tg.Message) string {
	t.Helper()
	for _, e := range m.Entities {
		if c, ok := e.(*tg.MessageEntityCode); ok {
			r := []rune(m.Message) // tokens and the text before them are BMP
			return string(r[c.Offset : c.Offset+c.Length])
		}
	}
	t.Fatalf("no token in %q", m.Message)
	return ""
}

// getMe calls the Bot API's getMe over plain HTTP and returns the status
// and the bot's username.
func (s *server) getMe(t *testing.T, token string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + s.http + "/bot" + token + "/getMe")
	if err != nil {
		t.Fatalf("getMe: %v", err)
	}
	defer resp.Body.Close()
	var a struct {
		OK     bool `json:"ok"`
		Result struct {
			Username string `json:"username"`
			IsBot    bool   `json:"is_bot"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("getMe: %v", err)
	}
	if a.OK != (resp.StatusCode == 200) || a.OK && !a.Result.IsBot {
		t.Fatalf("getMe: status %d, %+v", resp.StatusCode, a)
	}
	return resp.StatusCode, a.Result.Username
}

// TestBotFather: a gotd user creates a bot by talking to @BotFather,
// drives it over the Bot API with the token it got, sets its commands
// (which users see in bot_info), gets the token again after a restart,
// revokes it (the old one stops working) and deletes the bot.
func TestBotFather(t *testing.T) {
	s := startServer(t)
	st := &session.StorageMemory{}
	var token string
	s.userClient(t, st, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996627001"); err != nil {
			return err
		}
		bf := openBotFather(ctx, t, c)
		bf.say("/start", "I can help you create and manage Telegram bots.")
		bf.say("/newbot", "Alright, a new bot. How are we going to call it? Please choose a name for your bot.")
		bf.say("Roost Weather", "Good. Now let's choose a username for your bot. It must end in `bot`.")
		bf.say("weather", "Sorry, the username must end in 'bot'.")
		done := bf.say("roost_weather_bot", "Done! Congratulations on your new bot. You will find it at t.me/roost_weather_bot.")
		if !strings.Contains(done.Message, "Use this token to access the HTTP API:\n") {
			t.Errorf("congratulations: %q", done.Message)
		}
		token = tokenOf(t, done)

		if code, username := s.getMe(t, token); code != 200 || username != "roost_weather_bot" {
			t.Fatalf("getMe with the new token: %d %q", code, username)
		}

		// Commands, chosen from the keyboard BotFather offers.
		choose := bf.say("/setcommands", "Choose a bot to change the list of commands.")
		kb, ok := choose.ReplyMarkup.(*tg.ReplyKeyboardMarkup)
		if !ok || len(kb.Rows) != 1 || kb.Rows[0].Buttons[0].Text != "@roost_weather_bot" {
			t.Errorf("bots offered: %#v", choose.ReplyMarkup)
		}
		bf.say("@roost_weather_bot", "OK. Send me a list of commands for your bot.")
		bf.say("not a list", "Sorry, the list of commands is invalid.")
		bf.say("forecast - Weather for the next days\nnow - Weather now", "Success! Command list updated.")
		bf.say("/setdescription", "Choose a bot to change description.")
		bf.say("@roost_weather_bot", "OK. Send me the new description for the bot.")
		bf.say("Tells the weather.", "Success! Description updated.")

		bot, err := resolve(ctx, c, "roost_weather_bot")
		if err != nil {
			return err
		}
		full, err := c.API().UsersGetFullUser(ctx, &tg.InputUser{UserID: bot.ID, AccessHash: bot.AccessHash})
		if err != nil {
			return err
		}
		info, ok := full.FullUser.GetBotInfo()
		if !ok || info.Description != "Tells the weather." || len(info.Commands) != 2 ||
			info.Commands[0].Command != "forecast" || info.Commands[1].Description != "Weather now" {
			t.Errorf("bot_info = %+v", full.FullUser.BotInfo)
		}

		// /mybots: inline buttons lead to the bot and its token.
		list := bf.say("/mybots", "Choose a bot from the list below:")
		menu := bf.press(list, "@roost_weather_bot", "Here it is: Roost Weather @roost_weather_bot.")
		shown := bf.press(menu, "API Token", "You can use this token to access HTTP API:")
		if got := tokenOf(t, shown); got != token {
			t.Errorf("API Token shows %q, want the token", got)
		}
		return nil
	})

	// Nothing is lost across a restart: the token can be shown again.
	s.restart()
	s.userClient(t, st, func(ctx context.Context, c *telegram.Client) error {
		bf := openBotFather(ctx, t, c)
		bf.say("/token", "Choose a bot to generate a new token.")
		if got := tokenOf(t, bf.say("@roost_weather_bot", "You can use this token to access HTTP API:")); got != token {
			t.Errorf("/token after a restart shows %q, want the token", got)
		}

		bf.say("/revoke", "Choose a bot to generate a new token. Warning: your old token will stop working.")
		fresh := tokenOf(t, bf.say("@roost_weather_bot", "Your token was replaced with a new one."))
		if fresh == token {
			t.Fatal("/revoke kept the token")
		}
		if code, _ := s.getMe(t, token); code != 401 {
			t.Errorf("getMe with the revoked token: %d, want 401", code)
		}
		if code, username := s.getMe(t, fresh); code != 200 || username != "roost_weather_bot" {
			t.Errorf("getMe with the new token: %d %q", code, username)
		}

		bf.say("/deletebot", "Choose a bot to delete.")
		bf.say("@roost_weather_bot", "OK, you selected @roost_weather_bot. Are you sure?")
		bf.say("yes", "Please enter the confirmation text exactly like this:")
		bf.say("Yes, I am totally sure.", "Done! The bot is gone.")
		if code, _ := s.getMe(t, fresh); code != 401 {
			t.Errorf("getMe of a deleted bot: %d, want 401", code)
		}
		_, err := resolve(ctx, c, "roost_weather_bot")
		wantErr(t, "resolve a deleted bot", err, "USERNAME_NOT_OCCUPIED")
		bf.say("/mybots", "You don't have any bots yet.")
		return nil
	})

	// Another user cannot manage someone else's bot.
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996627002"); err != nil {
			return err
		}
		bf := openBotFather(ctx, t, c)
		bf.say("/token", "You don't have any bots yet.")
		return nil
	})
}
