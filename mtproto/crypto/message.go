package crypto

import (
	"crypto/aes"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sync"
)

// Layout of an MTProto 2.0 plaintext:
//
//	salt (8) | session_id (8) | message_id (8) | seq_no (4) |
//	message_data_length (4) | message_data | padding (12..1024)
//
// The whole plaintext is a multiple of 16 bytes.
const (
	messageHeaderSize = 32
	// MinPadding and MaxPadding bound the random padding of MTProto 2.0.
	MinPadding = 12
	MaxPadding = 1024
	// minPlaintextSize is the header plus the minimum padding, rounded up to
	// a whole number of blocks.
	minPlaintextSize = (messageHeaderSize + MinPadding + aes.BlockSize - 1) / aes.BlockSize * aes.BlockSize
	// MinPayloadSize is the size of the smallest valid encrypted payload:
	// the 24-byte external header and 48 bytes of encrypted data.
	MinPayloadSize = envelopeHeaderSize + minPlaintextSize
)

// Message is the content of an MTProto 2.0 encrypted message.
type Message struct {
	Salt      int64
	SessionID int64
	MsgID     int64
	SeqNo     int32
	// Data is message_data: a TL-serialized object (or container), whose
	// length is a multiple of 4. After Decrypt it aliases the plaintext buffer.
	Data []byte
}

// Cipher encrypts and decrypts the MTProto 2.0 messages of one auth key as
// one side of the connection: a Server cipher encrypts with x = 8 and
// decrypts client messages with x = 0; a Client cipher does the reverse.
//
// A Cipher holds no per-message state and is safe for concurrent use as
// long as its random source is (crypto/rand is).
type Cipher struct {
	key  AuthKey
	id   [8]byte
	side Side
	rand io.Reader
}

// NewCipher returns a cipher for key used by side. random supplies the
// padding; nil means crypto/rand.
func NewCipher(key AuthKey, side Side, random io.Reader) *Cipher {
	return &Cipher{key: key, id: key.ID(), side: side, rand: randOrDefault(random)}
}

// NewServerCipher returns the server-side cipher of key.
func NewServerCipher(key AuthKey, random io.Reader) *Cipher {
	return NewCipher(key, Server, random)
}

// Key returns the auth key of c.
func (c *Cipher) Key() *AuthKey { return &c.key }

// ID returns the auth_key_id of c's key, computed once.
func (c *Cipher) ID() [8]byte { return c.id }

// peer is the side whose messages c decrypts.
func (c *Cipher) peer() Side {
	if c.side == Server {
		return Client
	}
	return Server
}

// plaintextPool recycles the scratch buffers Encrypt builds plaintexts in:
// IGE cannot encrypt in place, so the plaintext needs its own buffer.
var plaintextPool = sync.Pool{New: func() any { return new([]byte) }}

// Encrypt appends the encrypted payload of m to dst and returns the extended
// slice: auth_key_id, msg_key and the AES-256-IGE encrypted plaintext with
// 12..1024 bytes of random padding. m.Data must be a multiple of 4 bytes.
//
// The padding is the minimum that makes the length a multiple of 16 with at
// least 12 bytes, plus 0..15 random extra blocks (at most 267 bytes), so that
// the payload size does not reveal the exact message size.
func (c *Cipher) Encrypt(dst []byte, m Message) ([]byte, error) {
	if len(m.Data)%4 != 0 {
		return dst, fmt.Errorf("encrypt message: data length %d is not a multiple of 4", len(m.Data))
	}
	if len(m.Data) > math.MaxInt32-messageHeaderSize-MaxPadding {
		return dst, fmt.Errorf("encrypt message: data length %d is too large", len(m.Data))
	}

	var extra [1]byte
	if err := readRandom(c.rand, extra[:]); err != nil {
		return dst, fmt.Errorf("encrypt message: %w", err)
	}
	unpadded := messageHeaderSize + len(m.Data)
	padding := paddingLen(unpadded, extra[0])
	total := unpadded + padding

	bufp := plaintextPool.Get().(*[]byte)
	defer plaintextPool.Put(bufp)
	plaintext := grow((*bufp)[:0], total)
	*bufp = plaintext

	binary.LittleEndian.PutUint64(plaintext[0:], uint64(m.Salt))
	binary.LittleEndian.PutUint64(plaintext[8:], uint64(m.SessionID))
	binary.LittleEndian.PutUint64(plaintext[16:], uint64(m.MsgID))
	binary.LittleEndian.PutUint32(plaintext[24:], uint32(m.SeqNo))
	binary.LittleEndian.PutUint32(plaintext[28:], uint32(len(m.Data)))
	copy(plaintext[messageHeaderSize:], m.Data)
	if err := readRandom(c.rand, plaintext[unpadded:]); err != nil {
		return dst, fmt.Errorf("encrypt message: padding: %w", err)
	}

	msgKey := MessageKey(&c.key, plaintext, c.side)
	key, iv := AESKeyIV(&c.key, msgKey, c.side)

	out := grow(dst, len(dst)+envelopeHeaderSize+total)
	payload := out[len(dst):]
	copy(payload[0:8], c.id[:])
	copy(payload[8:envelopeHeaderSize], msgKey[:])
	if err := EncryptIGE(payload[envelopeHeaderSize:], plaintext, key[:], iv[:]); err != nil {
		return dst, fmt.Errorf("encrypt message: %w", err)
	}
	return out, nil
}

