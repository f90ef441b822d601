package core

import (
	"context"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/roostchat/roost/store"
)

// Limits of login codes. Telegram publishes none; these follow what its
// clients show (5 digits) and common practice.
const (
	CodeLength      = 5
	CodeLifetime    = 5 * time.Minute
	MaxCodeAttempts = 5
	// At most CodesPerWindow codes per phone number in CodeWindow.
	CodesPerWindow = 5
	CodeWindow     = time.Hour
)

// SentCode is the result of SendCode.
type SentCode struct {
	Hash    string
	Channel Channel
	Length  int
	// Timeout is when the client may ask for another channel.
	Timeout time.Duration
}

// SendCode starts a login: it makes a code for phone, bound to the auth
// key asking, and delivers it.
func (c *Core) SendCode(ctx context.Context, phone string, keyID int64, apiID int32, apiHash string) (SentCode, error) {
	phone, err := NormalizePhone(phone)
	if err != nil {
		return SentCode{}, err
	}
	if err := c.checkApp(ctx, apiID, apiHash); err != nil {
		return SentCode{}, err
	}
	now := c.now()
	if n, err := c.Store.LoginCodes().CountSince(ctx, phone, now.Add(-CodeWindow)); err != nil {
		return SentCode{}, err
	} else if n >= CodesPerWindow && !(c.Dev && testCode(phone) != "") {
		return SentCode{}, FloodWait(int(CodeWindow.Seconds()))
	}
	code := ""
	if c.Dev {
		code = testCode(phone)
	}
	if code == "" {
		if code, err = randomDigits(c.rand(), CodeLength); err != nil {
			return SentCode{}, err
		}
	}
	hash, err := randomHex(c.rand(), 8)
	if err != nil {
		return SentCode{}, err
	}
	lc := store.LoginCode{Hash: hash, Phone: phone, Code: code, AuthKeyID: keyID, CreatedAt: now, ExpiresAt: now.Add(CodeLifetime)}
	if err := c.Store.LoginCodes().Put(ctx, lc); err != nil {
		return SentCode{}, err
	}
	ch, err := c.deliverCode(ctx, phone, code)
	if err != nil {
		return SentCode{}, err
	}
	return SentCode{Hash: hash, Channel: ch, Length: CodeLength, Timeout: time.Minute}, nil
}

// ResendCode delivers the pending code of hash again, with a fresh
// lifetime, counting against the same flood limit as SendCode.
func (c *Core) ResendCode(ctx context.Context, phone, hash string) (SentCode, error) {
	lc, err := c.pendingCode(ctx, phone, hash)
	if err != nil {
		return SentCode{}, err
	}
	now := c.now()
	if n, err := c.Store.LoginCodes().CountSince(ctx, lc.Phone, now.Add(-CodeWindow)); err != nil {
		return SentCode{}, err
	} else if n >= CodesPerWindow && !(c.Dev && testCode(lc.Phone) != "") {
		return SentCode{}, FloodWait(int(CodeWindow.Seconds()))
	}
	lc.ExpiresAt = now.Add(CodeLifetime)
	if err := c.Store.LoginCodes().Update(ctx, lc); err != nil {
		return SentCode{}, err
	}
	ch, err := c.deliverCode(ctx, lc.Phone, lc.Code)
	if err != nil {
		return SentCode{}, err
	}
	return SentCode{Hash: hash, Channel: ch, Length: CodeLength, Timeout: time.Minute}, nil
}

// CancelCode forgets the pending code of hash.
func (c *Core) CancelCode(ctx context.Context, phone, hash string) error {
	if _, err := c.pendingCode(ctx, phone, hash); err != nil {
		return err
	}
	return c.Store.LoginCodes().Delete(ctx, hash)
}

// pendingCode finds the unexpired code of phone and hash.
func (c *Core) pendingCode(ctx context.Context, phone, hash string) (store.LoginCode, error) {
	phone, err := NormalizePhone(phone)
	if err != nil {
		return store.LoginCode{}, err
	}
	if hash == "" {
		return store.LoginCode{}, ErrPhoneCodeHashEmpty
	}
	lc, err := c.Store.LoginCodes().Get(ctx, hash)
	if err != nil || lc.Phone != phone || !c.now().Before(lc.ExpiresAt) {
		return store.LoginCode{}, ErrPhoneCodeExpired
	}
	return lc, nil
}

// deliverCode sends a login code: as a message from the service account
// 777000 when the account is logged in elsewhere (as Telegram does), else
// by the configured channel.
func (c *Core) deliverCode(ctx context.Context, phone, code string) (Channel, error) {
	if u, err := c.Store.Users().ByPhone(ctx, phone); err == nil {
		if keys, err := c.Store.AuthKeys().ByUser(ctx, u.ID); err == nil && len(keys) > 0 {
			if err := c.serviceMessage(ctx, u.ID, loginCodeText(code)); err == nil {
				return ChannelApp, nil
			} else {
				c.log().Error("login code message", "err", err)
			}
		}
	}
	return c.deliver(ctx, phone, code)
}

// loginCodeText is the service message carrying a login code.
func loginCodeText(code string) string {
	return "Login code: " + code + ". Do not give this code to anyone, even if they say they are from Roost!\n\n" +
		"This code can be used to log in to your account. We never ask it for anything else.\n\n" +
		"If you didn't request this code by trying to log in on another device, simply ignore this message."
}

