package transport

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// memConn is a net.Conn that reads from r and records what is written.
type memConn struct {
	r io.Reader

	mu     sync.Mutex
	w      bytes.Buffer
	closed bool
}

func newMemConn(stream []byte) *memConn { return &memConn{r: bytes.NewReader(stream)} }

func (m *memConn) Read(p []byte) (int, error) { return m.r.Read(p) }

func (m *memConn) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.w.Write(p)
}

func (m *memConn) written() []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]byte(nil), m.w.Bytes()...)
}

func (m *memConn) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}

func (m *memConn) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 443} }
func (m *memConn) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2), Port: 40000} }
func (m *memConn) SetDeadline(time.Time) error      { return nil }
func (m *memConn) SetReadDeadline(time.Time) error  { return nil }
func (m *memConn) SetWriteDeadline(time.Time) error { return nil }

// acceptStream runs Accept over stream and fails the test on error.
func acceptStream(t testing.TB, stream []byte, opt Options) (Conn, *memConn) {
	t.Helper()
	mc := newMemConn(stream)
	c, err := Accept(mc, opt)
	if err != nil {
		t.Fatalf("Accept: %v", err)
	}
	return c, mc
}

// plainConn builds a connection of codec over a memConn without detection.
func plainConn(t testing.TB, codec Codec, stream []byte, opt Options) (*conn, *memConn) {
	t.Helper()
	cfg, err := opt.config()
	if err != nil {
		t.Fatal(err)
	}
	mc := newMemConn(stream)
	return newConn(mc, bufio.NewReader(mc), codec, nil, cfg), mc
}

// encryptedPayload returns an MTProto-shaped encrypted payload: a nonzero
// auth_key_id, a msg_key and blocks 16-byte blocks of random data.
func encryptedPayload(t testing.TB, blocks int) []byte {
	t.Helper()
	p := make([]byte, 24+16*blocks)
	if _, err := rand.Read(p); err != nil {
		t.Fatal(err)
	}
	p[0] |= 1 // auth_key_id != 0
	return p
}

// plainPayload returns an MTProto-shaped unencrypted payload carrying n bytes of
// message data.
func plainPayload(t testing.TB, n int) []byte {
	t.Helper()
	p := make([]byte, 20+n)
	if _, err := rand.Read(p[8:]); err != nil {
		t.Fatal(err)
	}
	clear(p[:8])
	binary.LittleEndian.PutUint32(p[16:20], uint32(n))
	return p
}

// samplePayloads covers 1-byte and 4-byte abridged lengths, the allocation step
// and both MTProto envelopes.
func samplePayloads(t testing.TB) [][]byte {
	return [][]byte{
		plainPayload(t, 40),
		encryptedPayload(t, 1),
		encryptedPayload(t, 30),  // 504 bytes: 126 words, the largest short abridged length
		encryptedPayload(t, 31),  // 520 bytes: long abridged length
		encryptedPayload(t, 300), // 4824 bytes
		encryptedPayload(t, 9000),
		plainPayload(t, 1<<20),
	}
}

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
