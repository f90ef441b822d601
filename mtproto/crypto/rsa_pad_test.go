package crypto

import (
	"bytes"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"math/big"
	"testing"
)

// rsaPadEncrypt is the client side of RSA_PAD, written from the steps of
// "Creating an Authorization Key", 4.1.
func rsaPadEncrypt(t testing.TB, data []byte, pub *rsa.PublicKey, r io.Reader) []byte {
	t.Helper()
	if len(data) > RSAPadMaxData {
		t.Fatalf("data of %d bytes is too long for RSA_PAD", len(data))
	}
	dataWithPadding := append(append([]byte(nil), data...), randBytes(t, r, rsaPadDataSize-len(data))...)
	reversed := make([]byte, len(dataWithPadding))
	for i := range reversed {
		reversed[i] = dataWithPadding[len(dataWithPadding)-1-i]
	}
	for {
		tempKey := randBytes(t, r, 32)
		hash := sha256.Sum256(append(append([]byte(nil), tempKey...), dataWithPadding...))
		dataWithHash := append(append([]byte(nil), reversed...), hash[:]...)
		aesEncrypted := make([]byte, len(dataWithHash))
		if err := EncryptIGE(aesEncrypted, dataWithHash, tempKey, make([]byte, 32)); err != nil {
			t.Fatal(err)
		}
		mask := sha256.Sum256(aesEncrypted)
		keyAESEncrypted := make([]byte, 32, 256)
		subtle.XORBytes(keyAESEncrypted, tempKey, mask[:])
		keyAESEncrypted = append(keyAESEncrypted, aesEncrypted...)
		m := new(big.Int).SetBytes(keyAESEncrypted)
		if m.Cmp(pub.N) >= 0 {
			continue
		}
		return rawEncrypt(m, pub)
	}
}

// hashedEncrypt is the client side of the legacy scheme:
// RSA(SHA1(data) + data + padding to 255 bytes).
func hashedEncrypt(t testing.TB, data []byte, pub *rsa.PublicKey, r io.Reader) []byte {
	t.Helper()
	sum := sha1.Sum(data)
	block := append(append([]byte(nil), sum[:]...), data...)
	block = append(block, randBytes(t, r, 255-len(block))...)
	return rawEncrypt(new(big.Int).SetBytes(block), pub)
}

func rawEncrypt(m *big.Int, pub *rsa.PublicKey) []byte {
	c := new(big.Int).Exp(m, big.NewInt(int64(pub.E)), pub.N)
	return c.FillBytes(make([]byte, 256))
}

func TestRSARawDecrypt(t *testing.T) {
	k := testServerKey(t)
	r := testRand(20)
	for i := 0; i < 8; i++ {
		m := new(big.Int).SetBytes(randBytes(t, r, 256))
		m.Mod(m, k.Public().N)
		c := rawEncrypt(m, k.Public())
		got, err := k.raw.decrypt(c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, m.FillBytes(make([]byte, 256))) {
			t.Fatalf("case %d: CRT decryption differs from m", i)
		}
		// Cross-check with the textbook formula c^d mod n.
		want := new(big.Int).Exp(new(big.Int).SetBytes(c), k.key.D, k.Public().N)
		if new(big.Int).SetBytes(got).Cmp(want) != 0 {
			t.Fatalf("case %d: CRT decryption differs from c^d mod n", i)
		}
	}
}

func TestRSARawDecryptRejects(t *testing.T) {
	k := testServerKey(t)
	n := k.Public().N
	tests := map[string][]byte{
		"empty":          nil,
		"short zeros":    make([]byte, 255),
		"long":           make([]byte, 257),
		"equal to n":     n.FillBytes(make([]byte, 256)),
		"above n":        new(big.Int).Add(n, big.NewInt(1)).FillBytes(make([]byte, 256)),
		"all ones":       bytes.Repeat([]byte{0xff}, 256),
		"leading zero +": append([]byte{0}, make([]byte, 256)...),
	}
	for name, c := range tests {
		if _, err := k.raw.decrypt(c); err == nil {
			t.Errorf("%s: no error", name)
		}
		if _, _, err := k.DecryptInnerData(c); !errors.Is(err, ErrInvalidEncryptedData) {
			t.Errorf("%s: DecryptInnerData error %v", name, err)
		}
	}
}

func TestDecryptRSAPad(t *testing.T) {
	k := testServerKey(t)
	r := testRand(21)
	for _, n := range []int{4, 96, 100, RSAPadMaxData} {
		data := randBytes(t, r, n)
		enc := rsaPadEncrypt(t, data, k.Public(), r)

		got, err := k.DecryptRSAPad(enc)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if len(got) != rsaPadDataSize || !bytes.Equal(got[:n], data) {
			t.Fatalf("%d bytes: data_with_padding does not start with data", n)
		}

		got2, scheme, err := k.DecryptInnerData(enc)
		if err != nil || scheme != SchemeRSAPad || !bytes.Equal(got2, got) {
			t.Fatalf("%d bytes: DecryptInnerData = %v, %v", n, scheme, err)
		}
		if _, err := k.DecryptHashed(enc); !errors.Is(err, ErrInvalidEncryptedData) {
			t.Fatalf("%d bytes: RSA_PAD data accepted as hashed: %v", n, err)
		}
	}
}

