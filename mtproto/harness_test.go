package mtproto

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/mtproto/transport"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/memory"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// recvTimeout bounds every wait for an answer in these tests; a correct
// server answers in microseconds, so it is only reached on failure.
const recvTimeout = 5 * time.Second

// memConn is an in-memory transport.Conn: the test puts client payloads
// into in, and the server's payloads come out of out. Transport errors
// arrive in out as the 4-byte payload they are on the wire.
type memConn struct {
	// discard drops what the server writes (fuzzing).
	discard bool
	in      chan []byte
	out     chan []byte
	acks    chan uint32
	closed  chan struct{}
	once    sync.Once
}

func newMemConn() *memConn {
	return &memConn{
		in:     make(chan []byte),
		out:    make(chan []byte, 4096),
		acks:   make(chan uint32, 16),
		closed: make(chan struct{}),
	}
}

var errMemClosed = errors.New("memconn closed")

func (c *memConn) ReadFrame() ([]byte, bool, error) {
	select {
	case p := <-c.in:
		return p, false, nil
	case <-c.closed:
		return nil, false, io.EOF
	}
}

func (c *memConn) WriteFrame(p []byte) error {
	select {
	case <-c.closed:
		return errMemClosed
	default:
	}
	if c.discard {
		return nil
	}
	select {
	case c.out <- append([]byte(nil), p...):
		return nil
	default:
		return errors.New("memconn: out queue full")
	}
}

func (c *memConn) WriteQuickAck(token uint32) error {
	c.acks <- token | 1<<31
	return nil
}

func (c *memConn) WriteError(code int32) error {
	if code > 0 {
		code = -code
	}
	return c.WriteFrame(binary.LittleEndian.AppendUint32(nil, uint32(code)))
}

func (c *memConn) Codec() transport.Codec           { return transport.Intermediate }
func (c *memConn) Obfuscated() bool                 { return false }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }
func (c *memConn) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }
func (c *memConn) Close() error                     { c.once.Do(func() { close(c.closed) }); return nil }

// testInvoker answers API queries for the engine tests. fn, when set,
// decides; otherwise help.getConfig and help.getNearestDc get small
// answers and anything else INPUT_METHOD_INVALID.
type testInvoker struct {
	mu    sync.Mutex
	calls map[int64]int // msg_id → times invoked
	fn    func(ctx context.Context, s *Session, msgID int64, q tl.Object) (tl.Object, error)
}

type testRPCError struct {
	code int32
	msg  string
}

func (e *testRPCError) Error() string             { return e.msg }
func (e *testRPCError) RPCError() (int32, string) { return e.code, e.msg }

func (in *testInvoker) Invoke(ctx context.Context, s *Session, msgID int64, body []byte) (tl.Object, error) {
	in.mu.Lock()
	if in.calls == nil {
		in.calls = map[int64]int{}
	}
	in.calls[msgID]++
	fn := in.fn
	in.mu.Unlock()
	q, err := tl.Decode(body, tg.New)
	if err != nil {
		return nil, &testRPCError{400, "INPUT_METHOD_INVALID"}
	}
	if fn != nil {
		return fn(ctx, s, msgID, q)
	}
	switch q.(type) {
	case *tg.HelpGetConfigRequest:
		return &tg.Config{ThisDC: 2, DCOptions: []tg.DcOption{{ID: 2, IPAddress: "127.0.0.1", Port: 443}}}, nil
	case *tg.HelpGetNearestDcRequest:
		return &tg.NearestDc{Country: "ZZ", ThisDC: 2, NearestDC: 2}, nil
	}
	return nil, &testRPCError{400, "INPUT_METHOD_INVALID"}
}

func (in *testInvoker) count(msgID int64) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.calls[msgID]
}

// harness is a Server over a memory store with one permanent auth key
// and its current salt.
type harness struct {
	t    testing.TB
	srv  *Server
	inv  *testInvoker
	key  crypto.AuthKey
	salt int64
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	st := memory.New()
	t.Cleanup(func() { st.Close() })
	h := &harness{t: t, inv: &testInvoker{}}
	h.srv = &Server{Store: st, Invoker: h.inv, Log: slog.New(slog.DiscardHandler)}
	h.key, h.salt = h.addKey(time.Time{})
	return h
}

// session returns the server's session id of the harness key, or nil.
func (h *harness) session(id int64) *Session {
	h.srv.mu.Lock()
	defer h.srv.mu.Unlock()
	return h.srv.sessions[sessionKey{h.key.IntID(), id}]
}

