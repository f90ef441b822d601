package transport

import (
	"bufio"
	"fmt"
	"testing"
)

// discardConn drops what is written to it.
type discardConn struct{ memConn }

func (*discardConn) Write(p []byte) (int, error) { return len(p), nil }

func benchCases(b *testing.B, run func(b *testing.B, codec Codec, obfuscated bool, p []byte)) {
	for _, codec := range []Codec{Abridged, Intermediate, PaddedIntermediate, Full} {
		for _, obfuscated := range []bool{false, true} {
			if codec == Full && obfuscated {
				continue
			}
			for _, blocks := range []int{64, 4096} { // ~1 KiB and ~64 KiB payloads
				p := encryptedPayload(b, blocks)
				name := fmt.Sprintf("%v/obfuscated=%v/%dB", codec, obfuscated, len(p))
				b.Run(name, func(b *testing.B) {
					b.SetBytes(int64(len(p)))
					b.ReportAllocs()
					run(b, codec, obfuscated, p)
				})
			}
		}
	}
}

func BenchmarkWriteFrame(b *testing.B) {
	benchCases(b, func(b *testing.B, codec Codec, obfuscated bool, p []byte) {
		cfg, err := Options{}.config()
		if err != nil {
			b.Fatal(err)
		}
		dc := &discardConn{}
		var obf *obfuscation
		if obfuscated {
			obf = symmetricObfuscation(b, codec)
		}
		c := newConn(dc, bufio.NewReader(dc), codec, obf, cfg)
		for b.Loop() {
			if err := c.WriteFrame(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRoundTrip writes each frame and reads it back: the cost of one frame
// in each direction.
func BenchmarkRoundTrip(b *testing.B) {
	benchCases(b, func(b *testing.B, codec Codec, obfuscated bool, p []byte) {
		c := loopback(b, codec, obfuscated, Options{})
		for b.Loop() {
			if err := c.WriteFrame(p); err != nil {
				b.Fatal(err)
			}
			if _, _, err := c.ReadFrame(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
