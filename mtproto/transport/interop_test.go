package transport

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"testing"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/mtproxy"
	"github.com/gotd/td/mtproxy/obfuscated2"
	"github.com/gotd/td/proto/codec"
)

// Interoperability with the client-side transport of gotd/td: its codecs frame,
// its obfuscated2 implementation encrypts, this package serves.

// gotdCodec is a client-side codec of gotd/td for one of ours.
func gotdCodec(c Codec) codec.Codec {
	switch c {
	case Abridged:
		return codec.Abridged{}
	case Intermediate:
		return codec.Intermediate{}
	case PaddedIntermediate:
		return codec.PaddedIntermediate{}
	default:
		return &codec.Full{}
	}
}

// gotdClient is a gotd/td client transport over rw.
type gotdClient struct {
	rw    io.ReadWriter
	codec codec.Codec
}

// newGotdClient starts a client connection on rw: the plain protocol marker, or
// the obfuscated2 init block when obfuscated.
func newGotdClient(t testing.TB, rw io.ReadWriter, c Codec, obfuscated bool, dc int, secret []byte) *gotdClient {
	t.Helper()
	cdc := gotdCodec(c)
	if !obfuscated {
		if err := cdc.WriteHeader(rw); err != nil {
			t.Fatalf("gotd WriteHeader: %v", err)
		}
		return &gotdClient{rw: rw, codec: cdc}
	}
	o := obfuscated2.NewObfuscated2(rand.Reader, rw)
	tag := cdc.(codec.TaggedCodec).ObfuscatedTag()
	if err := o.Handshake(tag, dc, mtproxy.Secret{Secret: secret, Type: mtproxy.Simple}); err != nil {
		t.Fatalf("gotd obfuscated2 handshake: %v", err)
	}
	return &gotdClient{rw: o, codec: cdc}
}

func (g *gotdClient) write(p []byte) error {
	return g.codec.Write(g.rw, &bin.Buffer{Buf: append([]byte(nil), p...)})
}

func (g *gotdClient) read() ([]byte, error) {
	var b bin.Buffer
	if err := g.codec.Read(g.rw, &b); err != nil {
		return nil, err
	}
	return b.Buf, nil
}

// gotdStream returns the bytes a gotd/td client sends to open a connection and
// write payloads.
func gotdStream(t testing.TB, c Codec, obfuscated bool, secret []byte, payloads ...[]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	g := newGotdClient(t, &buf, c, obfuscated, 2, secret)
	for _, p := range payloads {
		if err := g.write(p); err != nil {
			t.Fatalf("gotd write: %v", err)
		}
	}
	return buf.Bytes()
}

type interopCase struct {
	codec      Codec
	obfuscated bool
	secret     []byte
}

func (c interopCase) String() string {
	s := c.codec.String()
	if c.obfuscated {
		s += "/obfuscated2"
	}
	if c.secret != nil {
		s += "/secret"
	}
	return s
}

func interopCases() []interopCase {
	secret := bytes.Repeat([]byte{0x99}, 16)
	var cases []interopCase
	for _, c := range []Codec{Abridged, Intermediate, PaddedIntermediate, Full} {
		cases = append(cases, interopCase{codec: c})
		if c != Full {
			cases = append(cases, interopCase{codec: c, obfuscated: true}, interopCase{codec: c, obfuscated: true, secret: secret})
		}
	}
	return cases
}

// TestGotdInterop runs every codec, plain and obfuscated, over loopback TCP: the
// gotd/td client writes payloads that the server reads, the server echoes them
// back for the client to read, and a transport error reaches the client as one.
func TestGotdInterop(t *testing.T) {
	for _, tc := range interopCases() {
		t.Run(tc.String(), func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()

			payloads := samplePayloads(t)
			serverErr := make(chan error, 1)
			go func() { serverErr <- echoServer(ln, Options{Secret: tc.secret}, tc, len(payloads)) }()

			raw, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			client := newGotdClient(t, raw, tc.codec, tc.obfuscated, 2, tc.secret)

			// The client writes everything before reading, the server echoes as it
			// reads: the kernel buffers absorb the difference.
			writeErr := make(chan error, 1)
			go func() {
				for _, p := range payloads {
					if err := client.write(p); err != nil {
						writeErr <- err
						return
					}
				}
				writeErr <- nil
			}()
			for i, want := range payloads {
				got, err := client.read()
				if err != nil {
					t.Fatalf("client read %d: %v", i, err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("client read %d: %d bytes, want %d", i, len(got), len(want))
				}
			}
			if err := <-writeErr; err != nil {
				t.Fatalf("client write: %v", err)
			}
			_, err = client.read()
			var perr *codec.ProtocolErr
			if !errors.As(err, &perr) || perr.Code != codec.CodeAuthKeyNotFound {
				t.Fatalf("client read after transport error: %v, want protocol error 404", err)
			}
			if err := <-serverErr; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// echoServer accepts one connection, checks the detected transport, echoes n
// frames and then sends transport error -404.
func echoServer(ln net.Listener, opt Options, tc interopCase, n int) error {
	raw, err := ln.Accept()
	if err != nil {
		return err
	}
	defer raw.Close()
	c, err := Accept(raw, opt)
	if err != nil {
		return err
	}
	if c.Codec() != tc.codec || c.Obfuscated() != tc.obfuscated {
		return errors.New("detected " + c.Codec().String() + " with wrong codec or obfuscation")
	}
	for range n {
		p, quickAck, err := c.ReadFrame()
		if err != nil {
			return err
		}
		if quickAck {
			return errors.New("gotd/td frame read as a quick ack request")
		}
		if err := c.WriteFrame(p); err != nil {
			return err
		}
	}
	return c.WriteError(-404)
}
