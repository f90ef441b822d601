package crypto

import (
	"errors"
	"math/big"
	"testing"
)

func TestGeneratePQ(t *testing.T) {
	r := testRand(1)
	seen := map[uint64]bool{}
	for i := 0; i < 200; i++ {
		x, err := GeneratePQ(r)
		if err != nil {
			t.Fatal(err)
		}
		if x.P >= x.Q {
			t.Fatalf("p = %d is not below q = %d", x.P, x.Q)
		}
		for _, f := range []uint32{x.P, x.Q} {
			if f < 3<<29 || f >= 1<<31 {
				t.Fatalf("factor %d outside [3*2^29, 2^31)", f)
			}
			if !big.NewInt(int64(f)).ProbablyPrime(20) {
				t.Fatalf("factor %d is not prime", f)
			}
		}
		pq := x.Product()
		if pq < 9<<58 || pq >= 1<<62 {
			t.Fatalf("pq = %d outside [9*2^58, 2^62)", pq)
		}
		if b := x.Bytes(); len(b) != 8 || b[0] == 0 {
			t.Fatalf("pq bytes %x are not 8 significant bytes", b)
		}
		seen[pq] = true
	}
	if len(seen) < 190 {
		t.Fatalf("only %d distinct challenges in 200", len(seen))
	}
	if _, err := GeneratePQ(errReader{}); err == nil {
		t.Fatal("failing random source: no error")
	}
}

func TestPQVerify(t *testing.T) {
	x := PQ{P: 0x494C553B, Q: 0x53911073}
	good := []struct{ p, q []byte }{
		{[]byte{0x49, 0x4c, 0x55, 0x3b}, []byte{0x53, 0x91, 0x10, 0x73}},
		{[]byte{0, 0, 0x49, 0x4c, 0x55, 0x3b}, []byte{0, 0x53, 0x91, 0x10, 0x73}},
	}
	for i, c := range good {
		if err := x.Verify(c.p, c.q); err != nil {
			t.Errorf("good %d: %v", i, err)
		}
	}
	bad := []struct{ p, q []byte }{
		{nil, nil},
		{[]byte{0x53, 0x91, 0x10, 0x73}, []byte{0x49, 0x4c, 0x55, 0x3b}}, // swapped
		{[]byte{0x49, 0x4c, 0x55, 0x3c}, []byte{0x53, 0x91, 0x10, 0x73}},
		{[]byte{1, 0x49, 0x4c, 0x55, 0x3b}, []byte{0x53, 0x91, 0x10, 0x73}},
		{[]byte{0x49, 0x4c, 0x55, 0x3b}, nil},
	}
	for i, c := range bad {
		if err := x.Verify(c.p, c.q); !errors.Is(err, ErrPQMismatch) {
			t.Errorf("bad %d: error %v", i, err)
		}
	}
}
