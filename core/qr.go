package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/roostchat/roost/store"
)

// Rules of QR-code login (https://core.telegram.org/api/qr-login).
const (
	// LoginTokenTTL is how long a login token may be accepted: the
	// official server's 30 seconds, after which the client exports anew.
	LoginTokenTTL = 30 * time.Second
	// loginTokenSize is the length of a token in bytes.
	loginTokenSize = 32
	// loginTokenGrace is how long an expired token is remembered, so that
	// scanning an old code says AUTH_TOKEN_EXPIRED, not AUTH_TOKEN_INVALID.
	loginTokenGrace = 10 * time.Minute
	// tokensPerKey bounds the tokens remembered per device: a client that
	// exports in a loop forgets its oldest ones.
	tokensPerKey = 4
	// maxLoginTokens bounds the tokens remembered at once.
	maxLoginTokens = 1 << 16
	// maxExceptIDs bounds the except_ids kept with a token; a client has a
	// handful of accounts.
	maxExceptIDs = 256
)

// Errors of QR-code login, with the official strings.
var (
	ErrAuthTokenInvalid         = bad("AUTH_TOKEN_INVALID")
	ErrAuthTokenExpired         = bad("AUTH_TOKEN_EXPIRED")
	ErrAuthTokenAlreadyAccepted = bad("AUTH_TOKEN_ALREADY_ACCEPTED")
)

// QR runs QR-code logins: a new device exports a token and shows it, a
// logged-in device of the user accepts it, and the new device is logged
// in. Tokens live in memory only: they last seconds. Set Core, then use
// it from any number of goroutines.
type QR struct {
	Core *Core

	mu     sync.Mutex
	tokens map[string]*loginToken
	byKey  map[int64][]*loginToken // oldest first
	swept  time.Time
}

// loginToken is one exported token.
type loginToken struct {
	value   string
	keyID   int64 // the permanent key of the device asking to log in
	except  []int64
	expires time.Time
	// userID is the user who accepted, 0 before; password marks an
	// acceptance that waits for the password on the new device.
	userID     int64
	acceptedAt time.Time
	password   bool
}

// LoginToken is what auth.exportLoginToken answers: a token to show
// until Expires or, once a token of the device was accepted, the user
// now logged in (Token is then nil).
type LoginToken struct {
	Token   []byte
	Expires time.Time
	User    store.User
}

// AcceptedLogin is the device a token logged in.
type AcceptedLogin struct {
	// KeyID is the permanent key of the new device.
	KeyID int64
	// PasswordPending reports that the account has a password: the new
	// device must pass it (auth.checkPassword) to finish.
	PasswordPending bool
}

// ExportLoginToken answers auth.exportLoginToken for the device with
// permanent key keyID, logged in as loggedIn (0: nobody): the user, once
// a token of the device was accepted and the login is complete,
// ErrPasswordNeeded while the password is due, or else a new token.
// exceptIDs are the accounts the device has already: they may not
// accept.
func (q *QR) ExportLoginToken(ctx context.Context, keyID, loggedIn int64, apiID int32, apiHash string, exceptIDs []int64) (LoginToken, error) {
	if err := q.Core.checkApp(ctx, apiID, apiHash); err != nil {
		return LoginToken{}, err
	}
	if res, done, err := q.accepted(ctx, keyID, loggedIn); done {
		return res, err
	}
	b := make([]byte, loginTokenSize)
	if _, err := io.ReadFull(q.Core.rand(), b); err != nil {
		return LoginToken{}, fmt.Errorf("export login token: %w", err)
	}
	if len(exceptIDs) > maxExceptIDs {
		exceptIDs = exceptIDs[:maxExceptIDs]
	}
	now := q.Core.now()
	t := &loginToken{value: string(b), keyID: keyID, except: slices.Clone(exceptIDs), expires: now.Add(LoginTokenTTL)}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.sweepLocked(now)
	if len(q.tokens) >= maxLoginTokens {
		return LoginToken{}, FloodWait(int(LoginTokenTTL.Seconds()))
	}
	if q.tokens == nil {
		q.tokens, q.byKey = map[string]*loginToken{}, map[int64][]*loginToken{}
	}
	mine := q.byKey[keyID]
	if len(mine) >= tokensPerKey {
		// Forget the oldest token that nobody accepted: an accepted one
		// is the login in progress.
		for i, old := range mine {
			if old.userID == 0 {
				delete(q.tokens, old.value)
				mine = slices.Delete(mine, i, i+1)
				break
			}
		}
	}
	q.tokens[t.value] = t
	q.byKey[keyID] = append(mine, t)
	return LoginToken{Token: b, Expires: t.expires}, nil
}

