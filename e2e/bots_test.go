package e2e

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/gotd/td/telegram"
	"github.com/gotd/td/tg"
)

// createBot runs roost bot create on the server's data directory while the
// server runs, and returns the token.
func (s *server) createBot(t *testing.T, username string) string {
	t.Helper()
	out, err := exec.Command(binary, "bot", "create", "--data", s.data, "--username", username, "--name", "Test Bot").CombinedOutput()
	if err != nil {
		t.Fatalf("roost bot create: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestBotLogin(t *testing.T) {
	s := startServer(t)
	token := s.createBot(t, "roost_test_bot")
	var botID int64
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		_, err := c.Auth().Bot(ctx, token+"x")
		wantErr(t, "wrong token", err, "ACCESS_TOKEN_INVALID")
		if _, err := c.Auth().Bot(ctx, token); err != nil {
			return err
		}
		me, err := c.Self(ctx)
		if err != nil {
			return err
		}
		if !me.Bot || me.Username != "roost_test_bot" || me.FirstName != "Test Bot" || me.BotInfoVersion == 0 {
			t.Errorf("bot self: %+v", me)
		}
		botID = me.ID
		return nil
	})
	// A user sees the bot as a bot, with bot_info.
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996624001"); err != nil {
			return err
		}
		res, err := c.API().ContactsResolveUsername(ctx, &tg.ContactsResolveUsernameRequest{Username: "roost_test_bot"})
		if err != nil {
			return err
		}
		bot := res.Users[0].(*tg.User)
		if bot.ID != botID || !bot.Bot {
			t.Errorf("resolved bot: %+v", bot)
		}
		full, err := c.API().UsersGetFullUser(ctx, &tg.InputUser{UserID: bot.ID, AccessHash: bot.AccessHash})
		if err != nil {
			return err
		}
		if full.FullUser.BotInfo.UserID != botID {
			t.Errorf("bot_info: %+v", full.FullUser.BotInfo)
		}
		return nil
	})
}
