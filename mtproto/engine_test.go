package mtproto

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"testing"
	"time"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// expectBadMsg reads until a bad_msg_notification arrives and checks it.
func expectBadMsg(t *testing.T, c *client, msgID int64, seqNo, code int32) {
	t.Helper()
	n, _, _ := expect[*mt.BadMsgNotification](c)
	if n.BadMsgID != msgID || n.BadMsgSeqno != seqNo || n.ErrorCode != code {
		t.Fatalf("bad_msg_notification{%x, %d, %d}, want {%x, %d, %d}", n.BadMsgID, n.BadMsgSeqno, n.ErrorCode, msgID, seqNo, code)
	}
}

// noneOf fails when msgs hold an object of type T.
func noneOf[T tl.Object](t *testing.T, msgs []serverMsg) {
	t.Helper()
	for _, m := range msgs {
		if _, ok := m.obj.(T); ok {
			t.Fatalf("unexpected %T", m.obj)
		}
	}
}

func resultOf(t *testing.T, m serverMsg) *mt.RpcResult {
	t.Helper()
	r, ok := m.obj.(*mt.RpcResult)
	if !ok {
		t.Fatalf("%T, want rpc_result", m.obj)
	}
	return r
}

// An API call gets rpc_result; a ping gets pong with the ping's msg_id.
func TestCallAndPing(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	id := c.sendObj(&tg.HelpGetConfigRequest{}, true)
	r, _, _ := expect[*mt.RpcResult](c)
	if r.ReqMsgID != id {
		t.Errorf("req_msg_id %x, want %x", r.ReqMsgID, id)
	}
	if cfg, ok := r.Result.(*tg.Config); !ok || cfg.ThisDC != 2 {
		t.Errorf("result %#v", r.Result)
	}
	pid := c.sendObj(&mt.PingRequest{PingID: 12345}, false)
	p, _, _ := expect[*mt.Pong](c)
	if p.MsgID != pid || p.PingID != 12345 {
		t.Errorf("pong{%x, %d}, want {%x, 12345}", p.MsgID, p.PingID, pid)
	}
}

// new_session_created: once, for the first accepted message, with the
// current salt; not for a message rejected for its msg_id, and not again
// on another connection of the same session.
func TestNewSessionCreated(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	old := clientMsgID(time.Now().Add(-time.Hour))
	c.send(old, 0, encode(t, &mt.PingRequest{PingID: 1}))
	n, m, _ := expect[*mt.BadMsgNotification](c)
	if n.ErrorCode != 16 {
		t.Fatalf("error %d, want 16", n.ErrorCode)
	}
	if m.seqNo&1 != 0 {
		t.Error("bad_msg_notification is content-related")
	}
	first := c.sendObj(&mt.PingRequest{PingID: 2}, false)
	var created []*mt.NewSessionCreated
	var nsc serverMsg
	for _, m := range append(c.roundTrip(), c.roundTrip()...) {
		if v, ok := m.obj.(*mt.NewSessionCreated); ok {
			created, nsc = append(created, v), m
		}
	}
	if len(created) != 1 {
		t.Fatalf("%d new_session_created, want 1", len(created))
	}
	if created[0].FirstMsgID != first || created[0].ServerSalt != h.salt {
		t.Errorf("new_session_created{first %x, salt %x}, want {%x, %x}", created[0].FirstMsgID, created[0].ServerSalt, first, h.salt)
	}
	if nsc.seqNo&1 != 1 || nsc.msgID&3 != 3 {
		t.Errorf("new_session_created seq_no %d msg_id %x: want content-related, server-initiated", nsc.seqNo, nsc.msgID)
	}
	// On a new connection the unacknowledged one is resent under its own
	// msg_id; no new one is made.
	c2 := h.connect(c.session)
	c2.lastID, c2.content = c.lastID, c.content
	for _, m := range c2.roundTrip() {
		if _, ok := m.obj.(*mt.NewSessionCreated); ok && m.msgID != nsc.msgID {
			t.Error("second new_session_created for the same session")
		}
	}
	// Another session of the key gets its own.
	c3 := h.connect(0)
	_, _, _ = expect[*mt.NewSessionCreated](c3.pinged())
}

// pinged sends a ping and returns c, for chaining.
func (c *client) pinged() *client {
	c.sendObj(&mt.PingRequest{PingID: 3}, false)
	return c
}

