package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/roostchat/roost/store"
)

// Rules of device authorizations.
const (
	// AuthorizationTTLDays is how many days an unused device stays logged
	// in, as account.authorizations reports it: the official default.
	AuthorizationTTLDays = 180
	// FreshResetPeriod is how long a new login must wait before it may log
	// out the user's other devices (FRESH_RESET_AUTHORISATION_FORBIDDEN):
	// someone who just stole a login code cannot lock the owner out.
	FreshResetPeriod = 24 * time.Hour
	// ExportedAuthTTL is how long auth.exportAuthorization bytes stay
	// good: clients import them right away.
	ExportedAuthTTL = 2 * time.Minute
	// exportedAuthSize is the length of the exported bytes.
	exportedAuthSize = 32
	// maxExportedAuths bounds the exported authorizations kept at once,
	// so that a client calling export in a loop cannot fill the memory.
	maxExportedAuths = 1 << 16
)

// Errors of device authorizations, with the official strings.
var (
	ErrHashInvalid      = bad("HASH_INVALID")
	ErrFreshReset       = &Error{406, "FRESH_RESET_AUTHORISATION_FORBIDDEN"}
	ErrAuthBytesInvalid = bad("AUTH_BYTES_INVALID")
)

// Keys is what core needs of the MTProto server to act on devices other
// than the calling one: log an auth key in and terminate one.
// *mtproto.Server implements it.
type Keys interface {
	// SetUser records that userID logged in on permanent key keyID.
	SetUser(ctx context.Context, keyID, userID int64) error
	// RevokeKey logs a device out: its next call is answered 401
	// SESSION_REVOKED, as Telegram answers a terminated session.
	RevokeKey(ctx context.Context, keyID int64) error
}

// Authorization is a device logged in to an account (an authorization of
// account.getAuthorizations): a permanent auth key and what its sessions
// told of the client.
type Authorization struct {
	// KeyID is the permanent auth key; it is the hash clients pass to
	// account.resetAuthorization.
	KeyID int64
	// Current marks the device asking.
	Current bool
	// PasswordPending marks a QR login that waits for the password.
	PasswordPending bool
	// Client is what the newest initConnection of the device told.
	Client store.ClientInfo
	// AppName is the title of the registered app of Client.APIID, if any.
	AppName string
	// IP is the address the device was last seen at; invalid if unknown.
	IP netip.Addr
	// CreatedAt is when the key was made; ActiveAt is the device's last
	// activity.
	CreatedAt time.Time
	ActiveAt  time.Time
}

// Devices holds the device logins of a deployment: listing and
// terminating them, and the short-lived state that needs no storage
// (exported authorizations, passcode-lock periods). Set Core, then use it
// from any number of goroutines.
type Devices struct {
	Core *Core

	mu       sync.Mutex
	exported map[string]exportedAuth
	locked   map[int64]time.Duration
}

// exportedAuth is an auth.exportAuthorization waiting for its import.
type exportedAuth struct {
	userID  int64
	expires time.Time
}

// Authorizations lists the devices logged in as userID, the one with
// permanent key current first, then the most recently active.
func (d *Devices) Authorizations(ctx context.Context, userID, current int64) ([]Authorization, error) {
	keys, err := d.Core.Store.AuthKeys().ByUser(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("authorizations of user %d: %w", userID, err)
	}
	out := make([]Authorization, 0, len(keys))
	for _, k := range keys {
		a, err := d.describe(ctx, k)
		if err != nil {
			return nil, err
		}
		a.Current = k.ID == current
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b Authorization) int {
		if a.Current != b.Current {
			if a.Current {
				return -1
			}
			return 1
		}
		return b.ActiveAt.Compare(a.ActiveAt)
	})
	return out, nil
}

// Authorization describes the device with permanent key keyID.
func (d *Devices) Authorization(ctx context.Context, keyID int64) (Authorization, error) {
	k, err := d.Core.Store.AuthKeys().Get(ctx, keyID)
	if err != nil {
		return Authorization{}, fmt.Errorf("authorization of key %x: %w", uint64(keyID), err)
	}
	return d.describe(ctx, k)
}

// describe gathers what the sessions of permanent key k, and of the
// temporary key bound to it, told about the device.
func (d *Devices) describe(ctx context.Context, k store.AuthKey) (Authorization, error) {
	st := d.Core.Store
	a := Authorization{KeyID: k.ID, CreatedAt: k.CreatedAt, ActiveAt: k.CreatedAt}
	sessions, err := st.Sessions().List(ctx, k.ID)
	if err != nil {
		return a, fmt.Errorf("sessions of key %x: %w", uint64(k.ID), err)
	}
	if temp, err := st.AuthKeys().BoundTemp(ctx, k.ID); err == nil {
		more, err := st.Sessions().List(ctx, temp.ID)
		if err != nil {
			return a, fmt.Errorf("sessions of key %x: %w", uint64(temp.ID), err)
		}
		sessions = append(sessions, more...)
	} else if !errors.Is(err, store.ErrNotFound) {
		return a, fmt.Errorf("temporary key of %x: %w", uint64(k.ID), err)
	}
	// The newest session that ran initConnection describes the client;
	// the newest of all tells when the device was last active.
	var described, seen time.Time
	for _, s := range sessions {
		if s.LastUsedAt.After(a.ActiveAt) {
			a.ActiveAt = s.LastUsedAt
		}
		if s.IP.IsValid() && !s.LastUsedAt.Before(seen) {
			a.IP, seen = s.IP, s.LastUsedAt
		}
		if s.Client != (store.ClientInfo{}) && !s.LastUsedAt.Before(described) {
			a.Client, described = s.Client, s.LastUsedAt
		}
	}
	if a.Client.APIID != 0 {
		if app, err := st.Apps().Get(ctx, int32(a.Client.APIID)); err == nil {
			a.AppName = app.Title
		}
	}
	return a, nil
}

