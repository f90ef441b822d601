package layer170

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gotd/td/telegram/auth"
	gtg "github.com/gotd/td/tg"
)

// botCall posts a Bot API method as JSON and decodes its result into out.
func botCall(s roost, token, method string, params map[string]any, out any) error {
	body, _ := json.Marshal(params)
	resp, err := http.Post("http://"+s.http+"/bot"+token+"/"+method, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var a struct {
		OK          bool            `json:"ok"`
		Result      json.RawMessage `json:"result"`
		Description string          `json:"description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if !a.OK {
		return fmt.Errorf("%s: %s", method, a.Description)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(a.Result, out)
}

// botUpdate is what the test reads of a getUpdates entry.
type botUpdate struct {
	UpdateID int64 `json:"update_id"`
	Message  *struct {
		Text string `json:"text"`
		Chat struct {
			ID int64 `json:"id"`
		} `json:"chat"`
	} `json:"message"`
	CallbackQuery *struct {
		ID   string `json:"id"`
		Data string `json:"data"`
	} `json:"callback_query"`
}

// nextUpdate long-polls the bot's queue past offset for an update that
// match accepts.
func nextUpdate(ctx context.Context, s roost, token string, offset *int64, match func(botUpdate) bool) (botUpdate, error) {
	for ctx.Err() == nil {
		var us []botUpdate
		if err := botCall(s, token, "getUpdates", map[string]any{"offset": *offset, "timeout": 2}, &us); err != nil {
			return botUpdate{}, err
		}
		for _, u := range us {
			*offset = u.UpdateID + 1
			if match(u) {
				return u, nil
			}
		}
	}
	return botUpdate{}, ctx.Err()
}

// A bot (over the Bot API) sends a layer-170 client an inline keyboard:
// the client sees keyboardButtonCallback with the bot's data, and
// pressing it reaches the bot, whose answer comes back.
func TestOldClientInlineKeyboard(t *testing.T) {
	s := startRoost(t)
	out, err := exec.Command(s.bin, "bot", "create", "--data", s.data, "--username", "x_bot", "--name", "X").Output()
	if err != nil {
		t.Fatalf("roost bot create: %v", err)
	}
	token := strings.TrimSpace(string(out))
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var offset int64
	c := oldClient(t, s.mtproto, s.data)
	err = c.Run(ctx, func(ctx context.Context) error {
		if err := auth.NewFlow(auth.TestUser("9996627021", 2), auth.SendCodeOptions{}).Run(ctx, c.Auth()); err != nil {
			return err
		}
		res, err := c.API().ContactsResolveUsername(ctx, "x_bot")
		if err != nil {
			return err
		}
		bot := res.Users[0].(*gtg.User)
		peer := &gtg.InputPeerUser{UserID: bot.ID, AccessHash: bot.AccessHash}
		if _, err := c.API().MessagesSendMessage(ctx, &gtg.MessagesSendMessageRequest{Peer: peer, Message: "/start", RandomID: 1}); err != nil {
			return err
		}
		start, err := nextUpdate(ctx, s, token, &offset, func(u botUpdate) bool { return u.Message != nil && u.Message.Text == "/start" })
		if err != nil {
			return err
		}
		err = botCall(s, token, "sendMessage", map[string]any{"chat_id": start.Message.Chat.ID, "text": "Choose",
			"reply_markup": map[string]any{"inline_keyboard": [][]map[string]string{{{"text": "Press", "callback_data": "p1"}}}}}, nil)
		if err != nil {
			return err
		}
		h, err := c.API().MessagesGetHistory(ctx, &gtg.MessagesGetHistoryRequest{Peer: peer, Limit: 1})
		if err != nil {
			return err
		}
		ms, _ := h.(interface{ GetMessages() []gtg.MessageClass })
		if ms == nil || len(ms.GetMessages()) == 0 {
			return fmt.Errorf("history: %+v", h)
		}
		msg, _ := ms.GetMessages()[0].(*gtg.Message)
		if msg == nil || msg.Message != "Choose" {
			return fmt.Errorf("bot's message: %+v", ms.GetMessages()[0])
		}
		kb, _ := msg.ReplyMarkup.(*gtg.ReplyInlineMarkup)
		if kb == nil || len(kb.Rows) != 1 || len(kb.Rows[0].Buttons) != 1 {
			return fmt.Errorf("bot's keyboard: %+v", msg.ReplyMarkup)
		}
		cb, ok := kb.Rows[0].Buttons[0].(*gtg.KeyboardButtonCallback)
		if !ok || cb.Text != "Press" || string(cb.Data) != "p1" {
			return fmt.Errorf("button: %#v", kb.Rows[0].Buttons[0])
		}
		// The bot answers the press while the client waits for it.
		answered := make(chan error, 1)
		go func() {
			u, err := nextUpdate(ctx, s, token, &offset, func(u botUpdate) bool { return u.CallbackQuery != nil })
			if err == nil && u.CallbackQuery.Data != "p1" {
				err = fmt.Errorf("callback query data %q", u.CallbackQuery.Data)
			}
			if err == nil {
				err = botCall(s, token, "answerCallbackQuery", map[string]any{"callback_query_id": u.CallbackQuery.ID, "text": "pressed"}, nil)
			}
			answered <- err
		}()
		ans, err := c.API().MessagesGetBotCallbackAnswer(ctx, &gtg.MessagesGetBotCallbackAnswerRequest{Peer: peer, MsgID: msg.ID, Data: cb.Data})
		if err != nil {
			return err
		}
		if err := <-answered; err != nil {
			return err
		}
		if ans.Message != "pressed" {
			return fmt.Errorf("answer %+v", ans)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
