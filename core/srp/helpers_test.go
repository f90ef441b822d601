package srp

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"
)

// This file is a test-only SRP client written from the specification, so
// the server can be tested without running the 100000-iteration KDF for
// every proof. The interop tests check it against gotd/td's client.

// testRand returns a deterministic random source.
func testRand(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	s[1] = byte(seed >> 8)
	return rand.NewChaCha8(s)
}

// errReader fails every read.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("entropy source failed") }

var testNow = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// testAlgo returns the parameters of a stored password: new_algo with salt1
// extended by the client's 32 bytes.
func testAlgo(t testing.TB, seed uint64) Algo {
	t.Helper()
	r := testRand(seed)
	algo, err := NewAlgo(r)
	if err != nil {
		t.Fatal(err)
	}
	client := make([]byte, ClientSalt1Size)
	_, _ = r.Read(client)
	algo.Salt1 = append(algo.Salt1, client...)
	return algo
}

// clientX returns x = PH2(password, salt1, salt2).
func clientX(t testing.TB, password string, algo Algo) *big.Int {
	t.Helper()
	sh := func(data, salt []byte) []byte {
		h := sha256.New()
		h.Write(salt)
		h.Write(data)
		h.Write(salt)
		return h.Sum(nil)
	}
	ph1 := sh(sh([]byte(password), algo.Salt1), algo.Salt2)
	stretched, err := pbkdf2.Key(sha512.New, string(ph1), algo.Salt1, 100000, 64)
	if err != nil {
		t.Fatal(err)
	}
	return new(big.Int).SetBytes(sh(stretched, algo.Salt2))
}

// clientVerifier returns v = g^x mod p, padded.
func clientVerifier(x *big.Int) Verifier {
	var v Verifier
	new(big.Int).Exp(big.NewInt(3), x, grp.pInt).FillBytes(v[:])
	return v
}

// clientProof returns the client's A and M1 for the secret a.
func clientProof(algo Algo, x *big.Int, srpB []byte, a *big.Int) (pubA, m1 []byte) {
	p, g := grp.pInt, big.NewInt(3)
	var aPad, bPad [Size]byte
	new(big.Int).Exp(g, a, p).FillBytes(aPad[:])
	copy(bPad[Size-len(srpB):], srpB)
	u := sha256.Sum256(append(aPad[:], bPad[:]...))
	k := sha256.Sum256(append(algo.P, grp.g[:]...))
	v := new(big.Int).Exp(g, x, p)
	kv := new(big.Int).Mul(new(big.Int).SetBytes(k[:]), v)
	t := new(big.Int).Sub(new(big.Int).SetBytes(bPad[:]), kv)
	t.Mod(t, p)
	e := new(big.Int).Mul(new(big.Int).SetBytes(u[:]), x)
	e.Add(e, a)
	var s [Size]byte
	new(big.Int).Exp(t, e, p).FillBytes(s[:])
	K := sha256.Sum256(s[:])
	hp, hg := sha256.Sum256(algo.P), sha256.Sum256(grp.g[:])
	var xor [sha256.Size]byte
	for i := range xor {
		xor[i] = hp[i] ^ hg[i]
	}
	h1, h2 := sha256.Sum256(algo.Salt1), sha256.Sum256(algo.Salt2)
	h := sha256.New()
	for _, part := range [][]byte{xor[:], h1[:], h2[:], aPad[:], bPad[:], K[:]} {
		h.Write(part)
	}
	return aPad[:], h.Sum(nil)
}

// clientSecret draws a 2048-bit a.
func clientSecret(r *rand.ChaCha8) *big.Int {
	b := make([]byte, Size)
	_, _ = r.Read(b)
	return new(big.Int).SetBytes(b)
}

// testPassword is a stored password and the client's x for it.
type testPassword struct {
	algo Algo
	v    Verifier
	x    *big.Int
}

func newTestPassword(t testing.TB, seed uint64, password string) testPassword {
	t.Helper()
	algo := testAlgo(t, seed)
	x := clientX(t, password, algo)
	raw := clientVerifier(x)
	v, err := CheckVerifier(algo, raw[:])
	if err != nil {
		t.Fatal(err)
	}
	return testPassword{algo: algo, v: v, x: x}
}

func (tp testPassword) challenge(t testing.TB, seed uint64) *Challenge {
	t.Helper()
	c, err := NewChallenge(testRand(seed), tp.algo, tp.v, testNow.Add(ChallengeTTL))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