// addKey stores a new auth key (temporary when expires is set) with a
// salt valid now, and returns both.
func (h *harness) addKey(expires time.Time) (crypto.AuthKey, int64) {
	h.t.Helper()
	var key crypto.AuthKey
	rand.Read(key[:])
	now := time.Now()
	ctx := context.Background()
	if err := h.srv.Store.AuthKeys().Create(ctx, store.AuthKey{ID: key.IntID(), Key: key, CreatedAt: now, ExpiresAt: expires}); err != nil {
		h.t.Fatal(err)
	}
	var b [8]byte
	rand.Read(b[:])
	salt := int64(binary.LittleEndian.Uint64(b[:]))
	if err := h.srv.Store.Salts().Add(ctx, key.IntID(), store.Salt{Salt: salt, ValidSince: now.Add(-time.Minute), ValidUntil: now.Add(SaltPeriod)}); err != nil {
		h.t.Fatal(err)
	}
	return key, salt
}

// client is one connection of a client to the harness server.
type client struct {
	t       testing.TB
	h       *harness
	conn    *memConn
	cipher  *crypto.Cipher
	session int64
	salt    int64
	lastID  int64
	content int32 // content-related messages sent
	done    chan struct{}
	queue   []serverMsg // received, not yet returned by recv
}

// connect opens a connection for session (0: a random new one) under the
// harness key.
func (h *harness) connect(session int64) *client {
	return h.connectKey(h.key, h.salt, session)
}

func (h *harness) connectKey(key crypto.AuthKey, salt, session int64) *client {
	h.t.Helper()
	if session == 0 {
		var b [8]byte
		rand.Read(b[:])
		session = int64(binary.LittleEndian.Uint64(b[:]) | 1)
	}
	c := &client{t: h.t, h: h, conn: newMemConn(), cipher: crypto.NewCipher(key, crypto.Client, nil),
		session: session, salt: salt, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		h.srv.ServeConn(c.conn)
	}()
	h.t.Cleanup(func() {
		c.conn.Close()
		<-c.done
	})
	return c
}

// on makes the client report failures to t (a subtest).
func (c *client) on(t *testing.T) *client {
	c.t = t
	return c
}

// msgID returns a new client msg_id: now, divisible by 4, increasing.
func (c *client) msgID() int64 {
	id := clientMsgID(time.Now())
	if id <= c.lastID {
		id = c.lastID + 4
	}
	c.lastID = id
	return id
}

func clientMsgID(t time.Time) int64 {
	return (t.Unix()<<32 | int64(t.Nanosecond())<<2&0xffffffff) &^ 3
}

// seqNo numbers the next message as the client protocol says.
func (c *client) seqNo(content bool) int32 {
	if content {
		c.content++
		return c.content*2 - 1
	}
	return c.content * 2
}

// payload encrypts a message of the client's session.
func (c *client) payload(msgID int64, seqNo int32, body []byte) []byte {
	c.t.Helper()
	p, err := c.cipher.Encrypt(nil, crypto.Message{Salt: c.salt, SessionID: c.session, MsgID: msgID, SeqNo: seqNo, Data: body})
	if err != nil {
		c.t.Fatal(err)
	}
	return p
}

// sendRaw puts one payload on the wire.
func (c *client) sendRaw(p []byte) {
	c.t.Helper()
	select {
	case c.conn.in <- p:
	case <-c.done:
		c.t.Fatal("server closed the connection")
	case <-time.After(recvTimeout):
		c.t.Fatal("server does not read")
	}
}

// send encrypts and sends body with the given msg_id and seq_no.
func (c *client) send(msgID int64, seqNo int32, body []byte) {
	c.t.Helper()
	c.sendRaw(c.payload(msgID, seqNo, body))
}

// sendObj sends o as a new message and returns its msg_id.
func (c *client) sendObj(o tl.Object, content bool) int64 {
	c.t.Helper()
	id := c.msgID()
	c.send(id, c.seqNo(content), encode(c.t, o))
	return id
}

