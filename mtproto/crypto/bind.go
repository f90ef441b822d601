package crypto

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// BindAuthKeyInnerID is the constructor id of
//
//	bind_auth_key_inner#75a3f765 nonce:long temp_auth_key_id:long
//	  perm_auth_key_id:long temp_session_id:long expires_at:int = BindAuthKeyInner
const BindAuthKeyInnerID = 0x75a3f765

// bindAuthKeyInnerSize is the serialized size of bind_auth_key_inner: the
// constructor id, four longs and an int. The method page calls it msg_len 40.
const bindAuthKeyInnerSize = 4 + 4*8 + 4

// BindAuthKeyInner is the binding message a client encrypts with its
// permanent key to bind a temporary key (auth.bindTempAuthKey).
type BindAuthKeyInner struct {
	Nonce         int64
	TempAuthKeyID int64
	PermAuthKeyID int64
	TempSessionID int64
	ExpiresAt     int32
}

// BindMessage is the decrypted encrypted_message of auth.bindTempAuthKey.
type BindMessage struct {
	// MsgID must equal the msg_id of the message that carried the request.
	MsgID int64
	// SeqNo must be zero.
	SeqNo int32
	Inner BindAuthKeyInner
}

// BindParams are the values a BindMessage must match: the arguments of
// auth.bindTempAuthKey and what the server knows of the message carrying it.
type BindParams struct {
	MsgID         int64 // msg_id of the outer message
	PermAuthKeyID int64 // perm_auth_key_id argument
	Nonce         int64 // nonce argument
	ExpiresAt     int32 // expires_at argument
	TempAuthKeyID int64 // id of the temporary key the request came with
	TempSessionID int64 // session of the outer message
}

// ErrBindMismatch is wrapped by BindMessage.Verify when a field of the
// binding message differs from the request.
var ErrBindMismatch = errors.New("bind message does not match the request")

// DecryptBindMessage decrypts encrypted_message of auth.bindTempAuthKey with
// the permanent key perm (found by the auth_key_id in its first 8 bytes) and
// decodes the bind_auth_key_inner it holds.
//
// The message is encrypted with MTProto 1.0 (x = 0): random:int128, msg_id,
// seqno, msg_len = 40, the inner object and 0..15 bytes of padding, with
// msg_key = SHA1(first 72 bytes)[4:20]. Every failure wraps
// ErrInvalidMessage; the API layer answers them with ENCRYPTED_MESSAGE_INVALID.
// Use Verify to compare the result with the request.
func DecryptBindMessage(perm *AuthKey, encryptedMessage []byte) (BindMessage, error) {
	var b BindMessage
	m, err := DecryptMessageV1(perm, encryptedMessage)
	if err != nil {
		return b, fmt.Errorf("decrypt bind message: %w", err)
	}
	if len(m.Data) != bindAuthKeyInnerSize {
		return b, fmt.Errorf("decrypt bind message: %w: msg_len is %d, want %d", ErrInvalidMessage, len(m.Data), bindAuthKeyInnerSize)
	}
	if id := binary.LittleEndian.Uint32(m.Data); id != BindAuthKeyInnerID {
		return b, fmt.Errorf("decrypt bind message: %w: constructor %#08x is not bind_auth_key_inner", ErrInvalidMessage, id)
	}
	d := m.Data[4:]
	b = BindMessage{
		MsgID: m.MsgID,
		SeqNo: m.SeqNo,
		Inner: BindAuthKeyInner{
			Nonce:         int64(binary.LittleEndian.Uint64(d[0:])),
			TempAuthKeyID: int64(binary.LittleEndian.Uint64(d[8:])),
			PermAuthKeyID: int64(binary.LittleEndian.Uint64(d[16:])),
			TempSessionID: int64(binary.LittleEndian.Uint64(d[24:])),
			ExpiresAt:     int32(binary.LittleEndian.Uint32(d[32:])),
		},
	}
	return b, nil
}

// Verify checks that the binding message matches the request p: the same
// msg_id, seqno 0, and inner fields equal to the request's arguments, the
// temporary key the request came with and its session. Whether expires_at is
// acceptable at all (EXPIRES_AT_INVALID) is a policy the caller applies.
func (b BindMessage) Verify(p BindParams) error {
	checks := []struct {
		name      string
		got, want int64
	}{
		{"msg_id", b.MsgID, p.MsgID},
		{"seqno", int64(b.SeqNo), 0},
		{"nonce", b.Inner.Nonce, p.Nonce},
		{"temp_auth_key_id", b.Inner.TempAuthKeyID, p.TempAuthKeyID},
		{"perm_auth_key_id", b.Inner.PermAuthKeyID, p.PermAuthKeyID},
		{"temp_session_id", b.Inner.TempSessionID, p.TempSessionID},
		{"expires_at", int64(b.Inner.ExpiresAt), int64(p.ExpiresAt)},
	}
	for _, c := range checks {
		if c.got != c.want {
			return fmt.Errorf("%w: %s is %d, want %d", ErrBindMismatch, c.name, c.got, c.want)
		}
	}
	return nil
}
