package core

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/roostchat/roost/store"
)

// CreateApp registers an API client and returns its api_id and api_hash.
func (c *Core) CreateApp(ctx context.Context, title string) (store.App, error) {
	hash, err := randomHex(c.rand(), 16)
	if err != nil {
		return store.App{}, err
	}
	return c.Store.Apps().Create(ctx, store.App{Hash: hash, Title: title, CreatedAt: c.now()})
}

// CheckAPIID vets the api_id a client announces in initConnection:
// outside Dev it must be registered (roost app create).
func (c *Core) CheckAPIID(ctx context.Context, apiID int32) error {
	if c.Dev {
		return nil
	}
	if _, err := c.Store.Apps().Get(ctx, apiID); err != nil {
		return ErrAPIIDInvalid
	}
	return nil
}

// tokenSecretSize is the length of the secret half of a bot token, as
// the official ones have (35 characters of URL-safe base64).
const tokenSecretSize = 35

// CreateBot creates a bot account owned by ownerID (0: created by the
// operator) and returns it with its token "ID:SECRET".
func (c *Core) CreateBot(ctx context.Context, ownerID int64, username, name string) (store.User, string, error) {
	if !ValidUsername(username) || !strings.HasSuffix(strings.ToLower(username), "bot") {
		return store.User{}, "", ErrUsernameInvalid
	}
	if name == "" {
		name = username
	}
	if len([]rune(name)) > MaxNameLength {
		return store.User{}, "", ErrFirstNameInvalid
	}
	u, err := c.Store.Users().Create(ctx, store.User{Bot: true, Username: username, FirstName: name,
		BotOwnerID: ownerID, CreatedAt: c.now()})
	if errors.Is(err, store.ErrExists) {
		return store.User{}, "", ErrUsernameOccupied
	} else if err != nil {
		return store.User{}, "", err
	}
	token, err := c.newToken(ctx, u.ID)
	return u, token, err
}

// RevokeBotToken replaces the token of a bot; the old one stops working.
func (c *Core) RevokeBotToken(ctx context.Context, botID int64) (string, error) {
	return c.newToken(ctx, botID)
}

func (c *Core) newToken(ctx context.Context, botID int64) (string, error) {
	raw := make([]byte, 27) // 27 bytes → 36 base64 characters, cut to 35
	if _, err := io.ReadFull(c.rand(), raw); err != nil {
		return "", err
	}
	secret := "AA" + base64.RawURLEncoding.EncodeToString(raw)[:tokenSecretSize-2]
	if err := c.Store.Bots().SetToken(ctx, botID, sha256.Sum256([]byte(secret))); err != nil {
		return "", err
	}
	return strconv.FormatInt(botID, 10) + ":" + secret, nil
}

// BotByToken returns the bot a token "ID:SECRET" belongs to, or
// ACCESS_TOKEN_INVALID.
func (c *Core) BotByToken(ctx context.Context, token string) (store.User, error) {
	idText, secret, ok := strings.Cut(token, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || id <= 0 || secret == "" {
		return store.User{}, ErrAccessTokenInvalid
	}
	want, err := c.Store.Bots().TokenHash(ctx, id)
	if err != nil {
		return store.User{}, ErrAccessTokenInvalid
	}
	got := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return store.User{}, ErrAccessTokenInvalid
	}
	u, err := c.Store.Users().Get(ctx, id)
	if err != nil || !u.Bot {
		return store.User{}, ErrAccessTokenInvalid
	}
	return u, nil
}

// ImportBotAuthorization logs a bot in with its token (over MTProto).
func (c *Core) ImportBotAuthorization(ctx context.Context, apiID int32, apiHash, token string) (store.User, error) {
	if err := c.checkApp(ctx, apiID, apiHash); err != nil {
		return store.User{}, err
	}
	return c.BotByToken(ctx, token)
}
