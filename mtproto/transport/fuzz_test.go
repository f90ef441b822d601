package transport

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"testing"

	"github.com/gotd/td/mtproxy"
	"github.com/gotd/td/mtproxy/obfuscated2"
	"github.com/gotd/td/proto/codec"
)

const fuzzMaxFrame = 1 << 16

// checkFrames reads frames until an error and checks every payload against the
// guarantees of ReadFrame.
func checkFrames(t *testing.T, c Conn) {
	for range 64 {
		p, _, err := c.ReadFrame()
		if err != nil {
			return
		}
		if len(p) == 0 || len(p) > fuzzMaxFrame {
			t.Fatalf("%v frame of %d bytes", c.Codec(), len(p))
		}
		if c.Codec() != PaddedIntermediate && len(p)%4 != 0 {
			t.Fatalf("%v frame of %d bytes is not aligned", c.Codec(), len(p))
		}
	}
}

// FuzzAccept feeds arbitrary connection openings to detection and the codec it
// picks.
func FuzzAccept(f *testing.F) {
	for _, tc := range interopCases() {
		f.Add(gotdStream(f, tc.codec, tc.obfuscated, nil, plainPayload(f, 8), encryptedPayload(f, 2)))
	}
	f.Add([]byte("GET /apiws HTTP/1.1\r\n\r\n"))
	f.Add(cat([]byte{0xef, 0x81}, make([]byte, 4), []byte{0xff, 0x01, 0, 0}))
	f.Add(cat([]byte{0xdd, 0xdd, 0xdd, 0xdd}, le32(7|1<<31), make([]byte, 7)))
	f.Add(fullFrame(0, make([]byte, 8)))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Accept(newMemConn(data), Options{MaxFrameSize: fuzzMaxFrame})
		if err != nil {
			return
		}
		checkFrames(t, c)
	})
}

// FuzzReadFrame feeds arbitrary streams to each codec directly.
func FuzzReadFrame(f *testing.F) {
	f.Add(uint8(Abridged), cat([]byte{0x7f, 0x02, 0, 0}, make([]byte, 8), []byte{0x81}, make([]byte, 4)))
	f.Add(uint8(Intermediate), cat(le32(8), make([]byte, 8), le32(0x80000004), make([]byte, 4)))
	f.Add(uint8(PaddedIntermediate), cat(le32(43), encryptedPayload(f, 1), make([]byte, 3)))
	f.Add(uint8(PaddedIntermediate), cat(le32(33), plainPayload(f, 12), make([]byte, 1)))
	f.Add(uint8(Full), cat(fullFrame(0, make([]byte, 8)), fullFrame(1, make([]byte, 4))))
	f.Fuzz(func(t *testing.T, codec uint8, data []byte) {
		c, _ := plainConn(t, Codec(codec%4+1), data, Options{MaxFrameSize: fuzzMaxFrame})
		checkFrames(t, c)
	})
}

// FuzzRoundTrip writes a payload and reads it back through each codec, plain
// and obfuscated.
func FuzzRoundTrip(f *testing.F) {
	f.Add(uint8(Abridged), false, encryptedPayload(f, 40))
	f.Add(uint8(PaddedIntermediate), true, encryptedPayload(f, 3))
	f.Add(uint8(Full), false, plainPayload(f, 100))
	f.Fuzz(func(t *testing.T, codecByte uint8, obfuscated bool, p []byte) {
		codec := Codec(codecByte%4 + 1)
		if codec == PaddedIntermediate {
			// Padding is removed by envelope, so send an encrypted-shaped payload.
			if len(p) < 24 {
				return
			}
			p = p[:24+(len(p)-24)&^15]
			p[0] |= 1
		}
		p = p[:len(p)&^3]
		if len(p) == 0 {
			return
		}
		c := loopback(t, codec, obfuscated && codec != Full, Options{MaxFrameSize: fuzzMaxFrame})
		werr := c.WriteFrame(p)
		if len(p) > fuzzMaxFrame {
			if werr == nil {
				t.Fatalf("wrote a %d-byte frame over the limit", len(p))
			}
			return
		}
		if werr != nil {
			t.Fatal(werr)
		}
		got, quickAck, err := c.ReadFrame()
		if err != nil || quickAck || !bytes.Equal(got, p) {
			t.Fatalf("read %d bytes (quick ack %v, %v), want %d", len(got), quickAck, err, len(p))
		}
	})
}

