package e2e

import (
	"bytes"
	"crypto/rand"
	lebin "encoding/binary"
	"testing"
	"time"

	gcrypto "github.com/gotd/td/crypto"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// Every way a client message can be rejected, against a running roost
// serve, each with the exact answer the protocol prescribes; after each,
// the server still serves a well-behaved client and has not panicked.
func TestRejections(t *testing.T) {
	s := startServer(t)
	k := s.newKey(t, 0)
	getConfig := func(t *testing.T) []byte { return encodeObj(t, &tg.HelpGetConfigRequest{}) }
	ping := func(t *testing.T) []byte { return encodeObj(t, &mt.PingRequest{PingID: 1}) }
	cases := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"unknown auth_key_id", func(t *testing.T) {
			var other [256]byte
			rand.Read(other[:])
			c := s.open(t, rawKey{key: other, salt: k.salt}, 0)
			c.send(c.msgID(), 0, ping(t))
			c.expectTransportError(-404)
		}},
		{"wrong msg_key", func(t *testing.T) {
			c := s.open(t, k, 0)
			p := c.payload(c.msgID(), 0, ping(t))
			p[8] ^= 0x80
			c.writeFrame(p)
			c.expectTransportError(-404)
		}},
		{"encrypted payload cut short", func(t *testing.T) {
			c := s.open(t, k, 0)
			p := c.payload(c.msgID(), 0, ping(t))
			c.writeFrame(p[:len(p)-16])
			c.expectTransportError(-404)
		}},
		{"msg_id too old", func(t *testing.T) {
			c := s.open(t, k, 0)
			id := msgIDAt(time.Now().Add(-10 * time.Minute))
			c.send(id, 0, ping(t))
			c.badMsg(id, 0, 16)
		}},
		{"msg_id too new", func(t *testing.T) {
			c := s.open(t, k, 0)
			id := msgIDAt(time.Now().Add(2 * time.Minute))
			c.send(id, 0, ping(t))
			c.badMsg(id, 0, 17)
		}},
		{"msg_id parity", func(t *testing.T) {
			c := s.open(t, k, 0)
			for _, r := range []int64{1, 2, 3} {
				id := c.msgID() | r
				c.send(id, 0, ping(t))
				c.badMsg(id, 0, 18)
			}
		}},
		{"duplicate message", func(t *testing.T) {
			metric := `roost_mtproto_rpc_total{error="OK",method="help.getNearestDc"}`
			c := s.open(t, k, 0)
			id, seq := c.msgID(), c.seqNo(true)
			body := encodeObj(t, &tg.HelpGetNearestDcRequest{})
			c.send(id, seq, body)
			c.result(id)
			c.send(id, seq, body)
			next := c.sendObj(&tg.HelpGetNearestDcRequest{}, true)
			var acked bool
			for {
				m := c.recv()
				if a, ok := m.obj.(*mt.MsgsAck); ok && len(a.MsgIDs) == 1 && a.MsgIDs[0] == id {
					acked = true
				}
				r, ok := m.obj.(*mt.RpcResult)
				if ok && r.ReqMsgID == id {
					t.Fatal("duplicate executed and answered again")
				}
				if ok && r.ReqMsgID == next {
					break
				}
			}
			if !acked {
				t.Error("duplicate not acknowledged")
			}
			if got := s.metric(metric); got != "2" {
				t.Errorf("help.getNearestDc ran %s times, want 2", got)
			}
		}},
		{"container re-using a msg_id", func(t *testing.T) {
			c := s.open(t, k, 0)
			first := c.sendObj(&mt.PingRequest{PingID: 1}, false)
			c.roundTrip()
			seq := c.seqNo(false)
			c.send(first, seq, containerOf(inner{id: first - 4, seq: seq, body: ping(t)}))
			c.badMsg(first, seq, 19)
		}},
		{"API query with even seq_no", func(t *testing.T) {
			c := s.open(t, k, 0)
			id := c.msgID()
			c.send(id, 0, getConfig(t))
			c.badMsg(id, 0, 35)
		}},
		{"msgs_ack with odd seq_no", func(t *testing.T) {
			c := s.open(t, k, 0)
			id := c.msgID()
			c.send(id, 1, encodeObj(t, &mt.MsgsAck{MsgIDs: []int64{1}}))
			c.badMsg(id, 1, 34)
		}},
		{"container with odd seq_no", func(t *testing.T) {
			c := s.open(t, k, 0)
			c.msgID()
			id := c.msgID()
			c.send(id, 1, containerOf(inner{id: id - 4, seq: 0, body: ping(t)}))
			c.badMsg(id, 1, 34)
		}},
		{"wrong salt", func(t *testing.T) {
			c := s.open(t, k, 0)
			c.salt = k.salt ^ 0x5555
			id, seq := c.msgID(), c.seqNo(true)
			c.send(id, seq, getConfig(t))
			b, m, _ := expectMsg[*mt.BadServerSalt](c)
			if b.BadMsgID != id || b.BadMsgSeqno != seq || b.ErrorCode != 48 || b.NewServerSalt != k.salt {
				t.Fatalf("bad_server_salt{%x, %d, %d, %x}, want {%x, %d, 48, %x}", b.BadMsgID, b.BadMsgSeqno, b.ErrorCode, b.NewServerSalt, id, seq, k.salt)
			}
			if m.seqNo&1 != 0 {
				t.Error("bad_server_salt sent as content-related")
			}
			c.salt = b.NewServerSalt
			c.send(id, seq, getConfig(t))
			if _, ok := c.result(id).(*tg.Config); !ok {
				t.Fatal("call re-sent with the new salt failed")
			}
		}},
		{"oversized frame length", func(t *testing.T) {
			before := s.peakRSS(t)
			c := s.dial(t)
			c.write(lebin.LittleEndian.AppendUint32(nil, 0x7ffffff0))
			c.write(make([]byte, 1024))
			c.expectClosed()
			// Peak memory must not reflect the 2 GiB the header announced.
			if grown := s.peakRSS(t) - before; grown > 64<<10 {
				t.Errorf("peak RSS grew by %d KiB", grown)
			}
		}},
		{"garbage first bytes", func(t *testing.T) {
			c := s.dialBare(t)
			garbage := bytes.Repeat([]byte{0x17, 0x42, 0x99, 0x03}, 16)
			c.write(garbage)
			c.expectClosed()
		}},
		{"HTTP on the MTProto port", func(t *testing.T) {
			c := s.dialBare(t)
			c.write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
			c.expectClosed()
		}},
		{"unaligned frame length", func(t *testing.T) {
			c := s.dial(t)
			c.writeFrame(make([]byte, 70))
			c.expectClosed()
		}},
		{"frame cut by the close", func(t *testing.T) {
			c := s.open(t, k, 0)
			p := c.payload(c.msgID(), 0, ping(t))
			c.write(lebin.LittleEndian.AppendUint32(nil, uint32(len(p))))
			c.write(p[:len(p)/2])
			c.nc.(interface{ CloseWrite() error }).CloseWrite()
			c.expectClosed()
		}},
		{"frame shorter than an auth_key_id", func(t *testing.T) {
			c := s.dial(t)
			c.writeFrame([]byte{1, 2, 3, 4})
			c.expectTransportError(-404)
		}},
		{"nested container", func(t *testing.T) {
			c := s.open(t, k, 0)
			c.roundTrip()
			ids := []int64{c.msgID(), c.msgID(), c.msgID()}
			id, seq := c.msgID(), c.seqNo(false)
			nested := containerOf(inner{id: ids[0], seq: seq, body: ping(t)})
			c.send(id, seq, containerOf(inner{id: ids[1], seq: seq, body: ping(t)}, inner{id: ids[2], seq: seq, body: nested}))
			c.badMsg(id, seq, 64)
			for _, m := range c.roundTrip() {
				t.Errorf("message of the rejected container answered: %T", m.obj)
			}
		}},
		{"container whose bytes lie", func(t *testing.T) {
			c := s.open(t, k, 0)
			c.roundTrip()
			for _, size := range []int32{16, 8, 13, -4} {
				in := c.msgID()
				id, seq := c.msgID(), c.seqNo(false)
				c.send(id, seq, containerOf(inner{id: in, seq: seq, body: ping(t), size: size}))
				c.badMsg(id, seq, 64)
			}
			for _, m := range c.roundTrip() {
				t.Errorf("message of a rejected container answered: %T", m.obj)
			}
		}},
		{"container of 1025 messages", func(t *testing.T) {
			c := s.open(t, k, 0)
			c.roundTrip()
			body := containerOf()
			lebin.LittleEndian.PutUint32(body[4:], 1025)
			c.send(c.msgID(), 0, append(body, make([]byte, 1025*20)...))
			c.expectTransportError(-429)
		}},
		{"gzip bomb", func(t *testing.T) {
			c := s.open(t, k, 0)
			id, seq := c.msgID(), c.seqNo(true)
			c.send(id, seq, tl.GzipPacked(make([]byte, 17<<20)))
			c.badMsg(id, seq, 64)
		}},
		{"unknown constructor as query", func(t *testing.T) {
			c := s.open(t, k, 0)
			id := c.msgID()
			c.send(id, c.seqNo(true), []byte{0xef, 0xbe, 0xad, 0xde, 0, 0, 0, 0})
			c.rpcError(id, 400, "INPUT_METHOD_INVALID")
		}},
		{"type constructor as query", func(t *testing.T) {
			c := s.open(t, k, 0)
			id := c.sendObj(&tg.InputPeerSelf{}, true)
			c.rpcError(id, 400, "INPUT_METHOD_INVALID")
		}},
		{"truncated query", func(t *testing.T) {
			c := s.open(t, k, 0)
			b := encodeObj(t, &tg.AuthBindTempAuthKeyRequest{EncryptedMessage: make([]byte, 100)})
			id := c.msgID()
			c.send(id, c.seqNo(true), b[:len(b)-8])
			c.rpcError(id, 400, "INPUT_CONSTRUCTOR_INVALID")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t)
			s.healthy(t, k)
		})
	}
}

