package crypto

import (
	"crypto/sha256"
	"encoding/binary"
)

// QuickAckToken returns the token the server sends back when a client asks
// for a quick ACK of an encrypted payload (and the payload was decrypted and
// accepted). plaintext is the decrypted client message, padding included.
//
// The token is the first 32 bits of the same hash msg_key comes from,
// SHA256(substr(auth_key, 88, 32) + plaintext), read as a little-endian
// integer, with the most significant bit set. Cipher.Decrypt returns it for
// free; this function is for callers that hold a plaintext only. Each
// transport encodes the token its own way.
func QuickAckToken(k *AuthKey, plaintext []byte) uint32 {
	return quickAckFromLarge(msgKeyLarge(k, plaintext, Client))
}

// quickAckFromLarge derives the quick ACK token from msg_key_large.
func quickAckFromLarge(large [sha256.Size]byte) uint32 {
	return binary.LittleEndian.Uint32(large[:4]) | 1<<31
}
