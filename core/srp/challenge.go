package srp

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync/atomic"
	"time"

	"filippo.io/bigmod"
)

// ChallengeTTL is a suggested lifetime of a Challenge. Clients that keep an
// account.password answer while the user types the password recover from
// SRP_ID_INVALID by asking for a new one.
const ChallengeTTL = 10 * time.Minute

var (
	// ErrChallengeUsed is returned by Check on a challenge that already
	// answered a Check.
	ErrChallengeUsed = errors.New("srp: challenge already used")
	// ErrChallengeExpired is returned by Check after the challenge's expiry.
	ErrChallengeExpired = errors.New("srp: challenge expired")
	// ErrInvalidA is wrapped by the errors of Check about the client's A.
	ErrInvalidA = errors.New("srp: invalid A")
)

// maxChallengeAttempts bounds the redraws of b when B falls outside the
// safe range, which happens with probability about 2^-63 per draw.
const maxChallengeAttempts = 16

// Challenge is the server's half of one SRP exchange: the secret b and
// B = (k*v + g^b) mod p for one stored password, created for
// account.getPassword and answered by one Check of the client's proof. It is
// safe for concurrent use; only the first Check runs.
type Challenge struct {
	id      int64
	algo    Algo
	v       Verifier
	b       []byte // Size bytes, secret; cleared by Check
	bPub    [Size]byte
	expires time.Time
	used    atomic.Bool
}

// NewChallenge draws a secret 2048-bit b and a random srp_id from random
// (nil: crypto/rand) for the stored password (algo, v), and computes B in
// constant time, redrawing b until B passes the public value checks of
// mtproto/crypto.DHGroup.CheckPublic. The challenge expires at expires
// (for example now + ChallengeTTL).
func NewChallenge(random io.Reader, algo Algo, v Verifier, expires time.Time) (*Challenge, error) {
	if err := algo.validate(); err != nil {
		return nil, fmt.Errorf("new challenge: %w", err)
	}
	if err := v.inRange(); err != nil {
		return nil, fmt.Errorf("new challenge: %w", err)
	}
	var id [8]byte
	if err := readRandom(random, id[:]); err != nil {
		return nil, fmt.Errorf("new challenge: srp_id: %w", err)
	}
	g, err := grp.nat(grp.g[:])
	if err != nil {
		return nil, fmt.Errorf("new challenge: g: %w", err)
	}
	k, err := grp.nat(grp.k[:])
	if err != nil {
		return nil, fmt.Errorf("new challenge: k: %w", err)
	}
	vNat, err := grp.nat(v[:])
	if err != nil {
		return nil, fmt.Errorf("new challenge: v: %w", err) // unreachable after inRange
	}
	kv := k.Mul(vNat, grp.mod) // k*v mod p
	b := make([]byte, Size)
	for range maxChallengeAttempts {
		if err := readRandom(random, b); err != nil {
			return nil, fmt.Errorf("new challenge: b: %w", err)
		}
		pub := bigmod.NewNat().Exp(g, b, grp.mod).Add(kv, grp.mod).Bytes(grp.mod)
		if grp.dh.CheckPublic(new(big.Int).SetBytes(pub)) != nil {
			continue
		}
		c := &Challenge{
			id:      int64(binary.LittleEndian.Uint64(id[:])),
			algo:    cloneAlgo(algo),
			v:       v,
			b:       b,
			expires: expires,
		}
		copy(c.bPub[:], pub)
		return c, nil
	}
	return nil, errors.New("new challenge: no B in the safe range; is the random source broken?")
}

// ID returns srp_id, which the client sends back in inputCheckPasswordSRP.
func (c *Challenge) ID() int64 { return c.id }

// B returns srp_B, 256 bytes big-endian.
func (c *Challenge) B() []byte { return append([]byte(nil), c.bPub[:]...) }

// Verifier returns the verifier the challenge was made for: if the stored
// one differs when the proof arrives, the password changed in between
// (SRP_PASSWORD_CHANGED).
func (c *Challenge) Verifier() Verifier { return c.v }

// Expires returns the time from which Check refuses the challenge.
func (c *Challenge) Expires() time.Time { return c.expires }

// Check verifies the client's proof of inputCheckPasswordSRP: A (at most 256
// bytes big-endian; shorter values are left-padded) and M1. It reports
// whether the proof is right, which means the client knows the password.
//
// The first call consumes the challenge whatever its outcome; later calls
// return ErrChallengeUsed, and calls from now on after the expiry
// ErrChallengeExpired. An A outside the range of public DH values (which
// includes A ≡ 0 mod p) returns an error wrapping ErrInvalidA. A wrong
// proof, including an M1 that is not 32 bytes, returns false and no error.
func (c *Challenge) Check(now time.Time, a, m1 []byte) (bool, error) {
	if !c.used.CompareAndSwap(false, true) {
		return false, ErrChallengeUsed
	}
	defer clear(c.b)
	if !now.Before(c.expires) {
		return false, ErrChallengeExpired
	}
	return c.verify(a, m1)
}

// verify computes the expected M1 for A and compares it with m1. It does
// not consume the challenge.
func (c *Challenge) verify(a, m1 []byte) (bool, error) {
	if len(a) > Size {
		return false, fmt.Errorf("%w: %d bytes, want at most %d", ErrInvalidA, len(a), Size)
	}
	var aPad [Size]byte
	copy(aPad[Size-len(a):], a)
	if err := grp.dh.CheckPublic(new(big.Int).SetBytes(aPad[:])); err != nil {
		return false, fmt.Errorf("%w: %w", ErrInvalidA, err)
	}
	if len(m1) != sha256.Size {
		return false, nil
	}
	// u = H(A | B); SRP-6a aborts on u = 0, which would make the proof
	// independent of v.
	u := hash(aPad[:], c.bPub[:])
	if isZero(u[:]) {
		return false, fmt.Errorf("%w: u = H(A | B) is zero", ErrInvalidA)
	}
	aNat, err := grp.nat(aPad[:])
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrInvalidA, err) // unreachable after CheckPublic
	}
	vNat, err := grp.nat(c.v[:])
	if err != nil {
		return false, fmt.Errorf("verifier: %w", err) // unreachable after inRange
	}
	// S = (A * v^u)^b mod p, in constant time in v and b.
	base := aNat.Mul(bigmod.NewNat().Exp(vNat, u[:], grp.mod), grp.mod)
	s := bigmod.NewNat().Exp(base, c.b, grp.mod).Bytes(grp.mod)
	k := hash(s)
	want := proof(c.algo, aPad[:], c.bPub[:], k[:])
	return subtle.ConstantTimeCompare(want[:], m1) == 1, nil
}

// proof returns M1 = H(H(p) xor H(g) | H(salt1) | H(salt2) | A | B | K).
func proof(algo Algo, a, b, k []byte) [sha256.Size]byte {
	hs1, hs2 := hash(algo.Salt1), hash(algo.Salt2)
	return hash(grp.hpg[:], hs1[:], hs2[:], a, b, k)
}

// hash returns H(parts[0] | parts[1] | ...) with H = SHA-256.
func hash(parts ...[]byte) [sha256.Size]byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

func isZero(b []byte) bool {
	var acc byte
	for _, x := range b {
		acc |= x
	}
	return acc == 0
}

func cloneAlgo(a Algo) Algo {
	return Algo{
		Salt1: append([]byte(nil), a.Salt1...),
		Salt2: append([]byte(nil), a.Salt2...),
		G:     a.G,
		P:     append([]byte(nil), a.P...),
	}
}
