package transport

import (
	"errors"
	"fmt"
	"io"
)

// Codec identifies the framing of an MTProto transport.
type Codec uint8

// The MTProto transport codecs, see https://core.telegram.org/mtproto/mtproto-transports.
const (
	// Abridged frames carry a 1-byte (or 0x7f + 3-byte) length in 4-byte words.
	Abridged Codec = iota + 1
	// Intermediate frames carry a 4-byte little-endian length.
	Intermediate
	// PaddedIntermediate is Intermediate with 0..15 random bytes after each payload.
	PaddedIntermediate
	// Full frames carry a length, a per-direction sequence number and a CRC32.
	Full
)

// String returns the codec name: "abridged", "intermediate", "padded" or "full".
func (c Codec) String() string {
	switch c {
	case Abridged:
		return "abridged"
	case Intermediate:
		return "intermediate"
	case PaddedIntermediate:
		return "padded"
	case Full:
		return "full"
	default:
		return fmt.Sprintf("Codec(%d)", uint8(c))
	}
}

// quickAckBit marks a quick ACK request in a length field and a quick ACK token.
const quickAckBit = 1 << 31

// framer encodes and decodes the frames of one codec on one connection. Its read
// side is used by the reading goroutine only, its write side under the
// connection's write lock, so stateful framers (full) need no locking of their own.
type framer interface {
	// readFrame reads the next frame from r and returns its payload, which is at
	// most max bytes long, and whether the client asked for a quick ACK.
	readFrame(r io.Reader, max int) (payload []byte, quickAck bool, err error)
	// appendFrame appends the frame holding payload to dst. The payload length is
	// a positive multiple of 4, already checked by the caller.
	appendFrame(dst, payload []byte) ([]byte, error)
	// appendQuickAck appends the quick ACK answer carrying token (top bit set).
	appendQuickAck(dst []byte, token uint32) ([]byte, error)
}

func newFramer(c Codec, cfg config) framer {
	switch c {
	case Abridged:
		return &abridged{}
	case Intermediate:
		return &intermediate{}
	case PaddedIntermediate:
		return &intermediate{padded: true, rand: cfg.rand}
	default:
		return &full{}
	}
}

// allocStep is the largest buffer allocated for a payload before its bytes arrive.
const allocStep = 64 << 10

// readPayload reads exactly n bytes. The buffer starts at no more than allocStep
// bytes and doubles only as data arrives, so a peer that declares a large frame
// and then stalls holds at most twice what it actually sent.
func readPayload(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, min(n, allocStep))
	read := 0
	for {
		m, err := io.ReadFull(r, buf[read:])
		read += m
		if err != nil {
			return nil, fmt.Errorf("read payload (%d of %d bytes): %w", read, n, midFrame(err))
		}
		if read == n {
			return buf, nil
		}
		grown := make([]byte, min(n, 2*len(buf)))
		copy(grown, buf)
		buf = grown
	}
}

// midFrame turns a clean EOF inside a frame into io.ErrUnexpectedEOF: only an EOF
// before the first byte of a frame is a clean close.
func midFrame(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// checkLength validates a decoded payload length against the frame limit.
func checkLength(n, max int) error {
	switch {
	case n == 0:
		return fmt.Errorf("empty frame: %w", ErrMalformedFrame)
	case n > max:
		return fmt.Errorf("frame of %d bytes exceeds %d: %w", n, max, ErrFrameTooLarge)
	}
	return nil
}
