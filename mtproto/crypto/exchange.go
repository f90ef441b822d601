package crypto

import (
	"crypto/aes"
	"crypto/sha1" // #nosec G505 -- the auth key exchange is defined with SHA-1.
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ExchangeKey is the temporary AES-256-IGE key and IV of an auth key
// exchange, derived from new_nonce and server_nonce. It encrypts
// server_DH_inner_data (server_DH_params_ok.encrypted_answer) and decrypts
// client_DH_inner_data (set_client_DH_params.encrypted_data).
type ExchangeKey struct {
	Key [32]byte // tmp_aes_key
	IV  [32]byte // tmp_aes_iv
}

// NewExchangeKey derives tmp_aes_key and tmp_aes_iv:
//
//	tmp_aes_key = SHA1(new_nonce + server_nonce) + substr(SHA1(server_nonce + new_nonce), 0, 12)
//	tmp_aes_iv  = substr(SHA1(server_nonce + new_nonce), 12, 8) + SHA1(new_nonce + new_nonce) + substr(new_nonce, 0, 4)
//
// The nonces are hashed at their full fixed length, leading zero bytes
// included.
func NewExchangeKey(newNonce [32]byte, serverNonce [16]byte) ExchangeKey {
	var buf [64]byte

	copy(buf[:32], newNonce[:])
	copy(buf[32:48], serverNonce[:])
	newServer := sha1.Sum(buf[:48]) // #nosec G401

	copy(buf[:16], serverNonce[:])
	copy(buf[16:48], newNonce[:])
	serverNew := sha1.Sum(buf[:48]) // #nosec G401

	copy(buf[:32], newNonce[:])
	copy(buf[32:64], newNonce[:])
	newNew := sha1.Sum(buf[:64]) // #nosec G401

	var k ExchangeKey
	copy(k.Key[0:20], newServer[:])
	copy(k.Key[20:32], serverNew[0:12])
	copy(k.IV[0:8], serverNew[12:20])
	copy(k.IV[8:28], newNew[:])
	copy(k.IV[28:32], newNonce[0:4])
	return k
}

// ErrExchangeData is wrapped by the errors of ExchangeKey.Decrypt.
var ErrExchangeData = errors.New("invalid key exchange data")

// Encrypt returns AES256_IGE(SHA1(data) + data + padding), with 0..15 random
// padding bytes (random nil: crypto/rand) to a multiple of 16: the
// encrypted_answer of server_DH_params_ok when data is server_DH_inner_data.
func (k ExchangeKey) Encrypt(data []byte, random io.Reader) ([]byte, error) {
	n := sha1.Size + len(data)
	total := (n + aes.BlockSize - 1) / aes.BlockSize * aes.BlockSize
	plain := make([]byte, total)
	sum := sha1.Sum(data) // #nosec G401
	copy(plain, sum[:])
	copy(plain[sha1.Size:], data)
	if err := readRandom(random, plain[n:]); err != nil {
		return nil, fmt.Errorf("encrypt exchange data: %w", err)
	}
	out := make([]byte, total)
	if err := EncryptIGE(out, plain, k.Key[:], k.IV[:]); err != nil {
		return nil, fmt.Errorf("encrypt exchange data: %w", err)
	}
	return out, nil
}

// Decrypt decrypts data_with_hash = SHA1(data) + data + 0..15 padding bytes
// (the encrypted_data of set_client_DH_params) and returns data after
// checking its SHA-1. data is not delimited; since TL objects are a multiple
// of 4 bytes, the padding is one of 0, 4, 8 or 12 bytes, and the length
// whose SHA-1 matches is taken.
func (k ExchangeKey) Decrypt(encrypted []byte) ([]byte, error) {
	if len(encrypted) == 0 || len(encrypted)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: length %d is not a positive multiple of 16", ErrExchangeData, len(encrypted))
	}
	plain := make([]byte, len(encrypted))
	if err := DecryptIGE(plain, encrypted, k.Key[:], k.IV[:]); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrExchangeData, err)
	}
	if len(plain) < sha1.Size+4 {
		return nil, fmt.Errorf("%w: %d bytes leave no room for data", ErrExchangeData, len(plain))
	}
	hash := plain[:sha1.Size]
	body := plain[sha1.Size:]
	for pad := 0; pad < aes.BlockSize && pad < len(body); pad += 4 {
		data := body[:len(body)-pad]
		sum := sha1.Sum(data) // #nosec G401
		if subtle.ConstantTimeCompare(sum[:], hash) == 1 {
			return data, nil
		}
	}
	return nil, fmt.Errorf("%w: SHA-1 mismatch", ErrExchangeData)
}

// NewNonceHash returns new_nonce_hash<n> (n = 1, 2 or 3 for dh_gen_ok,
// dh_gen_retry and dh_gen_fail): the 128 lower-order bits of
// SHA1(new_nonce + byte(n) + auth_key_aux_hash).
func NewNonceHash(newNonce [32]byte, n byte, auxHash [8]byte) [16]byte {
	var buf [32 + 1 + 8]byte
	copy(buf[:32], newNonce[:])
	buf[32] = n
	copy(buf[33:], auxHash[:])
	sum := sha1.Sum(buf[:]) // #nosec G401
	var h [16]byte
	copy(h[:], sum[4:20])
	return h
}

// ServerSalt returns the first server salt of a new auth key,
// substr(new_nonce, 0, 8) XOR substr(server_nonce, 0, 8), read as the
// little-endian long that goes into the message header.
func ServerSalt(newNonce [32]byte, serverNonce [16]byte) int64 {
	return int64(binary.LittleEndian.Uint64(newNonce[:8]) ^ binary.LittleEndian.Uint64(serverNonce[:8]))
}
