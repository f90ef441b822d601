package mtproto

import (
	"context"
	"encoding/binary"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/mtproto/handshake"
	"github.com/roostchat/roost/mtproto/transport"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tl"
)

// Invoker runs one API call of a session and returns its canonical result.
// An error with an RPCError method becomes rpc_error; any other error is
// answered as 500 INTERNAL.
type Invoker interface {
	Invoke(ctx context.Context, s *Session, msgID int64, body []byte) (tl.Object, error)
}

// Server accepts MTProto connections.
type Server struct {
	Store     store.Store
	Handshake handshake.Config
	Invoker   Invoker
	Transport transport.Options
	Log       *slog.Logger
	// Hooks observes connections, handshakes and calls (metrics); optional.
	Hooks Hooks

	mu       sync.Mutex
	keys     map[int64]*authKey
	sessions map[sessionKey]*Session
	conns    map[*conn]struct{}
	closing  bool
	swept    time.Time // last sweep of idle sessions
	revoked  map[int64]bool
	calls    sync.WaitGroup

	// The user → sessions index (index.go).
	keySessions map[int64]map[int64]*Session
	userKeys    map[int64]map[int64]struct{}
	tempKeys    map[int64]map[int64]struct{}
	seqHigh     map[int64]*atomic.Int32
}

// Hooks lets operations code observe the server without this package
// knowing metrics.
type Hooks struct {
	Conn      func(codec string, open bool)
	Handshake func(result string)
	// Bytes counts payload bytes read (in) and written (out) per codec.
	Bytes func(codec string, in bool, n int)
}

// HandshakeTimeout bounds the whole auth-key exchange on a connection and
// IdleTimeout the silence of an established one (clients ping every
// minute).
const (
	HandshakeTimeout = 30 * time.Second
	IdleTimeout      = 5 * time.Minute
	maxPlainMessages = 8
)

// writeTimeout bounds one write to a client. A client that stops reading
// would otherwise block the writer forever, and with it the session lock
// every answer of the session needs. A variable so tests can shorten it.
var writeTimeout = 30 * time.Second

func (s *Server) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Server) init() {
	if s.keys == nil {
		s.keys = map[int64]*authKey{}
		s.sessions = map[sessionKey]*Session{}
		s.conns = map[*conn]struct{}{}
		s.revoked = map[int64]bool{}
		s.keySessions = map[int64]map[int64]*Session{}
		s.userKeys = map[int64]map[int64]struct{}{}
		s.tempKeys = map[int64]map[int64]struct{}{}
		s.seqHigh = map[int64]*atomic.Int32{}
	}
}

// Serve accepts TCP connections until ln is closed.
func (s *Server) Serve(ln net.Listener) error {
	for {
		nc, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go func() {
			nc.SetReadDeadline(time.Now().Add(HandshakeTimeout))
			tc, err := transport.Accept(nc, s.Transport)
			if err != nil {
				s.log().Debug("transport rejected", "remote", nc.RemoteAddr(), "err", err)
				nc.Close()
				return
			}
			s.ServeConn(tc)
		}()
	}
}

// Shutdown stops reading new messages, waits for calls in flight to be
// answered (or ctx to end) and closes every connection.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.init()
	s.closing = true
	for c := range s.conns {
		c.tc.SetReadDeadline(time.Now())
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.calls.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.mu.Lock()
	for c := range s.conns {
		c.tc.Close()
	}
	s.mu.Unlock()
	return err
}

// ServeConn serves one transport connection until it fails or closes.
func (s *Server) ServeConn(tc transport.Conn) {
	s.mu.Lock()
	s.init()
	if s.closing {
		s.mu.Unlock()
		tc.Close()
		return
	}
	c := &conn{srv: s, tc: tc}
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	if s.Hooks.Conn != nil {
		s.Hooks.Conn(tc.Codec().String(), true)
		defer s.Hooks.Conn(tc.Codec().String(), false)
	}
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.stopDisconnect()
		tc.Close()
	}()
	c.loop()
}

// conn is one client connection.
type conn struct {
	srv   *Server
	tc    transport.Conn
	hs    *handshake.Handshake
	plain int
	// the ping_delay_disconnect timer
	mu         sync.Mutex
	disconnect *time.Timer
}

