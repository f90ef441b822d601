package e2e

import (
	"context"
	"testing"

	"github.com/gotd/td/telegram"
	"github.com/gotd/td/tg"
)

// TestBotOverMTProto: a bot logged in over MTProto sends an inline
// keyboard; the user sees it, presses the button; the bot gets
// updateBotCallbackQuery pushed and answers with an alert, which the
// user's messages.getBotCallbackAnswer returns. The bot also sets
// commands through the Bot API, which the user sees in bot_info.
func TestBotOverMTProto(t *testing.T) {
	s := startServer(t)
	token := s.createBot(t, "mtproto_kb_bot")
	botBox, userBox := newInbox(), newInbox()
	ready := make(chan struct{})
	done := make(chan struct{})
	botErr := make(chan error, 1)
	go func() {
		var err error
		defer func() { botErr <- err }()
		s.liveClient(t, nil, botBox, func(ctx context.Context, c *telegram.Client) error {
			if _, err := c.Auth().Bot(ctx, token); err != nil {
				return err
			}
			close(ready)
			// The user's /start arrives first.
			botBox.wait(t, "bot: /start", func(u tg.UpdatesClass) bool { return newMessage(u, "/start") != nil })
			user, err := resolve(ctx, c, "kb_user")
			if err != nil {
				return err
			}
			kb := &tg.ReplyInlineMarkup{Rows: []tg.KeyboardInlineButtonRow{{Buttons: []tg.KeyboardInlineButton{
				{Text: "Press me", Type: &tg.InlineButtonTypeCallback{Data: []byte("press:1")}},
				{Text: "Site", Type: &tg.InlineButtonTypeURL{URL: "https://example.org"}},
			}}}}
			if _, err := c.API().MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(user),
				Message: "choose", ReplyMarkup: kb, RandomID: rid()}); err != nil {
				return err
			}
			u := botBox.wait(t, "bot: callback query", func(u tg.UpdatesClass) bool {
				for _, up := range updatesOf(u) {
					if _, ok := up.(*tg.UpdateBotCallbackQuery); ok {
						return true
					}
				}
				return false
			})
			for _, up := range updatesOf(u) {
				if q, ok := up.(*tg.UpdateBotCallbackQuery); ok {
					if string(q.Data) != "press:1" || q.UserID != user.ID {
						t.Errorf("callback query %+v", q)
					}
					if _, err := c.API().MessagesSetBotCallbackAnswer(ctx, &tg.MessagesSetBotCallbackAnswerRequest{
						QueryID: q.QueryID, Message: "pressed", Alert: true}); err != nil {
						return err
					}
				}
			}
			<-done
			return nil
		})
	}()
	<-ready
	s.liveClient(t, nil, userBox, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996624101"); err != nil {
			return err
		}
		if _, err := c.API().AccountUpdateUsername(ctx, "kb_user"); err != nil {
			return err
		}
		bot, err := resolve(ctx, c, "mtproto_kb_bot")
		if err != nil {
			return err
		}
		if _, err := c.API().MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(bot),
			Message: "/start", RandomID: rid()}); err != nil {
			return err
		}
		msg := newMessage(userBox.wait(t, "user: the keyboard message", func(u tg.UpdatesClass) bool {
			return newMessage(u, "choose") != nil
		}), "choose")
		kb, ok := msg.ReplyMarkup.(*tg.ReplyInlineMarkup)
		if !ok || len(kb.Rows) != 1 || len(kb.Rows[0].Buttons) != 2 {
			t.Fatalf("reply markup %#v", msg.ReplyMarkup)
		}
		cb, ok := kb.Rows[0].Buttons[0].Type.(*tg.InlineButtonTypeCallback)
		if !ok || string(cb.Data) != "press:1" {
			t.Fatalf("first button %#v", kb.Rows[0].Buttons[0])
		}
		ans, err := c.API().MessagesGetBotCallbackAnswer(ctx, &tg.MessagesGetBotCallbackAnswerRequest{
			Peer: inputPeer(bot), MsgID: msg.ID, Data: cb.Data})
		if err != nil {
			return err
		}
		if !ans.Alert || ans.Message != "pressed" {
			t.Errorf("answer %+v", ans)
		}
		// Data no button has is refused.
		_, err = c.API().MessagesGetBotCallbackAnswer(ctx, &tg.MessagesGetBotCallbackAnswerRequest{
			Peer: inputPeer(bot), MsgID: msg.ID, Data: []byte("forged")})
		wantErr(t, "forged data", err, "DATA_INVALID")
		return nil
	})
	close(done)
	if err := <-botErr; err != nil {
		t.Fatal(err)
	}
}

// newMessage finds the new message with text among pushed updates.
func newMessage(u tg.UpdatesClass, text string) *tg.Message {
	for _, up := range updatesOf(u) {
		if n, ok := up.(*tg.UpdateNewMessage); ok {
			if m, ok := n.Message.(*tg.Message); ok && m.Message == text {
				return m
			}
		}
	}
	return nil
}
