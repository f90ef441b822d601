package mtproto

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/binary"
	"slices"
	"sync"
	"time"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tl"
)

type sessionKey struct{ key, id int64 }

// Constructor ids the engine reads straight from message bytes.
const (
	containerID = 0x73f1f8dc // msg_container
	msgsAckID   = 0x62d6b459 // msgs_ack
	rpcResultID = 0xf35c6d01 // rpc_result
)

// Limits of the msg_id rules (the official page: 300 s back, 30 s ahead)
// and of what a session remembers.
const (
	maxPast        = 300 * time.Second
	maxFuture      = 30 * time.Second
	seenWindow     = 1024
	maxPending     = 1024
	maxContainer   = 1024
	gzipThreshold  = 1024
	maxServiceList = 8192
)

// Session is one MTProto session: a stream of messages under an auth key
// with the session id the client chose. It outlives connections: a client
// that reconnects with the same id continues it.
type Session struct {
	srv *Server
	key *authKey
	id  int64

	mu       sync.Mutex
	conn     *conn
	fresh    bool // no message accepted yet: new_session_created is due
	seq      int32
	updSeq   int32 // seq of the updates containers pushed (see Push)
	lastID   int64
	seen     map[int64]bool
	seenRing []int64
	minSeen  int64
	pending  map[int64]outMsg // content-related, sent, not acknowledged
	running  map[int64]bool
	lastUsed time.Time
	layer    tl.Layer
	layerN   int
	values   map[string]any
}

// outMsg is a message on its way to the client.
type outMsg struct {
	msgID   int64
	seqNo   int32
	body    []byte
	content bool
}

// ID returns session_id.
func (s *Session) ID() int64 { return s.id }

// AuthKey returns the auth key the session runs under.
func (s *Session) AuthKey() store.AuthKey {
	s.key.mu.Lock()
	defer s.key.mu.Unlock()
	return s.key.AuthKey
}

// Layer returns the API layer adapter for this session (nil: canonical)
// and the layer number the client announced (0: not yet).
func (s *Session) Layer() (tl.Layer, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.layer, s.layerN
}

// SetLayer records the layer announced by invokeWithLayer.
func (s *Session) SetLayer(n int, l tl.Layer) {
	s.mu.Lock()
	s.layer, s.layerN = l, n
	s.mu.Unlock()
}

// Value returns what the Invoker stored under name (initConnection data).
func (s *Session) Value(name string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.values[name]
}

// SetValue stores a value for the Invoker.
func (s *Session) SetValue(name string, v any) {
	s.mu.Lock()
	if s.values == nil {
		s.values = map[string]any{}
	}
	s.values[name] = v
	s.mu.Unlock()
}

func (s *Server) session(k *authKey, id int64) *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	sk := sessionKey{k.ID, id}
	if sess := s.sessions[sk]; sess != nil {
		return sess
	}
	now := time.Now()
	s.evictLocked(k.ID, now)
	sess := &Session{srv: s, key: k, id: id, fresh: true, seen: map[int64]bool{},
		pending: map[int64]outMsg{}, running: map[int64]bool{}, lastUsed: now, updSeq: s.seqStartLocked(k, now)}
	s.addSessionLocked(sess)
	return sess
}

// attach makes c the connection the session writes to, resending what the
// client has not acknowledged when the connection changes.
func (s *Session) attach(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == c {
		return
	}
	s.conn = c
	if len(s.pending) == 0 {
		return
	}
	var msgs []outMsg
	for _, m := range s.pending {
		msgs = append(msgs, m)
	}
	// In the order they were first sent, as the client would have read them.
	slices.SortFunc(msgs, func(a, b outMsg) int { return cmp.Compare(a.msgID, b.msgID) })
	s.writeLocked(msgs, true)
}

// receive checks and handles one decrypted message; false closes the
// connection.
func (s *Session) receive(ctx context.Context, c *conn, m crypto.Message) bool {
	now := time.Now()
	if !s.key.validSalt(m.Salt, now) {
		salt := s.key.currentSalt(ctx, s.srv.Store.Salts(), now)
		s.reply(&mt.BadServerSalt{BadMsgID: m.MsgID, BadMsgSeqno: m.SeqNo, ErrorCode: 48, NewServerSalt: salt})
		return true
	}
	s.mu.Lock()
	s.lastUsed = now
	s.mu.Unlock()
	return s.message(ctx, c, m.MsgID, m.SeqNo, m.Data, false)
}

// created sends new_session_created before the first message the session
// accepts: a message rejected for its msg_id (a client with a wrong clock
// gets 16 or 17 first) does not count, so first_msg_id names a message the
// server really took.
func (s *Session) created(ctx context.Context, msgID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.fresh {
		return
	}
	s.fresh = false
	var u [8]byte
	rand.Read(u[:])
	salt := s.key.currentSalt(ctx, s.srv.Store.Salts(), time.Now())
	s.sendLocked(&mt.NewSessionCreated{FirstMsgID: msgID, UniqueID: int64(binary.LittleEndian.Uint64(u[:])), ServerSalt: salt}, true, 3)
}

