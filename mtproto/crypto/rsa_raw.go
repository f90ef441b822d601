package crypto

import (
	"crypto/rsa"
	"errors"
	"fmt"

	"filippo.io/bigmod"
)

// rsaRaw performs textbook ("raw", unpadded) RSA decryption with the CRT in
// constant time. MTProto's RSA_PAD and its legacy scheme put their own
// structure inside the 2048-bit block, so crypto/rsa, which only exposes
// PKCS #1 v1.5 and OAEP decryption, cannot be used. math/big is not constant
// time, so the private operation uses filippo.io/bigmod, the exported copy
// of the arithmetic behind crypto/rsa.
type rsaRaw struct {
	n, p, q *bigmod.Modulus
	dP, dQ  []byte      // d mod (p-1), d mod (q-1), big-endian
	qInv    *bigmod.Nat // q^-1 mod p
	qN      *bigmod.Nat // q as a residue mod n
	e       uint
}

// errRSAInput is returned for a ciphertext that is not a 256-byte integer
// below the modulus.
var errRSAInput = errors.New("rsa: ciphertext is not a 256-byte integer below the modulus")

// newRSARaw precomputes the CRT values of a two-prime key.
func newRSARaw(k *rsa.PrivateKey) (*rsaRaw, error) {
	if len(k.Primes) != 2 {
		return nil, fmt.Errorf("rsa: key has %d primes, want 2", len(k.Primes))
	}
	k.Precompute()
	if k.Precomputed.Dp == nil || k.Precomputed.Dq == nil || k.Precomputed.Qinv == nil {
		return nil, errors.New("rsa: key has no CRT values")
	}
	n, err := bigmod.NewModulus(k.N.Bytes())
	if err != nil {
		return nil, fmt.Errorf("rsa: modulus: %w", err)
	}
	p, err := bigmod.NewModulus(k.Primes[0].Bytes())
	if err != nil {
		return nil, fmt.Errorf("rsa: prime p: %w", err)
	}
	q, err := bigmod.NewModulus(k.Primes[1].Bytes())
	if err != nil {
		return nil, fmt.Errorf("rsa: prime q: %w", err)
	}
	qInv, err := bigmod.NewNat().SetBytes(k.Precomputed.Qinv.Bytes(), p)
	if err != nil {
		return nil, fmt.Errorf("rsa: q^-1 mod p: %w", err)
	}
	qN, err := bigmod.NewNat().SetBytes(k.Primes[1].Bytes(), n)
	if err != nil {
		return nil, fmt.Errorf("rsa: q mod n: %w", err)
	}
	if k.E < 3 {
		return nil, fmt.Errorf("rsa: public exponent %d is too small", k.E)
	}
	return &rsaRaw{
		n: n, p: p, q: q,
		dP:   k.Precomputed.Dp.Bytes(),
		dQ:   k.Precomputed.Dq.Bytes(),
		qInv: qInv,
		qN:   qN,
		e:    uint(k.E),
	}, nil
}

// decrypt returns c^d mod n as exactly 256 big-endian bytes. c must be
// exactly the modulus size and below the modulus. The result is checked by
// re-encrypting it, so that a fault in the CRT computation cannot leak the
// factors of n.
func (r *rsaRaw) decrypt(c []byte) ([]byte, error) {
	if len(c) != r.n.Size() {
		return nil, errRSAInput
	}
	cN, err := bigmod.NewNat().SetBytes(c, r.n)
	if err != nil {
		return nil, errRSAInput
	}

	// m1 = c^dP mod p, m2 = c^dQ mod q.
	m1 := bigmod.NewNat().Exp(bigmod.NewNat().Mod(cN, r.p), r.dP, r.p)
	m2 := bigmod.NewNat().Exp(bigmod.NewNat().Mod(cN, r.q), r.dQ, r.q)

	// h = qInv * (m1 - m2) mod p.
	h := m1.Sub(bigmod.NewNat().Mod(m2, r.p), r.p)
	h.Mul(r.qInv, r.p)

	// m = m2 + h*q, which is below p*q = n, so the operations mod n are exact.
	m := h.ExpandFor(r.n).Mul(r.qN, r.n)
	m.Add(m2.ExpandFor(r.n), r.n)

	if bigmod.NewNat().ExpShortVarTime(m, r.e, r.n).Equal(cN) != 1 {
		return nil, errors.New("rsa: internal error: decryption check failed")
	}
	return m.Bytes(r.n), nil
}
