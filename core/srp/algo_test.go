package srp

import (
	"bytes"
	"errors"
	"testing"

	mtcrypto "github.com/roostchat/roost/mtproto/crypto"
)

func TestNewAlgo(t *testing.T) {
	a, err := NewAlgo(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Salt1) != Salt1PrefixSize || len(a.Salt2) != Salt2Size {
		t.Fatalf("salt sizes %d, %d; want %d, %d", len(a.Salt1), len(a.Salt2), Salt1PrefixSize, Salt2Size)
	}
	dh := mtcrypto.DefaultDHGroup()
	if a.G != 3 || a.G != dh.G() || !bytes.Equal(a.P, dh.PrimeBytes()) || len(a.P) != Size {
		t.Fatalf("group (%d, %x) is not the default DH group", a.G, a.P)
	}
	b, err := NewAlgo(nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.Salt1, b.Salt1) || bytes.Equal(a.Salt2, b.Salt2) {
		t.Fatal("two offers share a salt")
	}
	// new_algo as offered is not yet a stored password: the client has not
	// appended its part of salt1.
	if err := a.validate(); !errors.Is(err, ErrInvalidSalt) {
		t.Fatalf("unextended salt1: got %v, want ErrInvalidSalt", err)
	}
}

func TestNewAlgoRandomFailure(t *testing.T) {
	if _, err := NewAlgo(errReader{}); err == nil {
		t.Fatal("NewAlgo succeeded without entropy")
	}
	if _, err := NewSalt1(errReader{}); err == nil {
		t.Fatal("NewSalt1 succeeded without entropy")
	}
	// salt1 read succeeds, salt2 read fails.
	if _, err := NewAlgo(bytes.NewReader(make([]byte, Salt1PrefixSize))); err == nil {
		t.Fatal("NewAlgo succeeded with a short random source")
	}
}

func TestNewSalt1(t *testing.T) {
	s, err := NewSalt1(testRand(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != Salt1PrefixSize {
		t.Fatalf("salt1 prefix has %d bytes, want %d", len(s), Salt1PrefixSize)
	}
	if bytes.Equal(s, make([]byte, Salt1PrefixSize)) {
		t.Fatal("salt1 prefix is all zero")
	}
}

func TestGroupConstants(t *testing.T) {
	// k = H(p | g) and H(p) xor H(g) over the 256-byte padded forms; the
	// known k for Telegram's prime and g = 3 is checked against gotd's
	// client in the interop test, here only the padding.
	if grp.g[Size-1] != 3 || !bytes.Equal(grp.g[:Size-1], make([]byte, Size-1)) {
		t.Fatal("g is not padded to 256 bytes")
	}
	if grp.p[0] == 0 || !bytes.Equal(grp.p[:], mtcrypto.DefaultDHGroup().PrimeBytes()) {
		t.Fatal("p is not the 256-byte default prime")
	}
}
