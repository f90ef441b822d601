package srp

import (
	"bytes"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"
)

func TestChallengeAcceptsProof(t *testing.T) {
	tp := newTestPassword(t, 1, "correct horse")
	c := tp.challenge(t, 2)
	if len(c.B()) != Size {
		t.Fatalf("srp_B has %d bytes, want %d", len(c.B()), Size)
	}
	if err := grp.dh.CheckPublic(new(big.Int).SetBytes(c.B())); err != nil {
		t.Fatalf("srp_B: %v", err)
	}
	if c.Verifier() != tp.v || !c.Expires().Equal(testNow.Add(ChallengeTTL)) {
		t.Fatal("challenge does not report its verifier and expiry")
	}
	a, m1 := clientProof(tp.algo, tp.x, c.B(), clientSecret(testRand(3)))
	ok, err := c.Check(testNow, a, m1)
	if err != nil || !ok {
		t.Fatalf("Check = %v, %v; want true, nil", ok, err)
	}
}

func TestChallengeRejectsWrongPassword(t *testing.T) {
	tp := newTestPassword(t, 1, "correct horse")
	wrong := clientX(t, "correct hors", tp.algo)
	c := tp.challenge(t, 2)
	a, m1 := clientProof(tp.algo, wrong, c.B(), clientSecret(testRand(3)))
	ok, err := c.Check(testNow, a, m1)
	if err != nil || ok {
		t.Fatalf("Check = %v, %v; want false, nil", ok, err)
	}
}

func TestChallengeRejectsTamperedProof(t *testing.T) {
	tp := newTestPassword(t, 4, "pw")
	r := testRand(5)
	for _, tc := range []struct {
		name string
		// before edits what the client proves over: its view of the salts
		// and of srp_B.
		before func(algo *Algo, srpB []byte) []byte
		// after edits the proof on the way.
		after func(a, m1 []byte)
	}{
		{name: "M1 bit", after: func(_, m1 []byte) { m1[31] ^= 1 }},
		{name: "A of another secret", after: func(a, _ []byte) {
			other, _ := clientProof(tp.algo, tp.x, tp.challenge(t, 98).B(), clientSecret(r))
			copy(a, other)
		}},
		{name: "other srp_B", before: func(_ *Algo, _ []byte) []byte { return tp.challenge(t, 99).B() }},
		{name: "other salt1", before: func(algo *Algo, srpB []byte) []byte { algo.Salt1[0] ^= 1; return srpB }},
		{name: "other salt2", before: func(algo *Algo, srpB []byte) []byte { algo.Salt2[0] ^= 1; return srpB }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tp.challenge(t, 6)
			algo, srpB := cloneAlgo(tp.algo), c.B()
			if tc.before != nil {
				srpB = tc.before(&algo, srpB)
			}
			a, m1 := clientProof(algo, tp.x, srpB, clientSecret(r))
			if tc.after != nil {
				tc.after(a, m1)
			}
			ok, err := c.Check(testNow, a, m1)
			if err != nil || ok {
				t.Fatalf("Check = %v, %v; want false, nil", ok, err)
			}
		})
	}
}

func TestChallengeSingleUse(t *testing.T) {
	tp := newTestPassword(t, 1, "correct horse")
	c := tp.challenge(t, 7)
	a, m1 := clientProof(tp.algo, tp.x, c.B(), clientSecret(testRand(8)))
	bad := append([]byte(nil), m1...)
	bad[0] ^= 0x80
	if ok, err := c.Check(testNow, a, bad); ok || err != nil {
		t.Fatalf("first Check = %v, %v; want false, nil", ok, err)
	}
	// The right proof after a wrong one: the challenge is gone.
	if ok, err := c.Check(testNow, a, m1); ok || !errors.Is(err, ErrChallengeUsed) {
		t.Fatalf("second Check = %v, %v; want false, ErrChallengeUsed", ok, err)
	}

	c = tp.challenge(t, 9)
	a, m1 = clientProof(tp.algo, tp.x, c.B(), clientSecret(testRand(10)))
	if ok, err := c.Check(testNow, a, m1); !ok || err != nil {
		t.Fatalf("Check = %v, %v; want true, nil", ok, err)
	}
	// A replay of a right proof.
	if ok, err := c.Check(testNow, a, m1); ok || !errors.Is(err, ErrChallengeUsed) {
		t.Fatalf("replayed Check = %v, %v; want false, ErrChallengeUsed", ok, err)
	}
}

func TestChallengeConcurrentChecks(t *testing.T) {
	tp := newTestPassword(t, 1, "correct horse")
	c := tp.challenge(t, 11)
	a, m1 := clientProof(tp.algo, tp.x, c.B(), clientSecret(testRand(12)))
	const n = 8
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		accepted int
		used     int
	)
	for range n {
		wg.Go(func() {
			ok, err := c.Check(testNow, a, m1)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case ok && err == nil:
				accepted++
			case !ok && errors.Is(err, ErrChallengeUsed):
				used++
			default:
				t.Errorf("Check = %v, %v", ok, err)
			}
		})
	}
	wg.Wait()
	if accepted != 1 || used != n-1 {
		t.Fatalf("%d accepted and %d refused as used; want 1 and %d", accepted, used, n-1)
	}
}

func TestChallengeExpired(t *testing.T) {
	tp := newTestPassword(t, 1, "correct horse")
	c := tp.challenge(t, 13)
	a, m1 := clientProof(tp.algo, tp.x, c.B(), clientSecret(testRand(14)))
	if ok, err := c.Check(c.Expires(), a, m1); ok || !errors.Is(err, ErrChallengeExpired) {
		t.Fatalf("Check at expiry = %v, %v; want false, ErrChallengeExpired", ok, err)
	}
	// An expired challenge is consumed too.
	if ok, err := c.Check(testNow, a, m1); ok || !errors.Is(err, ErrChallengeUsed) {
		t.Fatalf("Check after expiry = %v, %v; want false, ErrChallengeUsed", ok, err)
	}
	c = tp.challenge(t, 13)
	if ok, err := c.Check(c.Expires().Add(-time.Nanosecond), a, m1); !ok || err != nil {
		t.Fatalf("Check just before expiry = %v, %v; want true, nil", ok, err)
	}
}

