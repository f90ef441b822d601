package core

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/roostchat/roost/store"
)

// The recovery e-mail of two-step verification: confirmed with a code when
// it is set, and used to reset a forgotten password. Codes go out through
// the same operator hook as login codes.

// EmailDelivery sends a code to an e-mail address; Webhook implements it.
type EmailDelivery interface {
	DeliverEmail(ctx context.Context, email, code string) error
}

// Errors of the recovery e-mail, with the official strings.
var (
	ErrPasswordRecoveryNA      = bad("PASSWORD_RECOVERY_NA")
	ErrPasswordRecoveryExpired = bad("PASSWORD_RECOVERY_EXPIRED")
	ErrCodeInvalid             = bad("CODE_INVALID")
	ErrEmailInvalid            = bad("EMAIL_INVALID")
)

// ErrEmailUnconfirmed is EMAIL_UNCONFIRMED_X: the password is set and the
// e-mail waits for its code of X digits.
func ErrEmailUnconfirmed(length int) *Error {
	return bad(fmt.Sprintf("EMAIL_UNCONFIRMED_%d", length))
}

// emailPurpose tells a confirmation code from a recovery code.
type emailPurpose int

const (
	confirmEmail emailPurpose = iota
	recoverPassword
)

type emailKey struct {
	user    int64
	purpose emailPurpose
}

type emailCode struct {
	code     string
	expires  time.Time
	attempts int
}

// EmailCodeLifetime bounds confirmation and recovery codes.
const EmailCodeLifetime = 15 * time.Minute

// sendEmailCode makes a code for user and e-mails it.
func (c *Core) sendEmailCode(ctx context.Context, userID int64, email string, p emailPurpose) error {
	code, err := randomDigits(c.rand(), CodeLength)
	if err != nil {
		return err
	}
	c.mu.Lock()
	if c.emailCodes == nil {
		c.emailCodes = map[emailKey]*emailCode{}
	}
	c.emailCodes[emailKey{userID, p}] = &emailCode{code: code, expires: c.now().Add(EmailCodeLifetime)}
	c.mu.Unlock()
	if d, ok := c.Deliver.(EmailDelivery); ok {
		if err := d.DeliverEmail(ctx, email, code); err != nil {
			c.log().Error("deliver e-mail code", "err", err)
			return ErrInternal
		}
	} else if c.Dev {
		c.log().Info("e-mail code", "email", email, "code", code)
	} else {
		c.log().Warn("e-mail code not delivered: no delivery is configured (--code-webhook)")
	}
	return nil
}

// takeEmailCode checks a code, counting wrong attempts, and consumes it
// when right.
func (c *Core) takeEmailCode(userID int64, p emailPurpose, code string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := emailKey{userID, p}
	ec := c.emailCodes[k]
	if ec == nil || !c.now().Before(ec.expires) || ec.attempts >= MaxCodeAttempts {
		delete(c.emailCodes, k)
		return ErrPasswordRecoveryExpired
	}
	if subtle.ConstantTimeCompare([]byte(code), []byte(ec.code)) != 1 {
		ec.attempts++
		return ErrCodeInvalid
	}
	delete(c.emailCodes, k)
	return nil
}

func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-3 && strings.Contains(s[at:], ".") && !strings.ContainsAny(s, " \t\r\n")
}

// ConfirmPasswordEmail confirms the recovery e-mail with its code.
func (c *Core) ConfirmPasswordEmail(ctx context.Context, userID int64, code string) error {
	pw, err := c.Store.Passwords().Get(ctx, userID)
	if err != nil || pw.Email == "" {
		return ErrPasswordRecoveryNA
	}
	if err := c.takeEmailCode(userID, confirmEmail, code); err != nil {
		return err
	}
	pw.EmailConfirmed, pw.UpdatedAt = true, c.now()
	return c.Store.Passwords().Set(ctx, pw)
}

