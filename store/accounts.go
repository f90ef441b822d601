package store

import (
	"context"
	"time"
)

// FirstUserID is the id Users.Create assigns first. Later ids count up
// from it. Ids are large like Telegram's, so that small ids stay free for
// accounts created with an explicit id, such as the service account
// 777000.
const FirstUserID int64 = 1_000_000

// FirstAppID is the api_id Apps.Create assigns first. Later ids count up
// from it. Smaller ids stay free for apps registered with an explicit id,
// such as the api_id an official client forks hard-codes.
const FirstAppID int32 = 100_000

// LoginCodeHistory is how long LoginCodes remembers that a code was sent,
// after the code itself is gone, for LoginCodes.CountSince.
const LoginCodeHistory = 24 * time.Hour

// User is an account: a person, a bot, or the service account 777000.
type User struct {
	// ID is stable and never reused. Create assigns the next one when 0.
	ID int64
	// Phone is the number in digits only, without "+"; "" for bots.
	// Unique among users; "" is no number and never collides.
	Phone     string
	FirstName string
	LastName  string
	// Username is "" when unset; unique case-insensitively, stored with
	// the case its owner chose.
	Username string
	About    string
	Bot      bool
	// BotOwnerID is the user who created a bot (through BotFather or the
	// CLI), 0 otherwise.
	BotOwnerID int64
	CreatedAt  time.Time
	// LastSeenAt is when the user was last online (user status); zero if
	// never.
	LastSeenAt time.Time
}

// Users persists accounts.
type Users interface {
	// Create stores u and returns it as Get would. When u.ID is 0 it
	// assigns the next id: FirstUserID or more, above every id given or
	// assigned before, so never one that was used. An explicit u.ID is
	// kept. ErrExists if the id, the phone or the username (in any case)
	// is taken. ErrNotFound if BotOwnerID names no user. ErrInvalid if
	// u.ID is negative, a bot has a phone, or a user that is not a bot has
	// a BotOwnerID.
	Create(ctx context.Context, u User) (User, error)
	// Get returns one user, or ErrNotFound.
	Get(ctx context.Context, id int64) (User, error)
	// GetMany returns the users that exist among ids, in the order of ids.
	// Missing ids are skipped; an id listed twice is returned once, at its
	// first place.
	GetMany(ctx context.Context, ids []int64) ([]User, error)
	// ByPhone returns the user with the phone number, or ErrNotFound (also
	// for "").
	ByPhone(ctx context.Context, phone string) (User, error)
	// ByUsername returns the user with the username, compared without
	// regard to case, or ErrNotFound (also for "").
	ByUsername(ctx context.Context, username string) (User, error)
	// ByUsernamePrefix returns up to limit users whose username begins
	// with prefix, compared without regard to case, in username order.
	// ErrInvalid if prefix is "" or limit not positive.
	ByUsernamePrefix(ctx context.Context, prefix string, limit int) ([]User, error)
	// UpdateProfile sets names and about. ErrNotFound if missing.
	UpdateProfile(ctx context.Context, id int64, firstName, lastName, about string) error
	// SetUsername sets or (with "") clears the username. ErrExists if
	// another user has it in any case (the user may change the case of
	// their own); ErrNotFound if the user is missing.
	SetUsername(ctx context.Context, id int64, username string) error
	// SetLastSeen records when the user was last online. ErrNotFound if
	// missing.
	SetLastSeen(ctx context.Context, id int64, at time.Time) error
}

// LoginCode is a code sent by auth.sendCode, found by its phone_code_hash.
type LoginCode struct {
	Hash      string
	Phone     string
	Code      string
	AuthKeyID int64
	CreatedAt time.Time
	ExpiresAt time.Time
	// Attempts counts wrong codes entered.
	Attempts int
	// Verified is set once the right code was entered, so that a sign-in
	// that stops at 2FA or sign-up goes on without the code again.
	Verified bool
}

// LoginCodes persists pending login codes.
type LoginCodes interface {
	// Put stores a new code. ErrExists if the hash is taken; ErrInvalid
	// if it is "".
	Put(ctx context.Context, c LoginCode) error
	// Get returns the code with hash, or ErrNotFound.
	Get(ctx context.Context, hash string) (LoginCode, error)
	// Update replaces Attempts, Verified and ExpiresAt of the code with
	// c.Hash; other fields keep their values. ErrNotFound if missing.
	Update(ctx context.Context, c LoginCode) error
	// Delete removes a code. ErrNotFound if missing.
	Delete(ctx context.Context, hash string) error
	// CountSince counts the codes sent to phone (by Put) with a CreatedAt
	// at or after since, for flood limits. A code still counts after it
	// was deleted, until DeleteExpired runs LoginCodeHistory or more after
	// its CreatedAt: windows up to LoginCodeHistory count exactly.
	CountSince(ctx context.Context, phone string, since time.Time) (int, error)
	// DeleteExpired removes codes that expired at or before now and
	// reports how many it removed. It also forgets the codes sent
	// LoginCodeHistory or more before now (see CountSince).
	DeleteExpired(ctx context.Context, now time.Time) (int, error)
}

// Password is a user's two-step verification: the SRP salts and verifier,
// never the password itself.
type Password struct {
	UserID   int64
	Salt1    []byte
	Salt2    []byte
	Verifier []byte
	Hint     string
	// Email is the recovery address; EmailConfirmed once its code was
	// entered.
	Email          string
	EmailConfirmed bool
	UpdatedAt      time.Time
}

