package crypto

import (
	"crypto/sha1" // #nosec G505 -- the legacy req_DH_params scheme uses SHA-1.
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
)

// RSAScheme is the way a client encrypted req_DH_params encrypted_data.
type RSAScheme uint8

const (
	// SchemeRSAPad is RSA_PAD, the current scheme: RSA over a block made of
	// an XOR-masked AES key and the AES-IGE encrypted, reversed and
	// SHA-256-authenticated data.
	SchemeRSAPad RSAScheme = iota + 1
	// SchemeHashed is the legacy scheme that older clients still use:
	// RSA over SHA1(data) + data + random padding, 255 bytes in all.
	SchemeHashed
)

// String returns the scheme's name.
func (s RSAScheme) String() string {
	switch s {
	case SchemeRSAPad:
		return "RSA_PAD"
	case SchemeHashed:
		return "hashed"
	default:
		return fmt.Sprintf("RSAScheme(%d)", uint8(s))
	}
}

// Sizes of the RSA_PAD block, see
// https://core.telegram.org/mtproto/auth_key#41-rsa-paddata-server-public-key-mentioned-above-is-implemented-as-follows
// The 32-byte temp_key_xor and the 224-byte aes_encrypted fill the 256-byte
// RSA block exactly.
const (
	rsaPadKeySize    = 32                  // temp_key_xor
	rsaPadDataSize   = 192                 // data_with_padding
	rsaPadHashedSize = rsaPadDataSize + 32 // data_with_hash: reversed data + SHA-256
	// rsaHashedMaxData is the room for data in the legacy scheme: 255 bytes
	// minus the SHA-1.
	rsaHashedMaxData = RSAKeyBits/8 - 1 - sha1.Size
)

// RSAPadMaxData is the largest data a client may encrypt with RSA_PAD; the
// rest of the 192 bytes is random padding.
const RSAPadMaxData = 144

// ErrInvalidEncryptedData is wrapped by every error of the req_DH_params
// decoders. The handshake answers all of them with transport error -404.
var ErrInvalidEncryptedData = errors.New("invalid req_DH_params encrypted_data")

// DecryptRSAPad decodes encrypted_data produced by RSA_PAD with this key:
//
//	key_aes_encrypted = RSA_decrypt(encrypted_data)       (256 bytes)
//	temp_key          = temp_key_xor XOR SHA256(aes_encrypted)
//	data_with_hash    = AES256_IGE_decrypt(aes_encrypted, temp_key, zero IV)
//	data_with_padding = reverse(data_with_hash[0:192])
//	SHA256(temp_key + data_with_padding) == data_with_hash[192:224]
//
// encrypted_data must be, as a big-endian integer, below the modulus. Clients
// send it as exactly 256 bytes; a shorter string (leading zero bytes
// stripped) is the same integer and is accepted. It returns the 192 bytes of data_with_padding: the
// caller decodes one p_q_inner_data* object from their start and ignores
// the random padding after it.
func (k *ServerKey) DecryptRSAPad(encrypted []byte) ([]byte, error) {
	block, err := k.decryptBlock(encrypted)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidEncryptedData, err)
	}
	data, ok := openRSAPad(block)
	if !ok {
		return nil, fmt.Errorf("%w: RSA_PAD hash mismatch", ErrInvalidEncryptedData)
	}
	return data, nil
}

// DecryptHashed decodes encrypted_data produced by the legacy scheme:
// RSA(SHA1(data) + data + random bytes), where the plaintext is 255 bytes so
// the 256-byte RSA block starts with a zero byte. data is not delimited, so
// the SHA-1 is tried against every prefix whose length is a multiple of 4
// (TL objects always are); it returns the prefix that matches.
func (k *ServerKey) DecryptHashed(encrypted []byte) ([]byte, error) {
	block, err := k.decryptBlock(encrypted)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidEncryptedData, err)
	}
	data, ok := openHashed(block)
	if !ok {
		return nil, fmt.Errorf("%w: SHA-1 of data mismatch", ErrInvalidEncryptedData)
	}
	return data, nil
}

// DecryptInnerData decodes req_DH_params encrypted_data whichever scheme the
// client used, trying RSA_PAD first and the legacy scheme second, with a
// single RSA operation. It returns the inner data bytes (for RSA_PAD with
// its random padding; for the legacy scheme exactly the hashed data) and the
// scheme found.
func (k *ServerKey) DecryptInnerData(encrypted []byte) ([]byte, RSAScheme, error) {
	block, err := k.decryptBlock(encrypted)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrInvalidEncryptedData, err)
	}
	if data, ok := openRSAPad(block); ok {
		return data, SchemeRSAPad, nil
	}
	if data, ok := openHashed(block); ok {
		return data, SchemeHashed, nil
	}
	return nil, 0, fmt.Errorf("%w: neither RSA_PAD nor the hashed scheme verifies", ErrInvalidEncryptedData)
}

// decryptBlock left-pads encrypted to the 256 bytes of the modulus (a
// shorter string is the same big-endian integer) and decrypts it.
func (k *ServerKey) decryptBlock(encrypted []byte) ([]byte, error) {
	if n := k.raw.n.Size(); len(encrypted) < n {
		padded := make([]byte, n)
		copy(padded[n-len(encrypted):], encrypted)
		encrypted = padded
	}
	return k.raw.decrypt(encrypted)
}

// openRSAPad undoes the AES layer of RSA_PAD on a decrypted 256-byte block
// and verifies its SHA-256.
func openRSAPad(block []byte) ([]byte, bool) {
	aesEncrypted := block[rsaPadKeySize:]
	mask := sha256.Sum256(aesEncrypted)
	var tempKey [rsaPadKeySize]byte
	subtle.XORBytes(tempKey[:], block[:rsaPadKeySize], mask[:])

	var zeroIV [IGEIVSize]byte
	var dataWithHash [rsaPadHashedSize]byte
	if err := DecryptIGE(dataWithHash[:], aesEncrypted, tempKey[:], zeroIV[:]); err != nil {
		return nil, false // unreachable: the sizes are constants
	}

	data := make([]byte, rsaPadDataSize)
	for i := range data {
		data[i] = dataWithHash[rsaPadDataSize-1-i]
	}
	h := sha256.New()
	_, _ = h.Write(tempKey[:])
	_, _ = h.Write(data)
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	if subtle.ConstantTimeCompare(sum[:], dataWithHash[rsaPadDataSize:]) != 1 {
		return nil, false
	}
	return data, true
}

// openHashed verifies a decrypted block of the legacy scheme and returns the
// hashed data.
func openHashed(block []byte) ([]byte, bool) {
	if block[0] != 0 {
		return nil, false // the plaintext was 255 bytes
	}
	hash := block[1 : 1+sha1.Size]
	body := block[1+sha1.Size:]
	for n := 4; n <= rsaHashedMaxData; n += 4 {
		sum := sha1.Sum(body[:n]) // #nosec G401
		if subtle.ConstantTimeCompare(sum[:], hash) == 1 {
			return append([]byte(nil), body[:n]...), true
		}
	}
	return nil, false
}