// The numbering of server messages: content-related ones odd and
// counting, service answers even, msg_ids increasing, ≡1 mod 4 for
// answers and ≡3 for the server's own messages.
func TestServerNumbering(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	var msgs []serverMsg
	for range 3 {
		c.sendObj(&tg.HelpGetNearestDcRequest{}, true)
		_, m, skipped := expect[*mt.RpcResult](c)
		msgs = append(append(msgs, skipped...), m)
	}
	msgs = append(msgs, c.roundTrip()...)
	s := h.session(c.session)
	if err := s.Push(&tg.UpdatesTooLong{}); err != nil {
		t.Fatal(err)
	}
	_, m, skipped := expect[*tg.UpdatesTooLong](c)
	msgs = append(append(msgs, skipped...), m)

	content := int32(0)
	var last int64
	for _, m := range msgs {
		if m.msgID <= last {
			t.Errorf("%T: msg_id %x not above %x", m.obj, m.msgID, last)
		}
		last = m.msgID
		var wantContent bool
		var wantResidue int64
		switch m.obj.(type) {
		case *mt.RpcResult:
			wantContent, wantResidue = true, 1
		case *mt.NewSessionCreated, *tg.UpdatesTooLong:
			wantContent, wantResidue = true, 3
		case *mt.MsgsAck:
			wantResidue = 1
		default:
			t.Fatalf("unexpected %T", m.obj)
		}
		if m.msgID&3 != wantResidue {
			t.Errorf("%T: msg_id ≡ %d mod 4, want %d", m.obj, m.msgID&3, wantResidue)
		}
		want := content * 2
		if wantContent {
			want++
			content++
		}
		if m.seqNo != want {
			t.Errorf("%T: seq_no %d, want %d", m.obj, m.seqNo, want)
		}
	}
	if content != 5 {
		t.Errorf("%d content-related messages, want 5 (new_session_created, 3 results, 1 update)", content)
	}
}

// Unacknowledged content-related messages are sent again, in a container
// with a higher msg_id that keeps their own ids and seq_nos, when the
// session continues on a new connection; acknowledged ones are not.
func TestResendOnReconnect(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	id := c.sendObj(&tg.HelpGetConfigRequest{}, true)
	_, first, before := expect[*mt.RpcResult](c)
	if len(before) != 1 {
		t.Fatalf("%d messages before the result, want new_session_created", len(before))
	}
	created := before[0]
	c.conn.Close()
	<-c.done

	c2 := h.connect(c.session)
	c2.lastID, c2.content = c.lastID, c.content
	c2.sendObj(&mt.PingRequest{PingID: 5}, false)
	f := c2.recvFrame()
	if len(f.msgs) != 2 || f.msgs[0].container == 0 {
		t.Fatalf("got %d messages (container %x), want the 2 unacknowledged in a container", len(f.msgs), f.msgs[0].container)
	}
	if f.outer.SeqNo&1 != 0 {
		t.Errorf("container seq_no %d is odd", f.outer.SeqNo)
	}
	want := []serverMsg{created, first}
	for i, m := range f.msgs {
		if m.msgID != want[i].msgID || m.seqNo != want[i].seqNo || !bytes.Equal(m.body, want[i].body) {
			t.Errorf("resent %d: {%x, %d}, want {%x, %d} with the same body", i, m.msgID, m.seqNo, want[i].msgID, want[i].seqNo)
		}
		if m.msgID >= f.outer.MsgID {
			t.Errorf("inner msg_id %x not below the container's %x", m.msgID, f.outer.MsgID)
		}
	}
	if r := resultOf(t, f.msgs[1]); r.ReqMsgID != id {
		t.Errorf("resent result for %x, want %x", r.ReqMsgID, id)
	}
	c2.ackAll(f.msgs...)
	c2.roundTrip()
	c2.conn.Close()
	<-c2.done

	c3 := h.connect(c.session)
	c3.lastID, c3.content = c2.lastID, c2.content
	noneOf[*mt.RpcResult](t, c3.roundTrip())
}

// A large result is sent gzip_packed inside rpc_result; a small one plain.
func TestGzipLargeResult(t *testing.T) {
	h := newHarness(t)
	big := &tg.Config{ThisDC: 2}
	for i := range 100 {
		big.DCOptions = append(big.DCOptions, tg.DcOption{ID: int32(i), IPAddress: "10.0.0.1", Port: 443})
	}
	h.inv.fn = func(_ context.Context, _ *Session, _ int64, q tl.Object) (tl.Object, error) {
		if _, ok := q.(*tg.HelpGetConfigRequest); ok {
			return big, nil
		}
		return &tg.NearestDc{ThisDC: 2}, nil
	}
	c := h.connect(0)
	c.sendObj(&tg.HelpGetConfigRequest{}, true)
	r, m, _ := expect[*mt.RpcResult](c)
	if got := binary.LittleEndian.Uint32(m.body[12:]); got != tl.GzipPackedID {
		t.Errorf("large result starts with %#08x, want gzip_packed", got)
	}
	if cfg, ok := r.Result.(*tg.Config); !ok || len(cfg.DCOptions) != 100 {
		t.Errorf("unpacked result %T", r.Result)
	}
	c.sendObj(&tg.HelpGetNearestDcRequest{}, true)
	_, m, _ = expect[*mt.RpcResult](c)
	if got := binary.LittleEndian.Uint32(m.body[12:]); got == tl.GzipPackedID {
		t.Error("small result gzip_packed")
	}
}

