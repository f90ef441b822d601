package store

import "time"

// KeySize is the size of an MTProto auth key in bytes (2048 bits).
const KeySize = 256

// AuthKey is an MTProto authorization key: a device login. Permanent keys
// have a zero ExpiresAt; temporary (PFS) keys expire and act for the
// permanent key they are bound to.
type AuthKey struct {
	// ID is auth_key_id: the lower 64 bits of SHA1(Key). Never zero: zero
	// marks unencrypted messages.
	ID int64
	// Key is the 256-byte shared secret. Never log it.
	Key [KeySize]byte
	// CreatedAt is when the handshake completed.
	CreatedAt time.Time
	// ExpiresAt is when a temporary key stops being valid; zero for
	// permanent keys.
	ExpiresAt time.Time
	// PermKeyID is the permanent key a temporary key is bound to by
	// auth.bindTempAuthKey; zero while unbound, and always zero for
	// permanent keys.
	PermKeyID int64
	// UserID is the user logged in with this key; zero before sign-in.
	// Always zero for temporary keys.
	UserID int64
}

// Temporary reports whether k is a temporary (PFS) key.
func (k AuthKey) Temporary() bool { return !k.ExpiresAt.IsZero() }

// Expired reports whether k is a temporary key that has expired at now.
func (k AuthKey) Expired(now time.Time) bool {
	return k.Temporary() && !now.Before(k.ExpiresAt)
}

// Salt is one server salt of an auth key with its validity window
// [ValidSince, ValidUntil), as sent in future_salt.
type Salt struct {
	Salt       int64
	ValidSince time.Time
	ValidUntil time.Time
}

// ValidAt reports whether the salt is valid at t.
func (s Salt) ValidAt(t time.Time) bool {
	return !t.Before(s.ValidSince) && t.Before(s.ValidUntil)
}
