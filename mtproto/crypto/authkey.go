package crypto

import (
	"crypto/sha1" // #nosec G505 -- MTProto defines auth_key_id with SHA-1.
	"encoding/binary"
	"fmt"
)

// AuthKeySize is the size of an auth key: 2048 bits.
const AuthKeySize = 256

// AuthKey is a 2048-bit authorization key shared by a client and the server,
// the big-endian result of the DH exchange.
//
// Its String method prints only the key id, so that formatting a key with
// %v, %s or %x never leaks the secret into a log.
type AuthKey [AuthKeySize]byte

// AuthKeyFromBytes returns the auth key stored in b, which must be exactly
// AuthKeySize bytes long.
func AuthKeyFromBytes(b []byte) (AuthKey, error) {
	var k AuthKey
	if len(b) != AuthKeySize {
		return k, fmt.Errorf("auth key is %d bytes, want %d", len(b), AuthKeySize)
	}
	copy(k[:], b)
	return k, nil
}

// ID returns auth_key_id: the 64 lower-order bits of SHA1(auth_key), that is
// the last 8 bytes of the digest. MTProto 2.0 keeps SHA-1 here so that the id
// does not depend on the protocol version.
func (k AuthKey) ID() [8]byte {
	sum := sha1.Sum(k[:]) // #nosec G401
	var id [8]byte
	copy(id[:], sum[12:20])
	return id
}

// IntID returns auth_key_id as the little-endian long it is on the wire.
func (k AuthKey) IntID() int64 {
	id := k.ID()
	return int64(binary.LittleEndian.Uint64(id[:]))
}

// AuxHash returns auth_key_aux_hash: the 64 higher-order bits of
// SHA1(auth_key), the first 8 bytes of the digest. It feeds new_nonce_hash1..3
// and is the retry_id of a client retrying after dh_gen_retry.
func (k AuthKey) AuxHash() [8]byte {
	sum := sha1.Sum(k[:]) // #nosec G401
	var aux [8]byte
	copy(aux[:], sum[:8])
	return aux
}

// IsZero reports whether k is the zero key (never a valid DH result).
func (k AuthKey) IsZero() bool {
	return k == AuthKey{}
}

// String returns the key id in hex; the key itself is never printed.
func (k AuthKey) String() string {
	return fmt.Sprintf("auth_key(id=%016x)", uint64(k.IntID()))
}