// A gzip_packed query is unpacked and run; a gzip_packed inside another,
// or a broken one, is an invalid message (64); an API query is
// content-related however it is packed (35).
func TestGzipQuery(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	id := c.msgID()
	c.send(id, c.seqNo(true), tl.GzipPacked(encode(t, &tg.HelpGetConfigRequest{})))
	r, _, _ := expect[*mt.RpcResult](c)
	if _, ok := r.Result.(*tg.Config); !ok || r.ReqMsgID != id {
		t.Errorf("rpc_result{%x, %T}, want {%x, config}", r.ReqMsgID, r.Result, id)
	}

	nested := tl.GzipPacked(tl.GzipPacked(encode(t, &tg.HelpGetConfigRequest{})))
	id, seq := c.msgID(), c.seqNo(true)
	c.send(id, seq, nested)
	expectBadMsg(t, c, id, seq, 64)

	broken := tl.GzipPacked(encode(t, &tg.HelpGetConfigRequest{}))
	broken[len(broken)-5] ^= 0xff
	id, seq = c.msgID(), c.seqNo(true)
	c.send(id, seq, broken)
	expectBadMsg(t, c, id, seq, 64)

	id, seq = c.msgID(), c.seqNo(false)
	c.send(id, seq, tl.GzipPacked(encode(t, &tg.HelpGetConfigRequest{})))
	expectBadMsg(t, c, id, seq, 35)
	if n := h.inv.count(id); n != 0 {
		t.Errorf("rejected query invoked %d times", n)
	}
}

// seq_no parity: API queries odd (35), msgs_ack and containers even
// (34); service messages either, an odd one being acknowledged.
func TestSeqNoParity(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	id := c.msgID()
	c.send(id, 2, encode(t, &tg.HelpGetConfigRequest{}))
	expectBadMsg(t, c, id, 2, 35)
	if n := h.inv.count(id); n != 0 {
		t.Errorf("query with even seq_no invoked %d times", n)
	}
	id = c.msgID()
	c.send(id, 3, encode(t, &mt.MsgsAck{MsgIDs: []int64{1}}))
	expectBadMsg(t, c, id, 3, 34)
	id = c.msgID()
	c.send(id, 5, containerBody(innerMsg{id: id - 4, seq: 4, body: encode(t, &mt.PingRequest{})}))
	expectBadMsg(t, c, id, 5, 34)

	// An odd ping is content-related: its pong answers and so
	// acknowledges it, with no separate msgs_ack.
	id = c.msgID()
	c.send(id, 7, encode(t, &mt.PingRequest{PingID: 9}))
	var ponged bool
	for _, m := range c.roundTrip() {
		if p, ok := m.obj.(*mt.Pong); ok && p.MsgID == id {
			ponged = true
		}
		if _, ok := m.obj.(*mt.MsgsAck); ok {
			t.Error("ping acknowledged besides its pong")
		}
	}
	if !ponged {
		t.Error("odd ping not answered")
	}
	// Other odd service messages are acknowledged.
	id = c.msgID()
	c.send(id, 9, encode(t, &mt.MsgResendReq{MsgIDs: []int64{}}))
	var acked bool
	for _, m := range c.roundTrip() {
		if a, ok := m.obj.(*mt.MsgsAck); ok && len(a.MsgIDs) == 1 && a.MsgIDs[0] == id {
			acked = true
		}
	}
	if !acked {
		t.Error("odd msg_resend_req not acknowledged")
	}
}

// A repeated message is acknowledged and not run again; a container with
// a used msg_id gets 19.
func TestDuplicateMessage(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	id, seq := c.msgID(), c.seqNo(true)
	body := encode(t, &tg.HelpGetConfigRequest{})
	c.send(id, seq, body)
	expect[*mt.RpcResult](c)
	c.send(id, seq, body)
	var acked bool
	for _, m := range c.roundTrip() {
		if a, ok := m.obj.(*mt.MsgsAck); ok && len(a.MsgIDs) == 1 && a.MsgIDs[0] == id {
			acked = true
		}
		if _, ok := m.obj.(*mt.RpcResult); ok {
			t.Error("duplicate answered again")
		}
	}
	if !acked {
		t.Error("duplicate not acknowledged")
	}
	if n := h.inv.count(id); n != 1 {
		t.Errorf("query run %d times, want 1", n)
	}
	cseq := c.seqNo(false)
	c.send(id, cseq, containerBody(innerMsg{id: id - 4, seq: cseq, body: encode(t, &mt.PingRequest{})}))
	expectBadMsg(t, c, id, cseq, 19)
}