// The service messages a client may send, each answered as the protocol
// says.
func TestServiceMessages(t *testing.T) {
	s := startServer(t)
	k := s.newKey(t, 0)

	t.Run("ping", func(t *testing.T) {
		c := s.open(t, k, 0)
		id := c.sendObj(&mt.PingRequest{PingID: 987654321}, false)
		p, m, _ := expectMsg[*mt.Pong](c)
		if p.MsgID != id || p.PingID != 987654321 || m.seqNo&1 != 0 {
			t.Errorf("pong{%x, %d} seq_no %d, want {%x, 987654321} not content-related", p.MsgID, p.PingID, m.seqNo, id)
		}
	})
	t.Run("get_future_salts", func(t *testing.T) {
		c := s.open(t, k, 0)
		id := c.sendObj(&mt.GetFutureSaltsRequest{Num: 3}, false)
		fs, _, _ := expectMsg[*mt.FutureSalts](c)
		if fs.ReqMsgID != id || len(fs.Salts) != 3 {
			t.Fatalf("future_salts{%x, %d salts}, want {%x, 3}", fs.ReqMsgID, len(fs.Salts), id)
		}
		if fs.Salts[0].Salt != k.salt {
			t.Errorf("first salt %x, want the current %x", fs.Salts[0].Salt, k.salt)
		}
		now := int32(time.Now().Unix())
		if d := fs.Now - now; d < -5 || d > 5 {
			t.Errorf("now %d, local %d", fs.Now, now)
		}
		for i := 1; i < 3; i++ {
			if fs.Salts[i].ValidSince != fs.Salts[i-1].ValidUntil {
				t.Errorf("salt %d starts at %d, previous ends at %d", i, fs.Salts[i].ValidSince, fs.Salts[i-1].ValidUntil)
			}
		}
	})
	t.Run("msgs_state_req", func(t *testing.T) {
		c := s.open(t, k, 0)
		seen := c.sendObj(&mt.PingRequest{}, false)
		c.roundTrip()
		unseen := seen - 4 // before the session's first message
		future := msgIDAt(time.Now().Add(time.Hour))
		id := c.sendObj(&mt.MsgsStateReq{MsgIDs: []int64{seen, unseen, future}}, false)
		info, _, _ := expectMsg[*mt.MsgsStateInfo](c)
		if info.ReqMsgID != id || len(info.Info) != 3 {
			t.Fatalf("msgs_state_info{%x, %v}", info.ReqMsgID, info.Info)
		}
		if info.Info[0]&7 != 4 || info.Info[1] != 2 || info.Info[2] != 3 {
			t.Errorf("states %v, want [4+flags, 2, 3]", info.Info)
		}
	})
	t.Run("destroy_session", func(t *testing.T) {
		other := s.open(t, k, 0)
		other.roundTrip()
		c := s.open(t, k, 0)
		c.sendObj(&mt.DestroySessionRequest{SessionID: other.session}, false)
		ok, _, _ := expectMsg[*mt.DestroySessionOk](c)
		if ok.SessionID != other.session {
			t.Errorf("destroy_session_ok for %x, want %x", ok.SessionID, other.session)
		}
		c.sendObj(&mt.DestroySessionRequest{SessionID: 12345}, false)
		none, _, _ := expectMsg[*mt.DestroySessionNone](c)
		if none.SessionID != 12345 {
			t.Errorf("destroy_session_none for %x, want 12345", none.SessionID)
		}
	})
	t.Run("rpc_drop_answer", func(t *testing.T) {
		c := s.open(t, k, 0)
		id := c.sendObj(&mt.RpcDropAnswerRequest{ReqMsgID: 4242}, true)
		if _, ok := c.result(id).(*mt.RpcAnswerUnknown); !ok {
			t.Error("rpc_drop_answer for an unknown query: want rpc_answer_unknown")
		}
	})
	t.Run("gzip_packed query", func(t *testing.T) {
		c := s.open(t, k, 0)
		id := c.msgID()
		c.send(id, c.seqNo(true), tl.GzipPacked(encodeObj(t, &tg.HelpGetConfigRequest{})))
		if _, ok := c.result(id).(*tg.Config); !ok {
			t.Error("gzip_packed help.getConfig not answered with config")
		}
	})
	t.Run("new_session_created once", func(t *testing.T) {
		c := s.open(t, k, 0)
		first := c.sendObj(&mt.PingRequest{}, false)
		msgs := append(c.roundTrip(), c.roundTrip()...)
		var created []rawMsg
		for _, m := range msgs {
			if _, ok := m.obj.(*mt.NewSessionCreated); ok {
				created = append(created, m)
			}
		}
		if len(created) != 1 {
			t.Fatalf("%d new_session_created, want 1", len(created))
		}
		n := created[0].obj.(*mt.NewSessionCreated)
		if n.FirstMsgID != first || n.ServerSalt != k.salt || created[0].seqNo&1 != 1 {
			t.Errorf("new_session_created{first %x, salt %x} seq_no %d, want {%x, %x}, content-related",
				n.FirstMsgID, n.ServerSalt, created[0].seqNo, first, k.salt)
		}
		// Acknowledged, it is not sent again on a new connection.
		c.sendObj(&mt.MsgsAck{MsgIDs: []int64{created[0].msgID}}, false)
		c.roundTrip()
		c2 := s.open(t, k, c.session).continues(c)
		for _, m := range c2.roundTrip() {
			t.Errorf("on reconnect: %T", m.obj)
		}
	})
	t.Run("resend after reconnect", func(t *testing.T) {
		c := s.open(t, k, 0)
		id := c.sendObj(&tg.HelpGetConfigRequest{}, true)
		_, res, _ := expectMsg[*mt.RpcResult](c)
		c.nc.Close()
		c2 := s.open(t, k, c.session).continues(c)
		c2.sendObj(&mt.PingRequest{}, false)
		f := c2.recvFrame()
		var got *rawMsg
		for i, m := range f.msgs {
			if m.msgID == res.msgID {
				got = &f.msgs[i]
			}
		}
		if f.msgs[0].container == 0 || got == nil {
			t.Fatalf("first frame after reconnect: %d messages, container %x; want the unacknowledged result in a container", len(f.msgs), f.msgs[0].container)
		}
		if !bytes.Equal(got.body, res.body) || got.seqNo != res.seqNo || got.msgID >= f.outer.MsgID {
			t.Error("resent result differs from the original or its container's msg_id is not above it")
		}
		if r := got.obj.(*mt.RpcResult); r.ReqMsgID != id {
			t.Errorf("resent result for %x, want %x", r.ReqMsgID, id)
		}
	})
	t.Run("destroy_auth_key", func(t *testing.T) {
		k2 := s.newKey(t, 0)
		c := s.open(t, k2, 0)
		c.sendObj(&mt.DestroyAuthKeyRequest{}, false)
		expectMsg[*mt.DestroyAuthKeyOk](c)
		c.expectClosed()
		c = s.open(t, k2, 0)
		c.send(c.msgID(), 0, encodeObj(t, &mt.PingRequest{}))
		c.expectTransportError(-404)
	})
	s.healthy(t, k)
	if got := s.metric(`roost_mtproto_handshakes_total{result="ok"}`); got != "2" {
		t.Errorf("handshakes = %q, want 2", got)
	}
}

