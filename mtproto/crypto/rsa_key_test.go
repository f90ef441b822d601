package crypto

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"os"
	"strings"
	"testing"
)

func loadTelegramKeys(t *testing.T) []*rsa.PublicKey {
	t.Helper()
	data, err := os.ReadFile("testdata/telegram_public_keys.pem")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := ParsePublicKeyPEM(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 {
		t.Fatalf("got %d keys, want 2", len(keys))
	}
	return keys
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestFingerprintTelegramKeys(t *testing.T) {
	keys := loadTelegramKeys(t)
	want := []uint64{0xd09d1d85de64fd85, 0xb25898df208d2603}
	for i, k := range keys {
		if got := uint64(Fingerprint(k)); got != want[i] {
			t.Errorf("key %d: fingerprint %#x, want %#x", i, got, want[i])
		}
	}
}

func TestParseServerKeyPEM(t *testing.T) {
	pkcs1, err := ParseServerKeyPEM(readTestdata(t, "server_key_pkcs1.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := ParseServerKeyPEM(readTestdata(t, "server_key_pkcs8.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if !pkcs1.Public().Equal(pkcs8.Public()) || pkcs1.Fingerprint() != pkcs8.Fingerprint() {
		t.Fatal("PKCS #1 and PKCS #8 forms of the same key differ")
	}
	if pkcs1.Fingerprint() != Fingerprint(pkcs1.Public()) {
		t.Fatal("cached fingerprint differs")
	}

	// The public PEM must be what OpenSSL writes with -RSAPublicKey_out.
	if got, want := pkcs1.PublicPEM(), readTestdata(t, "server_key_public_pkcs1.pem"); !bytes.Equal(got, want) {
		t.Fatalf("public PEM differs from OpenSSL's:\n%s\nwant\n%s", got, want)
	}
	if !strings.HasPrefix(string(pkcs1.PublicPEM()), "-----BEGIN RSA PUBLIC KEY-----\n") {
		t.Fatal("public PEM is not an RSA PUBLIC KEY block")
	}

	// Private PEM round trip.
	priv, err := pkcs1.PrivatePEM()
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseServerKeyPEM(priv)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Public().Equal(pkcs1.Public()) {
		t.Fatal("private PEM round trip changed the key")
	}
}

func TestParsePublicKeyPEM(t *testing.T) {
	k := testServerKey(t)
	for _, name := range []string{"server_key_public_pkcs1.pem", "server_key_public_pkix.pem"} {
		keys, err := ParsePublicKeyPEM(readTestdata(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(keys) != 1 || !keys[0].Equal(k.Public()) {
			t.Fatalf("%s: wrong key", name)
		}
	}
	both := append(readTestdata(t, "server_key_public_pkcs1.pem"), k.PublicPEM()...)
	if keys, err := ParsePublicKeyPEM(both); err != nil || len(keys) != 2 {
		t.Fatalf("two blocks: %d keys, %v", len(keys), err)
	}

	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	bad := [][]byte{
		nil,
		[]byte("not a pem"),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}),
		pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: []byte{1, 2, 3}}),
		pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecDER}),
	}
	for i, data := range bad {
		if _, err := ParsePublicKeyPEM(data); err == nil {
			t.Errorf("bad input %d: no error", i)
		}
	}
}

func TestParseServerKeyPEMErrors(t *testing.T) {
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]byte{
		"empty":       nil,
		"garbage":     []byte("-----BEGIN NOTHING"),
		"public key":  readTestdata(t, "server_key_public_pkcs1.pem"),
		"bad PKCS #1": pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte{0x30, 0}}),
		"bad PKCS #8": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{0x30, 0}}),
		"EC key":      pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}),
		"1024 bits":   pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(small)}),
	}
	for name, data := range tests {
		if _, err := ParseServerKeyPEM(data); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestNewServerKeyErrors(t *testing.T) {
	if _, err := NewServerKey(nil); err == nil {
		t.Error("nil key: no error")
	}
	// A damaged key (wrong d) must be refused at load time.
	k := testServerKey(t).key
	broken := &rsa.PrivateKey{
		PublicKey: k.PublicKey,
		D:         new(big.Int).Add(k.D, big.NewInt(2)),
		Primes:    k.Primes,
	}
	if _, err := NewServerKey(broken); err == nil {
		t.Error("inconsistent key: no error")
	}
}

func TestGenerateServerKey(t *testing.T) {
	k, err := GenerateServerKey()
	if err != nil {
		t.Fatal(err)
	}
	if k.Public().N.BitLen() != RSAKeyBits {
		t.Fatalf("modulus is %d bits", k.Public().N.BitLen())
	}
	// The generated key decrypts what a client encrypts for it.
	data := randBytes(t, testRand(9), 96)
	enc := rsaPadEncrypt(t, data, k.Public(), testRand(10))
	got, err := k.DecryptRSAPad(enc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got[:len(data)], data) {
		t.Fatal("round trip mismatch")
	}
}

func TestAppendTLBytes(t *testing.T) {
	seq := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i + 1)
		}
		return b
	}
	tests := []struct {
		in   []byte
		want []byte
	}{
		{nil, []byte{0, 0, 0, 0}},
		{seq(1), []byte{1, 1, 0, 0}},
		{seq(3), []byte{3, 1, 2, 3}},
		{seq(4), []byte{4, 1, 2, 3, 4, 0, 0, 0}},
		{seq(253), append(append([]byte{253}, seq(253)...), 0, 0)},
		{seq(254), append(append([]byte{0xfe, 254, 0, 0}, seq(254)...), 0, 0)},
		{seq(256), append([]byte{0xfe, 0, 1, 0}, seq(256)...)},
		{seq(0x10203), append(append([]byte{0xfe, 0x03, 0x02, 0x01}, seq(0x10203)...), 0)},
	}
	for _, tt := range tests {
		got := appendTLBytes([]byte{0xaa}, tt.in)
		if got[0] != 0xaa || !bytes.Equal(got[1:], tt.want) {
			t.Errorf("len %d: got % x..., want % x...", len(tt.in), head(got[1:]), head(tt.want))
		}
	}
}

func head(b []byte) []byte {
	if len(b) > 8 {
		return b[:8]
	}
	return b
}
