package e2e

import (
	"bufio"
	"context"
	"crypto/rand"
	lebin "encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gotd/td/clock"
	"github.com/gotd/td/exchange"
	gtransport "github.com/gotd/td/transport"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// This file is a hand-driven MTProto client for the negative tests: it
// sends messages with exactly the salt, session_id, msg_id, seq_no and
// body a test chooses, over the intermediate transport, and reads the
// server's answers as they are on the wire.

// rawTimeout bounds each wait for the server; it is only reached when
// the server fails to answer.
const rawTimeout = 5 * time.Second

// Constructor ids the raw client reads from bytes.
const (
	containerID = 0x73f1f8dc
	rpcResultID = 0xf35c6d01
)

// rawKey is an auth key made with the server by gotd/td's key exchange.
type rawKey struct {
	key  crypto.AuthKey
	salt int64
	// expiresAt is the unix time a temporary key ends; 0 for permanent.
	expiresAt int64
}

// newKey runs gotd/td's client key exchange against s: a permanent key,
// or a temporary one living temp.
func (s *server) newKey(t *testing.T, temp time.Duration) rawKey {
	t.Helper()
	nc, err := net.Dial("tcp", s.mtproto)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := gtransport.Intermediate.Handshake(nc)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ex := exchange.NewExchanger(conn, 2).WithRand(rand.Reader).WithClock(clock.System)
	if temp > 0 {
		ex = ex.WithTempMode(int(temp / time.Second))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	res, err := ex.Client([]exchange.PublicKey{{RSA: s.publicKey()}}).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return rawKey{key: crypto.AuthKey(res.AuthKey.Value), salt: res.ServerSalt, expiresAt: res.ExpiresAt}
}

// rawConn is one TCP connection of the raw client.
type rawConn struct {
	t       *testing.T
	nc      net.Conn
	br      *bufio.Reader
	cipher  *crypto.Cipher
	key     rawKey
	salt    int64
	session int64
	lastID  int64
	content int32 // content-related messages sent in the session
	queue   []rawMsg
}

// dial connects to s and announces the intermediate transport.
func (s *server) dial(t *testing.T) *rawConn {
	t.Helper()
	c := s.dialBare(t)
	c.write([]byte{0xee, 0xee, 0xee, 0xee})
	return c
}

// dialBare connects to s without sending anything.
func (s *server) dialBare(t *testing.T) *rawConn {
	t.Helper()
	nc, err := net.Dial("tcp", s.mtproto)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return &rawConn{t: t, nc: nc, br: bufio.NewReader(nc)}
}

// open connects with key k in session (0: a new random one).
func (s *server) open(t *testing.T, k rawKey, session int64) *rawConn {
	t.Helper()
	c := s.dial(t)
	if session == 0 {
		session = randLong()
	}
	c.key, c.cipher, c.salt, c.session = k, crypto.NewCipher(k.key, crypto.Client, nil), k.salt, session
	return c
}

func randLong() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(lebin.LittleEndian.Uint64(b[:]) | 1)
}

func (c *rawConn) write(b []byte) {
	c.t.Helper()
	c.nc.SetWriteDeadline(time.Now().Add(rawTimeout))
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// writeFrame sends one intermediate frame.
func (c *rawConn) writeFrame(p []byte) {
	c.t.Helper()
	c.write(append(lebin.LittleEndian.AppendUint32(nil, uint32(len(p))), p...))
}

// readFrame reads one intermediate frame.
func (c *rawConn) readFrame() ([]byte, error) {
	c.nc.SetReadDeadline(time.Now().Add(rawTimeout))
	var hdr [4]byte
	if _, err := io.ReadFull(c.br, hdr[:]); err != nil {
		return nil, err
	}
	n := lebin.LittleEndian.Uint32(hdr[:])
	if n > 1<<24 {
		return nil, errors.New("frame too large")
	}
	p := make([]byte, n)
	_, err := io.ReadFull(c.br, p)
	return p, err
}

// msgID returns a new client msg_id: the time, divisible by 4, above
// every earlier one of the connection.
func (c *rawConn) msgID() int64 {
	id := msgIDAt(time.Now())
	if id <= c.lastID {
		id = c.lastID + 4
	}
	c.lastID = id
	return id
}

func msgIDAt(t time.Time) int64 {
	return (t.Unix()<<32 | int64(t.Nanosecond())<<2&0xffffffff) &^ 3
}

// seqNo numbers the next message: odd for content-related ones.
func (c *rawConn) seqNo(content bool) int32 {
	if content {
		c.content++
		return c.content*2 - 1
	}
	return c.content * 2
}

// continues makes c carry on the msg_id and seq_no counters of prev, a
// connection of the same session.
func (c *rawConn) continues(prev *rawConn) *rawConn {
	c.lastID, c.content = prev.lastID, prev.content
	return c
}

// payload encrypts one message as the client.
func (c *rawConn) payload(msgID int64, seqNo int32, body []byte) []byte {
	c.t.Helper()
	p, err := c.cipher.Encrypt(nil, crypto.Message{Salt: c.salt, SessionID: c.session, MsgID: msgID, SeqNo: seqNo, Data: body})
	if err != nil {
		c.t.Fatal(err)
	}
	return p
}

// send encrypts and sends one message.
func (c *rawConn) send(msgID int64, seqNo int32, body []byte) {
	c.t.Helper()
	c.writeFrame(c.payload(msgID, seqNo, body))
}

// sendObj sends o as a new message and returns its msg_id.
func (c *rawConn) sendObj(o tl.Object, content bool) int64 {
	c.t.Helper()
	id := c.msgID()
	c.send(id, c.seqNo(content), encodeObj(c.t, o))
	return id
}

func encodeObj(t *testing.T, o tl.Object) []byte {
	t.Helper()
	b, err := tl.Encode(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawMsg is one message from the server, out of its container if it
// came in one.
type rawMsg struct {
	msgID     int64
	seqNo     int32
	body      []byte
	obj       tl.Object
	container int64 // msg_id of the container, or 0
}

// rawFrame is one decrypted payload from the server.
type rawFrame struct {
	outer crypto.Message
	msgs  []rawMsg
}

// recvFrame reads and decrypts the next payload; a transport error or a
// close fails the test.
func (c *rawConn) recvFrame() rawFrame {
	c.t.Helper()
	p, err := c.readFrame()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	if len(p) == 4 {
		c.t.Fatalf("transport error %d", int32(lebin.LittleEndian.Uint32(p)))
	}
	m, _, err := c.cipher.Decrypt(nil, p)
	if err != nil {
		c.t.Fatalf("decrypt: %v", err)
	}
	if m.SessionID != c.session {
		c.t.Fatalf("message of session %x on session %x", m.SessionID, c.session)
	}
	return rawFrame{outer: m, msgs: c.unpack(m)}
}

// unpack splits a container into its messages.
func (c *rawConn) unpack(m crypto.Message) []rawMsg {
	c.t.Helper()
	if tl.Uint32Of(m.Data) != containerID {
		return []rawMsg{{msgID: m.MsgID, seqNo: m.SeqNo, body: m.Data, obj: decodeAny(c.t, m.Data)}}
	}
	b := m.Data[4:]
	if len(b) < 4 {
		c.t.Fatal("container without a count")
	}
	n := int(lebin.LittleEndian.Uint32(b))
	b = b[4:]
	var out []rawMsg
	for range n {
		if len(b) < 16 {
			c.t.Fatal("container ends in a header")
		}
		in := rawMsg{msgID: int64(lebin.LittleEndian.Uint64(b)), seqNo: int32(lebin.LittleEndian.Uint32(b[8:])), container: m.MsgID}
		size := int(lebin.LittleEndian.Uint32(b[12:]))
		if size > len(b)-16 {
			c.t.Fatalf("container message of %d bytes in %d", size, len(b)-16)
		}
		in.body, b = b[16:16+size], b[16+size:]
		in.obj = decodeAny(c.t, in.body)
		out = append(out, in)
	}
	if len(b) != 0 {
		c.t.Fatalf("%d bytes after the container's messages", len(b))
	}
	return out
}

// rawBool is a boxed Bool as a decodable object (an RPC result): the
// constructor id is the value.
type rawBool bool

func (b *rawBool) TypeID() uint32 {
	if *b {
		return tl.BoolTrueID
	}
	return tl.BoolFalseID
}
func (b *rawBool) EncodeBare(*tl.Encoder) {}
func (b *rawBool) DecodeBare(*tl.Decoder) {}

func boolTypes(id uint32) tl.Object {
	switch id {
	case tl.BoolTrueID:
		v := rawBool(true)
		return &v
	case tl.BoolFalseID:
		v := rawBool(false)
		return &v
	}
	return nil
}

// decodeAny decodes a server message with the service and API schemas.
func decodeAny(t *testing.T, b []byte) tl.Object {
	t.Helper()
	o, err := tl.Decode(b, tl.Chain(mt.New, tg.New, boolTypes))
	if err != nil {
		t.Fatalf("decode %#08x: %v", tl.Uint32Of(b), err)
	}
	return o
}

// recv returns the next message from the server.
func (c *rawConn) recv() rawMsg {
	c.t.Helper()
	for len(c.queue) == 0 {
		c.queue = c.recvFrame().msgs
	}
	m := c.queue[0]
	c.queue = c.queue[1:]
	return m
}

// expectMsg reads until a message of type T arrives; it returns it, its
// envelope and the messages skipped.
func expectMsg[T tl.Object](c *rawConn) (T, rawMsg, []rawMsg) {
	c.t.Helper()
	var skipped []rawMsg
	for range 64 {
		m := c.recv()
		if v, ok := m.obj.(T); ok {
			return v, m, skipped
		}
		skipped = append(skipped, m)
	}
	var zero T
	c.t.Fatalf("no %T among %d messages", zero, len(skipped))
	return zero, rawMsg{}, nil
}

// result reads until the rpc_result for req and returns its result.
func (c *rawConn) result(req int64) tl.Object {
	c.t.Helper()
	for range 64 {
		if r, ok := c.recv().obj.(*mt.RpcResult); ok && r.ReqMsgID == req {
			return r.Result
		}
	}
	c.t.Fatalf("no rpc_result for %x", req)
	return nil
}

// rpcError reads the answer to req and checks it is rpc_error code/msg.
func (c *rawConn) rpcError(req int64, code int32, msg string) {
	c.t.Helper()
	e, ok := c.result(req).(*mt.RpcError)
	if !ok || e.ErrorCode != code || e.ErrorMessage != msg {
		c.t.Fatalf("answer %#v, want rpc_error %d %s", e, code, msg)
	}
}

// badMsg reads until bad_msg_notification and checks it.
func (c *rawConn) badMsg(msgID int64, seqNo, code int32) {
	c.t.Helper()
	n, m, _ := expectMsg[*mt.BadMsgNotification](c)
	if n.BadMsgID != msgID || n.BadMsgSeqno != seqNo || n.ErrorCode != code {
		c.t.Fatalf("bad_msg_notification{%x, %d, %d}, want {%x, %d, %d}", n.BadMsgID, n.BadMsgSeqno, n.ErrorCode, msgID, seqNo, code)
	}
	if m.seqNo&1 != 0 {
		c.t.Error("bad_msg_notification sent as content-related")
	}
}

// roundTrip sends a ping and returns what arrived before its pong.
func (c *rawConn) roundTrip() []rawMsg {
	c.t.Helper()
	id := c.sendObj(&mt.PingRequest{PingID: 42}, false)
	var before []rawMsg
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

// expectTransportError reads a 4-byte transport error, then the close.
func (c *rawConn) expectTransportError(code int32) {
	c.t.Helper()
	p, err := c.readFrame()
	if err != nil {
		c.t.Fatalf("want transport error %d, got %v", code, err)
	}
	if len(p) != 4 || int32(lebin.LittleEndian.Uint32(p)) != code {
		c.t.Fatalf("want transport error %d, got a %d-byte payload", code, len(p))
	}
	c.expectClosed()
}

// expectClosed checks that the server ends the connection without
// sending anything more.
func (c *rawConn) expectClosed() {
	c.t.Helper()
	c.nc.SetReadDeadline(time.Now().Add(rawTimeout))
	n, err := c.br.Read(make([]byte, 1))
	var ne net.Error
	switch {
	case err == nil:
		c.t.Fatalf("server sent %d more bytes, want the close", n)
	case errors.As(err, &ne) && ne.Timeout():
		c.t.Fatal("server kept the connection open")
	}
}

// containerOf builds msg_container from inner messages; size, when set,
// overrides an inner message's bytes field.
func containerOf(msgs ...inner) []byte {
	e := tl.Encoder{}
	e.Uint32(containerID)
	e.Int(int32(len(msgs)))
	for _, m := range msgs {
		e.Long(m.id)
		e.Int(m.seq)
		size := int32(len(m.body))
		if m.size != 0 {
			size = m.size
		}
		e.Int(size)
		e.Write(m.body)
	}
	return e.Bytes()
}

type inner struct {
	id   int64
	seq  int32
	body []byte
	size int32
}

// healthy checks that the server still serves a well-behaved client:
// help.getConfig on a fresh connection and session.
func (s *server) healthy(t *testing.T, k rawKey) {
	t.Helper()
	c := s.open(t, k, 0)
	req := c.sendObj(&tg.HelpGetConfigRequest{}, true)
	cfg, ok := c.result(req).(*tg.Config)
	if !ok || cfg.ThisDC != 2 {
		t.Fatalf("help.getConfig answered %#v", cfg)
	}
	s.noPanic(t)
}

// noPanic drains what the server logged so far and fails on a panic.
// The lines are shown when the test has failed, as dumpLog would have.
func (s *server) noPanic(t *testing.T) {
	t.Helper()
	var lines []string
	for drained := false; !drained; {
		select {
		case l := <-s.logLines:
			lines = append(lines, l)
			if strings.Contains(strings.ToLower(l), "panic") {
				t.Errorf("server log: %s", l)
			}
		default:
			drained = true
		}
	}
	if t.Failed() {
		for _, l := range lines {
			t.Log("server: " + l)
		}
	}
}

// peakRSS returns the server's peak resident set size in KiB.
func (s *server) peakRSS(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Skip("no VmHWM")
	return 0
}