// checkFresh refuses to terminate other devices from a login younger
// than FreshResetPeriod, except on a test deployment. The age of the
// login is the age of its key: a client makes a key to log in.
func (d *Devices) checkFresh(ctx context.Context, current int64) error {
	if d.Core.Dev {
		return nil
	}
	k, err := d.Core.Store.AuthKeys().Get(ctx, current)
	if err != nil {
		return fmt.Errorf("current key %x: %w", uint64(current), err)
	}
	if d.Core.now().Sub(k.CreatedAt) < FreshResetPeriod {
		return ErrFreshReset
	}
	return nil
}

// ResetAuthorization logs out the device of userID with permanent key
// hash (account.resetAuthorization), asked from key current.
func (d *Devices) ResetAuthorization(ctx context.Context, keys Keys, userID, current, hash int64) error {
	if hash == 0 || hash == current {
		return ErrHashInvalid
	}
	k, err := d.Core.Store.AuthKeys().Get(ctx, hash)
	if errors.Is(err, store.ErrNotFound) || err == nil && (k.UserID != userID || k.Temporary()) {
		return ErrHashInvalid
	} else if err != nil {
		return fmt.Errorf("reset authorization: %w", err)
	}
	if err := d.checkFresh(ctx, current); err != nil {
		return err
	}
	return d.drop(ctx, keys, hash)
}

// ResetAuthorizations logs out every device of userID but the one with
// permanent key current (auth.resetAuthorizations).
func (d *Devices) ResetAuthorizations(ctx context.Context, keys Keys, userID, current int64) error {
	if err := d.checkFresh(ctx, current); err != nil {
		return err
	}
	all, err := d.Core.Store.AuthKeys().ByUser(ctx, userID)
	if err != nil {
		return fmt.Errorf("reset authorizations: %w", err)
	}
	for _, k := range all {
		if k.ID == current {
			continue
		}
		if err := d.drop(ctx, keys, k.ID); err != nil {
			return err
		}
	}
	return nil
}

// drop terminates permanent key id and the temporary key bound to it:
// the temporary key would otherwise keep its connections in memory.
func (d *Devices) drop(ctx context.Context, keys Keys, id int64) error {
	temp, err := d.Core.Store.AuthKeys().BoundTemp(ctx, id)
	if err == nil {
		if err := keys.RevokeKey(ctx, temp.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("drop temporary key %x: %w", uint64(temp.ID), err)
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("temporary key of %x: %w", uint64(id), err)
	}
	if err := keys.RevokeKey(ctx, id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("drop key %x: %w", uint64(id), err)
	}
	d.mu.Lock()
	delete(d.locked, id)
	d.mu.Unlock()
	d.Core.log().Info("device logged out by another", "key", fmt.Sprintf("%x", uint64(id)))
	return nil
}

// SetDeviceLocked records the passcode-lock period of the device with
// permanent key keyID (account.updateDeviceLocked): after that long
// without use, notifications should hide message texts. Zero, or less,
// turns it off.
func (d *Devices) SetDeviceLocked(keyID int64, period time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if period <= 0 {
		delete(d.locked, keyID)
		return
	}
	if d.locked == nil {
		d.locked = map[int64]time.Duration{}
	}
	d.locked[keyID] = period
}

// DeviceLocked returns the passcode-lock period of a device, 0 if none.
func (d *Devices) DeviceLocked(keyID int64) time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.locked[keyID]
}

// ExportAuthorization makes the bytes that log userID in on another
// data center (auth.exportAuthorization). They work once, for
// ExportedAuthTTL.
func (d *Devices) ExportAuthorization(userID int64) ([]byte, error) {
	b := make([]byte, exportedAuthSize)
	if _, err := io.ReadFull(d.Core.rand(), b); err != nil {
		return nil, fmt.Errorf("export authorization: %w", err)
	}
	now := d.Core.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.exported == nil {
		d.exported = map[string]exportedAuth{}
	}
	for k, e := range d.exported {
		if !now.Before(e.expires) {
			delete(d.exported, k)
		}
	}
	if len(d.exported) >= maxExportedAuths {
		return nil, FloodWait(int(ExportedAuthTTL.Seconds()))
	}
	d.exported[string(b)] = exportedAuth{userID: userID, expires: now.Add(ExportedAuthTTL)}
	return b, nil
}

// ImportAuthorization logs permanent key keyID, on which loggedIn is
// logged in now (0: nobody), in as user id with bytes from
// ExportAuthorization (auth.importAuthorization), and returns the user.
func (d *Devices) ImportAuthorization(ctx context.Context, keys Keys, keyID, loggedIn, id int64, b []byte) (store.User, error) {
	if len(b) != exportedAuthSize {
		return store.User{}, ErrAuthBytesInvalid
	}
	// The bytes are 256 random bits: a map lookup reveals nothing useful
	// about them through its timing.
	d.mu.Lock()
	e, found := d.exported[string(b)]
	delete(d.exported, string(b))
	d.mu.Unlock()
	switch {
	case !found, !d.Core.now().Before(e.expires):
		return store.User{}, ErrAuthBytesInvalid
	case e.userID != id:
		return store.User{}, ErrUserIDInvalid
	case loggedIn != 0 && loggedIn != id:
		// A key logs in once; another account needs a new key.
		return store.User{}, ErrAuthBytesInvalid
	}
	u, err := d.Core.User(ctx, id)
	if err != nil {
		return store.User{}, err
	}
	if loggedIn == 0 {
		if err := keys.SetUser(ctx, keyID, id); err != nil {
			return store.User{}, fmt.Errorf("import authorization: %w", err)
		}
	}
	return u, nil
}
