package crypto

import (
	"crypto/aes"
	"crypto/sha1" // #nosec G505 -- MTProto 1.0 is defined with SHA-1.
	"crypto/subtle"
	"encoding/binary"
	"fmt"
)

// maxPaddingV1 is the largest padding of MTProto 1.0: just enough to reach a
// whole number of AES blocks.
const maxPaddingV1 = aes.BlockSize - 1

// messageKeyV1 returns the MTProto 1.0 msg_key: the 128 lower-order bits of
// SHA1 of the plaintext without its padding.
func messageKeyV1(unpadded []byte) [16]byte {
	sum := sha1.Sum(unpadded) // #nosec G401
	var msgKey [16]byte
	copy(msgKey[:], sum[4:20])
	return msgKey
}

// aesKeyIVV1 derives the MTProto 1.0 AES-256-IGE key and IV:
//
//	sha1_a = SHA1(msg_key + substr(auth_key, x, 32))
//	sha1_b = SHA1(substr(auth_key, 32+x, 16) + msg_key + substr(auth_key, 48+x, 16))
//	sha1_c = SHA1(substr(auth_key, 64+x, 32) + msg_key)
//	sha1_d = SHA1(msg_key + substr(auth_key, 96+x, 32))
//	aes_key = substr(sha1_a, 0, 8) + substr(sha1_b, 8, 12) + substr(sha1_c, 4, 12)
//	aes_iv  = substr(sha1_a, 8, 12) + substr(sha1_b, 0, 8) + substr(sha1_c, 16, 4) + substr(sha1_d, 0, 8)
func aesKeyIVV1(k *AuthKey, msgKey [16]byte, sender Side) (key, iv [32]byte) {
	x := sender.x()
	var in [48]byte

	copy(in[:16], msgKey[:])
	copy(in[16:], k[x:x+32])
	a := sha1.Sum(in[:48]) // #nosec G401

	copy(in[:16], k[32+x:48+x])
	copy(in[16:32], msgKey[:])
	copy(in[32:48], k[48+x:64+x])
	b := sha1.Sum(in[:48]) // #nosec G401

	copy(in[:32], k[64+x:96+x])
	copy(in[32:48], msgKey[:])
	c := sha1.Sum(in[:48]) // #nosec G401

	copy(in[:16], msgKey[:])
	copy(in[16:48], k[96+x:128+x])
	d := sha1.Sum(in[:48]) // #nosec G401

	copy(key[0:8], a[0:8])
	copy(key[8:20], b[8:20])
	copy(key[20:32], c[4:16])

	copy(iv[0:12], a[8:20])
	copy(iv[12:20], b[0:8])
	copy(iv[20:24], c[16:20])
	copy(iv[24:32], d[0:8])
	return key, iv
}

// DecryptMessageV1 decrypts a client→server payload encrypted with the
// obsolete MTProto 1.0 scheme under k. Roost serves MTProto 2.0 only; the one
// use of 1.0 is the encrypted_message of auth.bindTempAuthKey (see
// DecryptBindMessage), which clients still encrypt this way.
//
// It checks that message_data_length is a non-negative multiple of 4 that
// fits, that the padding is 0..15 bytes, and that msg_key equals the lower
// 128 bits of SHA1 of the plaintext without padding (in constant time).
// Every failure wraps ErrInvalidMessage. For a bind message the first 16
// bytes, returned as Salt and SessionID, are the random int128 prefix.
func DecryptMessageV1(k *AuthKey, payload []byte) (Message, error) {
	var m Message
	env, err := ParseEnvelope(payload)
	if err != nil {
		return m, err
	}
	if len(env.Data) < messageHeaderSize {
		return m, fmt.Errorf("%w: encrypted data of %d bytes has no room for the header", ErrInvalidMessage, len(env.Data))
	}
	if id := k.ID(); env.AuthKeyID != id {
		return m, fmt.Errorf("%w: auth_key_id %x is not the key's %x", ErrInvalidMessage, env.AuthKeyID, id)
	}

	key, iv := aesKeyIVV1(k, env.MsgKey, Client)
	plaintext := make([]byte, len(env.Data))
	if err := DecryptIGE(plaintext, env.Data, key[:], iv[:]); err != nil {
		return m, fmt.Errorf("%w: %w", ErrInvalidMessage, err)
	}

	// MTProto 1.0 hashes the plaintext without padding, so the length field
	// has to be read before msg_key can be checked. A bad length is reported
	// exactly like a bad msg_key.
	length := int64(int32(binary.LittleEndian.Uint32(plaintext[28:])))
	padding := int64(len(plaintext)) - messageHeaderSize - length
	if length < 0 || length%4 != 0 || padding < 0 || padding > maxPaddingV1 {
		return m, fmt.Errorf("%w: msg_key mismatch", ErrInvalidMessage)
	}
	unpadded := plaintext[:messageHeaderSize+length]
	want := messageKeyV1(unpadded)
	if subtle.ConstantTimeCompare(want[:], env.MsgKey[:]) != 1 {
		return m, fmt.Errorf("%w: msg_key mismatch", ErrInvalidMessage)
	}

	m = Message{
		Salt:      int64(binary.LittleEndian.Uint64(plaintext[0:])),
		SessionID: int64(binary.LittleEndian.Uint64(plaintext[8:])),
		MsgID:     int64(binary.LittleEndian.Uint64(plaintext[16:])),
		SeqNo:     int32(binary.LittleEndian.Uint32(plaintext[24:])),
		Data:      unpadded[messageHeaderSize:],
	}
	return m, nil
}
