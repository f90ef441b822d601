package transport

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"
)

func TestWriteFrameValidation(t *testing.T) {
	c, mc := plainConn(t, Intermediate, nil, Options{MaxFrameSize: 64})
	for _, tt := range []struct {
		payload []byte
		err     error
	}{
		{nil, ErrMalformedFrame},
		{make([]byte, 6), ErrMalformedFrame},
		{make([]byte, 68), ErrFrameTooLarge},
	} {
		if err := c.WriteFrame(tt.payload); !errors.Is(err, tt.err) {
			t.Errorf("WriteFrame(%d bytes) = %v, want %v", len(tt.payload), err, tt.err)
		}
	}
	if err := c.WriteError(0); err == nil {
		t.Error("WriteError(0) succeeded")
	}
	if got := mc.written(); len(got) != 0 {
		t.Fatalf("rejected writes sent %x", got)
	}
	if err := c.WriteFrame(make([]byte, 64)); err != nil {
		t.Fatalf("valid write after rejected ones: %v", err)
	}
}

// failingConn fails every write.
type failingConn struct {
	*memConn
	writes int
}

func (f *failingConn) Write([]byte) (int, error) {
	f.writes++
	return 0, errors.New("connection reset")
}

func TestWriteErrorIsFinal(t *testing.T) {
	fc := &failingConn{memConn: newMemConn([]byte{0xef})}
	c, err := Accept(fc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := c.WriteFrame(make([]byte, 8))
	if first == nil {
		t.Fatal("write on a failing connection succeeded")
	}
	if err := c.WriteQuickAck(1); err == nil || err.Error() != first.Error() {
		t.Fatalf("write after failure = %v, want %v", err, first)
	}
	if fc.writes != 1 {
		t.Fatalf("%d writes reached the connection after the failure", fc.writes-1)
	}
}

func TestConnPassThrough(t *testing.T) {
	c, mc := acceptStream(t, []byte{0xef}, Options{})
	if c.RemoteAddr().String() != mc.RemoteAddr().String() {
		t.Errorf("RemoteAddr = %v", c.RemoteAddr())
	}
	if err := c.Close(); err != nil || !mc.closed {
		t.Errorf("Close = %v, closed %v", err, mc.closed)
	}
	for c, want := range map[Codec]string{Abridged: "abridged", Intermediate: "intermediate", PaddedIntermediate: "padded", Full: "full", 0: "Codec(0)"} {
		if c.String() != want {
			t.Errorf("Codec(%d).String() = %q, want %q", c, c.String(), want)
		}
	}
}

// lateReader reads from r, which is set after construction.
type lateReader struct{ r io.Reader }

func (l *lateReader) Read(p []byte) (int, error) { return l.r.Read(p) }

// TestConcurrentWrites writes from several goroutines on an obfuscated
// connection and checks that the client decodes every frame intact: frames are
// never interleaved and the encryption stream stays in order.
func TestConcurrentWrites(t *testing.T) {
	const writers, perWriter = 8, 50
	for _, codec := range []Codec{Abridged, Intermediate, PaddedIntermediate} {
		t.Run(codec.String(), func(t *testing.T) {
			var clientOut bytes.Buffer
			in := &lateReader{}
			client := newGotdClient(t, struct {
				io.Reader
				io.Writer
			}{in, &clientOut}, codec, true, 2, nil)
			c, mc := acceptStream(t, clientOut.Bytes(), Options{})

			var wg sync.WaitGroup
			for w := range writers {
				wg.Go(func() {
					for i := range perWriter {
						p := encryptedPayload(t, 1+i%7)
						binary.LittleEndian.PutUint32(p[8:], uint32(w<<16|i))
						if err := c.WriteFrame(p); err != nil {
							t.Errorf("writer %d: %v", w, err)
							return
						}
					}
				})
			}
			wg.Wait()

			in.r = bytes.NewReader(mc.written())
			seen := map[uint32]bool{}
			for range writers * perWriter {
				p, err := client.read()
				if err != nil {
					t.Fatalf("client read after %d frames: %v", len(seen), err)
				}
				id := binary.LittleEndian.Uint32(p[8:])
				if want := 24 + 16*(1+int(id&0xffff)%7); len(p) != want || seen[id] {
					t.Fatalf("frame %#x: %d bytes (want %d), seen before %v", id, len(p), want, seen[id])
				}
				seen[id] = true
			}
		})
	}
}

// TestLargeDeclaredLength checks that a frame declared at the maximum size but
// never sent costs little memory: the buffer grows with the bytes received.
func TestLargeDeclaredLength(t *testing.T) {
	for _, codec := range []Codec{Abridged, Intermediate, PaddedIntermediate, Full} {
		t.Run(codec.String(), func(t *testing.T) {
			var header []byte
			switch codec {
			case Abridged:
				w := DefaultMaxFrameSize / 4
				header = []byte{0x7f, byte(w), byte(w >> 8), byte(w >> 16)}
			case Full:
				header = cat(le32(DefaultMaxFrameSize+12), le32(0))
			default:
				header = le32(DefaultMaxFrameSize)
			}
			stream := cat(header, make([]byte, 1000))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			c, _ := plainConn(t, codec, stream, Options{})
			_, _, err := c.ReadFrame()
			runtime.ReadMemStats(&after)
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("ReadFrame = %v, want unexpected EOF", err)
			}
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 {
				t.Fatalf("allocated %d bytes for a frame of which 1000 bytes arrived", grown)
			}
		})
	}
}

func TestReadPayloadGrowth(t *testing.T) {
	for _, n := range []int{1, allocStep - 1, allocStep, allocStep + 1, 5*allocStep + 3} {
		want := bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]
		got, err := readPayload(bytes.NewReader(want), n)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("readPayload(%d) = %d bytes, %v", n, len(got), err)
		}
		if _, err := readPayload(bytes.NewReader(want[:n-1]), n); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("readPayload(%d) of %d bytes: %v", n, n-1, err)
		}
	}
}

func ExampleAccept() {
	server, client := net.Pipe()
	go func() {
		// A client speaking intermediate sends its marker and one frame.
		_, _ = client.Write([]byte{0xee, 0xee, 0xee, 0xee, 4, 0, 0, 0, 1, 2, 3, 4})
	}()
	c, err := Accept(server, Options{HandshakeTimeout: 10 * time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	payload, quickAck, err := c.ReadFrame()
	fmt.Println(c.Codec(), payload, quickAck, err)
	// Output: intermediate [1 2 3 4] false <nil>
}
