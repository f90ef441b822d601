package mtproto

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/tl"
)

// reply sends a service answer (not content-related: no ack expected).
func (s *Session) reply(o tl.Object) {
	s.mu.Lock()
	s.sendLocked(o, false, 1)
	s.mu.Unlock()
}

// ack acknowledges a content-related client message.
func (s *Session) ack(msgID int64) {
	s.reply(&mt.MsgsAck{MsgIDs: []int64{msgID}})
}

// acked forgets acknowledged server messages.
func (s *Session) acked(ids []int64) {
	s.mu.Lock()
	for _, id := range ids {
		delete(s.pending, id)
	}
	s.mu.Unlock()
}

// result sends rpc_result for a query, its result encoded in layer l and
// gzipped when large.
func (s *Session) result(reqMsgID int64, res tl.Object, l tl.Layer) {
	e := tl.Encoder{Layer: l}
	e.Uint32(rpcResultID)
	e.Long(reqMsgID)
	head := len(e.Bytes())
	if res == nil {
		e.Fail(&tl.NilError{What: "result"})
	} else {
		e.Object(res)
	}
	body := e.Bytes()
	if err := e.Err(); err != nil {
		s.srv.log().Error("encode result", "err", err)
		e.Reset()
		e.Uint32(rpcResultID)
		e.Long(reqMsgID)
		e.Object(&mt.RpcError{ErrorCode: 500, ErrorMessage: "INTERNAL"})
		body = e.Bytes()
	} else if len(body)-head > gzipThreshold {
		packed := tl.GzipPacked(body[head:])
		if len(packed) < len(body)-head {
			body = append(body[:head:head], packed...)
		}
	}
	s.mu.Lock()
	s.sendRawLocked(body, true, 1)
	s.mu.Unlock()
}

// Constructor ids of the updates containers that a session numbers with
// its seq; seq is their last field (updatesCombined: seq_start, seq).
const (
	updatesID         = 0x74ae4240
	updatesCombinedID = 0x725b04c3
)

// Push sends a server-initiated content-related object (updates) to the
// session, encoded in its layer.
//
// An updates or updatesCombined container takes the session's next seq:
// the one before plus one (seq_start = seq: one container is one step).
// The seq is written into the encoded container under the session lock,
// together with the write, so that the order on the wire is the order of
// the numbers. Other objects (updateShort*) carry no seq.
func (s *Session) Push(o tl.Object) error {
	_, err := s.push(o)
	return err
}

// push is Push; it returns the seq the container took (0: none).
func (s *Session) push(o tl.Object) (int32, error) {
	layer, _ := s.Layer()
	b, err := tl.EncodeLayer(o, layer)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	seq := s.stampLocked(b)
	s.sendRawLocked(b, true, 3)
	return seq, nil
}

// stampLocked numbers an encoded updates container with the session's
// next seq and returns it; other objects are left as they are (0).
func (s *Session) stampLocked(b []byte) int32 {
	if len(b) < 12 {
		return 0
	}
	switch binary.LittleEndian.Uint32(b) {
	case updatesID:
		s.updSeq++
	case updatesCombinedID:
		s.updSeq++
		binary.LittleEndian.PutUint32(b[len(b)-8:], uint32(s.updSeq))
	default:
		return 0
	}
	binary.LittleEndian.PutUint32(b[len(b)-4:], uint32(s.updSeq))
	return s.updSeq
}

// UpdatesSeq returns the seq of the last updates container pushed to the
// session (updates.getState and updates.getDifference answer it).
func (s *Session) UpdatesSeq() int32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updSeq
}

func (s *Session) sendLocked(o tl.Object, content bool, residue int64) {
	b, err := tl.Encode(o)
	if err != nil {
		s.srv.log().Error("encode service message", "err", err)
		return
	}
	s.sendRawLocked(b, content, residue)
}

// sendRawLocked numbers and writes one message.
func (s *Session) sendRawLocked(body []byte, content bool, residue int64) {
	m := outMsg{msgID: s.nextID(residue), body: body, content: content}
	m.seqNo = s.seq * 2
	if content {
		m.seqNo++
		s.seq++
		if len(s.pending) < maxPending {
			s.pending[m.msgID] = m
		}
	}
	s.writeLocked([]outMsg{m}, false)
}

// nextID returns a msg_id above every one sent in the session.
func (s *Session) nextID(residue int64) int64 {
	id := newMsgID(time.Now(), residue)
	if id <= s.lastID {
		id = (s.lastID+4)&^3 | residue
	}
	s.lastID = id
	return id
}

// maxContainerBytes bounds the body of a container the server builds. A
// resend of everything a client left unacknowledged can be large (file
// parts); in one container it could pass the transport's frame limit and
// never be delivered. Far below that limit, it also keeps frames small.
const maxContainerBytes = 1 << 20

// writeLocked encrypts msgs for the current connection: one message as
// it is, several (or a resend, which keeps the original ids) inside
// containers with new, higher msg_ids, as many as maxContainerBytes needs.
func (s *Session) writeLocked(msgs []outMsg, wrap bool) {
	if !wrap && len(msgs) == 1 {
		s.writeOneLocked(msgs[0])
		return
	}
	for len(msgs) > 0 && s.conn != nil {
		n, size := 0, 8
		for n < len(msgs) && (n == 0 || size+16+len(msgs[n].body) <= maxContainerBytes) {
			size += 16 + len(msgs[n].body)
			n++
		}
		e := tl.Encoder{}
		e.Uint32(containerID)
		e.Int(int32(n))
		for _, m := range msgs[:n] {
			e.Long(m.msgID)
			e.Int(m.seqNo)
			e.Int(int32(len(m.body)))
			e.Write(m.body)
		}
		s.writeOneLocked(outMsg{msgID: s.nextID(3), seqNo: s.seq * 2, body: e.Bytes()})
		msgs = msgs[n:]
	}
}

// writeOneLocked encrypts and writes one message.
func (s *Session) writeOneLocked(out outMsg) {
	c := s.conn
	if c == nil {
		return
	}
	salt := s.key.currentSalt(context.Background(), s.srv.Store.Salts(), time.Now())
	frame, err := s.key.cipher.Encrypt(nil, crypto.Message{Salt: salt, SessionID: s.id, MsgID: out.msgID, SeqNo: out.seqNo, Data: out.body})
	if err != nil {
		s.srv.log().Error("encrypt", "err", err)
		return
	}
	if err := c.write(frame); err != nil {
		s.conn = nil
	}
}
