package crypto

import (
	"encoding/hex"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
)

// testRand returns a deterministic random stream, so that failures reproduce.
func testRand(seed byte) io.Reader {
	var s [32]byte
	s[0] = seed
	return rand.NewChaCha8(s)
}

// randBytes returns n bytes of r.
func randBytes(t testing.TB, r io.Reader, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		t.Fatal(err)
	}
	return b
}

// mustHex decodes a hex string that may contain spaces and newlines.
func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.NewReplacer(" ", "", "\n", "", "\t", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex in test: %v", err)
	}
	return b
}

// testAuthKey returns a deterministic auth key.
func testAuthKey(t testing.TB, seed byte) AuthKey {
	t.Helper()
	k, err := AuthKeyFromBytes(randBytes(t, testRand(seed), AuthKeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var (
	serverKeyOnce sync.Once
	serverKey     *ServerKey
	serverKeyErr  error
)

// testServerKey returns the server key of testdata, parsed once per process.
func testServerKey(t testing.TB) *ServerKey {
	t.Helper()
	serverKeyOnce.Do(func() {
		var data []byte
		data, serverKeyErr = os.ReadFile("testdata/server_key_pkcs1.pem")
		if serverKeyErr == nil {
			serverKey, serverKeyErr = ParseServerKeyPEM(data)
		}
	})
	if serverKeyErr != nil {
		t.Fatal(serverKeyErr)
	}
	return serverKey
}

// errReader fails every read.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
