package main

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/roostchat/roost/mtproto/crypto"
)

// Constructor ids the lean client writes and reads (MTProto service schema
// and the API method it calls).
const (
	idPing             = 0x7abe77ec
	idPong             = 0x347773c5
	idRPCResult        = 0xf35c6d01
	idRPCError         = 0x2144ca19
	idMsgsAck          = 0x62d6b459
	idVector           = 0x1cb5c415
	idContainer        = 0x73f1f8dc
	idNewSession       = 0x9ec20908
	idBadServerSalt    = 0xedab447b
	idBadMsg           = 0xa7eff811
	idGzipPacked       = 0x3072cfa1
	idHelpGetNearestDc = 0x1fb33026
	idNearestDc        = 0x8e1a1775
)

// ackEvery is how many content-related server messages the client collects
// before it acknowledges them in one msgs_ack, as clients batch acks.
const ackEvery = 16

// call is what a round trip asks.
type call int

const (
	callNearestDc call = iota // help.getNearestDc: an API query through the Invoker
	callPing                  // ping: answered by the session engine
)

func (c call) String() string {
	if c == callPing {
		return "ping"
	}
	return "help.getNearestDc"
}

func parseCall(s string) (call, error) {
	switch s {
	case "nearest", "help.getNearestDc":
		return callNearestDc, nil
	case "ping":
		return callPing, nil
	}
	return 0, fmt.Errorf("unknown call %q (want nearest or ping)", s)
}

// session is the lean client's MTProto session on one connection.
type session struct {
	fc     *frameConn
	cipher *crypto.Cipher
	salt   int64
	id     int64
	seq    int32
	ids    msgIDs
	// echo accepts any answer of the right kind: the echo server replays
	// one answer encrypted for this key.
	echo  bool
	acks  []int64
	out   []byte
	in    []byte
	plain []byte
	body  []byte
	// Sizes of the last round trip: request frame, answer frame, frames read.
	reqSize, ansSize, frames int
}

func newSession(fc *frameConn, key crypto.AuthKey, salt int64) *session {
	s := &session{fc: fc, cipher: crypto.NewCipher(key, crypto.Client, nil), salt: salt,
		in: make([]byte, 0, 4096), plain: make([]byte, 0, 4096)}
	var b [8]byte
	randRead(b[:])
	s.id = int64(binary.LittleEndian.Uint64(b[:]))
	return s
}

// send encrypts and writes one message; content-related messages take an
// odd seq_no.
func (s *session) send(body []byte, content bool) (int64, error) {
	msgID := s.ids.next()
	seq := s.seq * 2
	if content {
		seq++
		s.seq++
	}
	var err error
	s.out, err = s.cipher.Encrypt(s.out[:0], crypto.Message{Salt: s.salt, SessionID: s.id, MsgID: msgID, SeqNo: seq, Data: body})
	if err != nil {
		return 0, err
	}
	s.reqSize = len(s.out)
	return msgID, s.fc.writeFrame(s.out)
}

// request builds the body of c.
func (s *session) request(c call) []byte {
	b := s.body[:0]
	if c == callPing {
		b = binary.LittleEndian.AppendUint32(b, idPing)
		b = binary.LittleEndian.AppendUint64(b, uint64(s.ids.last))
	} else {
		b = binary.LittleEndian.AppendUint32(b, idHelpGetNearestDc)
	}
	s.body = b
	return b
}

// roundTrip sends c and reads frames until its answer arrives, answering
// bad_server_salt by resending with the new salt.
func (s *session) roundTrip(c call) error {
	for attempt := 0; attempt < 3; attempt++ {
		want, err := s.send(s.request(c), true)
		if err != nil {
			return err
		}
		reqSize := s.reqSize
		in := inbox{want: want, echo: s.echo}
		s.frames = 0
		for !in.done && !in.resend {
			frame, err := s.fc.readFrame(s.in)
			if err != nil {
				return err
			}
			s.in = frame[:cap(frame)]
			s.frames++
			m, _, err := s.cipher.Decrypt(s.plain, frame)
			if err != nil {
				return fmt.Errorf("decrypt answer: %w", err)
			}
			if m.SeqNo&1 == 1 && !s.echo {
				in.acks = append(in.acks, m.MsgID)
			}
			if err := in.scan(m.Data, 0); err != nil {
				return err
			}
			s.ansSize = len(frame)
		}
		s.reqSize = reqSize
		if in.salt != 0 {
			s.salt = in.salt
		}
		s.acks = append(s.acks, in.acks...)
		if len(s.acks) >= ackEvery {
			if err := s.ack(); err != nil {
				return err
			}
		}
		if in.done {
			return in.err
		}
	}
	return errors.New("bad_server_salt three times in a row")
}