// bindReq describes one auth.bindTempAuthKey call: what the request says
// and what the encrypted binding message inside it says, so that a test
// can make them disagree.
type bindReq struct {
	perm, temp rawKey
	encryptKey crypto.AuthKey // key the binding message is encrypted with
	permID     int64          // perm_auth_key_id of the request
	nonce      int64          // nonce of the request
	expiresAt  int32          // expires_at of the request
	inner      gcrypto.BindAuthKeyInner
	innerMsgID int64 // 0: the msg_id of the request, as it must be
	tamper     bool  // flip a bit of the encrypted message
}

// newBind returns a correct binding of temp to perm for session.
func newBind(perm, temp rawKey, session int64) *bindReq {
	nonce := randLong()
	exp := int32(temp.expiresAt)
	return &bindReq{
		perm: perm, temp: temp, encryptKey: perm.key, permID: perm.key.IntID(), nonce: nonce, expiresAt: exp,
		inner: gcrypto.BindAuthKeyInner{Nonce: nonce, TempAuthKeyID: temp.key.IntID(), PermAuthKeyID: perm.key.IntID(),
			TempSessionID: session, ExpiresAt: int(exp)},
	}
}

// send sends the call on c and returns its answer.
func (b *bindReq) send(c *rawConn) tl.Object {
	c.t.Helper()
	id := c.msgID()
	inner := b.innerMsgID
	if inner == 0 {
		inner = id
	}
	enc, err := gcrypto.EncryptBindMessage(rand.Reader, gcrypto.Key(b.encryptKey).WithID(), inner, &b.inner)
	if err != nil {
		c.t.Fatal(err)
	}
	if b.tamper {
		enc[len(enc)-1] ^= 1
	}
	c.send(id, c.seqNo(true), encodeObj(c.t, &tg.AuthBindTempAuthKeyRequest{
		PermAuthKeyID: b.permID, Nonce: b.nonce, ExpiresAt: b.expiresAt, EncryptedMessage: enc}))
	return c.result(id)
}

