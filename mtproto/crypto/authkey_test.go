package crypto

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
)

func TestAuthKeyIDs(t *testing.T) {
	k := testAuthKey(t, 1)
	sum := sha1.Sum(k[:])

	id := k.ID()
	if !bytes.Equal(id[:], sum[12:20]) {
		t.Fatalf("ID = %x, want the last 8 bytes of SHA1 %x", id, sum)
	}
	if got, want := k.IntID(), int64(binary.LittleEndian.Uint64(sum[12:20])); got != want {
		t.Fatalf("IntID = %d, want %d", got, want)
	}
	aux := k.AuxHash()
	if !bytes.Equal(aux[:], sum[:8]) {
		t.Fatalf("AuxHash = %x, want the first 8 bytes of SHA1 %x", aux, sum)
	}
	if other := testAuthKey(t, 2); other.ID() == id {
		t.Fatal("different keys share an id")
	}
}

func TestAuthKeyFromBytes(t *testing.T) {
	b := randBytes(t, testRand(3), AuthKeySize)
	k, err := AuthKeyFromBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k[:], b) {
		t.Fatal("key bytes differ")
	}
	for _, n := range []int{0, 255, 257} {
		if _, err := AuthKeyFromBytes(make([]byte, n)); err == nil {
			t.Errorf("%d bytes: no error", n)
		}
	}
}

func TestAuthKeyIsZero(t *testing.T) {
	var zero AuthKey
	if !zero.IsZero() {
		t.Error("zero key not zero")
	}
	if k := testAuthKey(t, 4); k.IsZero() {
		t.Error("random key is zero")
	}
}

func TestAuthKeyStringHidesKey(t *testing.T) {
	k := testAuthKey(t, 5)
	hexKey := fmt.Sprintf("%x", k[:])
	for _, verb := range []string{"%v", "%s", "%x", "%+v"} {
		out := fmt.Sprintf(verb, k)
		if strings.Contains(out, hexKey[:16]) {
			t.Errorf("%s prints key material: %s", verb, out)
		}
		if verb != "%x" && !strings.Contains(out, fmt.Sprintf("%016x", uint64(k.IntID()))) {
			t.Errorf("%s does not print the key id: %s", verb, out)
		}
	}
}
