package core

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/roostchat/roost/store"
)

// Core is the domain service. Set the exported fields, then use it from
// any number of goroutines.
type Core struct {
	Store store.Store
	// Secret keys the access hashes handed to clients; it must stay the
	// same across restarts (clients keep access hashes).
	Secret []byte
	// Dev enables the conveniences of a test deployment: test phone
	// numbers with fixed codes, codes in the log, any api_id.
	Dev bool
	// Deliver sends a login code to its user; optional (see Delivery).
	Deliver Delivery
	// Notifier carries changes to live sessions; optional.
	Notifier Notifier
	// Bots is told when bots have new Bot API updates; optional.
	Bots BotWaker
	Log  *slog.Logger
	Now  func() time.Time
	Rand io.Reader

	kinds      userKinds
	tokens     tokenCache
	lastGlobal atomic.Int64 // the last globalID handed out
	callbacks  callbacks

	mu         sync.Mutex
	challenges map[int64]*srpChallenge // 2FA proofs in progress, by srp_id
	pending    map[int64]pendingLogin  // sign-ins waiting for the password, by auth key
	emailCodes map[emailKey]*emailCode // recovery e-mail codes in flight
}

func (c *Core) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Core) rand() io.Reader {
	if c.Rand != nil {
		return c.Rand
	}
	return rand.Reader
}

func (c *Core) log() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.Default()
}

// AccessHash returns the access_hash of object id of the given kind
// ("user", "chat", ...) as viewer sees it: a keyed hash, so that it needs
// no storage, differs per viewer, and cannot be guessed.
func (c *Core) AccessHash(kind string, viewer, id int64) int64 {
	m := hmac.New(sha256.New, c.Secret)
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], uint64(viewer))
	binary.LittleEndian.PutUint64(b[8:], uint64(id))
	m.Write([]byte(kind))
	m.Write(b[:])
	return int64(binary.LittleEndian.Uint64(m.Sum(nil)))
}

// CheckAccessHash reports whether hash is what viewer was given for id.
func (c *Core) CheckAccessHash(kind string, viewer, id, hash int64) bool {
	return hmac.Equal(le(c.AccessHash(kind, viewer, id)), le(hash))
}

func le(v int64) []byte { return binary.LittleEndian.AppendUint64(nil, uint64(v)) }

// Time is the current time as core sees it (Core.Now when set).
func (c *Core) Time() time.Time { return c.now() }

// NewRandomID returns a random non-zero id, as clients make random_id.
func (c *Core) NewRandomID() int64 {
	for {
		if id := c.randomID(); id != 0 {
			return id
		}
	}
}
