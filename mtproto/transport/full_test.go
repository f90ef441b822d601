package transport

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"testing"
)

// fullFrame encodes a full-transport frame as a client would.
func fullFrame(seq uint32, payload []byte) []byte {
	b := le32(uint32(len(payload) + 12))
	b = binary.LittleEndian.AppendUint32(b, seq)
	b = append(b, payload...)
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

func TestFullRead(t *testing.T) {
	p1 := bytes.Repeat([]byte{1}, 8)
	p2 := bytes.Repeat([]byte{2}, 16)
	c, _ := plainConn(t, Full, cat(fullFrame(0, p1), fullFrame(1, p2)), Options{})
	for i, want := range [][]byte{p1, p2} {
		got, quickAck, err := c.ReadFrame()
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if !bytes.Equal(got, want) || quickAck {
			t.Fatalf("frame %d = %x (quick ack %v), want %x", i, got, quickAck, want)
		}
	}
	if _, _, err := c.ReadFrame(); !errors.Is(err, io.EOF) {
		t.Fatalf("after last frame: %v, want EOF", err)
	}
}

func TestFullReadErrors(t *testing.T) {
	p := bytes.Repeat([]byte{7}, 8)
	badCRC := fullFrame(0, p)
	badCRC[len(badCRC)-1] ^= 1
	badPayload := fullFrame(0, p)
	badPayload[9] ^= 1
	quickAck := fullFrame(0, p)
	quickAck[3] |= 0x80
	tests := []struct {
		name   string
		stream []byte
		err    error
	}{
		{"bad crc", badCRC, ErrChecksum},
		{"corrupted payload", badPayload, ErrChecksum},
		{"first seq_no 1", fullFrame(1, p), ErrSeqNo},
		{"repeated seq_no", cat(fullFrame(0, p), fullFrame(0, p)), ErrSeqNo},
		{"skipped seq_no", cat(fullFrame(0, p), fullFrame(2, p)), ErrSeqNo},
		{"empty", cat(le32(12), le32(0), le32(0)), ErrMalformedFrame},
		{"too short", cat(le32(8), le32(0)), ErrMalformedFrame},
		{"unaligned", cat(le32(15), le32(0)), ErrMalformedFrame},
		{"too large", cat(le32(1024+16), le32(0)), ErrFrameTooLarge},
		{"quick ack bit", quickAck, ErrFrameTooLarge},
		{"truncated crc", fullFrame(0, p)[:18], io.ErrUnexpectedEOF},
		{"truncated header", []byte{20, 0, 0, 0, 0}, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := plainConn(t, Full, tt.stream, Options{MaxFrameSize: 1024})
			var err error
			for err == nil {
				_, _, err = c.ReadFrame()
			}
			if !errors.Is(err, tt.err) {
				t.Fatalf("ReadFrame error = %v, want %v", err, tt.err)
			}
			// Errors are final.
			if _, _, again := c.ReadFrame(); !errors.Is(again, tt.err) {
				t.Fatalf("ReadFrame after error = %v, want %v", again, tt.err)
			}
		})
	}
}

func TestFullWrite(t *testing.T) {
	c, mc := plainConn(t, Full, nil, Options{})
	p1 := bytes.Repeat([]byte{1}, 8)
	p2 := bytes.Repeat([]byte{2}, 4)
	for _, p := range [][]byte{p1, p2} {
		if err := c.WriteFrame(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WriteError(-444); err != nil {
		t.Fatal(err)
	}
	want := cat(fullFrame(0, p1), fullFrame(1, p2), fullFrame(2, []byte{0x44, 0xfe, 0xff, 0xff}))
	if got := mc.written(); !bytes.Equal(got, want) {
		t.Fatalf("written %x, want %x", got, want)
	}
	if err := c.WriteQuickAck(1); !errors.Is(err, ErrQuickAckUnsupported) {
		t.Fatalf("WriteQuickAck = %v, want ErrQuickAckUnsupported", err)
	}
	// The refused quick ACK sent nothing and the stream is still usable.
	if err := c.WriteFrame(p1); err != nil {
		t.Fatal(err)
	}
	if got := mc.written(); !bytes.Equal(got[len(want):], fullFrame(3, p1)) {
		t.Fatalf("frame after refused quick ack = %x", got[len(want):])
	}
}