// paddingLen returns the padding for an unpadded plaintext of n bytes: the
// least length >= MinPadding that aligns n to 16, plus extra%16 more blocks.
func paddingLen(n int, extra byte) int {
	p := (aes.BlockSize - n%aes.BlockSize) % aes.BlockSize
	if p < MinPadding {
		p += aes.BlockSize
	}
	return p + int(extra%16)*aes.BlockSize
}

// Decrypt decrypts a payload sent by c's peer (for a server cipher: a client
// message) and checks it as the security guidelines require:
//
//   - the payload is 24+16k bytes with at least 48 bytes of encrypted data,
//     and its auth_key_id is c's;
//   - msg_key equals the middle 128 bits of the SHA-256 of the decrypted
//     plaintext, padding included (compared in constant time);
//   - message_data_length is a non-negative multiple of 4 that fits in the
//     plaintext, and the padding after it is 12..1024 bytes.
//
// The length checks run only after msg_key has been verified, so a forged
// payload cannot probe them. Every failure wraps ErrInvalidMessage.
//
// The plaintext is written to dst, which is reused when its capacity allows;
// the returned Message.Data aliases it. quickAck is the token the server
// returns when the client requested a quick ACK for this payload (meaningful
// for a server cipher only): the first 32 bits of msg_key_large, read as a
// little-endian integer, with bit 31 set.
//
// The checks that need session state (salt, session_id, msg_id window and
// parity, seq_no) are the caller's.
func (c *Cipher) Decrypt(dst, payload []byte) (m Message, quickAck uint32, err error) {
	env, err := ParseEnvelope(payload)
	if err != nil {
		return m, 0, err
	}
	if len(env.Data) < minPlaintextSize {
		return m, 0, fmt.Errorf("%w: encrypted data of %d bytes is shorter than %d", ErrInvalidMessage, len(env.Data), minPlaintextSize)
	}
	if env.AuthKeyID != c.id {
		return m, 0, fmt.Errorf("%w: auth_key_id %x is not the key's %x", ErrInvalidMessage, env.AuthKeyID, c.id)
	}

	peer := c.peer()
	key, iv := AESKeyIV(&c.key, env.MsgKey, peer)
	plaintext := grow(dst[:0], len(env.Data))
	if err := DecryptIGE(plaintext, env.Data, key[:], iv[:]); err != nil {
		return m, 0, fmt.Errorf("%w: %w", ErrInvalidMessage, err)
	}

	large := msgKeyLarge(&c.key, plaintext, peer)
	if subtle.ConstantTimeCompare(large[8:24], env.MsgKey[:]) != 1 {
		return m, 0, fmt.Errorf("%w: msg_key mismatch", ErrInvalidMessage)
	}

	length := int64(int32(binary.LittleEndian.Uint32(plaintext[28:])))
	padding := int64(len(plaintext)) - messageHeaderSize - length
	switch {
	case length < 0 || length%4 != 0:
		return m, 0, fmt.Errorf("%w: message_data_length %d is not a non-negative multiple of 4", ErrInvalidMessage, length)
	case padding < MinPadding || padding > MaxPadding:
		return m, 0, fmt.Errorf("%w: message_data_length %d leaves %d bytes of padding, want %d..%d",
			ErrInvalidMessage, length, padding, MinPadding, MaxPadding)
	}

	m = Message{
		Salt:      int64(binary.LittleEndian.Uint64(plaintext[0:])),
		SessionID: int64(binary.LittleEndian.Uint64(plaintext[8:])),
		MsgID:     int64(binary.LittleEndian.Uint64(plaintext[16:])),
		SeqNo:     int32(binary.LittleEndian.Uint32(plaintext[24:])),
		Data:      plaintext[messageHeaderSize : messageHeaderSize+length : messageHeaderSize+length],
	}
	return m, quickAckFromLarge(large), nil
}

// grow returns b extended to length n, reusing its storage when the capacity
// allows. The contents beyond the old length are unspecified.
func grow(b []byte, n int) []byte {
	if n <= cap(b) {
		return b[:n]
	}
	out := make([]byte, n)
	copy(out, b)
	return out
}
