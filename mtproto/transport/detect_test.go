package transport

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
)

func TestAcceptDetects(t *testing.T) {
	for _, tc := range interopCases() {
		t.Run(tc.String(), func(t *testing.T) {
			payloads := samplePayloads(t)[:5]
			stream := gotdStream(t, tc.codec, tc.obfuscated, tc.secret, payloads...)
			c, _ := acceptStream(t, stream, Options{Secret: tc.secret})
			if c.Codec() != tc.codec || c.Obfuscated() != tc.obfuscated {
				t.Fatalf("detected %v (obfuscated %v)", c.Codec(), c.Obfuscated())
			}
			for i, want := range payloads {
				got, _, err := c.ReadFrame()
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("frame %d: %d bytes, want %d", i, len(got), len(want))
				}
			}
			if _, _, err := c.ReadFrame(); !errors.Is(err, io.EOF) {
				t.Fatalf("after the last frame: %v, want EOF", err)
			}
		})
	}
}

func TestAcceptRejects(t *testing.T) {
	// 64 bytes that pass the reserved-prefix checks but decrypt to no known tag.
	garbage := bytes.Repeat([]byte{0x42}, initSize)
	tests := []struct {
		name   string
		stream []byte
		err    error
	}{
		{"HTTP GET", []byte("GET /api HTTP/1.1\r\nHost: x\r\n\r\n"), ErrUnknownTransport},
		{"HTTP POST", []byte("POST /api HTTP/1.1\r\n\r\n"), ErrUnknownTransport},
		{"HTTP HEAD", []byte("HEAD / HTTP/1.1\r\n\r\n"), ErrUnknownTransport},
		{"HTTP OPTIONS", []byte("OPTIONS * HTTP/1.1\r\n\r\n"), ErrUnknownTransport},
		{"TLS ClientHello", cat([]byte{0x16, 0x03, 0x01, 0x02, 0x00}, make([]byte, 100)), ErrUnknownTransport},
		{"garbage init block", garbage, ErrUnknownTransport},
		{"nothing", nil, io.EOF},
		{"truncated marker", []byte{0xee, 0xee}, io.ErrUnexpectedEOF},
		{"truncated init block", garbage[:40], io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Accept(newMemConn(tt.stream), Options{})
			if !errors.Is(err, tt.err) {
				t.Fatalf("Accept error = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestAcceptWrongSecret(t *testing.T) {
	stream := gotdStream(t, Intermediate, true, bytes.Repeat([]byte{1}, 16), plainPayload(t, 8))
	_, err := Accept(newMemConn(stream), Options{Secret: bytes.Repeat([]byte{2}, 16)})
	if !errors.Is(err, ErrUnknownTransport) {
		t.Fatalf("Accept with another secret: %v, want ErrUnknownTransport", err)
	}
	// A 17-byte secret drops its first (protocol hint) byte.
	stream = gotdStream(t, Intermediate, true, bytes.Repeat([]byte{1}, 16), plainPayload(t, 8))
	if _, err := Accept(newMemConn(stream), Options{Secret: cat([]byte{0xdd}, bytes.Repeat([]byte{1}, 16))}); err != nil {
		t.Fatalf("Accept with the 17-byte form of the secret: %v", err)
	}
}

func TestAcceptOptions(t *testing.T) {
	for _, opt := range []Options{
		{MaxFrameSize: -1},
		{MaxFrameSize: 1 << 30},
		{Secret: make([]byte, 15)},
		{Secret: make([]byte, 32)},
	} {
		if _, err := Accept(newMemConn([]byte{0xef}), opt); err == nil {
			t.Errorf("Accept(%+v) accepted invalid options", opt)
		}
	}
}

// deadlineConn records the read deadlines set on it.
type deadlineConn struct {
	*memConn
	deadlines []time.Time
}

func (d *deadlineConn) SetReadDeadline(t time.Time) error {
	d.deadlines = append(d.deadlines, t)
	return nil
}

func TestAcceptHandshakeTimeout(t *testing.T) {
	dc := &deadlineConn{memConn: newMemConn([]byte{0xef, 0x01, 1, 2, 3, 4})}
	c, err := Accept(dc, Options{HandshakeTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if len(dc.deadlines) != 2 || dc.deadlines[0].IsZero() || !dc.deadlines[1].IsZero() {
		t.Fatalf("read deadlines %v: want one set for detection, then cleared", dc.deadlines)
	}
	if _, _, err := c.ReadFrame(); err != nil {
		t.Fatal(err)
	}
}
