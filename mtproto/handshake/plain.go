package handshake

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrPlain reports a malformed unencrypted message.
var ErrPlain = errors.New("malformed unencrypted message")

// Plain is an unencrypted message: auth_key_id = 0, message_id,
// message_data_length, message_data.
type Plain struct {
	MsgID int64
	Body  []byte
}

// ParsePlain splits an unencrypted payload.
func ParsePlain(b []byte) (Plain, error) {
	if len(b) < 20 {
		return Plain{}, fmt.Errorf("%w: %d bytes", ErrPlain, len(b))
	}
	if binary.LittleEndian.Uint64(b) != 0 {
		return Plain{}, fmt.Errorf("%w: auth_key_id is not zero", ErrPlain)
	}
	n := binary.LittleEndian.Uint32(b[16:])
	if int64(n) != int64(len(b)-20) {
		return Plain{}, fmt.Errorf("%w: length %d for %d bytes", ErrPlain, n, len(b)-20)
	}
	return Plain{MsgID: int64(binary.LittleEndian.Uint64(b[8:])), Body: b[20:]}, nil
}

// AppendPlain appends an unencrypted message carrying body.
func AppendPlain(dst []byte, msgID int64, body []byte) []byte {
	dst = binary.LittleEndian.AppendUint64(dst, 0)
	dst = binary.LittleEndian.AppendUint64(dst, uint64(msgID))
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(body)))
	return append(dst, body...)
}
