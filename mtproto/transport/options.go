package transport

import (
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"time"
)

// DefaultMaxFrameSize is the default for Options.MaxFrameSize: 16 MiB, the limit
// clients themselves apply to frames (TDLib refuses to send a packet of 1<<24
// bytes or more, gotd/td refuses to read one larger than 1<<24). The largest
// legitimate requests and answers (file parts of up to 512 KiB, upload.getFile
// answers of up to 1 MiB) fit with room to spare.
const DefaultMaxFrameSize = 1 << 24

// maxAbridgedWords is the largest length, in 4-byte words, that the 3-byte
// abridged header can carry.
const maxAbridgedWords = 1<<24 - 1

// Options configures [Accept] and [WebSocketHandler]. The zero value is usable.
type Options struct {
	// MaxFrameSize is the largest payload, in bytes, read from or written to a
	// client. A longer incoming frame fails with ErrFrameTooLarge before its
	// payload is read. Zero means DefaultMaxFrameSize.
	MaxFrameSize int
	// Secret is an optional MTProxy secret: 16 bytes, or 17 bytes whose first
	// byte (the dd/ee/ef protocol hint) is ignored. When set, the obfuscated2 keys
	// are SHA256(key + secret), as clients compute them for an MTProxy. Plain
	// (non-obfuscated) transports stay available. Fake-TLS secrets are not supported.
	Secret []byte
	// HandshakeTimeout, if positive, bounds the time to read the transport header
	// (up to the 64-byte obfuscated2 init). Accept clears the read deadline again
	// after detection.
	HandshakeTimeout time.Duration
	// Rand is the source of padding bytes for padded intermediate. Nil means
	// crypto/rand.
	Rand io.Reader
	// OriginPatterns restricts the Origin of WebSocket upgrade requests (host
	// patterns in path.Match syntax, as github.com/coder/websocket takes them).
	// Nil accepts every origin: web clients are served from other hosts, and the
	// MTProto stream carries no ambient credentials (such as cookies) that a
	// foreign page could abuse.
	OriginPatterns []string
	// Logger receives WebSocket upgrade and handshake failures at debug level.
	// Nil discards them.
	Logger *slog.Logger
}

// config is Options after defaults and validation.
type config struct {
	maxFrame  int
	secret    []byte
	handshake time.Duration
	rand      io.Reader
	origins   []string
	log       *slog.Logger
}

func (o Options) config() (config, error) {
	c := config{
		maxFrame:  o.MaxFrameSize,
		handshake: o.HandshakeTimeout,
		rand:      o.Rand,
		origins:   o.OriginPatterns,
		log:       o.Logger,
	}
	switch {
	case c.maxFrame == 0:
		c.maxFrame = DefaultMaxFrameSize
	case c.maxFrame < 0:
		return config{}, fmt.Errorf("max frame size %d is negative", c.maxFrame)
	case c.maxFrame > maxAbridgedWords*4:
		return config{}, fmt.Errorf("max frame size %d exceeds %d", c.maxFrame, maxAbridgedWords*4)
	}
	switch len(o.Secret) {
	case 0:
	case 16:
		c.secret = o.Secret
	case 17:
		c.secret = o.Secret[1:]
	default:
		return config{}, fmt.Errorf("mtproxy secret of %d bytes: want 16 or 17", len(o.Secret))
	}
	if c.rand == nil {
		c.rand = rand.Reader
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
