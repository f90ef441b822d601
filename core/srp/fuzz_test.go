package srp

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
)

// FuzzCheck feeds arbitrary A and M1 to a challenge. Nothing may panic,
// every error must wrap ErrInvalidA, and the only proof accepted is the
// honest client's one.
func FuzzCheck(f *testing.F) {
	tp := newTestPassword(f, 1, "fuzz")
	c := tp.challenge(f, 2)
	goodA, goodM1 := clientProof(tp.algo, tp.x, c.B(), clientSecret(testRand(3)))
	f.Add(goodA, goodM1)
	f.Add(goodA, goodM1[:31])
	f.Add(goodA[1:], goodM1)
	f.Add([]byte{}, goodM1)
	f.Add(grp.p[:], goodM1)
	f.Add(bytes.Repeat([]byte{0xff}, Size+1), []byte{})
	f.Add(c.B(), goodM1)
	f.Fuzz(func(t *testing.T, a, m1 []byte) {
		ok, err := c.verify(a, m1)
		if err != nil {
			if ok || !errors.Is(err, ErrInvalidA) {
				t.Fatalf("verify = %v, %v", ok, err)
			}
			return
		}
		if !ok {
			return
		}
		var aPad [Size]byte
		copy(aPad[Size-len(a):], a)
		if !bytes.Equal(aPad[:], goodA) || !bytes.Equal(m1, goodM1) {
			t.Fatalf("accepted a proof the client did not make: A %x, M1 %x", a, m1)
		}
	})
}

// FuzzCheckVerifier feeds arbitrary new_algo and new_password_hash values
// to CheckVerifier: nothing may panic, errors wrap the documented sentinels,
// and an accepted verifier is in range.
func FuzzCheckVerifier(f *testing.F) {
	algo := testAlgo(f, 1)
	good := clientVerifier(clientX(f, "fuzz", algo))
	f.Add(algo.Salt1, algo.Salt2, algo.G, algo.P, good[:])
	f.Add(algo.Salt1, algo.Salt2, algo.G, algo.P, good[1:])
	f.Add(algo.Salt1[:8], algo.Salt2, algo.G, algo.P, good[:])
	f.Add(algo.Salt1, algo.Salt2, 2, algo.P, good[:])
	f.Add([]byte{}, []byte{}, 0, []byte{}, []byte{})
	f.Add(algo.Salt1, algo.Salt2, algo.G, algo.P, make([]byte, Size))
	f.Fuzz(func(t *testing.T, salt1, salt2 []byte, g int, p, v []byte) {
		a := Algo{Salt1: salt1, Salt2: salt2, G: g, P: p}
		got, err := CheckVerifier(a, v)
		if err != nil {
			if !errors.Is(err, ErrInvalidSalt) && !errors.Is(err, ErrUnsupportedGroup) && !errors.Is(err, ErrInvalidVerifier) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		x := new(big.Int).SetBytes(got[:])
		if !bytes.Equal(got[:], v) || x.Cmp(big.NewInt(1)) <= 0 || x.Cmp(grp.pMinus1) >= 0 {
			t.Fatalf("accepted verifier %x", v)
		}
	})
}
