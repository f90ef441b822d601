package transport

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/gotd/td/proto/codec"
	"github.com/gotd/td/wsutil"
)

// wsServer serves the WebSocket transport at /apiws with serve.
func wsServer(t *testing.T, opt Options, serve func(Conn)) string {
	t.Helper()
	h, err := WebSocketHandler(opt, serve)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/apiws", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/apiws"
}

func wsDial(t *testing.T, url string, opts *websocket.DialOptions) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if opts == nil {
		opts = &websocket.DialOptions{Subprotocols: []string{"binary"}}
	}
	ws, resp, err := websocket.Dial(ctx, url, opts)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	if resp.Body != nil {
		_ = resp.Body.Close()
	}
	t.Cleanup(func() { _ = ws.CloseNow() })
	return ws
}

// echoServe echoes n frames, then sends transport error -404 and reports the
// outcome on done.
func echoServe(n int, want Codec, done chan<- error) func(Conn) {
	return func(c Conn) {
		done <- func() error {
			if c.Codec() != want || !c.Obfuscated() {
				return errors.New("detected " + c.Codec().String())
			}
			for range n {
				p, _, err := c.ReadFrame()
				if err != nil {
					return err
				}
				if err := c.WriteFrame(p); err != nil {
					return err
				}
			}
			return c.WriteError(-404)
		}()
	}
}

