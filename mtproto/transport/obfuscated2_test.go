package transport

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
	"testing"
)

func TestCheckInitReserved(t *testing.T) {
	valid := bytes.Repeat([]byte{0x42}, initSize)
	tests := map[string]func(b []byte){
		"abridged marker":     func(b []byte) { b[0] = 0xef },
		"intermediate marker": func(b []byte) { copy(b, []byte{0xee, 0xee, 0xee, 0xee}) },
		"padded marker":       func(b []byte) { copy(b, []byte{0xdd, 0xdd, 0xdd, 0xdd}) },
		"HEAD":                func(b []byte) { copy(b, "HEAD") },
		"POST":                func(b []byte) { copy(b, "POST") },
		"GET":                 func(b []byte) { copy(b, "GET ") },
		"OPTIONS":             func(b []byte) { copy(b, "OPTI") },
		"TLS":                 func(b []byte) { copy(b, []byte{0x16, 0x03, 0x01, 0x02}) },
		"full seq_no 0":       func(b []byte) { clear(b[4:8]) },
	}
	for name, mutate := range tests {
		var init [initSize]byte
		copy(init[:], valid)
		mutate(init[:])
		if err := checkInit(&init); !errors.Is(err, ErrUnknownTransport) {
			t.Errorf("%s: checkInit = %v, want ErrUnknownTransport", name, err)
		}
	}
	var init [initSize]byte
	copy(init[:], valid)
	if err := checkInit(&init); err != nil {
		t.Errorf("valid block: %v", err)
	}
}

// TestObfuscationKeys checks the key schedule against the page's pseudocode,
// computed independently: the client encrypts with init[8:40]/init[40:56] and
// decrypts with the same ranges of the whole block reversed.
func TestObfuscationKeys(t *testing.T) {
	for _, secret := range [][]byte{nil, bytes.Repeat([]byte{0x99}, 16)} {
		var init [initSize]byte
		for i := range init {
			init[i] = byte(i*7 + 1)
		}
		rev := slices.Clone(init[:])
		slices.Reverse(rev)
		encKey, encIV := slices.Clone(init[8:40]), init[40:56]
		decKey, decIV := slices.Clone(rev[8:40]), rev[40:56]
		if secret != nil {
			ek := sha256.Sum256(append(encKey, secret...))
			dk := sha256.Sum256(append(decKey, secret...))
			encKey, decKey = ek[:], dk[:]
		}
		clientEnc := ctr(t, encKey, encIV)
		clientDec := ctr(t, decKey, decIV)

		// The client puts the tag and a DC id at 56..62 and sends bytes 56..63
		// encrypted.
		plain := init
		binary.LittleEndian.PutUint32(plain[56:60], tagPadded)
		binary.LittleEndian.PutUint16(plain[60:62], 0xfcff) // media DC 4, per the page's example
		var sent [initSize]byte
		clientEnc.XORKeyStream(sent[:], plain[:])
		copy(sent[:56], plain[:56])

		obf, err := newObfuscation(&sent, secret)
		if err != nil {
			t.Fatalf("newObfuscation: %v", err)
		}
		if obf.codec != PaddedIntermediate {
			t.Fatalf("codec %v, want padded", obf.codec)
		}
		msg := []byte("client to server, then server to client")
		wire := make([]byte, len(msg))
		clientEnc.XORKeyStream(wire, msg)
		obf.dec.XORKeyStream(wire, wire)
		if !bytes.Equal(wire, msg) {
			t.Fatalf("server decrypted %q", wire)
		}
		obf.enc.XORKeyStream(wire, msg)
		clientDec.XORKeyStream(wire, wire)
		if !bytes.Equal(wire, msg) {
			t.Fatalf("client decrypted %q", wire)
		}
	}
}

func ctr(t *testing.T, key, iv []byte) cipher.Stream {
	t.Helper()
	b, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	return cipher.NewCTR(b, iv)
}

// TestObfuscationAnyDC checks that the DC id field never causes a rejection:
// clients put real ids, test ids (+10000), media ids (negative) or random bytes.
func TestObfuscationAnyDC(t *testing.T) {
	for _, dc := range []int{0, 1, 2, -2, 10002, -10004, 0x7fff, 0xffff, 0x1234} {
		var buf bytes.Buffer
		g := newGotdClient(t, &buf, Abridged, true, dc, nil)
		if err := g.write(encryptedPayload(t, 2)); err != nil {
			t.Fatal(err)
		}
		c, _ := acceptStream(t, buf.Bytes(), Options{})
		if _, _, err := c.ReadFrame(); err != nil {
			t.Fatalf("dc %d: %v", dc, err)
		}
	}
}