// accepted answers an export from a device one of whose tokens was
// accepted; done is false when there is none (or it no longer counts),
// and a new token is due.
func (q *QR) accepted(ctx context.Context, keyID, loggedIn int64) (LoginToken, bool, error) {
	now := q.Core.now()
	q.mu.Lock()
	var t *loginToken
	for _, old := range q.byKey[keyID] {
		if old.userID != 0 && now.Before(old.acceptedAt.Add(PasswordLoginTTL)) {
			t = old
		}
	}
	var userID int64
	var password bool
	if t != nil {
		userID, password = t.userID, t.password
	}
	q.mu.Unlock()
	switch {
	case t == nil:
		return LoginToken{}, false, nil
	case loggedIn == userID:
		u, err := q.Core.User(ctx, userID)
		if err != nil {
			return LoginToken{}, true, err
		}
		return LoginToken{User: u}, true, nil
	case password && loggedIn == 0 && q.Core.pendingUser(keyID) == userID:
		return LoginToken{}, true, ErrPasswordNeeded
	}
	// The device logged out, or into another account, since: the old
	// acceptance no longer speaks for it.
	return LoginToken{}, false, nil
}

// ImportLoginToken answers auth.importLoginToken: a device finishing a
// login that another data center redirected. This server is the only
// one, so it never redirects; the token must be one the same device
// exported here.
func (q *QR) ImportLoginToken(ctx context.Context, keyID, loggedIn int64, token []byte) (LoginToken, error) {
	now := q.Core.now()
	q.mu.Lock()
	t := q.tokens[string(token)]
	var expired bool
	if t != nil {
		expired = t.userID == 0 && !now.Before(t.expires)
	}
	q.mu.Unlock()
	switch {
	case t == nil || t.keyID != keyID:
		return LoginToken{}, ErrAuthTokenInvalid
	case expired:
		return LoginToken{}, ErrAuthTokenExpired
	}
	if res, done, err := q.accepted(ctx, keyID, loggedIn); done {
		return res, err
	}
	return LoginToken{Token: []byte(t.value), Expires: t.expires}, nil
}

// AcceptLoginToken accepts a token shown by a new device, for userID
// (auth.acceptLoginToken): the device is logged in as userID through
// keys, or, when the account has a password, made to ask for it.
func (q *QR) AcceptLoginToken(ctx context.Context, keys Keys, userID int64, token []byte) (AcceptedLogin, error) {
	u, err := q.Core.User(ctx, userID)
	if err != nil {
		return AcceptedLogin{}, err
	}
	if u.Bot {
		return AcceptedLogin{}, bad("BOT_METHOD_INVALID")
	}
	_, err = q.Core.Store.Passwords().Get(ctx, userID)
	hasPassword := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return AcceptedLogin{}, fmt.Errorf("accept login token: %w", err)
	}
	now := q.Core.now()
	// The lock is held through the login, so that the new device never
	// sees the token accepted before its key is logged in.
	q.mu.Lock()
	defer q.mu.Unlock()
	t := q.tokens[string(token)]
	switch {
	case t == nil:
		return AcceptedLogin{}, ErrAuthTokenInvalid
	case t.userID != 0:
		return AcceptedLogin{}, ErrAuthTokenAlreadyAccepted
	case !now.Before(t.expires):
		return AcceptedLogin{}, ErrAuthTokenExpired
	case slices.Contains(t.except, userID):
		// The device has this account already (except_ids).
		return AcceptedLogin{}, ErrAuthTokenInvalid
	}
	if hasPassword {
		q.Core.setPending(t.keyID, userID)
	} else if err := keys.SetUser(ctx, t.keyID, userID); errors.Is(err, store.ErrNotFound) {
		// The new device was logged out (its key dropped) meanwhile.
		return AcceptedLogin{}, ErrAuthTokenInvalid
	} else if err != nil {
		return AcceptedLogin{}, fmt.Errorf("accept login token: %w", err)
	}
	t.userID, t.acceptedAt, t.password = userID, now, hasPassword
	q.Core.log().Info("QR login accepted", "user", userID, "password_pending", hasPassword)
	return AcceptedLogin{KeyID: t.keyID, PasswordPending: hasPassword}, nil
}

// sweepLocked forgets tokens past use: expired ones after
// loginTokenGrace, accepted ones after PasswordLoginTTL. It runs at most
// once a second.
func (q *QR) sweepLocked(now time.Time) {
	if now.Sub(q.swept) < time.Second {
		return
	}
	q.swept = now
	for v, t := range q.tokens {
		dead := t.userID == 0 && !now.Before(t.expires.Add(loginTokenGrace)) ||
			t.userID != 0 && !now.Before(t.acceptedAt.Add(PasswordLoginTTL))
		if !dead {
			continue
		}
		delete(q.tokens, v)
		mine := slices.DeleteFunc(q.byKey[t.keyID], func(o *loginToken) bool { return o == t })
		if len(mine) == 0 {
			delete(q.byKey, t.keyID)
		} else {
			q.byKey[t.keyID] = mine
		}
	}
}
