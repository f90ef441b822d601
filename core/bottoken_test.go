package core

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/roostchat/roost/store"
)

func TestBotTokenShownAgain(t *testing.T) {
	c, ctx := newCore(t), context.Background()
	owner, err := c.Store.Users().Create(ctx, store.User{Phone: "15550001", FirstName: "Owner"})
	if err != nil {
		t.Fatal(err)
	}
	bot, token, err := c.CreateBot(ctx, owner.ID, "shown_bot", "Shown")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.BotToken(ctx, bot.ID); err != nil || got != token {
		t.Fatalf("BotToken = %q, %v; want the token created", got, err)
	}
	sealed, err := c.Store.Bots().SealedToken(ctx, bot.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, secret, _ := strings.Cut(token, ":")
	if strings.Contains(string(sealed), secret) {
		t.Fatal("the store keeps the secret in plain text")
	}

	fresh, err := c.RevokeBotToken(ctx, bot.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.BotToken(ctx, bot.ID); err != nil || got != fresh {
		t.Fatalf("BotToken after revoke = %q, %v; want the new token", got, err)
	}

	// A copy opens only for its bot, only with the server secret, and only
	// while its token is in force.
	other, _, err := c.CreateBot(ctx, owner.ID, "other_bot", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.openToken(other.ID, sealed); err == nil {
		t.Error("a sealed token opened for another bot")
	}
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	if _, err := c.openToken(bot.ID, tampered); err == nil {
		t.Error("a tampered sealed token opened")
	}
	stranger := &Core{Store: c.Store, Secret: []byte("another secret")}
	if _, err := stranger.BotToken(ctx, bot.ID); !errors.Is(err, ErrTokenUnavailable) {
		t.Errorf("BotToken with another secret: %v", err)
	}
	// A stale copy beside a newer hash is not shown.
	if err := c.Store.Bots().SetSealedToken(ctx, bot.ID, sha256.Sum256([]byte("newer")), sealed); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BotToken(ctx, bot.ID); !errors.Is(err, ErrTokenUnavailable) {
		t.Errorf("BotToken with a stale copy: %v", err)
	}
	// A token set without a copy (before sealing existed) is not shown.
	if err := c.Store.Bots().SetToken(ctx, bot.ID, sha256.Sum256([]byte("old"))); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BotToken(ctx, bot.ID); !errors.Is(err, ErrTokenUnavailable) {
		t.Errorf("BotToken without a copy: %v", err)
	}
}

func TestBotsOfAndDeleteBot(t *testing.T) {
	c, ctx := newCore(t), context.Background()
	owner, err := c.Store.Users().Create(ctx, store.User{Phone: "15550001", FirstName: "Owner"})
	if err != nil {
		t.Fatal(err)
	}
	friend, err := c.Store.Users().Create(ctx, store.User{Phone: "15550002", FirstName: "Friend"})
	if err != nil {
		t.Fatal(err)
	}
	bot, token, err := c.CreateBot(ctx, owner.ID, "group_bot", "")
	if err != nil {
		t.Fatal(err)
	}
	if bots, err := c.BotsOf(ctx, owner.ID); err != nil || len(bots) != 1 || bots[0].ID != bot.ID {
		t.Fatalf("BotsOf = %+v, %v", bots, err)
	}
	change, _, err := c.CreateChat(ctx, owner.ID, []int64{friend.ID, bot.ID}, "Group", Origin{})
	if err != nil {
		t.Fatal(err)
	}
	chatID := change.Chat.ID
	if err := c.DeleteBot(ctx, owner.ID); !errors.Is(err, ErrBotInvalid) {
		t.Errorf("DeleteBot of a person: %v", err)
	}
	if err := c.DeleteBot(ctx, bot.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BotByToken(ctx, token); !errors.Is(err, ErrAccessTokenInvalid) {
		t.Errorf("token of a deleted bot: %v", err)
	}
	if bots, err := c.BotsOf(ctx, owner.ID); err != nil || len(bots) != 0 {
		t.Errorf("BotsOf after delete = %+v, %v", bots, err)
	}
	members, err := c.Store.Chats().Members(ctx, chatID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if m.UserID == bot.ID {
			t.Error("the deleted bot is still a member")
		}
	}
	// The group saw it leave.
	h, err := c.Store.Boxes().History(ctx, friend.ID, store.Peer{Kind: store.PeerChat, ID: chatID}, store.HistoryQuery{Limit: 1, Before: true})
	if err != nil || len(h) != 1 {
		t.Fatalf("last message of the group = %+v, %v", h, err)
	}
	if a, err := DecodeAction(h[0].Action); err != nil || a.Type != ActionChatDeleteUser || a.UserID != bot.ID || h[0].FromID != bot.ID {
		t.Errorf("last message of the group: %+v (%+v, %v); want the bot leaving", h[0], a, err)
	}
	if _, _, err := c.CreateBot(ctx, owner.ID, "group_bot", ""); err != nil {
		t.Errorf("username of a deleted bot is not free: %v", err)
	}
}

// TestTokenCache: a checked token is trusted for tokenTTL, and revoking
// forgets it at once.
func TestTokenCache(t *testing.T) {
	p := newRoster(t)
	bot, token, err := p.c.CreateBot(p.ctx, 0, "cache_bot", "Cache")
	p.must(err)
	if u, err := p.c.BotByToken(p.ctx, token); err != nil || u.ID != bot.ID {
		t.Fatalf("BotByToken: %v, %v", u, err)
	}
	if _, ok := p.c.tokens.get(token, p.now); !ok {
		t.Error("a checked token is not cached")
	}
	name := "Renamed"
	_, err = p.c.UpdateProfile(p.ctx, bot.ID, &name, nil, nil)
	p.must(err)
	if u, err := p.c.BotByToken(p.ctx, token); err != nil || u.FirstName != name {
		t.Errorf("after renaming: %v, %v", u.FirstName, err)
	}
	if _, ok := p.c.tokens.get(token, p.now.Add(tokenTTL)); ok {
		t.Error("cached past its TTL")
	}
	fresh, err := p.c.RevokeBotToken(p.ctx, bot.ID)
	p.must(err)
	if _, err := p.c.BotByToken(p.ctx, token); err == nil {
		t.Error("the revoked token still works")
	}
	if _, err := p.c.BotByToken(p.ctx, fresh); err != nil {
		t.Errorf("the new token: %v", err)
	}
}
