package store

import (
	"context"
	"time"
)

// Store is a storage back end: one value per database, safe for concurrent
// use. The accessors return views of the same database; they are cheap and
// may be called on every request.
type Store interface {
	AuthKeys() AuthKeys
	Salts() Salts
	Sessions() Sessions
	Users() Users
	LoginCodes() LoginCodes
	Passwords() Passwords
	Contacts() Contacts
	Privacy() Privacy
	Apps() Apps
	Bots() Bots
	BotAPI() BotAPI
	Boxes() Boxes
	Chats() Chats
	// Close releases the database. Calls made after Close fail.
	Close() error
}

// AuthKeys persists MTProto auth keys.
type AuthKeys interface {
	// Create stores a new key. It fails with ErrExists if k.ID is taken
	// (the handshake then answers dh_gen_retry) and with ErrInvalid if k.ID
	// is zero or k.PermKeyID or k.UserID is set.
	Create(ctx context.Context, k AuthKey) error
	// Get returns the key with the given id, expired temporary keys
	// included (the caller decides with [AuthKey.Expired]).
	Get(ctx context.Context, id int64) (AuthKey, error)
	// SetUser records the user logged in with a permanent key, or clears it
	// with userID 0 (log out). Temporary keys act with the authorization of
	// their permanent key, so setting a user on one fails with ErrInvalid.
	SetUser(ctx context.Context, id, userID int64) error
	// ByUser returns the permanent keys logged in as userID (its
	// authorizations, account.getAuthorizations), ordered by CreatedAt
	// then ID; none if the user has none. ErrInvalid if userID is 0.
	ByUser(ctx context.Context, userID int64) ([]AuthKey, error)
	// BindTemp binds the temporary key tempID to the permanent key permID
	// (auth.bindTempAuthKey). A permanent key has at most one temporary key:
	// a key bound to permID before is unbound. Binding again to the same
	// permanent key succeeds; binding a key bound elsewhere fails with
	// ErrAlreadyBound. ErrInvalid if tempID is not temporary or permID is
	// not permanent; ErrNotFound if either is missing.
	BindTemp(ctx context.Context, tempID, permID int64) error
	// BoundTemp returns the temporary key bound to permID, or ErrNotFound.
	BoundTemp(ctx context.Context, permID int64) (AuthKey, error)
	// Delete removes a key with its salts, its sessions and any temporary
	// key bound to it (destroy_auth_key, log out). ErrNotFound if missing.
	Delete(ctx context.Context, id int64) error
	// DeleteExpired removes every temporary key that expired at or before
	// now, as Delete does, and reports how many it removed.
	DeleteExpired(ctx context.Context, now time.Time) (int, error)
}

// Salts persists the schedule of server salts of each auth key. Salts are
// tied to the key, not to a session (get_future_salts).
type Salts interface {
	// Add stores salts for the key keyID. A salt whose value the key already
	// has is replaced. ErrNotFound if the key does not exist; ErrInvalid if
	// a salt's ValidUntil is not after its ValidSince.
	Add(ctx context.Context, keyID int64, salts ...Salt) error
	// List returns up to limit salts of keyID still valid at at (ValidUntil
	// after at), ordered by ValidSince then by value. limit must be positive.
	List(ctx context.Context, keyID int64, at time.Time, limit int) ([]Salt, error)
	// DeleteBefore removes the salts of every key whose ValidUntil is at or
	// before t, and reports how many it removed.
	DeleteBefore(ctx context.Context, t time.Time) (int, error)
}

// Sessions persists MTProto sessions: the streams a client opens under an
// auth key, with what initConnection told about the client.
type Sessions interface {
	// Save creates the session or, if it exists, replaces its layer, client
	// information and LastUsedAt; CreatedAt keeps its first value.
	// ErrNotFound if the auth key does not exist; ErrInvalid if s.ID is 0.
	Save(ctx context.Context, s Session) error
	// Get returns one session, or ErrNotFound.
	Get(ctx context.Context, keyID, id int64) (Session, error)
	// List returns the sessions of a key ordered by CreatedAt then ID.
	List(ctx context.Context, keyID int64) ([]Session, error)
	// Touch sets LastUsedAt of a session. ErrNotFound if missing.
	Touch(ctx context.Context, keyID, id int64, at time.Time) error
	// Delete removes one session (destroy_session). ErrNotFound if missing.
	Delete(ctx context.Context, keyID, id int64) error
	// DeleteIdle removes every session last used at or before t and reports
	// how many it removed.
	DeleteIdle(ctx context.Context, t time.Time) (int, error)
}