// ack sends msgs_ack for the collected ids.
func (s *session) ack() error {
	b := binary.LittleEndian.AppendUint32(nil, idMsgsAck)
	b = binary.LittleEndian.AppendUint32(b, idVector)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s.acks)))
	for _, id := range s.acks {
		b = binary.LittleEndian.AppendUint64(b, uint64(id))
	}
	s.acks = s.acks[:0]
	_, err := s.send(b, false)
	return err
}

// inbox reads the server messages that arrive while a round trip waits.
type inbox struct {
	want   int64 // msg_id of the request
	echo   bool  // any rpc_result or pong completes the round trip
	done   bool
	resend bool  // bad_server_salt: send again with salt
	salt   int64 // the salt to use from now on (0: unchanged)
	err    error // rpc_error or bad_msg_notification
	acks   []int64
}

// maxDepth bounds nesting (a container holds no container; gzip holds
// one object), so a hostile server cannot recurse the scan deep.
const maxDepth = 2

var errShort = errors.New("server message too short")

// scan walks one decrypted message_data (or a message inside a container).
func (in *inbox) scan(b []byte, depth int) error {
	if len(b) < 4 {
		return errShort
	}
	u32 := func(off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
	u64 := func(off int) int64 { return int64(binary.LittleEndian.Uint64(b[off:])) }
	switch u32(0) {
	case idRPCResult:
		if len(b) < 16 {
			return errShort
		}
		if u64(4) != in.want && !in.echo {
			return nil // the answer to an earlier request
		}
		in.done = true
		if u32(12) == idRPCError {
			in.err = fmt.Errorf("rpc_error: %s", rpcErrorText(b[16:]))
		}
	case idPong:
		if len(b) < 20 {
			return errShort
		}
		if u64(4) == in.want || in.echo {
			in.done = true
		}
	case idNewSession:
		if len(b) < 28 {
			return errShort
		}
		in.salt = u64(20)
	case idBadServerSalt:
		if len(b) < 28 {
			return errShort
		}
		if u64(4) == in.want {
			in.salt, in.resend = u64(20), true
		}
	case idBadMsg:
		if len(b) < 20 {
			return errShort
		}
		if u64(4) == in.want {
			in.done = true
			in.err = fmt.Errorf("bad_msg_notification: error_code %d", int32(u32(16)))
		}
	case idContainer:
		if depth >= maxDepth {
			return errors.New("nested container")
		}
		if len(b) < 8 {
			return errShort
		}
		n := int(u32(4))
		rest := b[8:]
		for i := 0; i < n; i++ {
			if len(rest) < 16 {
				return errShort
			}
			id := int64(binary.LittleEndian.Uint64(rest))
			seq := binary.LittleEndian.Uint32(rest[8:])
			size := int(binary.LittleEndian.Uint32(rest[12:]))
			if size < 0 || size > len(rest)-16 {
				return errShort
			}
			if seq&1 == 1 && !in.echo {
				in.acks = append(in.acks, id)
			}
			if err := in.scan(rest[16:16+size], depth+1); err != nil {
				return err
			}
			rest = rest[16+size:]
		}
	}
	return nil
}

// rpcErrorText returns error_message of an rpc_error body (after the
// constructor): error_code:int error_message:string.
func rpcErrorText(b []byte) string {
	if len(b) < 5 {
		return "?"
	}
	code := int32(binary.LittleEndian.Uint32(b))
	b = b[4:]
	n, off := int(b[0]), 1
	if n == 254 && len(b) >= 4 {
		n, off = int(b[1])|int(b[2])<<8|int(b[3])<<16, 4
	}
	if off+n > len(b) {
		return fmt.Sprintf("%d ?", code)
	}
	return fmt.Sprintf("%d %s", code, b[off:off+n])
}
