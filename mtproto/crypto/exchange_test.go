package crypto

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"testing"
)

func TestExchangeKeyRoundTrip(t *testing.T) {
	r := testRand(1)
	var newNonce [32]byte
	var serverNonce [16]byte
	copy(newNonce[:], randBytes(t, r, 32))
	copy(serverNonce[:], randBytes(t, r, 16))
	k := NewExchangeKey(newNonce, serverNonce)

	for _, n := range []int{4, 8, 12, 16, 100, 564} {
		data := randBytes(t, r, n)
		enc, err := k.Encrypt(data, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(enc)%16 != 0 || len(enc)-20-n < 0 || len(enc)-20-n > 15 {
			t.Fatalf("%d bytes: encrypted length %d", n, len(enc))
		}
		got, err := k.Decrypt(enc)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("%d bytes: round trip mismatch", n)
		}
	}
}

func TestExchangeKeyLeadingZeros(t *testing.T) {
	// Nonces with leading zero bytes must be hashed at full length.
	var newNonce [32]byte
	var serverNonce [16]byte
	newNonce[31], serverNonce[15] = 1, 2
	k := NewExchangeKey(newNonce, serverNonce)
	ns := sha1.Sum(append(append([]byte(nil), newNonce[:]...), serverNonce[:]...))
	if !bytes.Equal(k.Key[:20], ns[:]) {
		t.Fatal("tmp_aes_key does not hash the full nonces")
	}
	if !bytes.Equal(k.IV[28:], newNonce[:4]) {
		t.Fatal("tmp_aes_iv does not end with new_nonce[0:4]")
	}
}

func TestExchangeKeyDecryptRejects(t *testing.T) {
	r := testRand(2)
	var newNonce [32]byte
	copy(newNonce[:], randBytes(t, r, 32))
	k := NewExchangeKey(newNonce, [16]byte{1})
	enc, err := k.Encrypt(randBytes(t, r, 60), r)
	if err != nil {
		t.Fatal(err)
	}
	tampered := append([]byte(nil), enc...)
	tampered[len(tampered)-20] ^= 1
	other := NewExchangeKey(newNonce, [16]byte{2})
	otherEnc, err := other.Encrypt(randBytes(t, r, 60), r)
	if err != nil {
		t.Fatal(err)
	}
	// data whose length is not a multiple of 4 is not a TL object.
	odd, err := k.Encrypt(randBytes(t, r, 61), r)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]byte{
		"empty":      nil,
		"one block":  enc[:16],
		"misaligned": enc[:len(enc)-1],
		"tampered":   tampered,
		"other key":  otherEnc,
		"odd length": odd,
	}
	for name, in := range tests {
		if _, err := k.Decrypt(in); !errors.Is(err, ErrExchangeData) {
			t.Errorf("%s: error %v", name, err)
		}
	}
	if _, err := k.Encrypt(make([]byte, 4), errReader{}); err == nil {
		t.Error("failing random source: no error")
	}
}

func TestNewNonceHash(t *testing.T) {
	r := testRand(3)
	var newNonce [32]byte
	copy(newNonce[:], randBytes(t, r, 32))
	key := testAuthKey(t, 4)
	aux := key.AuxHash()
	seen := map[[16]byte]bool{}
	for n := byte(1); n <= 3; n++ {
		h := NewNonceHash(newNonce, n, aux)
		in := append(append(append([]byte(nil), newNonce[:]...), n), aux[:]...)
		sum := sha1.Sum(in)
		if !bytes.Equal(h[:], sum[4:20]) {
			t.Fatalf("new_nonce_hash%d differs from the definition", n)
		}
		seen[h] = true
	}
	if len(seen) != 3 {
		t.Fatal("the three hashes are not distinct")
	}
}

func TestServerSalt(t *testing.T) {
	var newNonce [32]byte
	var serverNonce [16]byte
	for i := range newNonce {
		newNonce[i] = byte(i + 1)
	}
	for i := range serverNonce {
		serverNonce[i] = byte(0xf0 + i)
	}
	var want [8]byte
	for i := range want {
		want[i] = newNonce[i] ^ serverNonce[i]
	}
	if got := ServerSalt(newNonce, serverNonce); got != int64(binary.LittleEndian.Uint64(want[:])) {
		t.Fatalf("salt = %#x", got)
	}
}
