package transport

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
)

// initSize is the size of the obfuscated2 init block.
const initSize = 64

// Values the first 4 bytes of an obfuscated2 init block must not take (read as a
// little-endian uint32), because they select another transport. Clients
// regenerate the block when it starts with one of them, with 0xef, or has zero
// bytes 4..7. See https://core.telegram.org/mtproto/mtproto-transports#transport-obfuscation.
const (
	prefixHEAD     = 0x44414548 // "HEAD"
	prefixPOST     = 0x54534f50 // "POST"
	prefixGET      = 0x20544547 // "GET "
	prefixOPTI     = 0x4954504f // "OPTI" (OPTIONS)
	prefixTLS      = 0x02010316 // 16 03 01 02, a TLS ClientHello record
	tagIntermed    = 0xeeeeeeee
	tagPadded      = 0xdddddddd
	tagAbridged    = 0xefefefef
	abridgedMarker = 0xef
)

// obfuscation is the state of an obfuscated2 connection: a decrypting stream for
// what the client sends and an encrypting stream for what the server sends, both
// AES-256-CTR and kept for the whole connection.
type obfuscation struct {
	codec Codec
	dec   cipher.Stream
	enc   cipher.Stream
}

// checkInit rejects init blocks that a conforming client never sends, because
// their start selects a plain transport, HTTP or TLS.
func checkInit(init *[initSize]byte) error {
	if init[0] == abridgedMarker {
		return fmt.Errorf("obfuscated2 init starts with the abridged marker: %w", ErrUnknownTransport)
	}
	switch first := binary.LittleEndian.Uint32(init[0:4]); first {
	case prefixHEAD, prefixPOST, prefixGET, prefixOPTI, prefixTLS, tagIntermed, tagPadded:
		return fmt.Errorf("obfuscated2 init starts with reserved prefix %#08x: %w", first, ErrUnknownTransport)
	}
	if binary.LittleEndian.Uint32(init[4:8]) == 0 {
		return fmt.Errorf("obfuscated2 init has zero bytes 4..7: %w", ErrUnknownTransport)
	}
	return nil
}

// newObfuscation derives the two streams from the init block the client sent and
// decrypts the block to learn the inner codec.
//
// The client encrypts with key init[8:40] and IV init[40:56], which the server
// uses to decrypt; the client decrypts with the same ranges of the reversed
// block, which the server uses to encrypt. With an MTProxy secret each key is
// SHA256(key + secret).
func newObfuscation(init *[initSize]byte, secret []byte) (*obfuscation, error) {
	if err := checkInit(init); err != nil {
		return nil, err
	}
	var rev [48]byte // init[8:56] reversed: key, then IV
	for i := range rev {
		rev[i] = init[55-i]
	}
	dec, err := newCTR(init[8:40], init[40:56], secret)
	if err != nil {
		return nil, fmt.Errorf("obfuscated2 decrypt stream: %w", err)
	}
	enc, err := newCTR(rev[0:32], rev[32:48], secret)
	if err != nil {
		return nil, fmt.Errorf("obfuscated2 encrypt stream: %w", err)
	}

	// Decrypting the whole block advances the stream by 64 bytes, as the client's
	// encryption of it did.
	var plain [initSize]byte
	dec.XORKeyStream(plain[:], init[:])
	// Bytes 60..61 hold a DC id for MTProxies; several clients fill them with
	// random bytes, so they are ignored.
	o := &obfuscation{dec: dec, enc: enc}
	switch tag := binary.LittleEndian.Uint32(plain[56:60]); tag {
	case tagAbridged:
		o.codec = Abridged
	case tagIntermed:
		o.codec = Intermediate
	case tagPadded:
		o.codec = PaddedIntermediate
	default:
		return nil, fmt.Errorf("obfuscated2 protocol tag %#08x: %w", tag, ErrUnknownTransport)
	}
	return o, nil
}

func newCTR(key, iv, secret []byte) (cipher.Stream, error) {
	if len(secret) > 0 {
		h := sha256.New()
		h.Write(key)
		h.Write(secret)
		key = h.Sum(nil)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewCTR(block, iv), nil
}

// ctrReader decrypts what it reads from r with s.
type ctrReader struct {
	r io.Reader
	s cipher.Stream
}

func (c ctrReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.s.XORKeyStream(p[:n], p[:n])
	return n, err
}
