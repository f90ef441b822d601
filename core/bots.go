package core

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

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

// newToken gives the bot a new token. The store keeps the SHA-256 of its
// secret half, which BotByToken checks, and a sealed copy, which BotToken
// opens to show the token to the bot's owner again.
func (c *Core) newToken(ctx context.Context, botID int64) (string, error) {
	raw := make([]byte, 27) // 27 bytes → 36 base64 characters, cut to 35
	if _, err := io.ReadFull(c.rand(), raw); err != nil {
		return "", err
	}
	secret := "AA" + base64.RawURLEncoding.EncodeToString(raw)[:tokenSecretSize-2]
	sealed, err := c.sealToken(botID, secret)
	if err != nil {
		return "", err
	}
	if err := c.Store.Bots().SetSealedToken(ctx, botID, sha256.Sum256([]byte(secret)), sealed); err != nil {
		return "", err
	}
	c.tokens.forget(botID)
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
	if u, ok := c.tokens.get(token, c.now()); ok {
		return u, nil
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
	c.tokens.put(token, u, c.now())
	return u, nil
}

// tokenTTL is how long a checked token is taken on trust. A busy bot's
// requests then cost no token read; revoking or deleting a bot forgets
// its tokens at once on this node, and within tokenTTL on any other.
const tokenTTL = time.Second

// tokenCache holds tokens checked in the last tokenTTL.
type tokenCache struct{ m sync.Map } // token → tokenEntry

type tokenEntry struct {
	bot   store.User
	until time.Time
}

func (tc *tokenCache) get(token string, now time.Time) (store.User, bool) {
	v, ok := tc.m.Load(token)
	if !ok {
		return store.User{}, false
	}
	e := v.(tokenEntry)
	if !now.Before(e.until) {
		tc.m.Delete(token)
		return store.User{}, false
	}
	return e.bot, true
}

func (tc *tokenCache) put(token string, bot store.User, now time.Time) {
	tc.m.Store(token, tokenEntry{bot: bot, until: now.Add(tokenTTL)})
}

// forget drops the tokens of a bot (revoked, deleted, renamed).
func (tc *tokenCache) forget(bot int64) {
	tc.m.Range(func(k, v any) bool {
		if v.(tokenEntry).bot.ID == bot {
			tc.m.Delete(k)
		}
		return true
	})
}

// ImportBotAuthorization logs a bot in with its token (over MTProto).
func (c *Core) ImportBotAuthorization(ctx context.Context, apiID int32, apiHash, token string) (store.User, error) {
	if err := c.checkApp(ctx, apiID, apiHash); err != nil {
		return store.User{}, err
	}
	return c.BotByToken(ctx, token)
}

// ErrBotInvalid: the user named as a bot is not one.
var ErrBotInvalid = bad("BOT_INVALID")

// ErrTokenUnavailable: the bot's token cannot be shown again, because it
// was issued before Roost kept sealed copies (or the server secret
// changed since); revoking it issues one that can.
var ErrTokenUnavailable = &Error{404, "TOKEN_UNAVAILABLE"}

// BotToken returns the current token "ID:SECRET" of a bot, opened from
// its sealed copy, for its owner to see again (BotFather's /token). The
// caller checks ownership. ErrTokenUnavailable when no copy can be
// opened.
func (c *Core) BotToken(ctx context.Context, botID int64) (string, error) {
	sealed, err := c.Store.Bots().SealedToken(ctx, botID)
	if errors.Is(err, store.ErrNotFound) {
		return "", ErrTokenUnavailable
	} else if err != nil {
		return "", err
	}
	secret, err := c.openToken(botID, sealed)
	if err != nil {
		return "", ErrTokenUnavailable
	}
	// The copy must belong to the token in force: the hash decides.
	want, err := c.Store.Bots().TokenHash(ctx, botID)
	if err != nil {
		return "", ErrTokenUnavailable
	}
	got := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return "", ErrTokenUnavailable
	}
	return strconv.FormatInt(botID, 10) + ":" + secret, nil
}

// Sealed tokens are AES-256-GCM over the secret half, with the bot id as
// additional data so that a copy opens only for its bot:
// version (1 byte) | nonce (12) | ciphertext and tag. The key is derived
// from Core.Secret, which never leaves the server's data directory, so a
// copy of the database alone reveals no token.
const sealVersion = 1

// tokenKey derives the sealing key from the server secret.
func (c *Core) tokenKey() []byte {
	m := hmac.New(sha256.New, c.Secret)
	m.Write([]byte("roost bot token seal v1"))
	return m.Sum(nil)
}

func (c *Core) tokenAEAD() (cipher.AEAD, error) {
	block, err := aes.NewCipher(c.tokenKey())
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func sealData(botID int64) []byte {
	return binary.LittleEndian.AppendUint64([]byte("bot token "), uint64(botID))
}

func (c *Core) sealToken(botID int64, secret string) ([]byte, error) {
	aead, err := c.tokenAEAD()
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(secret)+aead.Overhead())
	out[0] = sealVersion
	if _, err := io.ReadFull(c.rand(), out[1:]); err != nil {
		return nil, err
	}
	return aead.Seal(out, out[1:], []byte(secret), sealData(botID)), nil
}

func (c *Core) openToken(botID int64, sealed []byte) (string, error) {
	aead, err := c.tokenAEAD()
	if err != nil {
		return "", err
	}
	if len(sealed) < 1+aead.NonceSize() || sealed[0] != sealVersion {
		return "", errors.New("sealed token: unknown format")
	}
	nonce, box := sealed[1:1+aead.NonceSize()], sealed[1+aead.NonceSize():]
	secret, err := aead.Open(nil, nonce, box, sealData(botID))
	if err != nil {
		return "", err
	}
	return string(secret), nil
}

// BotsOf returns the bots ownerID owns, by id.
func (c *Core) BotsOf(ctx context.Context, ownerID int64) ([]store.User, error) {
	return c.Store.Bots().ByOwner(ctx, ownerID)
}

// DeleteBot deletes a bot account. It first leaves the basic groups the
// bot is in, so that their members see it go as when a member leaves;
// then the store removes the account with its token, Bot API state and
// box, and its username becomes free. The caller checks ownership.
func (c *Core) DeleteBot(ctx context.Context, botID int64) error {
	u, err := c.User(ctx, botID)
	if err != nil {
		return err
	}
	if !u.Bot {
		return ErrBotInvalid
	}
	chats, err := c.Store.Chats().ChatsOf(ctx, botID)
	if err != nil {
		return err
	}
	for _, chatID := range chats {
		// Best effort: a group the bot cannot leave (deactivated, ...)
		// loses the membership with the account anyway.
		if _, err := c.DeleteChatUser(ctx, botID, chatID, botID, Origin{}); err != nil {
			c.log().Debug("deleted bot leaves group", "bot", botID, "chat", chatID, "err", err)
		}
	}
	defer c.tokens.forget(botID)
	defer c.kinds.m.Delete(botID)
	return c.Store.Bots().Delete(ctx, botID)
}
