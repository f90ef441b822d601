package crypto

import (
	"bytes"
	"crypto/aes"
	"errors"
	"testing"
)

func TestIGERoundTrip(t *testing.T) {
	r := testRand(1)
	key := randBytes(t, r, IGEKeySize)
	iv := randBytes(t, r, IGEIVSize)
	for _, n := range []int{0, 16, 32, 48, 1024, 4096 + 16} {
		plain := randBytes(t, r, n)
		enc := make([]byte, n)
		if err := EncryptIGE(enc, plain, key, iv); err != nil {
			t.Fatalf("encrypt %d: %v", n, err)
		}
		if n > 0 && bytes.Equal(enc, plain) {
			t.Fatalf("encrypt %d: ciphertext equals plaintext", n)
		}
		dec := make([]byte, n)
		if err := DecryptIGE(dec, enc, key, iv); err != nil {
			t.Fatalf("decrypt %d: %v", n, err)
		}
		if !bytes.Equal(dec, plain) {
			t.Fatalf("decrypt %d: round trip mismatch", n)
		}
	}
}

func TestIGEChaining(t *testing.T) {
	// IGE propagates a change of one ciphertext block into every following
	// plaintext block; an ECB- or CTR-like bug would not.
	r := testRand(2)
	key, iv := randBytes(t, r, 32), randBytes(t, r, 32)
	plain := randBytes(t, r, 64)
	enc := make([]byte, 64)
	if err := EncryptIGE(enc, plain, key, iv); err != nil {
		t.Fatal(err)
	}
	enc[0] ^= 1
	dec := make([]byte, 64)
	if err := DecryptIGE(dec, enc, key, iv); err != nil {
		t.Fatal(err)
	}
	for blk := 0; blk < 4; blk++ {
		if bytes.Equal(dec[blk*16:blk*16+16], plain[blk*16:blk*16+16]) {
			t.Errorf("block %d unaffected by a change of ciphertext block 0", blk)
		}
	}
}

func TestIGEInPlace(t *testing.T) {
	r := testRand(3)
	key, iv := randBytes(t, r, 32), randBytes(t, r, 32)
	plain := randBytes(t, r, 80)
	want := make([]byte, len(plain))
	if err := EncryptIGE(want, plain, key, iv); err != nil {
		t.Fatal(err)
	}

	buf := append([]byte(nil), plain...)
	if err := EncryptIGE(buf, buf, key, iv); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf, want) {
		t.Fatal("in-place encryption differs")
	}
	if err := DecryptIGE(buf, buf, key, iv); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf, plain) {
		t.Fatal("in-place decryption differs")
	}

	// Partial overlap: dst starts one block into src.
	big := make([]byte, 16+len(want))
	copy(big, want)
	if err := DecryptIGE(big[16:], big[:len(want)], key, iv); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(big[16:], plain) {
		t.Fatal("overlapping decryption differs")
	}
}

func TestIGEErrors(t *testing.T) {
	key, iv := make([]byte, 32), make([]byte, 32)
	block := make([]byte, aes.BlockSize)
	tests := []struct {
		name              string
		dst, src, key, iv []byte
	}{
		{"short key", block, block, key[:16], iv},
		{"long key", block, block, append(key, 0), iv},
		{"short iv", block, block, key, iv[:16]},
		{"partial block", make([]byte, 17), make([]byte, 17), key, iv},
		{"short dst", block[:8], block, key, iv},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := EncryptIGE(tt.dst, tt.src, tt.key, tt.iv); err == nil {
				t.Error("encrypt: no error")
			}
			if err := DecryptIGE(tt.dst, tt.src, tt.key, tt.iv); err == nil {
				t.Error("decrypt: no error")
			}
		})
	}
	if err := EncryptIGE(make([]byte, 5), make([]byte, 5), key, iv); !errors.Is(err, ErrIGELength) {
		t.Errorf("partial block: got %v, want ErrIGELength", err)
	}
}

func TestOverlaps(t *testing.T) {
	b := make([]byte, 32)
	tests := []struct {
		x, y []byte
		want bool
	}{
		{b[:16], b[16:], false},
		{b[:17], b[16:], true},
		{b, b, true},
		{b[8:9], b, true},
		{nil, b, false},
		{b[:0], b, false},
		{b, make([]byte, 32), false},
	}
	for i, tt := range tests {
		if got := overlaps(tt.x, tt.y); got != tt.want {
			t.Errorf("case %d: overlaps = %v, want %v", i, got, tt.want)
		}
	}
}