// EmailPattern hides most of an address the way Telegram shows it:
// "a*****@e******.com".
func EmailPattern(email string) string {
	local, domain, _ := strings.Cut(email, "@")
	host, tld := domain, ""
	if i := strings.LastIndexByte(domain, '.'); i > 0 {
		host, tld = domain[:i], domain[i:]
	}
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		r := []rune(s)
		return string(r[0]) + strings.Repeat("*", len(r)-1)
	}
	return mask(local) + "@" + mask(host) + tld
}

// recoveryUser is the user whose password may be recovered on key keyID:
// the one whose sign-in waits for the password there.
func (c *Core) recoveryUser(keyID int64) int64 { return c.pendingUser(keyID) }

// RequestPasswordRecovery e-mails a recovery code to the confirmed
// address of the user whose sign-in on keyID waits for the password, and
// returns the address's pattern.
func (c *Core) RequestPasswordRecovery(ctx context.Context, keyID int64) (string, error) {
	userID := c.recoveryUser(keyID)
	if userID == 0 {
		return "", ErrPasswordRecoveryNA
	}
	pw, err := c.Store.Passwords().Get(ctx, userID)
	if err != nil || pw.Email == "" || !pw.EmailConfirmed {
		return "", ErrPasswordRecoveryNA
	}
	if err := c.sendEmailCode(ctx, userID, pw.Email, recoverPassword); err != nil {
		return "", err
	}
	return EmailPattern(pw.Email), nil
}

// CheckRecoveryCode reports whether code would recover the password,
// without using it up.
func (c *Core) CheckRecoveryCode(keyID int64, code string) error {
	userID := c.recoveryUser(keyID)
	c.mu.Lock()
	defer c.mu.Unlock()
	ec := c.emailCodes[emailKey{userID, recoverPassword}]
	if userID == 0 || ec == nil || !c.now().Before(ec.expires) {
		return ErrPasswordRecoveryExpired
	}
	if subtle.ConstantTimeCompare([]byte(code), []byte(ec.code)) != 1 {
		ec.attempts++
		return ErrCodeInvalid
	}
	return nil
}

// RecoverPassword removes the password of the user whose sign-in waits on
// keyID (or replaces it with next), given the e-mailed code, and returns
// the user to log in.
func (c *Core) RecoverPassword(ctx context.Context, keyID int64, code string, next *NewPassword) (store.User, error) {
	userID := c.recoveryUser(keyID)
	if userID == 0 {
		return store.User{}, ErrPasswordRecoveryExpired
	}
	if err := c.takeEmailCode(userID, recoverPassword, code); err != nil {
		return store.User{}, err
	}
	if err := c.Store.Passwords().Delete(ctx, userID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.User{}, err
	}
	if next != nil {
		if err := c.UpdatePassword(ctx, userID, nil, next); err != nil && !strings.HasPrefix(err.Error(), "400 EMAIL_UNCONFIRMED_") {
			return store.User{}, err
		}
	}
	c.mu.Lock()
	delete(c.pending, keyID)
	c.mu.Unlock()
	return c.Store.Users().Get(ctx, userID)
}

// ResendPasswordEmail sends a new confirmation code to the unconfirmed
// recovery e-mail.
func (c *Core) ResendPasswordEmail(ctx context.Context, userID int64) error {
	pw, err := c.Store.Passwords().Get(ctx, userID)
	if err != nil || pw.Email == "" || pw.EmailConfirmed {
		return ErrPasswordRecoveryNA
	}
	return c.sendEmailCode(ctx, userID, pw.Email, confirmEmail)
}

// CancelPasswordEmail drops the unconfirmed recovery e-mail.
func (c *Core) CancelPasswordEmail(ctx context.Context, userID int64) error {
	pw, err := c.Store.Passwords().Get(ctx, userID)
	if err != nil || pw.Email == "" || pw.EmailConfirmed {
		return ErrPasswordRecoveryNA
	}
	pw.Email, pw.UpdatedAt = "", c.now()
	return c.Store.Passwords().Set(ctx, pw)
}
