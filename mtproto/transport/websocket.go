package transport

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/coder/websocket"
)

// webSocketSubprotocol is the subprotocol web clients offer and require back.
const webSocketSubprotocol = "binary"

// WebSocketHandler returns the handler of the WebSocket transport, to be mounted
// at /apiws (and /apiws_test for test-DC clients). See
// https://core.telegram.org/mtproto/transports#websocket.
//
// The handler answers the upgrade with "Sec-WebSocket-Protocol: binary", treats
// the payloads of the binary messages it receives as one byte stream, requires
// that stream to start with an obfuscated2 init block, and calls serve with the
// connection. Each frame the server writes goes out as one binary message. The
// connection is closed when serve returns, with status 1000 and, as reason, the
// code of the last transport error written (if any).
func WebSocketHandler(opt Options, serve func(Conn)) (http.Handler, error) {
	cfg, err := opt.config()
	if err != nil {
		return nil, fmt.Errorf("transport options: %w", err)
	}
	if serve == nil {
		return nil, fmt.Errorf("websocket handler: nil serve function")
	}
	return &wsHandler{cfg: cfg, serve: serve}, nil
}

type wsHandler struct {
	cfg   config
	serve func(Conn)
}

func (h *wsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:       []string{webSocketSubprotocol},
		InsecureSkipVerify: len(h.cfg.origins) == 0,
		OriginPatterns:     h.cfg.origins,
	})
	if err != nil {
		// Accept has written the HTTP error response.
		h.cfg.log.Debug("websocket upgrade failed", "remote", r.RemoteAddr, "error", err)
		return
	}
	c, err := h.handshake(r.Context(), ws)
	if err != nil {
		h.cfg.log.Debug("websocket transport handshake failed", "remote", r.RemoteAddr, "error", err)
		_ = ws.Close(websocket.StatusNormalClosure, "")
		return
	}
	defer c.Close()
	h.serve(c)
}

// handshake reads the obfuscated2 init block from the message stream.
func (h *wsHandler) handshake(ctx context.Context, ws *websocket.Conn) (*conn, error) {
	// NetConn concatenates the binary messages into one stream, turns a text
	// message into an error and lifts the per-message read limit: frame sizes
	// are bounded by the codec instead.
	nc := websocket.NetConn(ctx, ws, websocket.MessageBinary)
	if h.cfg.handshake > 0 {
		if err := nc.SetReadDeadline(time.Now().Add(h.cfg.handshake)); err != nil {
			return nil, fmt.Errorf("set handshake deadline: %w", err)
		}
	}
	br := bufio.NewReaderSize(nc, readBufferSize)
	codec, obf, err := detect(br, h.cfg.secret, true)
	if err != nil {
		return nil, fmt.Errorf("detect transport: %w", err)
	}
	if h.cfg.handshake > 0 {
		if err := nc.SetReadDeadline(time.Time{}); err != nil {
			return nil, fmt.Errorf("clear handshake deadline: %w", err)
		}
	}
	c := newConn(nc, br, codec, obf, h.cfg)
	c.close = func() error {
		reason := ""
		if code := c.lastError.Load(); code != 0 {
			reason = strconv.Itoa(int(-code))
		}
		return ws.Close(websocket.StatusNormalClosure, reason)
	}
	return c, nil
}
