package crypto

import (
	"crypto/sha256"
)

// Side is the party that encrypts a message. It selects the offset x of the
// MTProto 2.0 key derivation: x = 0 for messages from the client to the
// server, x = 8 for messages from the server to the client.
type Side uint8

const (
	// Client marks client→server messages (x = 0): the server decrypts them.
	Client Side = iota
	// Server marks server→client messages (x = 8): the server encrypts them.
	Server
)

// String returns "client" or "server".
func (s Side) String() string {
	if s == Server {
		return "server"
	}
	return "client"
}

// x returns the KDF offset of messages sent by s.
func (s Side) x() int {
	if s == Server {
		return 8
	}
	return 0
}

// msgKeyLarge returns SHA256(substr(auth_key, 88+x, 32) + plaintext), where
// plaintext includes the padding.
func msgKeyLarge(k *AuthKey, plaintext []byte, sender Side) [sha256.Size]byte {
	x := sender.x()
	h := sha256.New()
	_, _ = h.Write(k[88+x : 88+x+32])
	_, _ = h.Write(plaintext)
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// MessageKey returns msg_key of an MTProto 2.0 message: the middle 128 bits
// (bytes 8..24) of SHA256(substr(auth_key, 88+x, 32) + plaintext), with the
// padding included in plaintext.
func MessageKey(k *AuthKey, plaintext []byte, sender Side) [16]byte {
	large := msgKeyLarge(k, plaintext, sender)
	var msgKey [16]byte
	copy(msgKey[:], large[8:24])
	return msgKey
}

// AESKeyIV derives the AES-256-IGE key and IV of an MTProto 2.0 message from
// the auth key and msg_key:
//
//	sha256_a = SHA256(msg_key + substr(auth_key, x, 36))
//	sha256_b = SHA256(substr(auth_key, 40+x, 36) + msg_key)
//	aes_key  = substr(sha256_a, 0, 8) + substr(sha256_b, 8, 16) + substr(sha256_a, 24, 8)
//	aes_iv   = substr(sha256_b, 0, 8) + substr(sha256_a, 8, 16) + substr(sha256_b, 24, 8)
func AESKeyIV(k *AuthKey, msgKey [16]byte, sender Side) (key, iv [32]byte) {
	x := sender.x()

	var in [16 + 36]byte
	copy(in[:16], msgKey[:])
	copy(in[16:], k[x:x+36])
	a := sha256.Sum256(in[:])

	copy(in[:36], k[40+x:40+x+36])
	copy(in[36:], msgKey[:])
	b := sha256.Sum256(in[:])

	copy(key[0:8], a[0:8])
	copy(key[8:24], b[8:24])
	copy(key[24:32], a[24:32])

	copy(iv[0:8], b[0:8])
	copy(iv[8:24], a[8:24])
	copy(iv[24:32], b[24:32])
	return key, iv
}