// deliver sends a code by the configured channel.
func (c *Core) deliver(ctx context.Context, phone, code string) (Channel, error) {
	switch {
	case c.Deliver != nil:
		ch, err := c.Deliver.Deliver(ctx, phone, code)
		if err != nil {
			c.log().Error("deliver login code", "err", err)
			return 0, ErrInternal
		}
		return ch, nil
	case c.Dev:
		// Only a test deployment prints codes.
		c.log().Info("login code", "phone", phone, "code", code)
	default:
		c.log().Warn("login code not delivered: no delivery is configured (--code-webhook)", "phone", phone)
	}
	return ChannelSMS, nil
}

func (c *Core) checkApp(ctx context.Context, apiID int32, apiHash string) error {
	if c.Dev {
		return nil
	}
	app, err := c.Store.Apps().Get(ctx, apiID)
	if err != nil || subtle.ConstantTimeCompare([]byte(app.Hash), []byte(apiHash)) != 1 {
		return ErrAPIIDInvalid
	}
	return nil
}

// ErrSignUpRequired is returned by SignIn for a phone with no account:
// the client shows its sign-up form and calls SignUp with the same hash.
var ErrSignUpRequired = errors.New("sign up required")

// SignIn checks a login code. It returns the user to bind to the key,
// ErrSignUpRequired, or ErrPasswordNeeded when two-step verification is
// on (the code step is then remembered). A code stays valid until it is
// used to log in or sign up, so a client may call SignIn twice with it.
func (c *Core) SignIn(ctx context.Context, keyID int64, phone, hash, code string) (store.User, error) {
	lc, err := c.checkCode(ctx, phone, hash, code)
	if err != nil {
		return store.User{}, err
	}
	u, err := c.Store.Users().ByPhone(ctx, lc.Phone)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, ErrSignUpRequired
	} else if err != nil {
		return store.User{}, err
	}
	if _, err := c.Store.Passwords().Get(ctx, u.ID); err == nil {
		c.Store.LoginCodes().Delete(ctx, hash)
		c.setPending(keyID, u.ID)
		return store.User{}, ErrPasswordNeeded
	} else if !errors.Is(err, store.ErrNotFound) {
		return store.User{}, err
	}
	c.Store.LoginCodes().Delete(ctx, hash)
	return u, nil
}

// checkCode validates phone, hash and code, counting wrong attempts, and
// marks the code verified.
func (c *Core) checkCode(ctx context.Context, phone, hash, code string) (store.LoginCode, error) {
	phone, err := NormalizePhone(phone)
	if err != nil {
		return store.LoginCode{}, err
	}
	if hash == "" {
		return store.LoginCode{}, ErrPhoneCodeHashEmpty
	}
	lc, err := c.Store.LoginCodes().Get(ctx, hash)
	if errors.Is(err, store.ErrNotFound) || err == nil && lc.Phone != phone {
		return store.LoginCode{}, ErrPhoneCodeExpired
	} else if err != nil {
		return store.LoginCode{}, err
	}
	if !c.now().Before(lc.ExpiresAt) || lc.Attempts >= MaxCodeAttempts {
		c.Store.LoginCodes().Delete(ctx, hash)
		return store.LoginCode{}, ErrPhoneCodeExpired
	}
	if lc.Verified && code == "" {
		return lc, nil
	}
	if code == "" {
		return store.LoginCode{}, ErrPhoneCodeEmpty
	}
	if subtle.ConstantTimeCompare([]byte(code), []byte(lc.Code)) != 1 {
		lc.Attempts++
		c.Store.LoginCodes().Update(ctx, lc)
		return store.LoginCode{}, ErrPhoneCodeInvalid
	}
	if !lc.Verified {
		lc.Verified = true
		if err := c.Store.LoginCodes().Update(ctx, lc); err != nil {
			return store.LoginCode{}, err
		}
	}
	return lc, nil
}

// Name limits of the official apps.
const (
	MaxNameLength  = 64
	MaxAboutLength = 70
)

// SignUp creates the account of a phone whose code was verified by SignIn.
func (c *Core) SignUp(ctx context.Context, phone, hash, firstName, lastName string) (store.User, error) {
	lc, err := c.checkCode(ctx, phone, hash, "")
	if err != nil {
		return store.User{}, err
	}
	if !lc.Verified {
		return store.User{}, ErrPhoneCodeInvalid
	}
	if firstName == "" || len([]rune(firstName)) > MaxNameLength {
		return store.User{}, ErrFirstNameInvalid
	}
	if len([]rune(lastName)) > MaxNameLength {
		return store.User{}, ErrLastNameInvalid
	}
	now := c.now()
	u, err := c.Store.Users().Create(ctx, store.User{Phone: lc.Phone, FirstName: firstName, LastName: lastName, CreatedAt: now, LastSeenAt: now})
	if errors.Is(err, store.ErrExists) {
		return store.User{}, ErrPhoneNumberOccupied
	} else if err != nil {
		return store.User{}, err
	}
	c.Store.LoginCodes().Delete(ctx, hash)
	return u, nil
}

func randomDigits(r io.Reader, n int) (string, error) {
	max := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	v, err := randInt(r, max)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", n, v), nil
}

func randInt(r io.Reader, max *big.Int) (*big.Int, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, err
	}
	return new(big.Int).Mod(new(big.Int).SetBytes(b[:]), max), nil
}

func randomHex(r io.Reader, n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
