package crypto

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"
)

// PQ is the proof-of-work challenge of resPQ: pq, the product of two distinct
// odd primes p < q that the client must find. Each factor fits in 32 bits and
// the product in 63, as clients expect (TDesktop refuses a pq longer than
// 8 bytes; the docs say pq is normally at most 2^63-1).
type PQ struct {
	P, Q uint32
}

// pqPrimeBits is the size of each factor. With the two top bits set, the
// factors lie in [3*2^29, 2^31) and pq in [9*2^58, 2^62): always 8 bytes,
// like the pq of Telegram's servers (about 2^61), and factored by clients in
// a few milliseconds.
const pqPrimeBits = 31

// GeneratePQ draws a fresh challenge from random (nil: crypto/rand). A new
// pq per handshake is what makes it a proof of work.
func GeneratePQ(random io.Reader) (PQ, error) {
	p, err := randomPrime31(random)
	if err != nil {
		return PQ{}, fmt.Errorf("generate pq: %w", err)
	}
	for {
		q, err := randomPrime31(random)
		if err != nil {
			return PQ{}, fmt.Errorf("generate pq: %w", err)
		}
		switch {
		case q > p:
			return PQ{P: p, Q: q}, nil
		case q < p:
			return PQ{P: q, Q: p}, nil
		}
		// p == q: draw q again.
	}
}

// randomPrime31 returns a random prime in [3*2^29, 2^31). It reads its own
// randomness (crypto/rand.Prime ignores the reader since Go 1.26), so tests
// can make it deterministic.
func randomPrime31(random io.Reader) (uint32, error) {
	var b [4]byte
	if err := readRandom(random, b[:]); err != nil {
		return 0, err
	}
	const top2 = 3 << (pqPrimeBits - 2)
	n := binary.BigEndian.Uint32(b[:])&(1<<pqPrimeBits-1) | top2 | 1
	for {
		// ProbablyPrime is exact for values below 2^64.
		if big.NewInt(int64(n)).ProbablyPrime(0) {
			return n, nil
		}
		n += 2
		if n >= 1<<pqPrimeBits {
			n = top2 | 1
		}
	}
}

// Product returns pq.
func (x PQ) Product() uint64 { return uint64(x.P) * uint64(x.Q) }

// Bytes returns pq as the 8-byte big-endian string sent in resPQ.pq.
func (x PQ) Bytes() []byte {
	return binary.BigEndian.AppendUint64(nil, x.Product())
}

// ErrPQMismatch is returned by Verify when the client's factors are wrong.
var ErrPQMismatch = errors.New("p and q do not factor pq")

// Verify checks the p and q strings of req_DH_params (or p_q_inner_data)
// against the challenge: big-endian numbers, compared by value so that a
// client encoding them with leading zero bytes is accepted.
func (x PQ) Verify(p, q []byte) error {
	pv, okP := beUint32(p)
	qv, okQ := beUint32(q)
	if !okP || !okQ || pv != x.P || qv != x.Q {
		return ErrPQMismatch
	}
	return nil
}

// beUint32 decodes a big-endian unsigned number of at most 32 significant
// bits, allowing leading zero bytes.
func beUint32(b []byte) (uint32, bool) {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	if len(b) > 4 {
		return 0, false
	}
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	return v, true
}