func TestDecryptRSAPadShortEncoding(t *testing.T) {
	// A ciphertext whose first byte is zero, sent without it, is the same
	// integer and must decrypt.
	k := testServerKey(t)
	r := testRand(26)
	for i := 0; ; i++ {
		if i == 5000 {
			t.Fatal("no ciphertext with a leading zero byte in 5000 tries")
		}
		data := randBytes(t, r, 100)
		enc := rsaPadEncrypt(t, data, k.Public(), r)
		if enc[0] != 0 {
			continue
		}
		got, scheme, err := k.DecryptInnerData(enc[1:])
		if err != nil || scheme != SchemeRSAPad || !bytes.Equal(got[:100], data) {
			t.Fatalf("stripped ciphertext: %v, %v", scheme, err)
		}
		return
	}
}

func TestDecryptRSAPadTampered(t *testing.T) {
	k := testServerKey(t)
	r := testRand(22)
	enc := rsaPadEncrypt(t, randBytes(t, r, 100), k.Public(), r)
	for _, i := range []int{0, 100, 255} {
		bad := append([]byte(nil), enc...)
		bad[i] ^= 0x01
		if _, err := k.DecryptRSAPad(bad); !errors.Is(err, ErrInvalidEncryptedData) {
			t.Errorf("byte %d flipped: error %v", i, err)
		}
	}
	other, err := GenerateServerKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.DecryptRSAPad(enc); err == nil {
		t.Error("decrypted with another key")
	}
}

func TestDecryptRSAPadBlockTampered(t *testing.T) {
	// Tamper inside the RSA plaintext, after the RSA layer, to reach the
	// SHA-256 check directly.
	k := testServerKey(t)
	r := testRand(23)
	enc := rsaPadEncrypt(t, randBytes(t, r, 100), k.Public(), r)
	block, err := k.raw.decrypt(enc)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := openRSAPad(block); !ok {
		t.Fatal("valid block rejected")
	}
	for _, i := range []int{0, 31, 32, 200, 255} {
		bad := append([]byte(nil), block...)
		bad[i] ^= 0x80
		if _, ok := openRSAPad(bad); ok {
			t.Errorf("byte %d flipped: accepted", i)
		}
	}
}

func TestDecryptHashed(t *testing.T) {
	k := testServerKey(t)
	r := testRand(24)
	for _, n := range []int{4, 96, 100, 232} {
		data := randBytes(t, r, n)
		enc := hashedEncrypt(t, data, k.Public(), r)
		got, err := k.DecryptHashed(enc)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("%d bytes: got %d bytes", n, len(got))
		}
		got2, scheme, err := k.DecryptInnerData(enc)
		if err != nil || scheme != SchemeHashed || !bytes.Equal(got2, data) {
			t.Fatalf("%d bytes: DecryptInnerData = %v, %v", n, scheme, err)
		}
		if _, err := k.DecryptRSAPad(enc); !errors.Is(err, ErrInvalidEncryptedData) {
			t.Fatalf("%d bytes: hashed data accepted as RSA_PAD: %v", n, err)
		}
	}
}

func TestDecryptHashedRejects(t *testing.T) {
	r := testRand(25)
	data := randBytes(t, r, 96)
	sum := sha1.Sum(data)

	// Wrong hash.
	block := append(append([]byte{0}, sum[:]...), data...)
	block = append(block, randBytes(t, r, 256-len(block))...)
	block[1] ^= 1
	if _, ok := openHashed(block); ok {
		t.Error("wrong SHA-1 accepted")
	}
	// A 256-byte plaintext (no leading zero) is not the legacy scheme.
	block[1] ^= 1
	block[0] = 1
	if _, ok := openHashed(block); ok {
		t.Error("block without the leading zero accepted")
	}
	// Data whose length is not a multiple of 4 is never found.
	odd := data[:95]
	oddSum := sha1.Sum(odd)
	block = append(append([]byte{0}, oddSum[:]...), odd...)
	block = append(block, randBytes(t, r, 256-len(block))...)
	if _, ok := openHashed(block); ok {
		t.Error("data of 95 bytes accepted")
	}
}

func TestRSASchemeString(t *testing.T) {
	for s, want := range map[RSAScheme]string{SchemeRSAPad: "RSA_PAD", SchemeHashed: "hashed", 9: "RSAScheme(9)"} {
		if got := s.String(); got != want {
			t.Errorf("%d: %q, want %q", s, got, want)
		}
	}
}