// A bad salt gets bad_server_salt with the current salt and the message
// is not taken: sent again with that salt, it runs.
func TestBadServerSalt(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	c.salt = 1234
	id, seq := c.msgID(), c.seqNo(true)
	body := encode(t, &tg.HelpGetConfigRequest{})
	c.send(id, seq, body)
	b, m, _ := expect[*mt.BadServerSalt](c)
	if b.BadMsgID != id || b.BadMsgSeqno != seq || b.ErrorCode != 48 || b.NewServerSalt != h.salt {
		t.Fatalf("bad_server_salt{%x, %d, %d, %x}, want {%x, %d, 48, %x}", b.BadMsgID, b.BadMsgSeqno, b.ErrorCode, b.NewServerSalt, id, seq, h.salt)
	}
	if m.seqNo&1 != 0 {
		t.Error("bad_server_salt is content-related")
	}
	c.salt = b.NewServerSalt
	c.send(id, seq, body)
	r, _, _ := expect[*mt.RpcResult](c)
	if r.ReqMsgID != id {
		t.Errorf("result for %x, want %x", r.ReqMsgID, id)
	}
}

// Payloads that do not decrypt under a known key get -404 and the close.
func TestUndecryptable(t *testing.T) {
	h := newHarness(t)
	t.Run("unknown key", func(t *testing.T) {
		var other [256]byte
		rand.Read(other[:])
		c := h.connectKey(other, h.salt, 0).on(t)
		c.sendRaw(c.payload(c.msgID(), 0, encode(t, &mt.PingRequest{})))
		c.expectTransportError(-404)
	})
	t.Run("msg_key", func(t *testing.T) {
		c := h.connect(0).on(t)
		p := c.payload(c.msgID(), 0, encode(t, &mt.PingRequest{}))
		p[10] ^= 1
		c.sendRaw(p)
		c.expectTransportError(-404)
	})
	t.Run("short", func(t *testing.T) {
		c := h.connect(0).on(t)
		c.sendRaw(c.payload(c.msgID(), 0, encode(t, &mt.PingRequest{}))[:40])
		c.expectTransportError(-404)
	})
	t.Run("truncated", func(t *testing.T) {
		c := h.connect(0).on(t)
		p := c.payload(c.msgID(), 0, encode(t, &mt.PingRequest{}))
		c.sendRaw(p[:len(p)-16])
		c.expectTransportError(-404)
	})
	t.Run("expired temporary key", func(t *testing.T) {
		key, salt := h.addKey(time.Now().Add(-time.Second))
		c := h.connectKey(key, salt, 0).on(t)
		c.sendRaw(c.payload(c.msgID(), 0, encode(t, &mt.PingRequest{})))
		c.expectTransportError(-404)
	})
}

// A resend larger than maxContainerBytes is split over several
// containers, each within the bound, every message kept once in order.
func TestResendSplit(t *testing.T) {
	h := newHarness(t)
	big := make([]byte, maxContainerBytes*6/10)
	rand.Read(big) // random: gzip cannot shrink it
	h.inv.fn = func(context.Context, *Session, int64, tl.Object) (tl.Object, error) {
		return &tg.NearestDc{Country: string(big)}, nil
	}
	c := h.connect(0)
	var want []int64
	for range 3 {
		c.sendObj(&tg.HelpGetNearestDcRequest{}, true)
		_, m, _ := expect[*mt.RpcResult](c)
		want = append(want, m.msgID)
	}
	c.conn.Close()
	<-c.done
	c2 := h.connect(c.session)
	c2.lastID, c2.content = c.lastID, c.content
	c2.sendObj(&mt.PingRequest{}, false)
	var got []int64
	for frames := 0; len(got) < 4; frames++ { // new_session_created and 3 results
		if frames > 4 {
			t.Fatalf("resent %d messages in %d frames", len(got), frames)
		}
		f := c2.recvFrame()
		if len(f.outer.Data) > maxContainerBytes {
			t.Errorf("container of %d bytes", len(f.outer.Data))
		}
		for _, m := range f.msgs {
			if m.container == 0 || m.msgID >= f.outer.MsgID {
				t.Fatalf("resent message %x outside a container or above it", m.msgID)
			}
			got = append(got, m.msgID)
		}
	}
	for i, id := range want {
		if got[i+1] != id {
			t.Errorf("resent %x at %d, want %x", got[i+1], i+1, id)
		}
	}
}
