package crypto

import (
	"crypto/aes"
	"errors"
	"fmt"
)

// envelopeHeaderSize is the external header of an encrypted payload:
// auth_key_id (8 bytes) and msg_key (16 bytes).
const envelopeHeaderSize = 8 + 16

// ErrInvalidMessage is wrapped by every error returned for a payload that
// cannot be decrypted or fails a check after decryption. The security
// guidelines ask for one uniform reaction to all of them (transport error
// -404 and closing the connection), so callers should test for this error
// and never report which check failed.
var ErrInvalidMessage = errors.New("invalid encrypted message")

// Envelope is the outer layout of an encrypted payload:
//
//	auth_key_id (8) | msg_key (16) | encrypted_data
type Envelope struct {
	AuthKeyID [8]byte
	MsgKey    [16]byte
	// Data is encrypted_data; it aliases the parsed payload.
	Data []byte
}

// ParseEnvelope splits an encrypted payload into its parts. It checks only the
// layout that every MTProto version shares: encrypted_data is a non-empty
// whole number of AES blocks. The caller routes payloads whose auth_key_id is
// zero to the unencrypted handshake path before calling it.
func ParseEnvelope(payload []byte) (Envelope, error) {
	var env Envelope
	n := len(payload) - envelopeHeaderSize
	if n < aes.BlockSize || n%aes.BlockSize != 0 {
		return env, fmt.Errorf("%w: payload length %d is not 24+16k (k>0)", ErrInvalidMessage, len(payload))
	}
	copy(env.AuthKeyID[:], payload[:8])
	copy(env.MsgKey[:], payload[8:envelopeHeaderSize])
	env.Data = payload[envelopeHeaderSize:]
	return env, nil
}

// KeyIDFromPayload returns the auth_key_id at the start of a payload, the
// value that selects the unencrypted path (zero) or the auth key to decrypt
// with. It fails only if the payload is shorter than 8 bytes.
func KeyIDFromPayload(payload []byte) ([8]byte, error) {
	var id [8]byte
	if len(payload) < len(id) {
		return id, fmt.Errorf("%w: payload of %d bytes has no auth_key_id", ErrInvalidMessage, len(payload))
	}
	copy(id[:], payload)
	return id, nil
}
