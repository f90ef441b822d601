package transport

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestAbridgedRead(t *testing.T) {
	short := bytes.Repeat([]byte{0xa1}, 8)
	long := bytes.Repeat([]byte{0xb2}, 127*4)
	tests := []struct {
		name     string
		stream   []byte
		want     []byte
		quickAck bool
		err      error
	}{
		{name: "short", stream: cat([]byte{0x02}, short), want: short},
		{name: "short quick ack", stream: cat([]byte{0x82}, short), want: short, quickAck: true},
		{name: "long", stream: cat([]byte{0x7f, 0x7f, 0, 0}, long), want: long},
		{name: "long quick ack", stream: cat([]byte{0xff, 0x7f, 0, 0}, long), want: long, quickAck: true},
		{name: "long form of a short length", stream: cat([]byte{0x7f, 0x02, 0, 0}, short), want: short},
		{name: "empty", stream: []byte{0x00}, err: ErrMalformedFrame},
		{name: "empty quick ack", stream: []byte{0x80}, err: ErrMalformedFrame},
		{name: "too large", stream: []byte{0x7f, 0x01, 0x01, 0x00, 1, 2, 3, 4}, err: ErrFrameTooLarge},
		{name: "truncated payload", stream: cat([]byte{0x03}, short), err: io.ErrUnexpectedEOF},
		{name: "truncated long length", stream: []byte{0x7f, 0x01}, err: io.ErrUnexpectedEOF},
		{name: "closed between frames", stream: nil, err: io.EOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := plainConn(t, Abridged, tt.stream, Options{MaxFrameSize: 1024})
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
			if _, _, err := c.ReadFrame(); !errors.Is(err, io.EOF) {
				t.Fatalf("second ReadFrame error = %v, want EOF", err)
			}
		})
	}
}

func TestAbridgedWrite(t *testing.T) {
	short := bytes.Repeat([]byte{0xa1}, 126*4)
	long := bytes.Repeat([]byte{0xb2}, 0x10203*4)
	c, mc := plainConn(t, Abridged, nil, Options{})
	for _, p := range [][]byte{short, long} {
		if err := c.WriteFrame(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WriteQuickAck(0x01020304); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteError(-404); err != nil {
		t.Fatal(err)
	}
	want := cat(
		[]byte{126}, short,
		[]byte{0x7f, 0x03, 0x02, 0x01}, long,
		[]byte{0x81, 0x02, 0x03, 0x04}, // token | 1<<31, big-endian, no header
		[]byte{0x01, 0x6c, 0xfe, 0xff, 0xff},
	)
	if got := mc.written(); !bytes.Equal(got, want) {
		t.Fatalf("written %d bytes, want %d; head %x, want %x", len(got), len(want), got[:8], want[:8])
	}
}
