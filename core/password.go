package core

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/roostchat/roost/core/srp"
	"github.com/roostchat/roost/store"
)

// srpChallenge is a getPassword → proof exchange in progress.
type srpChallenge struct {
	ch     *srp.Challenge
	userID int64
}

// pendingLogin is a sign-in that passed the code step and waits for the
// password, per auth key.
type pendingLogin struct {
	userID  int64
	expires time.Time
}

// PasswordState is what account.getPassword answers.
type PasswordState struct {
	Has bool
	// Current, SRPB and SRPID are set when Has.
	Current srp.Algo
	SRPB    []byte
	SRPID   int64
	Hint    string
	// HasRecovery reports a confirmed recovery e-mail.
	HasRecovery bool
	// EmailUnconfirmedPattern shows an e-mail that waits for its code.
	EmailUnconfirmedPattern string
	// NewAlgo is offered for setting a new password.
	NewAlgo      srp.Algo
	SecureRandom []byte
}

// Proof is an SRP proof of the current password (inputCheckPasswordSRP).
type Proof struct {
	SRPID int64
	A, M1 []byte
}

// PasswordState returns the 2FA state of userID, or of the user whose
// sign-in on key keyID waits for the password when userID is 0.
func (c *Core) PasswordState(ctx context.Context, userID, keyID int64) (PasswordState, error) {
	if userID == 0 {
		userID = c.pendingUser(keyID)
	}
	var st PasswordState
	var err error
	if st.NewAlgo, err = srp.NewAlgo(c.rand()); err != nil {
		return st, err
	}
	st.SecureRandom = make([]byte, 256)
	if _, err := io.ReadFull(c.rand(), st.SecureRandom); err != nil {
		return st, err
	}
	if userID == 0 {
		return st, nil
	}
	pw, err := c.Store.Passwords().Get(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return st, nil
	} else if err != nil {
		return st, err
	}
	algo, v := algoOf(pw)
	ch, err := srp.NewChallenge(c.rand(), algo, v, c.now().Add(srp.ChallengeTTL))
	if err != nil {
		return st, err
	}
	c.mu.Lock()
	if c.challenges == nil {
		c.challenges = map[int64]*srpChallenge{}
	}
	now := c.now()
	for id, old := range c.challenges {
		if !now.Before(old.ch.Expires()) {
			delete(c.challenges, id)
		}
	}
	c.challenges[ch.ID()] = &srpChallenge{ch: ch, userID: userID}
	c.mu.Unlock()
	st.Has, st.Current, st.SRPB, st.SRPID = true, algo, ch.B(), ch.ID()
	st.Hint, st.HasRecovery = pw.Hint, pw.Email != "" && pw.EmailConfirmed
	if pw.Email != "" && !pw.EmailConfirmed {
		st.EmailUnconfirmedPattern = EmailPattern(pw.Email)
	}
	return st, nil
}

func algoOf(pw store.Password) (srp.Algo, srp.Verifier) {
	var v srp.Verifier
	copy(v[:], pw.Verifier)
	a, _ := srp.NewAlgo(nil)
	a.Salt1, a.Salt2 = pw.Salt1, pw.Salt2
	return a, v
}

// verify checks a proof of userID's current password.
func (c *Core) verify(ctx context.Context, userID int64, p Proof) error {
	c.mu.Lock()
	ch := c.challenges[p.SRPID]
	delete(c.challenges, p.SRPID)
	c.mu.Unlock()
	if ch == nil || ch.userID != userID {
		return ErrSRPIDInvalid
	}
	pw, err := c.Store.Passwords().Get(ctx, userID)
	if err != nil {
		return ErrSRPIDInvalid
	}
	if _, v := algoOf(pw); v != ch.ch.Verifier() {
		return bad("SRP_PASSWORD_CHANGED")
	}
	ok, err := ch.ch.Check(c.now(), p.A, p.M1)
	switch {
	case errors.Is(err, srp.ErrChallengeExpired), errors.Is(err, srp.ErrChallengeUsed):
		return ErrSRPIDInvalid
	case err != nil, !ok:
		return ErrPasswordHashInvalid
	}
	return nil
}

// CheckPassword finishes a sign-in that stopped at SESSION_PASSWORD_NEEDED
// on key keyID.
func (c *Core) CheckPassword(ctx context.Context, keyID int64, p Proof) (store.User, error) {
	userID := c.pendingUser(keyID)
	if userID == 0 {
		return store.User{}, ErrSRPIDInvalid
	}
	if err := c.verify(ctx, userID, p); err != nil {
		return store.User{}, err
	}
	c.mu.Lock()
	delete(c.pending, keyID)
	c.mu.Unlock()
	return c.Store.Users().Get(ctx, userID)
}

// PasswordLoginTTL is how long a sign-in waits for the password after
// the code step.
const PasswordLoginTTL = 10 * time.Minute

func (c *Core) setPending(keyID, userID int64) {
	c.mu.Lock()
	if c.pending == nil {
		c.pending = map[int64]pendingLogin{}
	}
	c.pending[keyID] = pendingLogin{userID: userID, expires: c.now().Add(PasswordLoginTTL)}
	c.mu.Unlock()
}

func (c *Core) pendingUser(keyID int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pending[keyID]
	if !ok || !c.now().Before(p.expires) {
		delete(c.pending, keyID)
		return 0
	}
	return p.userID
}

// NewPassword is a password to set: the algorithm the client completed
// and the verifier it computed.
type NewPassword struct {
	Algo     srp.Algo
	Verifier []byte
	Hint     string
	Email    string
}

// UpdatePassword sets, changes (current proves the old password) or,
// with next nil, removes the user's password.
func (c *Core) UpdatePassword(ctx context.Context, userID int64, current *Proof, next *NewPassword) error {
	_, err := c.Store.Passwords().Get(ctx, userID)
	has := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if has {
		if current == nil {
			return ErrPasswordHashInvalid
		}
		if err := c.verify(ctx, userID, *current); err != nil {
			return err
		}
	}
	if next == nil {
		if !has {
			return nil
		}
		return c.Store.Passwords().Delete(ctx, userID)
	}
	v, err := srp.CheckVerifier(next.Algo, next.Verifier)
	switch {
	case errors.Is(err, srp.ErrInvalidSalt):
		return bad("NEW_SALT_INVALID")
	case err != nil:
		return bad("NEW_SETTINGS_INVALID")
	}
	if next.Email != "" && !validEmail(next.Email) {
		return ErrEmailInvalid
	}
	if err := c.Store.Passwords().Set(ctx, store.Password{UserID: userID, Salt1: next.Algo.Salt1, Salt2: next.Algo.Salt2,
		Verifier: v[:], Hint: next.Hint, Email: next.Email, UpdatedAt: c.now()}); err != nil {
		return err
	}
	if next.Email == "" {
		return nil
	}
	// The password is set; the e-mail waits for its code, as the client
	// learns from EMAIL_UNCONFIRMED_X.
	if err := c.sendEmailCode(ctx, userID, next.Email, confirmEmail); err != nil {
		return err
	}
	return ErrEmailUnconfirmed(CodeLength)
}
