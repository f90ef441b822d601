package srp

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
)

func TestCheckVerifier(t *testing.T) {
	algo := testAlgo(t, 1)
	raw := clientVerifier(clientX(t, "hunter2", algo))
	v, err := CheckVerifier(algo, raw[:])
	if err != nil {
		t.Fatal(err)
	}
	if v != raw {
		t.Fatal("CheckVerifier changed the verifier")
	}
}

// residue returns the smallest n > 1 whose Jacobi symbol mod p is want.
func residue(t *testing.T, want int) *big.Int {
	for n := int64(2); n < 1000; n++ {
		if big.Jacobi(big.NewInt(n), grp.pInt) == want {
			return big.NewInt(n)
		}
	}
	t.Fatalf("no small n with Jacobi symbol %d", want)
	return nil
}

func TestCheckVerifierRejects(t *testing.T) {
	algo := testAlgo(t, 2)
	good := clientVerifier(clientX(t, "pw", algo))
	pad := func(x *big.Int) []byte { return x.FillBytes(make([]byte, Size)) }
	p := grp.pInt
	one := big.NewInt(1)
	withAlgo := func(edit func(a *Algo)) Algo {
		a := cloneAlgo(algo)
		edit(&a)
		return a
	}
	badP := append([]byte(nil), algo.P...)
	badP[100] ^= 1
	for _, tc := range []struct {
		name string
		algo Algo
		v    []byte
		want error
	}{
		{"empty", algo, nil, ErrInvalidVerifier},
		{"short", algo, good[1:], ErrInvalidVerifier},
		{"long", algo, append([]byte{0}, good[:]...), ErrInvalidVerifier},
		{"zero", algo, make([]byte, Size), ErrInvalidVerifier},
		{"one", algo, pad(one), ErrInvalidVerifier},
		{"p-1", algo, pad(new(big.Int).Sub(p, one)), ErrInvalidVerifier},
		{"p", algo, pad(p), ErrInvalidVerifier},
		{"p+2", algo, pad(new(big.Int).Add(p, big.NewInt(2))), ErrInvalidVerifier},
		{"all ones", algo, bytes.Repeat([]byte{0xff}, Size), ErrInvalidVerifier},
		{"non-residue", algo, pad(residue(t, -1)), ErrInvalidVerifier},
		{"g=2", withAlgo(func(a *Algo) { a.G = 2 }), good[:], ErrUnsupportedGroup},
		{"other p", withAlgo(func(a *Algo) { a.P = badP }), good[:], ErrUnsupportedGroup},
		{"short p", withAlgo(func(a *Algo) { a.P = a.P[1:] }), good[:], ErrUnsupportedGroup},
		{"no p", withAlgo(func(a *Algo) { a.P = nil }), good[:], ErrUnsupportedGroup},
		{"salt1 prefix only", withAlgo(func(a *Algo) { a.Salt1 = a.Salt1[:Salt1PrefixSize] }), good[:], ErrInvalidSalt},
		{"salt1 empty", withAlgo(func(a *Algo) { a.Salt1 = nil }), good[:], ErrInvalidSalt},
		{"salt1 long", withAlgo(func(a *Algo) { a.Salt1 = make([]byte, MaxSaltSize+1) }), good[:], ErrInvalidSalt},
		{"salt2 short", withAlgo(func(a *Algo) { a.Salt2 = a.Salt2[:Salt2Size-1] }), good[:], ErrInvalidSalt},
		{"salt2 long", withAlgo(func(a *Algo) { a.Salt2 = make([]byte, MaxSaltSize+1) }), good[:], ErrInvalidSalt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := CheckVerifier(tc.algo, tc.v)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if v != (Verifier{}) {
				t.Fatal("rejected verifier returned non-zero")
			}
		})
	}
}

func TestCheckVerifierAcceptsResidue(t *testing.T) {
	// Any quadratic residue in range is a power of g = 3 in this group.
	algo := testAlgo(t, 3)
	if _, err := CheckVerifier(algo, residue(t, 1).FillBytes(make([]byte, Size))); err != nil {
		t.Fatal(err)
	}
}