func encode(t testing.TB, o tl.Object) []byte {
	t.Helper()
	b, err := tl.Encode(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// serverMsg is one message from the server, unpacked from its container
// when it came in one.
type serverMsg struct {
	msgID int64
	seqNo int32
	body  []byte
	obj   tl.Object
	// container is the msg_id of the container it came in, or 0.
	container int64
}

// frame is one decrypted payload from the server.
type frame struct {
	outer crypto.Message
	msgs  []serverMsg
}

// recvFrame waits for the next payload; it fails on a transport error.
func (c *client) recvFrame() frame {
	c.t.Helper()
	var p []byte
	select {
	case p = <-c.conn.out:
	case <-time.After(recvTimeout):
		c.t.Fatal("no answer from the server")
	}
	if len(p) == 4 {
		c.t.Fatalf("transport error %d", int32(binary.LittleEndian.Uint32(p)))
	}
	m, _, err := c.cipher.Decrypt(nil, p)
	if err != nil {
		c.t.Fatalf("decrypt server payload: %v", err)
	}
	if m.SessionID != c.session {
		c.t.Fatalf("payload for session %x on session %x", m.SessionID, c.session)
	}
	return frame{outer: m, msgs: unpackMsgs(c.t, m.MsgID, m.SeqNo, m.Data)}
}

// unpackMsgs splits a container into its messages, or returns the one
// message.
func unpackMsgs(t testing.TB, msgID int64, seqNo int32, body []byte) []serverMsg {
	t.Helper()
	if tl.Uint32Of(body) != containerID {
		return []serverMsg{{msgID: msgID, seqNo: seqNo, body: body, obj: decodeServer(t, body)}}
	}
	b := body[4:]
	if len(b) < 4 {
		t.Fatal("container from the server without a count")
	}
	n := int(binary.LittleEndian.Uint32(b))
	b = b[4:]
	var out []serverMsg
	for range n {
		if len(b) < 16 {
			t.Fatalf("container from the server ends inside a header")
		}
		m := serverMsg{msgID: int64(binary.LittleEndian.Uint64(b)), seqNo: int32(binary.LittleEndian.Uint32(b[8:])), container: msgID}
		size := int(binary.LittleEndian.Uint32(b[12:]))
		b = b[16:]
		if size > len(b) {
			t.Fatalf("container from the server: inner size %d of %d bytes", size, len(b))
		}
		m.body, b = b[:size], b[size:]
		m.obj = decodeServer(t, m.body)
		out = append(out, m)
	}
	if len(b) != 0 {
		t.Fatalf("container from the server has %d bytes after its messages", len(b))
	}
	return out
}

func decodeServer(t testing.TB, body []byte) tl.Object {
	t.Helper()
	o, err := tl.Decode(body, tl.Chain(mt.New, tg.New))
	if err != nil {
		t.Fatalf("decode server message %#08x: %v", tl.Uint32Of(body), err)
	}
	return o
}

// recv returns the next server message, whatever frame it came in.
func (c *client) recv() serverMsg {
	c.t.Helper()
	for len(c.queue) == 0 {
		c.queue = append(c.queue, c.recvFrame().msgs...)
	}
	m := c.queue[0]
	c.queue = c.queue[1:]
	return m
}

// expect reads messages until one of type T arrives and returns it with
// the messages skipped on the way.
func expect[T tl.Object](c *client) (T, serverMsg, []serverMsg) {
	c.t.Helper()
	var skipped []serverMsg
	for range 64 {
		m := c.recv()
		if v, ok := m.obj.(T); ok {
			return v, m, skipped
		}
		skipped = append(skipped, m)
	}
	var zero T
	c.t.Fatalf("no %T among %d messages", zero, len(skipped))
	return zero, serverMsg{}, nil
}

// expectTransportError waits for a transport error code and the close.
func (c *client) expectTransportError(code int32) {
	c.t.Helper()
	select {
	case p := <-c.conn.out:
		if len(p) != 4 || int32(binary.LittleEndian.Uint32(p)) != code {
			c.t.Fatalf("got a %d-byte payload, want transport error %d", len(p), code)
		}
	case <-time.After(recvTimeout):
		c.t.Fatalf("no transport error %d", code)
	}
	c.expectClosed()
}

// expectClosed waits for the server to end the connection.
func (c *client) expectClosed() {
	c.t.Helper()
	select {
	case <-c.done:
	case <-time.After(recvTimeout):
		c.t.Fatal("server did not close the connection")
	}
}

// roundTrip sends a ping and returns every message that arrived before
// its pong: everything the server sent for earlier messages, since it
// handles a connection's messages in order.
func (c *client) roundTrip() []serverMsg {
	c.t.Helper()
	id := c.sendObj(&mt.PingRequest{PingID: 77}, false)
	var before []serverMsg
	for range 64 {
		m := c.recv()
		if p, ok := m.obj.(*mt.Pong); ok && p.MsgID == id {
			return before
		}
		before = append(before, m)
	}
	c.t.Fatal("no pong")
	return nil
}

// ackAll acknowledges the content-related messages among msgs.
func (c *client) ackAll(msgs ...serverMsg) {
	c.t.Helper()
	var ids []int64
	for _, m := range msgs {
		if m.seqNo&1 == 1 {
			ids = append(ids, m.msgID)
		}
	}
	if len(ids) > 0 {
		c.sendObj(&mt.MsgsAck{MsgIDs: ids}, false)
	}
}

// containerBody builds msg_container from inner messages.
func containerBody(msgs ...innerMsg) []byte {
	e := tl.Encoder{}
	e.Uint32(containerID)
	e.Int(int32(len(msgs)))
	for _, m := range msgs {
		e.Long(m.id)
		e.Int(m.seq)
		size := int32(len(m.body))
		if m.size != nil {
			size = *m.size
		}
		e.Int(size)
		e.Write(m.body)
	}
	return e.Bytes()
}

type innerMsg struct {
	id   int64
	seq  int32
	body []byte
	size *int32 // a lie about the body length, when set
}
