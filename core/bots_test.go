package core

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/roostchat/roost/store/memory"
)

func newCore(t *testing.T) *Core {
	t.Helper()
	return &Core{Store: memory.New(), Secret: []byte("0123456789abcdef0123456789abcdef"),
		Log: slog.New(slog.DiscardHandler)}
}

func TestBotTokens(t *testing.T) {
	c, ctx := newCore(t), context.Background()
	bot, token, err := c.CreateBot(ctx, 0, "Weather_bot", "Weather")
	if err != nil {
		t.Fatal(err)
	}
	id, secret, _ := strings.Cut(token, ":")
	if len(secret) != tokenSecretSize || id == "" || !bot.Bot || bot.FirstName != "Weather" {
		t.Fatalf("token %q for %+v", token, bot)
	}
	if got, err := c.BotByToken(ctx, token); err != nil || got.ID != bot.ID {
		t.Fatalf("BotByToken: %+v %v", got, err)
	}
	for _, bad := range []string{"", "x", id + ":", ":" + secret, id + ":" + secret + "x", "1:" + secret} {
		if _, err := c.BotByToken(ctx, bad); !errors.Is(err, ErrAccessTokenInvalid) {
			t.Errorf("BotByToken(%q) = %v", bad, err)
		}
	}
	fresh, err := c.RevokeBotToken(ctx, bot.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.BotByToken(ctx, token); !errors.Is(err, ErrAccessTokenInvalid) {
		t.Error("revoked token still works")
	}
	if _, err := c.BotByToken(ctx, fresh); err != nil {
		t.Error(err)
	}
	if _, _, err := c.CreateBot(ctx, 0, "weather_BOT", ""); !errors.Is(err, ErrUsernameOccupied) {
		t.Errorf("duplicate bot username: %v", err)
	}
	if _, _, err := c.CreateBot(ctx, 0, "weather_helper", ""); !errors.Is(err, ErrUsernameInvalid) {
		t.Errorf("bot username without bot suffix: %v", err)
	}
}

func TestAppCheck(t *testing.T) {
	c, ctx := newCore(t), context.Background()
	app, err := c.CreateApp(ctx, "Desk")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.checkApp(ctx, app.ID, app.Hash); err != nil {
		t.Error(err)
	}
	if err := c.checkApp(ctx, app.ID, "wrong"); !errors.Is(err, ErrAPIIDInvalid) {
		t.Errorf("wrong hash: %v", err)
	}
	if err := c.checkApp(ctx, app.ID+1, app.Hash); !errors.Is(err, ErrAPIIDInvalid) {
		t.Errorf("unknown id: %v", err)
	}
	c.Dev = true
	if err := c.checkApp(ctx, 1, "anything"); err != nil {
		t.Errorf("dev mode refuses any app: %v", err)
	}
}