// FuzzObfuscatedInit feeds arbitrary 64-byte init blocks to the obfuscated2
// handshake.
func FuzzObfuscatedInit(f *testing.F) {
	f.Add(gotdStream(f, Abridged, true, nil)[:initSize])
	f.Add(bytes.Repeat([]byte{0x42}, initSize))
	f.Fuzz(func(t *testing.T, data []byte) {
		var init [initSize]byte
		copy(init[:], data)
		obf, err := newObfuscation(&init, nil)
		if err != nil {
			return
		}
		if checkInit(&init) != nil {
			t.Fatal("accepted an init block with a reserved prefix")
		}
		if obf.codec != Abridged && obf.codec != Intermediate && obf.codec != PaddedIntermediate {
			t.Fatalf("codec %v", obf.codec)
		}
	})
}

// seededRand is a deterministic byte source for the gotd/td client.
type seededRand struct{ s cipher.Stream }

func newSeededRand(seed []byte) *seededRand {
	key := sha256.Sum256(seed)
	b, _ := aes.NewCipher(key[:])
	return &seededRand{s: cipher.NewCTR(b, make([]byte, aes.BlockSize))}
}

func (r *seededRand) Read(p []byte) (int, error) {
	clear(p)
	r.s.XORKeyStream(p, p)
	return len(p), nil
}

// FuzzObfuscated2Handshake runs gotd/td's client handshake from arbitrary
// randomness, DC ids and secrets, and checks that the server learns the codec and
// that data flows both ways.
func FuzzObfuscated2Handshake(f *testing.F) {
	f.Add([]byte("seed"), uint8(0), int16(2), false, []byte("payload!"))
	f.Add([]byte{}, uint8(2), int16(-10004), true, []byte{1, 2, 3})
	tags := [][4]byte{codec.Abridged{}.ObfuscatedTag(), codec.Intermediate{}.ObfuscatedTag(), codec.PaddedIntermediate{}.ObfuscatedTag()}
	codecs := []Codec{Abridged, Intermediate, PaddedIntermediate}
	f.Fuzz(func(t *testing.T, seed []byte, tag uint8, dc int16, withSecret bool, payload []byte) {
		var secret []byte
		if withSecret {
			s := sha256.Sum256(append([]byte("secret"), seed...))
			secret = s[:16]
		}
		var wire bytes.Buffer
		client := obfuscated2.NewObfuscated2(newSeededRand(seed), &wire)
		i := int(tag) % len(tags)
		if err := client.Handshake(tags[i], int(dc), mtproxy.Secret{Secret: secret, Type: mtproxy.Simple}); err != nil {
			t.Fatal(err)
		}
		var init [initSize]byte
		copy(init[:], wire.Bytes())
		obf, err := newObfuscation(&init, secret)
		if err != nil {
			t.Fatalf("client init rejected: %v", err)
		}
		if obf.codec != codecs[i] {
			t.Fatalf("codec %v, want %v", obf.codec, codecs[i])
		}
		wire.Reset()
		if _, err := client.Write(payload); err != nil {
			t.Fatal(err)
		}
		got := wire.Bytes()
		obf.dec.XORKeyStream(got, got)
		if !bytes.Equal(got, payload) {
			t.Fatal("server decrypted a different payload")
		}
		back := make([]byte, len(payload))
		obf.enc.XORKeyStream(back, payload)
		wire.Reset()
		wire.Write(back)
		if _, err := client.Read(back); len(payload) > 0 && err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(back, payload) {
			t.Fatal("client decrypted a different payload")
		}
	})
}