// PFS end to end: gotd/td makes a temporary key (p_q_inner_data_temp_dc),
// a hand-built MTProto 1.0 binding message binds it to a permanent key,
// and every disagreement is refused with the official error.
func TestTempKeyBind(t *testing.T) {
	s := startServer(t)
	perm := s.newKey(t, 0)
	temp := s.newKey(t, time.Hour)
	if temp.expiresAt == 0 {
		t.Fatal("gotd made a permanent key in temporary mode")
	}
	other := s.newKey(t, 0)
	temp2 := s.newKey(t, time.Hour)
	var unknown [256]byte
	rand.Read(unknown[:])

	invalid := "ENCRYPTED_MESSAGE_INVALID"
	cases := []struct {
		name   string
		key    rawKey // the key the call travels under
		mutate func(b *bindReq)
		want   string
	}{
		{"nonce differs", temp, func(b *bindReq) { b.inner.Nonce++ }, invalid},
		{"msg_id differs", temp, func(b *bindReq) { b.innerMsgID = msgIDAt(time.Now()) - 400 }, invalid},
		{"session differs", temp, func(b *bindReq) { b.inner.TempSessionID++ }, invalid},
		{"temp_auth_key_id differs", temp, func(b *bindReq) { b.inner.TempAuthKeyID = other.key.IntID() }, invalid},
		{"perm_auth_key_id differs inside", temp, func(b *bindReq) { b.inner.PermAuthKeyID = other.key.IntID() }, invalid},
		{"expires_at differs inside", temp, func(b *bindReq) { b.inner.ExpiresAt-- }, invalid},
		{"encrypted with another key", temp, func(b *bindReq) { b.encryptKey = other.key }, invalid},
		{"encrypted with the temporary key", temp, func(b *bindReq) { b.encryptKey, b.permID = temp.key, temp.key.IntID() }, invalid},
		{"another temporary key as permanent", temp, func(b *bindReq) {
			b.encryptKey, b.permID, b.inner.PermAuthKeyID = temp2.key, temp2.key.IntID(), temp2.key.IntID()
		}, invalid},
		{"unknown permanent key", temp, func(b *bindReq) {
			b.encryptKey, b.permID, b.inner.PermAuthKeyID = unknown, crypto.AuthKey(unknown).IntID(), crypto.AuthKey(unknown).IntID()
		}, invalid},
		{"tampered message", temp, func(b *bindReq) { b.tamper = true }, invalid},
		{"expired expires_at", temp, func(b *bindReq) { b.expiresAt = int32(time.Now().Unix() - 10); b.inner.ExpiresAt = int(b.expiresAt) }, "EXPIRES_AT_INVALID"},
		{"expires_at after the key", temp, func(b *bindReq) { b.expiresAt += 3600; b.inner.ExpiresAt = int(b.expiresAt) }, "EXPIRES_AT_INVALID"},
		{"over the permanent key", perm, nil, "TEMP_AUTH_KEY_EMPTY"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := s.open(t, tc.key, 0)
			b := newBind(perm, temp, c.session)
			if tc.mutate != nil {
				tc.mutate(b)
			}
			e, ok := b.send(c).(*mt.RpcError)
			if !ok || e.ErrorCode != 400 || e.ErrorMessage != tc.want {
				t.Fatalf("answer %#v, want rpc_error 400 %s", e, tc.want)
			}
		})
	}

	c := s.open(t, temp, 0)
	if v, ok := newBind(perm, temp, c.session).send(c).(*rawBool); !ok || !bool(*v) {
		t.Fatal("correct binding not answered boolTrue")
	}
	// Binding again to the same key is fine; to another one it is not.
	if v, ok := newBind(perm, temp, c.session).send(c).(*rawBool); !ok || !bool(*v) {
		t.Error("second binding to the same key not answered boolTrue")
	}
	b := newBind(other, temp, c.session)
	if e, ok := b.send(c).(*mt.RpcError); !ok || e.ErrorMessage != "TEMP_AUTH_KEY_ALREADY_BOUND" {
		t.Errorf("binding to another permanent key: %#v, want TEMP_AUTH_KEY_ALREADY_BOUND", e)
	}
	// The bound temporary key serves calls.
	s.healthy(t, temp)
}