func TestChallengeRejectsA(t *testing.T) {
	tp := newTestPassword(t, 1, "correct horse")
	p := grp.pInt
	pad := func(x *big.Int) []byte { return x.FillBytes(make([]byte, Size)) }
	low := new(big.Int).Lsh(big.NewInt(1), 2048-64)
	for _, tc := range []struct {
		name string
		a    []byte
	}{
		{"empty", nil},
		{"zero", make([]byte, Size)},
		{"one", []byte{1}},
		{"g", []byte{3}},
		{"p-1", pad(new(big.Int).Sub(p, big.NewInt(1)))},
		{"p", pad(p)}, // A ≡ 0 mod p
		{"p+1", pad(new(big.Int).Add(p, big.NewInt(1)))}, // A ≡ 1 mod p
		{"2p", new(big.Int).Lsh(p, 1).Bytes()},           // A ≡ 0 mod p, 257 bytes
		{"257 bytes", append([]byte{0}, pad(new(big.Int).Add(low, big.NewInt(5)))...)},
		{"below 2^1984", pad(new(big.Int).Sub(low, big.NewInt(1)))},
		{"above p-2^1984", pad(new(big.Int).Add(new(big.Int).Sub(p, low), big.NewInt(1)))},
		{"all ones", bytes.Repeat([]byte{0xff}, Size)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tp.challenge(t, 15)
			ok, err := c.Check(testNow, tc.a, make([]byte, 32))
			if ok || !errors.Is(err, ErrInvalidA) {
				t.Fatalf("Check = %v, %v; want false, ErrInvalidA", ok, err)
			}
		})
	}
}

func TestChallengeM1Size(t *testing.T) {
	tp := newTestPassword(t, 1, "correct horse")
	for _, n := range []int{0, 31, 33, 64} {
		c := tp.challenge(t, 16)
		a, m1 := clientProof(tp.algo, tp.x, c.B(), clientSecret(testRand(17)))
		m := make([]byte, n)
		copy(m, m1)
		if ok, err := c.Check(testNow, a, m); ok || err != nil {
			t.Fatalf("M1 of %d bytes: Check = %v, %v; want false, nil", n, ok, err)
		}
	}
}

func TestChallengeAcceptsUnpaddedA(t *testing.T) {
	// A client may send A without its leading zero bytes; the hashes use
	// the padded form either way.
	tp := newTestPassword(t, 1, "correct horse")
	r := testRand(18)
	for range 5000 {
		c := tp.challenge(t, 19)
		a, m1 := clientProof(tp.algo, tp.x, c.B(), clientSecret(r))
		if a[0] != 0 {
			continue
		}
		ok, err := c.Check(testNow, bytes.TrimLeft(a, "\x00"), m1)
		if !ok || err != nil {
			t.Fatalf("Check with unpadded A = %v, %v; want true, nil", ok, err)
		}
		return
	}
	t.Fatal("no A with a leading zero byte in 5000 draws")
}

func TestNewChallenge(t *testing.T) {
	tp := newTestPassword(t, 1, "correct horse")
	c1 := tp.challenge(t, 20)
	c2 := tp.challenge(t, 21)
	if c1.ID() == c2.ID() || bytes.Equal(c1.B(), c2.B()) {
		t.Fatal("two challenges share srp_id or srp_B")
	}
	// B() hands out a copy.
	b := c1.B()
	b[0] ^= 1
	if bytes.Equal(b, c1.B()) {
		t.Fatal("B returned the challenge's own buffer")
	}
	// The challenge keeps its own copy of the salts.
	algo := cloneAlgo(tp.algo)
	c3, err := NewChallenge(testRand(22), algo, tp.v, testNow.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	a, m1 := clientProof(tp.algo, tp.x, c3.B(), clientSecret(testRand(23)))
	algo.Salt1[0] ^= 1
	if ok, err := c3.Check(testNow, a, m1); !ok || err != nil {
		t.Fatalf("Check after the caller's salt changed = %v, %v; want true, nil", ok, err)
	}
}

func TestNewChallengeRejects(t *testing.T) {
	tp := newTestPassword(t, 1, "correct horse")
	exp := testNow.Add(time.Minute)
	bad := cloneAlgo(tp.algo)
	bad.G = 5
	if _, err := NewChallenge(nil, bad, tp.v, exp); !errors.Is(err, ErrUnsupportedGroup) {
		t.Fatalf("bad group: got %v", err)
	}
	bad = cloneAlgo(tp.algo)
	bad.Salt2 = nil
	if _, err := NewChallenge(nil, bad, tp.v, exp); !errors.Is(err, ErrInvalidSalt) {
		t.Fatalf("bad salt: got %v", err)
	}
	if _, err := NewChallenge(nil, tp.algo, Verifier{}, exp); !errors.Is(err, ErrInvalidVerifier) {
		t.Fatalf("zero verifier: got %v", err)
	}
	if _, err := NewChallenge(errReader{}, tp.algo, tp.v, exp); err == nil {
		t.Fatal("NewChallenge succeeded without entropy")
	}
	// srp_id read succeeds, b read fails.
	if _, err := NewChallenge(bytes.NewReader(make([]byte, 8)), tp.algo, tp.v, exp); err == nil {
		t.Fatal("NewChallenge succeeded with a short random source")
	}
}