// TestWebSocketGotd connects like gotd/td's WebSocket resolver does (a binary
// subprotocol, messages as a net.Conn, obfuscated2, then the codec) for every
// codec a web client may use.
func TestWebSocketGotd(t *testing.T) {
	for _, c := range []Codec{Abridged, Intermediate, PaddedIntermediate} {
		t.Run(c.String(), func(t *testing.T) {
			payloads := samplePayloads(t)
			done := make(chan error, 1)
			url := wsServer(t, Options{}, echoServe(len(payloads), c, done))
			ws := wsDial(t, url, nil)
			if ws.Subprotocol() != "binary" {
				t.Fatalf("negotiated subprotocol %q, want binary", ws.Subprotocol())
			}
			client := newGotdClient(t, wsutil.NetConn(ws), c, true, 2, nil)
			for i, want := range payloads {
				if err := client.write(want); err != nil {
					t.Fatalf("client write %d: %v", i, err)
				}
				got, err := client.read()
				if err != nil {
					t.Fatalf("client read %d: %v", i, err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("client read %d: %d bytes, want %d", i, len(got), len(want))
				}
			}
			_, err := client.read()
			var perr *codec.ProtocolErr
			if !errors.As(err, &perr) || perr.Code != codec.CodeAuthKeyNotFound {
				t.Fatalf("client read after transport error: %v, want protocol error 404", err)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestWebSocketMessageBoundaries sends the client stream in messages that cut
// through the init block and frames, and one message holding several frames.
func TestWebSocketMessageBoundaries(t *testing.T) {
	payloads := [][]byte{plainPayload(t, 40), encryptedPayload(t, 3), encryptedPayload(t, 40), encryptedPayload(t, 1), encryptedPayload(t, 2)}
	stream := gotdStream(t, Intermediate, true, nil, payloads...)

	got := make(chan []byte, len(payloads))
	done := make(chan error, 1)
	url := wsServer(t, Options{}, func(c Conn) {
		for range payloads {
			p, _, err := c.ReadFrame()
			if err != nil {
				done <- err
				return
			}
			got <- p
		}
		done <- nil
	})
	ws := wsDial(t, url, nil)
	ctx := context.Background()
	for _, size := range []int{1, 2, 30, 40, 3, 700} { // 1+2+30+40 = 73: cuts the init block and frame 1
		if err := ws.Write(ctx, websocket.MessageBinary, stream[:size]); err != nil {
			t.Fatal(err)
		}
		stream = stream[size:]
	}
	if err := ws.Write(ctx, websocket.MessageBinary, stream); err != nil { // the remaining frames at once
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("server: %v", err)
	}
	for i, want := range payloads {
		if p := <-got; !bytes.Equal(p, want) {
			t.Fatalf("frame %d: %d bytes, want %d", i, len(p), len(want))
		}
	}
}

// TestWebSocketCloseReason checks the close status (always 1000) and that the
// reason carries the last transport error.
func TestWebSocketCloseReason(t *testing.T) {
	url := wsServer(t, Options{}, func(c Conn) { _ = c.WriteError(-429) })
	ws := wsDial(t, url, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ws.Write(ctx, websocket.MessageBinary, gotdStream(t, Abridged, true, nil)); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := ws.Read(ctx); err != nil || len(msg) != 5 {
		t.Fatalf("read transport error frame: %d bytes, %v", len(msg), err)
	}
	_, _, err := ws.Read(ctx)
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.StatusNormalClosure || ce.Reason != "429" {
		t.Fatalf("read after error: %v, want close 1000 with reason 429", err)
	}
}

// TestWebSocketRejects checks that a WebSocket stream must be obfuscated and that
// the handler never calls serve for a bad one.
func TestWebSocketRejects(t *testing.T) {
	var served atomic.Bool
	url := wsServer(t, Options{HandshakeTimeout: 10 * time.Second}, func(Conn) { served.Store(true) })
	for name, stream := range map[string][]byte{
		"plain abridged":     cat([]byte{0xef, 0x01}, make([]byte, 70)),
		"plain intermediate": cat([]byte{0xee, 0xee, 0xee, 0xee}, make([]byte, 70)),
		"garbage init":       bytes.Repeat([]byte{0x42}, 64),
	} {
		t.Run(name, func(t *testing.T) {
			ws := wsDial(t, url, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := ws.Write(ctx, websocket.MessageBinary, stream); err != nil {
				t.Fatal(err)
			}
			_, _, err := ws.Read(ctx)
			if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
				t.Fatalf("read: %v, want close 1000", err)
			}
		})
	}
	if served.Load() {
		t.Fatal("serve called for a rejected stream")
	}
}

func TestWebSocketTextMessage(t *testing.T) {
	done := make(chan error, 1)
	url := wsServer(t, Options{}, func(c Conn) {
		_, _, err := c.ReadFrame()
		done <- err
	})
	ws := wsDial(t, url, nil)
	ctx := context.Background()
	if err := ws.Write(ctx, websocket.MessageBinary, gotdStream(t, Abridged, true, nil)); err != nil {
		t.Fatal(err)
	}
	if err := ws.Write(ctx, websocket.MessageText, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	// The server closes with "unsupported data"; reading completes the close
	// handshake.
	if _, _, err := ws.Read(ctx); websocket.CloseStatus(err) != websocket.StatusUnsupportedData {
		t.Fatalf("client read: %v, want close 1003", err)
	}
	if err := <-done; err == nil {
		t.Fatal("text message read as a frame")
	}
}

func TestWebSocketOrigin(t *testing.T) {
	page := func(origin string) *websocket.DialOptions {
		return &websocket.DialOptions{Subprotocols: []string{"binary"}, HTTPHeader: http.Header{"Origin": {origin}}}
	}
	// By default any page may connect, as web clients are hosted elsewhere.
	url := wsServer(t, Options{}, func(Conn) {})
	wsDial(t, url, page("https://web.example.org"))

	url = wsServer(t, Options{OriginPatterns: []string{"web.example.org"}}, func(Conn) {})
	wsDial(t, url, page("https://web.example.org"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, url, page("https://evil.example.com"))
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("dial from a foreign origin: %v, want 403", err)
	}
	if resp.Body != nil {
		_ = resp.Body.Close()
	}
}

func TestWebSocketHandlerOptions(t *testing.T) {
	if _, err := WebSocketHandler(Options{MaxFrameSize: -1}, func(Conn) {}); err == nil {
		t.Error("invalid options accepted")
	}
	if _, err := WebSocketHandler(Options{}, nil); err == nil {
		t.Error("nil serve accepted")
	}
}
