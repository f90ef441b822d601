package mtproto

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// FuzzReceive feeds decrypted message bodies (containers above all)
// through the session engine, as a connection does after decryption:
// salt, msg_id and seq_no rules, the container parser, gzip and the
// service messages. Nothing may panic, and the connection may only be
// dropped for a container of more than maxContainer messages.
func FuzzReceive(f *testing.F) {
	h := newHarness(f)
	ping := encode(f, &mt.PingRequest{PingID: 1})
	query := encode(f, &tg.HelpGetConfigRequest{})
	id := clientMsgID(time.Now())
	seeds := [][]byte{
		ping,
		query,
		tl.GzipPacked(query),
		encode(f, &mt.MsgsAck{MsgIDs: []int64{1, 2}}),
		encode(f, &mt.MsgsStateReq{MsgIDs: []int64{id}}),
		encode(f, &mt.GetFutureSaltsRequest{Num: 3}),
		containerBody(),
		containerBody(innerMsg{id: id - 8, seq: 1, body: query}, innerMsg{id: id - 4, seq: 2, body: ping}),
		containerBody(innerMsg{id: id - 4, seq: 0, body: containerBody(innerMsg{id: id - 8, body: ping})}),
		containerBody(innerMsg{id: id - 4, seq: 0, body: tl.GzipPacked(ping)}),
	}
	for _, s := range seeds {
		f.Add(int32(0), s)
		f.Add(int32(1), s)
	}
	destroy := binary.LittleEndian.AppendUint32(nil, (&mt.DestroyAuthKeyRequest{}).TypeID())
	k := h.srv.key(context.Background(), h.key.IntID())
	var session int64
	f.Fuzz(func(t *testing.T, seqNo int32, body []byte) {
		if bytes.Contains(body, destroy) {
			t.Skip("destroy_auth_key would end the harness key")
		}
		session++
		s := h.srv.session(k, session)
		c := &conn{srv: h.srv, tc: &memConn{discard: true, closed: make(chan struct{})}}
		s.attach(c)
		// The msg_id of the seeds' containers: their inner ids are below.
		ok := s.receive(context.Background(), c, crypto.Message{Salt: h.salt, SessionID: session, MsgID: id, SeqNo: seqNo, Data: body})
		if !ok && !(len(body) >= 8 && tl.Uint32Of(body) == containerID && int32(binary.LittleEndian.Uint32(body[4:])) > maxContainer) {
			t.Errorf("connection dropped for a %d-byte body %#08x", len(body), tl.Uint32Of(body))
		}
		h.srv.destroySession(h.key.IntID(), session)
	})
}
