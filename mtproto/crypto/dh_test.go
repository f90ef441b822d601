package crypto

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
)

func TestDefaultDHGroup(t *testing.T) {
	grp := DefaultDHGroup()
	if err := grp.CheckPrime(); err != nil {
		t.Fatal(err)
	}
	p := grp.P()
	if p.BitLen() != 2048 {
		t.Fatalf("prime has %d bits", p.BitLen())
	}
	if b := grp.PrimeBytes(); len(b) != 256 || b[0] != 0xc7 || b[255] != 0x5b {
		t.Fatalf("PrimeBytes = %x...", b[:4])
	}
	// P returns a copy.
	p.SetInt64(5)
	if grp.P().BitLen() != 2048 {
		t.Fatal("P exposes the group's prime")
	}
}

func TestNewDHGroupErrors(t *testing.T) {
	p := DefaultDHGroup().P() // p mod 8 = 3, p mod 3 = 2, p mod 5 = 3, p mod 24 = 11, p mod 7 = 6
	tests := []struct {
		name string
		g    int
		p    *big.Int
	}{
		{"nil prime", 3, nil},
		{"short prime", 3, new(big.Int).Rsh(p, 1)},
		{"long prime", 3, new(big.Int).Lsh(p, 1)},
		{"even", 3, new(big.Int).Add(p, big.NewInt(1))},
		{"negative", 3, new(big.Int).Neg(p)},
		{"g = 1", 1, p},
		{"g = 8", 8, p},
		{"g = 2 needs p mod 8 = 7", 2, p},
		{"g = 5 needs p mod 5 in {1, 4}", 5, p},
		{"g = 6 needs p mod 24 in {19, 23}", 6, p},
	}
	for _, tt := range tests {
		if _, err := NewDHGroup(tt.g, tt.p); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	for _, g := range []int{3, 4, 7} {
		if _, err := NewDHGroup(g, p); err != nil {
			t.Errorf("g = %d: %v", g, err)
		}
	}
}

func TestCheckPrimeRejects(t *testing.T) {
	// An odd 2048-bit number with a valid residue for g = 4 that is not a
	// safe prime must fail CheckPrime.
	p := DefaultDHGroup().P()
	notPrime := new(big.Int).Add(p, big.NewInt(2))
	grp, err := NewDHGroup(4, notPrime)
	if err != nil {
		t.Fatal(err)
	}
	if err := grp.CheckPrime(); err == nil {
		t.Fatal("p + 2 passed CheckPrime")
	}
}

func TestCheckPublic(t *testing.T) {
	grp := DefaultDHGroup()
	p := grp.P()
	low := new(big.Int).Lsh(big.NewInt(1), 2048-64)
	high := new(big.Int).Sub(p, low)
	one := big.NewInt(1)
	tests := []struct {
		name string
		x    *big.Int
		ok   bool
	}{
		{"nil", nil, false},
		{"negative", big.NewInt(-5), false},
		{"zero", big.NewInt(0), false},
		{"one", big.NewInt(1), false},
		{"two", big.NewInt(2), false},
		{"below 2^1984", new(big.Int).Sub(low, one), false},
		{"2^1984", low, true},
		{"middle", new(big.Int).Rsh(p, 1), true},
		{"p - 2^1984", high, true},
		{"above p - 2^1984", new(big.Int).Add(high, one), false},
		{"p - 1", new(big.Int).Sub(p, one), false},
		{"p", p, false},
		{"p + 5", new(big.Int).Add(p, big.NewInt(5)), false},
	}
	for _, tt := range tests {
		err := grp.CheckPublic(tt.x)
		if tt.ok != (err == nil) {
			t.Errorf("%s: error %v", tt.name, err)
		}
		if err != nil && !errors.Is(err, ErrDHValue) {
			t.Errorf("%s: error %v is not ErrDHValue", tt.name, err)
		}
	}
}

func TestDHExchange(t *testing.T) {
	grp := DefaultDHGroup()
	s, err := grp.NewSecret(testRand(1))
	if err != nil {
		t.Fatal(err)
	}
	if s.Group() != grp {
		t.Fatal("Group")
	}
	gA := s.GA()
	if len(gA) != 256 {
		t.Fatalf("g_a is %d bytes", len(gA))
	}
	// g_a = g^a mod p.
	a := new(big.Int).SetBytes(s.a)
	want := new(big.Int).Exp(big.NewInt(3), a, grp.P())
	if new(big.Int).SetBytes(gA).Cmp(want) != 0 {
		t.Fatal("g_a != g^a mod p")
	}
	// GA returns a copy.
	gA[0] ^= 0xff
	if bytes.Equal(s.GA(), gA) {
		t.Fatal("GA exposes the secret's buffer")
	}

	// A client picks b; both sides reach the same key.
	b := new(big.Int).SetBytes(randBytes(t, testRand(2), 256))
	gB := new(big.Int).Exp(big.NewInt(3), b, grp.P())
	key, err := s.AuthKey(gB.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	clientKey := new(big.Int).Exp(new(big.Int).SetBytes(s.GA()), b, grp.P())
	if !bytes.Equal(key[:], clientKey.FillBytes(make([]byte, 256))) {
		t.Fatal("server and client keys differ")
	}
	// g_b with leading zero bytes is the same number.
	key2, err := s.AuthKey(append([]byte{0, 0, 0}, gB.Bytes()...))
	if err != nil || key2 != key {
		t.Fatalf("g_b with leading zeros: %v", err)
	}
}

func TestDHAuthKeyRejects(t *testing.T) {
	grp := DefaultDHGroup()
	s, err := grp.NewSecret(testRand(3))
	if err != nil {
		t.Fatal(err)
	}
	p := grp.P()
	bad := map[string][]byte{
		"empty":   nil,
		"one":     {1},
		"p - 1":   new(big.Int).Sub(p, big.NewInt(1)).Bytes(),
		"p":       p.Bytes(),
		"2^2048":  append([]byte{1}, make([]byte, 256)...),
		"small":   bytes.Repeat([]byte{0xff}, 200),
		"too big": bytes.Repeat([]byte{0xff}, 256),
	}
	for name, gB := range bad {
		if _, err := s.AuthKey(gB); !errors.Is(err, ErrDHValue) {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

func TestDHNewSecretDeterministic(t *testing.T) {
	grp := DefaultDHGroup()
	s1, err := grp.NewSecret(testRand(4))
	if err != nil {
		t.Fatal(err)
	}
	s2, err := grp.NewSecret(testRand(4))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s1.GA(), s2.GA()) {
		t.Fatal("same random stream, different g_a")
	}
	s3, err := grp.NewSecret(nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(s1.GA(), s3.GA()) {
		t.Fatal("crypto/rand produced the test stream")
	}
	if _, err := grp.NewSecret(errReader{}); err == nil {
		t.Fatal("failing random source: no error")
	}
}