func (c *conn) loop() {
	ctx := context.Background()
	deadline := time.Now().Add(HandshakeTimeout)
	for {
		c.tc.SetReadDeadline(deadline)
		frame, quick, err := c.tc.ReadFrame()
		if err != nil {
			c.srv.log().Debug("connection closed", "remote", c.tc.RemoteAddr(), "err", err)
			return
		}
		c.count(true, len(frame))
		if len(frame) >= 8 && binary.LittleEndian.Uint64(frame) == 0 {
			if !c.plainMessage(ctx, frame) {
				return
			}
			continue
		}
		if !c.encrypted(ctx, frame, quick) {
			return
		}
		deadline = time.Now().Add(IdleTimeout)
	}
}

// plainMessage runs one handshake step; false closes the connection.
func (c *conn) plainMessage(ctx context.Context, frame []byte) bool {
	c.plain++
	if c.plain > maxPlainMessages {
		return false
	}
	p, err := handshake.ParsePlain(frame)
	c.srv.log().Debug("plain message", "remote", c.tc.RemoteAddr(), "len", len(frame), "err", err)
	if err != nil {
		c.writeError(-404)
		return false
	}
	if c.hs == nil {
		c.hs = handshake.New(&c.srv.Handshake)
	}
	answer, res, err := c.hs.Handle(ctx, p.Body)
	if err != nil {
		c.srv.log().Debug("handshake failed", "remote", c.tc.RemoteAddr(), "err", err)
		c.hook("fail")
		c.writeError(-404)
		return false
	}
	body, err := tl.Encode(answer)
	if err != nil {
		return false
	}
	if res != nil {
		c.srv.addKey(ctx, res)
		c.hook("ok")
	}
	msgID := newMsgID(time.Now(), 1)
	return c.write(handshake.AppendPlain(nil, msgID, body)) == nil
}

// count reports payload bytes to the Bytes hook.
func (c *conn) count(in bool, n int) {
	if c.srv.Hooks.Bytes != nil {
		c.srv.Hooks.Bytes(c.tc.Codec().String(), in, n)
	}
}

// write sends one payload and counts it. A failed write (a timeout, a
// broken socket) leaves the byte stream out of step, so it closes the
// connection and the read loop ends; a payload refused before anything
// was sent (too large) leaves it usable.
func (c *conn) write(frame []byte) error {
	c.count(false, len(frame))
	c.tc.SetWriteDeadline(time.Now().Add(writeTimeout))
	err := c.tc.WriteFrame(frame)
	if err != nil && !errors.Is(err, transport.ErrFrameTooLarge) && !errors.Is(err, transport.ErrMalformedFrame) {
		c.tc.Close()
	}
	return err
}

// writeError sends a transport error (-404, -429) with the same bound on
// the write as every other payload.
func (c *conn) writeError(code int32) {
	c.tc.SetWriteDeadline(time.Now().Add(writeTimeout))
	c.tc.WriteError(code)
}

func (c *conn) hook(result string) {
	if c.srv.Hooks.Handshake != nil {
		c.srv.Hooks.Handshake(result)
	}
}

// encrypted handles one encrypted payload; false closes the connection.
func (c *conn) encrypted(ctx context.Context, frame []byte, quick bool) bool {
	id, err := crypto.KeyIDFromPayload(frame)
	if err != nil {
		c.writeError(-404)
		return false
	}
	k := c.srv.key(ctx, int64(binary.LittleEndian.Uint64(id[:])))
	if k == nil {
		c.srv.log().Debug("unknown auth key", "remote", c.tc.RemoteAddr())
		c.writeError(-404)
		return false
	}
	m, token, err := k.cipher.Decrypt(nil, frame)
	if err != nil {
		c.srv.log().Debug("decrypt failed", "remote", c.tc.RemoteAddr(), "err", err)
		c.writeError(-404)
		return false
	}
	if quick {
		c.tc.SetWriteDeadline(time.Now().Add(writeTimeout))
		c.tc.WriteQuickAck(token)
	}
	sess := c.srv.session(k, m.SessionID)
	sess.attach(c)
	return sess.receive(ctx, c, m)
}

// newMsgID makes a server msg_id for now with the given residue mod 4
// (1: an answer, 3: sent on the server's own account).
func newMsgID(now time.Time, residue int64) int64 {
	id := now.Unix()<<32 | int64(now.Nanosecond())<<2&0xffffffff
	return id&^3 | residue
}
