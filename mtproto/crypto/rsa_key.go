package crypto

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" // #nosec G505 -- MTProto defines key fingerprints with SHA-1.
	"crypto/x509"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
)

// RSAKeyBits is the size of the server RSA key MTProto requires: RSA_PAD
// produces exactly 256-byte blocks.
const RSAKeyBits = 2048

// PEM block types.
const (
	pemRSAPrivate = "RSA PRIVATE KEY" // PKCS #1
	pemPrivate    = "PRIVATE KEY"     // PKCS #8
	pemRSAPublic  = "RSA PUBLIC KEY"  // PKCS #1, the form clients embed
	pemPublic     = "PUBLIC KEY"      // PKIX
)

// ServerKey is the server's RSA key pair with everything the handshake needs
// precomputed: the fingerprint announced in resPQ and the constant-time CRT
// values used to decrypt req_DH_params.
//
// A ServerKey is immutable and safe for concurrent use.
type ServerKey struct {
	key         *rsa.PrivateKey
	raw         *rsaRaw
	fingerprint int64
}

// NewServerKey wraps a 2048-bit, two-prime RSA private key. It validates the
// key, so that a damaged key file fails at start-up rather than mid-handshake.
func NewServerKey(k *rsa.PrivateKey) (*ServerKey, error) {
	if k == nil {
		return nil, errors.New("server key: nil key")
	}
	if bits := k.N.BitLen(); bits != RSAKeyBits {
		return nil, fmt.Errorf("server key: modulus is %d bits, want %d", bits, RSAKeyBits)
	}
	if err := k.Validate(); err != nil {
		return nil, fmt.Errorf("server key: %w", err)
	}
	raw, err := newRSARaw(k)
	if err != nil {
		return nil, fmt.Errorf("server key: %w", err)
	}
	return &ServerKey{key: k, raw: raw, fingerprint: Fingerprint(&k.PublicKey)}, nil
}

// GenerateServerKey generates a new 2048-bit server key from the operating
// system's CSPRNG (since Go 1.26 crypto/rsa ignores any other source).
func GenerateServerKey() (*ServerKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, RSAKeyBits)
	if err != nil {
		return nil, fmt.Errorf("generate server key: %w", err)
	}
	return NewServerKey(k)
}

// ParseServerKeyPEM loads a server key from the first PEM block of data,
// which may be a PKCS #1 "RSA PRIVATE KEY" or a PKCS #8 "PRIVATE KEY" holding
// an RSA key.
func ParseServerKeyPEM(data []byte) (*ServerKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("parse server key: no PEM block found")
	}
	var key *rsa.PrivateKey
	switch block.Type {
	case pemRSAPrivate:
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse server key: %w", err)
		}
		key = k
	case pemPrivate:
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse server key: %w", err)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("parse server key: PKCS #8 key is %T, not RSA", k)
		}
		key = rk
	default:
		return nil, fmt.Errorf("parse server key: PEM block %q is not %q or %q", block.Type, pemRSAPrivate, pemPrivate)
	}
	sk, err := NewServerKey(key)
	if err != nil {
		return nil, fmt.Errorf("parse server key: %w", err)
	}
	return sk, nil
}

// PrivatePEM returns the private key as a PKCS #8 "PRIVATE KEY" PEM block,
// the format ParseServerKeyPEM and OpenSSL read.
func (k *ServerKey) PrivatePEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.key)
	if err != nil {
		return nil, fmt.Errorf("marshal server key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivate, Bytes: der}), nil
}

// PublicPEM returns the public key as a PKCS #1 "RSA PUBLIC KEY" PEM block,
// the form client libraries (TDLib, Telethon, gotd/td) embed.
func (k *ServerKey) PublicPEM() []byte {
	der := x509.MarshalPKCS1PublicKey(&k.key.PublicKey)
	return pem.EncodeToMemory(&pem.Block{Type: pemRSAPublic, Bytes: der})
}

// Public returns the public half of the key. The caller must not modify it.
func (k *ServerKey) Public() *rsa.PublicKey { return &k.key.PublicKey }

// Fingerprint returns the key's fingerprint, as sent in
// resPQ.server_public_key_fingerprints and req_DH_params.public_key_fingerprint.
func (k *ServerKey) Fingerprint() int64 { return k.fingerprint }

// Fingerprint returns the MTProto fingerprint of an RSA public key: the 64
// lower-order bits of SHA1 of the bare TL serialization
// rsa_public_key n:string e:string, with n and e big-endian, read as the
// little-endian long that goes on the wire.
func Fingerprint(pub *rsa.PublicKey) int64 {
	buf := appendTLBytes(nil, pub.N.Bytes())
	buf = appendTLBytes(buf, big.NewInt(int64(pub.E)).Bytes())
	sum := sha1.Sum(buf) // #nosec G401
	return int64(binary.LittleEndian.Uint64(sum[12:20]))
}

// ParsePublicKeyPEM parses every RSA public key PEM block in data, in PKCS #1
// ("RSA PUBLIC KEY") or PKIX ("PUBLIC KEY") form, for example to print the
// fingerprints of the keys a client was configured with.
func ParsePublicKeyPEM(data []byte) ([]*rsa.PublicKey, error) {
	var keys []*rsa.PublicKey
	for {
		block, rest := pem.Decode(data)
		if block == nil {
			break
		}
		data = rest
		switch block.Type {
		case pemRSAPublic:
			k, err := x509.ParsePKCS1PublicKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("parse public key: %w", err)
			}
			keys = append(keys, k)
		case pemPublic:
			k, err := x509.ParsePKIXPublicKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("parse public key: %w", err)
			}
			rk, ok := k.(*rsa.PublicKey)
			if !ok {
				return nil, fmt.Errorf("parse public key: PKIX key is %T, not RSA", k)
			}
			keys = append(keys, rk)
		default:
			return nil, fmt.Errorf("parse public key: PEM block %q is not %q or %q", block.Type, pemRSAPublic, pemPublic)
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("parse public key: no PEM block found")
	}
	return keys, nil
}