// Passwords persists two-step verification settings.
type Passwords interface {
	// Get returns the user's password, or ErrNotFound when none is set.
	Get(ctx context.Context, userID int64) (Password, error)
	// Set creates or replaces the user's password. ErrNotFound if the
	// user does not exist.
	Set(ctx context.Context, p Password) error
	// Delete removes the password. ErrNotFound if none is set.
	Delete(ctx context.Context, userID int64) error
}

// Contact is an entry of a user's address book.
type Contact struct {
	OwnerID   int64
	UserID    int64
	FirstName string
	LastName  string
	CreatedAt time.Time
}

// Contacts persists address books and block lists. Both belong to the
// owner and name other users; each user must exist.
type Contacts interface {
	// Put adds or renames a contact; a rename keeps the first CreatedAt.
	// ErrNotFound if the owner or the user does not exist.
	Put(ctx context.Context, c Contact) error
	// List returns the owner's contacts ordered by UserID.
	List(ctx context.Context, ownerID int64) ([]Contact, error)
	// Get returns one contact, or ErrNotFound.
	Get(ctx context.Context, ownerID, userID int64) (Contact, error)
	// Delete removes contacts; ids that are not contacts are ignored.
	Delete(ctx context.Context, ownerID int64, userIDs []int64) error
	// Block adds userID to the owner's block list. Blocking again is no
	// error and keeps the first time. ErrNotFound if the owner or the user
	// does not exist.
	Block(ctx context.Context, ownerID, userID int64, at time.Time) error
	// Unblock removes userID from the block list (no error if absent).
	Unblock(ctx context.Context, ownerID, userID int64) error
	// Blocked returns a page of the block list, newest first (equal times:
	// higher user id first), skipping offset entries and returning at
	// most limit, and the size of the whole list. limit 0 returns only the
	// size. ErrInvalid if offset or limit is negative.
	Blocked(ctx context.Context, ownerID int64, offset, limit int) ([]int64, int, error)
	// IsBlocked reports whether owner blocked userID.
	IsBlocked(ctx context.Context, ownerID, userID int64) (bool, error)
	// BlockedAt returns when owner blocked each of ids that owner has
	// blocked (the others are left out).
	BlockedAt(ctx context.Context, ownerID int64, ids []int64) (map[int64]time.Time, error)
	// Blocks reports both directions at once: whether a blocked b and
	// whether b blocked a (every private message asks both).
	Blocks(ctx context.Context, a, b int64) (aBlockedB, bBlockedA bool, err error)
}

// Privacy persists each user's privacy rules per key (status, phone
// number, ...), as an opaque encoding owned by core.
type Privacy interface {
	// Get returns the rules of key, or ErrNotFound for the default.
	Get(ctx context.Context, userID int64, key string) ([]byte, error)
	// Set stores the rules of key, replacing earlier ones; empty rules are
	// stored as such (Get returns them, not ErrNotFound). ErrNotFound if
	// the user does not exist; ErrInvalid if key is "".
	Set(ctx context.Context, userID int64, key string, rules []byte) error
}

// App is a registered API client (api_id and api_hash).
type App struct {
	ID        int32
	Hash      string
	Title     string
	CreatedAt time.Time
}

// Apps persists registered API clients.
type Apps interface {
	// Create stores a and returns it as Get would. When a.ID is 0 it
	// assigns the next id: FirstAppID or more, above every id given or
	// assigned before. An explicit a.ID is kept. ErrExists if the id is
	// taken; ErrInvalid if a.ID is negative or a.Hash is "".
	Create(ctx context.Context, a App) (App, error)
	// Get returns one app, or ErrNotFound.
	Get(ctx context.Context, id int32) (App, error)
}

// Bots persists what only bots have: the secret half of the token, and
// finds the bots a user owns.
type Bots interface {
	// SetToken stores the SHA-256 of the secret half of the bot's token,
	// replacing an earlier one (token revoked) and its sealed copy.
	// ErrNotFound if the user does not exist; ErrInvalid if it is not a
	// bot.
	SetToken(ctx context.Context, botID int64, secretHash [32]byte) error
	// SetSealedToken is SetToken that also keeps sealed, the secret half
	// encrypted by core, in the same write, so that the owner can be shown
	// the token again (BotFather's /token). ErrInvalid also if sealed is
	// empty.
	SetSealedToken(ctx context.Context, botID int64, secretHash [32]byte, sealed []byte) error
	// TokenHash returns the stored hash, or ErrNotFound.
	TokenHash(ctx context.Context, botID int64) ([32]byte, error)
	// SealedToken returns the sealed copy of the current token, or
	// ErrNotFound when the bot has no token or its token was set by
	// SetToken.
	SealedToken(ctx context.Context, botID int64) ([]byte, error)
	// ByOwner returns the bots whose BotOwnerID is ownerID, by ID.
	ByOwner(ctx context.Context, ownerID int64) ([]User, error)
	// Delete removes a bot account: its token, Bot API state and box go,
	// its username becomes free. ErrNotFound if missing; ErrInvalid if the
	// user is not a bot.
	Delete(ctx context.Context, botID int64) error
}
