package transport

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"testing"
)

// loopConn reads back what was written to it.
type loopConn struct {
	memConn
	buf bytes.Buffer
}

func (l *loopConn) Read(p []byte) (int, error)  { return l.buf.Read(p) }
func (l *loopConn) Write(p []byte) (int, error) { return l.buf.Write(p) }

// loopback returns a connection that reads its own writes. Framing is the same
// in both directions for frames without quick ACK, and when obfuscated, both
// streams use one key and IV and advance in step, so each frame written is read
// back decrypted.
func loopback(t testing.TB, codec Codec, obfuscated bool, opt Options) *conn {
	t.Helper()
	cfg, err := opt.config()
	if err != nil {
		t.Fatal(err)
	}
	lc := &loopConn{}
	var obf *obfuscation
	if obfuscated {
		obf = symmetricObfuscation(t, codec)
	}
	return newConn(lc, bufio.NewReaderSize(lc, readBufferSize), codec, obf, cfg)
}

// symmetricObfuscation returns obfuscation state whose two streams are equal.
func symmetricObfuscation(t testing.TB, codec Codec) *obfuscation {
	t.Helper()
	stream := func() cipher.Stream {
		b, err := aes.NewCipher(bytes.Repeat([]byte{0x11}, 32))
		if err != nil {
			t.Fatal(err)
		}
		return cipher.NewCTR(b, bytes.Repeat([]byte{0x22}, 16))
	}
	return &obfuscation{codec: codec, dec: stream(), enc: stream()}
}

func TestLoopbackRoundTrip(t *testing.T) {
	for _, codec := range []Codec{Abridged, Intermediate, PaddedIntermediate, Full} {
		for _, obfuscated := range []bool{false, true} {
			if codec == Full && obfuscated {
				continue
			}
			c := loopback(t, codec, obfuscated, Options{})
			for _, p := range samplePayloads(t) {
				if err := c.WriteFrame(p); err != nil {
					t.Fatal(err)
				}
				got, quickAck, err := c.ReadFrame()
				if err != nil || quickAck || !bytes.Equal(got, p) {
					t.Fatalf("%v obfuscated=%v: read %d bytes (quick ack %v, %v), want %d", codec, obfuscated, len(got), quickAck, err, len(p))
				}
			}
		}
	}
}