// badMsg answers a message that breaks a rule; the message is ignored.
func (s *Session) badMsg(msgID int64, seqNo int32, code int32) {
	s.reply(&mt.BadMsgNotification{BadMsgID: msgID, BadMsgSeqno: seqNo, ErrorCode: code})
}

// checkID applies the msg_id rules and remembers the id. It returns the
// bad_msg_notification code, -1 for a duplicate, or 0.
func (s *Session) checkID(msgID int64, container bool) int32 {
	now := time.Now()
	switch t := time.Unix(msgID>>32, 0); {
	case msgID&3 != 0:
		return 18
	case t.Before(now.Add(-maxPast)):
		return 16
	case t.After(now.Add(maxFuture)):
		return 17
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[msgID] {
		if container {
			return 19
		}
		return -1
	}
	if msgID < s.minSeen {
		return 20
	}
	s.seen[msgID] = true
	s.seenRing = append(s.seenRing, msgID)
	if len(s.seenRing) > seenWindow {
		old := s.seenRing[0]
		s.seenRing = s.seenRing[1:]
		delete(s.seen, old)
		if old > s.minSeen {
			s.minSeen = old
		}
	}
	return 0
}

// isService reports constructor ids of the MTProto service schema that a
// client may send; anything else is an API query.
func isService(id uint32) bool {
	o := mt.New(id)
	return o != nil || id == tl.GzipPackedID
}

// message handles one message (or a message inside a container).
func (s *Session) message(ctx context.Context, c *conn, msgID int64, seqNo int32, body []byte, inContainer bool) bool {
	if len(body) < 4 {
		s.badMsg(msgID, seqNo, 64)
		return true
	}
	id := binary.LittleEndian.Uint32(body)
	isContainer := id == containerID
	if code := s.checkID(msgID, isContainer); code != 0 {
		if code > 0 {
			s.badMsg(msgID, seqNo, code)
		} else if seqNo&1 == 1 {
			s.ack(msgID) // a duplicate: acknowledge again, do not execute
		}
		return true
	}
	if !inContainer {
		s.created(ctx, msgID)
	}
	// seq_no parity: containers and acks are not content-related (even),
	// API queries are (odd). The ordering codes 32/33 are not enforced:
	// the checklist allows a lenient server to check parity only.
	switch {
	case isContainer || id == msgsAckID:
		if seqNo&1 == 1 {
			s.badMsg(msgID, seqNo, 34)
			return true
		}
	case !isService(id) && seqNo&1 == 0:
		s.badMsg(msgID, seqNo, 35)
		return true
	}
	if isContainer {
		return s.container(ctx, c, msgID, seqNo, body[4:])
	}
	return s.dispatch(ctx, c, msgID, seqNo, body)
}

// container handles msg_container: validated whole, then each message.
func (s *Session) container(ctx context.Context, c *conn, msgID int64, seqNo int32, b []byte) bool {
	type inner struct {
		id   int64
		seq  int32
		body []byte
	}
	if len(b) < 4 {
		s.badMsg(msgID, seqNo, 64)
		return true
	}
	n := int(int32(binary.LittleEndian.Uint32(b)))
	b = b[4:]
	if n > maxContainer {
		c.writeError(-429)
		return false
	}
	if n < 0 || n > len(b)/16 {
		s.badMsg(msgID, seqNo, 64)
		return true
	}
	msgs := make([]inner, 0, n)
	for i := 0; i < n; i++ {
		if len(b) < 16 {
			s.badMsg(msgID, seqNo, 64)
			return true
		}
		m := inner{id: int64(binary.LittleEndian.Uint64(b)), seq: int32(binary.LittleEndian.Uint32(b[8:]))}
		size := int(int32(binary.LittleEndian.Uint32(b[12:])))
		b = b[16:]
		if size < 4 || size%4 != 0 || size > len(b) || m.id >= msgID || m.seq > seqNo {
			s.badMsg(msgID, seqNo, 64)
			return true
		}
		m.body, b = b[:size], b[size:]
		if tl.Uint32Of(m.body) == containerID {
			// Containers do not nest; the container is rejected whole,
			// before any message in it runs.
			s.badMsg(msgID, seqNo, 64)
			return true
		}
		msgs = append(msgs, m)
	}
	if len(b) != 0 {
		s.badMsg(msgID, seqNo, 64)
		return true
	}
	for _, m := range msgs {
		if !s.message(ctx, c, m.id, m.seq, m.body, true) {
			return false
		}
	}
	return true
}
