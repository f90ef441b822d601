package transport

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

func TestIntermediateRead(t *testing.T) {
	p := bytes.Repeat([]byte{0x5a}, 12)
	tests := []struct {
		name     string
		stream   []byte
		want     []byte
		quickAck bool
		err      error
	}{
		{name: "frame", stream: cat(le32(12), p), want: p},
		{name: "quick ack", stream: cat(le32(12|1<<31), p), want: p, quickAck: true},
		{name: "empty", stream: le32(0), err: ErrMalformedFrame},
		{name: "unaligned", stream: cat(le32(11), p[:11]), err: ErrMalformedFrame},
		{name: "too large", stream: le32(1028), err: ErrFrameTooLarge},
		{name: "too large with quick ack bit", stream: le32(0xfffffffc), err: ErrFrameTooLarge},
		{name: "truncated length", stream: []byte{12, 0}, err: io.ErrUnexpectedEOF},
		{name: "truncated payload", stream: cat(le32(16), p), err: io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := plainConn(t, Intermediate, tt.stream, Options{MaxFrameSize: 1024})
			got, quickAck, err := c.ReadFrame()
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("ReadFrame error = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadFrame: %v", err)
			}
			if !bytes.Equal(got, tt.want) || quickAck != tt.quickAck {
				t.Fatalf("ReadFrame = %x (quick ack %v), want %x (%v)", got, quickAck, tt.want, tt.quickAck)
			}
		})
	}
}

func TestIntermediateWrite(t *testing.T) {
	p := bytes.Repeat([]byte{0x5a}, 12)
	c, mc := plainConn(t, Intermediate, nil, Options{})
	if err := c.WriteFrame(p); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteQuickAck(0x01020304); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteError(429); err != nil {
		t.Fatal(err)
	}
	want := cat(
		le32(12), p,
		[]byte{0x04, 0x03, 0x02, 0x81}, // token | 1<<31, little-endian, no header
		le32(4), []byte{0x53, 0xfe, 0xff, 0xff},
	)
	if got := mc.written(); !bytes.Equal(got, want) {
		t.Fatalf("written %x, want %x", got, want)
	}
}

func TestPaddedRead(t *testing.T) {
	for _, p := range [][]byte{plainPayload(t, 8), plainPayload(t, 40), encryptedPayload(t, 1), encryptedPayload(t, 40)} {
		for pad := 0; pad <= maxReadPadding; pad++ {
			padding := bytes.Repeat([]byte{0xcc}, pad)
			for _, quick := range []bool{false, true} {
				n := uint32(len(p) + pad)
				if quick {
					n |= 1 << 31
				}
				c, _ := plainConn(t, PaddedIntermediate, cat(le32(n), p, padding), Options{})
				got, quickAck, err := c.ReadFrame()
				if err != nil {
					t.Fatalf("len %d pad %d: %v", len(p), pad, err)
				}
				if !bytes.Equal(got, p) || quickAck != quick {
					t.Fatalf("len %d pad %d: got %d bytes (quick ack %v), want %d (%v)", len(p), pad, len(got), quickAck, len(p), quick)
				}
			}
		}
	}
}

func TestPaddedReadLimits(t *testing.T) {
	max := 1024
	p := encryptedPayload(t, (max-24)/16) // 1016 bytes
	pad := bytes.Repeat([]byte{1}, 15)
	c, _ := plainConn(t, PaddedIntermediate, cat(le32(uint32(len(p)+15)), p, pad), Options{MaxFrameSize: max})
	if _, _, err := c.ReadFrame(); err != nil {
		t.Fatalf("payload at the limit plus padding: %v", err)
	}
	c, _ = plainConn(t, PaddedIntermediate, le32(uint32(max+16)), Options{MaxFrameSize: max})
	if _, _, err := c.ReadFrame(); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("frame beyond limit and padding: %v, want ErrFrameTooLarge", err)
	}
	c, _ = plainConn(t, PaddedIntermediate, cat(le32(3), []byte{1, 2, 3}), Options{})
	if _, _, err := c.ReadFrame(); !errors.Is(err, ErrMalformedFrame) {
		t.Fatalf("frame of padding only: %v, want ErrMalformedFrame", err)
	}
}

func TestTrimPadding(t *testing.T) {
	enc := encryptedPayload(t, 2)  // 56 bytes
	unenc := plainPayload(t, 12)   // 32 bytes
	short := []byte{9, 9, 9, 9, 9} // neither envelope
	bad := plainPayload(t, 12)
	binary.LittleEndian.PutUint32(bad[16:20], 1000) // data length beyond the frame
	tests := []struct {
		name string
		in   []byte
		want []byte
	}{
		{"encrypted exact", enc, enc},
		{"encrypted padded", cat(enc, make([]byte, 15)), enc},
		{"unencrypted padded", cat(unenc, make([]byte, 13)), unenc},
		{"unencrypted exact", unenc, unenc},
		{"short", short, short[:4]},
		{"length beyond frame", cat(bad, []byte{1, 2}), bad},
	}
	for _, tt := range tests {
		if got := trimPadding(tt.in); !bytes.Equal(got, tt.want) {
			t.Errorf("%s: trimPadding = %d bytes, want %d", tt.name, len(got), len(tt.want))
		}
	}
}

func TestPaddedWrite(t *testing.T) {
	c, mc := plainConn(t, PaddedIntermediate, nil, Options{})
	p := encryptedPayload(t, 3)
	pads := map[int]bool{}
	for range 200 {
		if err := c.WriteFrame(p); err != nil {
			t.Fatal(err)
		}
	}
	stream := mc.written()
	for len(stream) > 0 {
		n := int(binary.LittleEndian.Uint32(stream))
		pad := n - len(p)
		if pad < 0 || pad > maxWritePadding || !bytes.Equal(stream[4:4+len(p)], p) {
			t.Fatalf("frame of %d bytes for a %d-byte payload", n, len(p))
		}
		pads[pad] = true
		stream = stream[4+n:]
	}
	if len(pads) != maxWritePadding+1 {
		t.Errorf("200 frames used paddings %v, want every length 0..%d", pads, maxWritePadding)
	}
}

func TestPaddedQuickAck(t *testing.T) {
	c, mc := plainConn(t, PaddedIntermediate, nil, Options{})
	if err := c.WriteQuickAck(0x01020304); err != nil {
		t.Fatal(err)
	}
	got := mc.written()
	n := int(binary.LittleEndian.Uint32(got))
	if n < 8 || n > 16 || len(got) != 4+n {
		t.Fatalf("quick ack frame length %d, %d bytes written", n, len(got))
	}
	if want := []byte{0xff, 0xff, 0xff, 0xff, 0x04, 0x03, 0x02, 0x81}; !bytes.Equal(got[4:12], want) {
		t.Fatalf("quick ack body %x, want %x", got[4:12], want)
	}
}
