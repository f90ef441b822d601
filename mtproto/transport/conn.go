package transport

import (
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Conn is an MTProto transport connection: a stream of frame payloads in each
// direction.
//
// ReadFrame must be called from one goroutine at a time. The write methods may be
// called concurrently with each other and with ReadFrame; they are serialised.
// Any read or write error other than an invalid argument is final: the byte
// stream is out of step, and the connection should be closed.
type Conn interface {
	// ReadFrame returns the next frame payload, which the caller owns, and whether
	// the client asked for a quick ACK of it. A clean close between frames returns
	// an error matching io.EOF.
	ReadFrame() (payload []byte, quickAck bool, err error)
	// WriteFrame sends payload, whose length must be a positive multiple of 4 and
	// at most Options.MaxFrameSize, as one frame.
	WriteFrame(payload []byte) error
	// WriteQuickAck answers a quick ACK request with token, the first 4 bytes of
	// the payload's msg_key_large read as little-endian; the top bit is set here.
	// Full has no quick ACK and returns ErrQuickAckUnsupported.
	WriteQuickAck(token uint32) error
	// WriteError sends a transport error such as -404, -429 or -444 as a 4-byte
	// frame. A positive code is negated: WriteError(404) sends -404.
	WriteError(code int32) error
	// Codec reports the framing in use.
	Codec() Codec
	// Obfuscated reports whether the connection uses obfuscated2.
	Obfuscated() bool
	// SetReadDeadline sets the deadline for ReadFrame, as net.Conn does.
	SetReadDeadline(t time.Time) error
	// SetWriteDeadline sets the deadline for the write methods, as net.Conn does.
	SetWriteDeadline(t time.Time) error
	// RemoteAddr returns the client address.
	RemoteAddr() net.Addr
	// Close closes the connection.
	Close() error
}

// keepWriteBuffer is the largest write buffer kept between writes.
const keepWriteBuffer = 64 << 10

// conn implements Conn over a byte stream.
type conn struct {
	raw   net.Conn
	r     io.Reader // decoded stream: buffered, decrypted when obfuscated
	f     framer
	codec Codec
	obf   bool
	max   int
	rerr  error

	wmu  sync.Mutex
	enc  cipher.Stream // nil unless obfuscated
	wbuf []byte
	werr error

	// lastError is the last transport error code written; a WebSocket close
	// reason carries it.
	lastError atomic.Int32
	close     func() error
}

func newConn(raw net.Conn, br io.Reader, codec Codec, obf *obfuscation, cfg config) *conn {
	c := &conn{
		raw:   raw,
		r:     br,
		f:     newFramer(codec, cfg),
		codec: codec,
		max:   cfg.maxFrame,
		close: raw.Close,
	}
	if obf != nil {
		c.obf = true
		c.r = ctrReader{r: br, s: obf.dec}
		c.enc = obf.enc
	}
	return c
}

func (c *conn) ReadFrame() ([]byte, bool, error) {
	if c.rerr != nil {
		return nil, false, c.rerr
	}
	p, quickAck, err := c.f.readFrame(c.r, c.max)
	if err != nil {
		c.rerr = fmt.Errorf("read frame: %w", err)
		return nil, false, c.rerr
	}
	return p, quickAck, nil
}

func (c *conn) WriteFrame(payload []byte) error {
	switch n := len(payload); {
	case n == 0 || n%4 != 0:
		return fmt.Errorf("write frame: payload of %d bytes is not a positive multiple of 4: %w", n, ErrMalformedFrame)
	case n > c.max:
		return fmt.Errorf("write frame: payload of %d bytes exceeds %d: %w", n, c.max, ErrFrameTooLarge)
	}
	return c.write(func(dst []byte) ([]byte, error) { return c.f.appendFrame(dst, payload) })
}

func (c *conn) WriteQuickAck(token uint32) error {
	return c.write(func(dst []byte) ([]byte, error) { return c.f.appendQuickAck(dst, token|quickAckBit) })
}

func (c *conn) WriteError(code int32) error {
	if code == 0 {
		return fmt.Errorf("write transport error: code 0: %w", ErrMalformedFrame)
	}
	if code > 0 {
		code = -code
	}
	var p [4]byte
	binary.LittleEndian.PutUint32(p[:], uint32(code))
	if err := c.WriteFrame(p[:]); err != nil {
		return err
	}
	c.lastError.Store(code)
	return nil
}

// write builds one frame with build, encrypts it when obfuscated and sends it
// with a single Write (one WebSocket message on /apiws).
func (c *conn) write(build func(dst []byte) ([]byte, error)) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.werr != nil {
		return c.werr
	}
	buf, err := build(c.wbuf[:0])
	if err != nil {
		// Nothing was sent; the stream is still in step.
		return fmt.Errorf("write frame: %w", err)
	}
	if c.enc != nil {
		c.enc.XORKeyStream(buf, buf)
	}
	if cap(buf) <= keepWriteBuffer {
		c.wbuf = buf
	}
	if _, err := c.raw.Write(buf); err != nil {
		c.werr = fmt.Errorf("write frame: %w", err)
		return c.werr
	}
	return nil
}

func (c *conn) Codec() Codec                       { return c.codec }
func (c *conn) Obfuscated() bool                   { return c.obf }
func (c *conn) SetReadDeadline(t time.Time) error  { return c.raw.SetReadDeadline(t) }
func (c *conn) SetWriteDeadline(t time.Time) error { return c.raw.SetWriteDeadline(t) }
func (c *conn) RemoteAddr() net.Addr               { return c.raw.RemoteAddr() }
func (c *conn) Close() error                       { return c.close() }
