package crypto

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"unsafe"
)

// sealPlaintext encrypts an arbitrary plaintext as sender would, with a
// correct msg_key, so that tests can build payloads whose header is wrong.
func sealPlaintext(t testing.TB, k *AuthKey, plaintext []byte, sender Side) []byte {
	t.Helper()
	msgKey := MessageKey(k, plaintext, sender)
	key, iv := AESKeyIV(k, msgKey, sender)
	id := k.ID()
	payload := append(append([]byte(nil), id[:]...), msgKey[:]...)
	enc := make([]byte, len(plaintext))
	if err := EncryptIGE(enc, plaintext, key[:], iv[:]); err != nil {
		t.Fatal(err)
	}
	return append(payload, enc...)
}

// plaintextWith builds salt..length header + data + padding bytes, with the
// length field set to length.
func plaintextWith(data []byte, length int32, padding int) []byte {
	p := make([]byte, messageHeaderSize, messageHeaderSize+len(data)+padding)
	binary.LittleEndian.PutUint64(p[0:], 1)
	binary.LittleEndian.PutUint64(p[8:], 2)
	binary.LittleEndian.PutUint64(p[16:], 3)
	binary.LittleEndian.PutUint32(p[24:], 4)
	binary.LittleEndian.PutUint32(p[28:], uint32(length))
	p = append(p, data...)
	return append(p, make([]byte, padding)...)
}

func TestCipherRoundTrip(t *testing.T) {
	key := testAuthKey(t, 1)
	server := NewServerCipher(key, testRand(2))
	client := NewCipher(key, Client, testRand(3))
	r := testRand(4)

	for _, n := range []int{0, 4, 12, 16, 100, 1024, 1 << 16} {
		m := Message{Salt: -1, SessionID: 0x1122334455667788, MsgID: 0x5f00000000000004, SeqNo: 7, Data: randBytes(t, r, n)}

		// client → server
		payload, err := client.Encrypt(nil, m)
		if err != nil {
			t.Fatalf("%d: client encrypt: %v", n, err)
		}
		got, ack, err := server.Decrypt(nil, payload)
		if err != nil {
			t.Fatalf("%d: server decrypt: %v", n, err)
		}
		if got.Salt != m.Salt || got.SessionID != m.SessionID || got.MsgID != m.MsgID || got.SeqNo != m.SeqNo || !bytes.Equal(got.Data, m.Data) {
			t.Fatalf("%d: client→server message differs: %+v", n, got)
		}
		if ack&(1<<31) == 0 {
			t.Fatalf("%d: quick ack %#x lacks bit 31", n, ack)
		}

		// server → client
		payload, err = server.Encrypt(nil, m)
		if err != nil {
			t.Fatalf("%d: server encrypt: %v", n, err)
		}
		got, _, err = client.Decrypt(nil, payload)
		if err != nil {
			t.Fatalf("%d: client decrypt: %v", n, err)
		}
		if !bytes.Equal(got.Data, m.Data) || got.MsgID != m.MsgID {
			t.Fatalf("%d: server→client message differs", n)
		}
		// A server message is not a valid client message and vice versa:
		// the directions use different parts of the key.
		if _, _, err := server.Decrypt(nil, payload); !errors.Is(err, ErrInvalidMessage) {
			t.Fatalf("%d: server accepted its own message: %v", n, err)
		}
	}
}

func TestCipherEncryptLayout(t *testing.T) {
	key := testAuthKey(t, 5)
	c := NewServerCipher(key, testRand(6))
	id := key.ID()
	sizes := map[int]bool{}
	for i := 0; i < 200; i++ {
		data := make([]byte, 4*(i%40))
		prefix := []byte("prefix")
		out, err := c.Encrypt(prefix, Message{Data: data})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(out, prefix) {
			t.Fatal("Encrypt did not append to dst")
		}
		payload := out[len(prefix):]
		if !bytes.Equal(payload[:8], id[:]) {
			t.Fatal("payload does not start with auth_key_id")
		}
		enc := len(payload) - envelopeHeaderSize
		if enc%16 != 0 {
			t.Fatalf("encrypted data of %d bytes", enc)
		}
		padding := enc - messageHeaderSize - len(data)
		if padding < MinPadding || padding > MaxPadding {
			t.Fatalf("padding %d outside 12..1024", padding)
		}
		if len(data) == 0 {
			sizes[len(payload)] = true
		}
	}
	// The extra random blocks make the size of a given message vary.
	if len(sizes) < 2 {
		t.Errorf("empty messages always have size %v", sizes)
	}
}

func TestCipherEncryptErrors(t *testing.T) {
	c := NewServerCipher(testAuthKey(t, 7), testRand(8))
	if _, err := c.Encrypt(nil, Message{Data: make([]byte, 5)}); err == nil {
		t.Error("data of 5 bytes: no error")
	}
	broken := NewServerCipher(testAuthKey(t, 7), errReader{})
	if _, err := broken.Encrypt(nil, Message{Data: make([]byte, 4)}); err == nil {
		t.Error("failing random source: no error")
	}
}

func TestCipherDecryptRejects(t *testing.T) {
	key := testAuthKey(t, 9)
	server := NewServerCipher(key, testRand(10))
	client := NewCipher(key, Client, testRand(11))
	good, err := client.Encrypt(nil, Message{Data: make([]byte, 64)})
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := append([]byte(nil), good...)
		b[i] ^= 1
		return b
	}
	seal := func(p []byte) []byte { return sealPlaintext(t, &key, p, Client) }
	tests := []struct {
		name    string
		payload []byte
		reason  string // part of the error text, so the right check fired
	}{
		{"empty", nil, "payload length"},
		{"header only", good[:24], "payload length"},
		{"short", good[:24+32], "shorter than 48"},
		{"misaligned", good[:len(good)-1], "payload length"},
		{"wrong auth_key_id", flip(0), "auth_key_id"},
		{"wrong msg_key", flip(10), "msg_key mismatch"},
		{"tampered data", flip(40), "msg_key mismatch"},
		{"tampered last block", flip(len(good) - 1), "msg_key mismatch"},
		{"other key", mustEncrypt(t, NewCipher(testAuthKey(t, 12), Client, nil), Message{Data: make([]byte, 8)}), "auth_key_id"},
		{"length not mod 4", seal(plaintextWith(make([]byte, 16), 15, 16)), "multiple of 4"},
		{"negative length", seal(plaintextWith(make([]byte, 16), -4, 16)), "multiple of 4"},
		{"length past the end", seal(plaintextWith(make([]byte, 16), 64, 16)), "padding"},
		{"padding below 12", seal(plaintextWith(make([]byte, 24), 24, 8)), "padding"},
		{"padding above 1024", seal(plaintextWith(make([]byte, 0), 0, 1040)), "padding"},
		{"padding far above 1024", seal(plaintextWith(make([]byte, 8), 0, 2048+8)), "padding"},
	}
	for _, tt := range tests {
		_, _, err := server.Decrypt(nil, tt.payload)
		if !errors.Is(err, ErrInvalidMessage) || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("%s: error %v, want ErrInvalidMessage about %q", tt.name, err, tt.reason)
		}
	}

	// Boundaries that must pass: 12 and 1024 bytes of padding.
	for _, p := range [][]byte{
		plaintextWith(make([]byte, 4), 4, 12),
		plaintextWith(make([]byte, 0), 0, 1024),
	} {
		if _, _, err := server.Decrypt(nil, seal(p)); err != nil {
			t.Errorf("padding %d: %v", len(p)-messageHeaderSize, err)
		}
	}
}

func mustEncrypt(t *testing.T, c *Cipher, m Message) []byte {
	t.Helper()
	out, err := c.Encrypt(nil, m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCipherDecryptReusesDst(t *testing.T) {
	key := testAuthKey(t, 13)
	server := NewServerCipher(key, nil)
	payload := mustEncrypt(t, NewCipher(key, Client, nil), Message{Data: []byte("abcdefgh")})

	buf := make([]byte, 0, 4096)
	m, _, err := server.Decrypt(buf, payload)
	if err != nil {
		t.Fatal(err)
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(buf[:1])))
	data := uintptr(unsafe.Pointer(unsafe.SliceData(m.Data)))
	if data < start || data >= start+4096 {
		t.Fatal("Data does not alias the dst buffer")
	}
	if string(m.Data) != "abcdefgh" || cap(m.Data) != len(m.Data) {
		t.Fatalf("Data = %q (cap %d)", m.Data, cap(m.Data))
	}

	// Decrypting into the payload's own buffer works too.
	payload2 := mustEncrypt(t, NewCipher(key, Client, nil), Message{Data: []byte("ijklmnop")})
	m, _, err = server.Decrypt(payload2, payload2)
	if err != nil || string(m.Data) != "ijklmnop" {
		t.Fatalf("in-place decrypt: %q, %v", m.Data, err)
	}
}

func TestQuickAck(t *testing.T) {
	key := testAuthKey(t, 14)
	server := NewServerCipher(key, nil)
	client := NewCipher(key, Client, testRand(15))
	payload := mustEncrypt(t, client, Message{Data: make([]byte, 32)})
	_, ack, err := server.Decrypt(nil, payload)
	if err != nil {
		t.Fatal(err)
	}

	// Recompute from the plaintext by the definition of the transport page.
	env, err := ParseEnvelope(payload)
	if err != nil {
		t.Fatal(err)
	}
	aesKey, iv := AESKeyIV(&key, env.MsgKey, Client)
	plaintext := make([]byte, len(env.Data))
	if err := DecryptIGE(plaintext, env.Data, aesKey[:], iv[:]); err != nil {
		t.Fatal(err)
	}
	large := sha256.Sum256(append(append([]byte(nil), key[88:120]...), plaintext...))
	want := binary.LittleEndian.Uint32(large[:4]) | 0x80000000
	if ack != want {
		t.Fatalf("Decrypt quick ack %#x, want %#x", ack, want)
	}
	if got := QuickAckToken(&key, plaintext); got != want {
		t.Fatalf("QuickAckToken %#x, want %#x", got, want)
	}
	// msg_key is the middle of the same hash.
	if !bytes.Equal(large[8:24], env.MsgKey[:]) {
		t.Fatal("msg_key is not the middle of msg_key_large")
	}
}

func TestMessageKeyDirections(t *testing.T) {
	key := testAuthKey(t, 16)
	p := make([]byte, 64)
	// x = 0 hashes auth_key[88:120], x = 8 hashes auth_key[96:128].
	c := MessageKey(&key, p, Client)
	s := MessageKey(&key, p, Server)
	wantC := sha256.Sum256(append(append([]byte(nil), key[88:120]...), p...))
	wantS := sha256.Sum256(append(append([]byte(nil), key[96:128]...), p...))
	if !bytes.Equal(c[:], wantC[8:24]) || !bytes.Equal(s[:], wantS[8:24]) {
		t.Fatal("msg_key does not follow the definition")
	}

	// AESKeyIV against the formulas of the description page.
	for _, side := range []Side{Client, Server} {
		x := 0
		if side == Server {
			x = 8
		}
		a := sha256.Sum256(append(append([]byte(nil), c[:]...), key[x:x+36]...))
		b := sha256.Sum256(append(append([]byte(nil), key[40+x:76+x]...), c[:]...))
		wantKey := append(append(append([]byte(nil), a[0:8]...), b[8:24]...), a[24:32]...)
		wantIV := append(append(append([]byte(nil), b[0:8]...), a[8:24]...), b[24:32]...)
		gotKey, gotIV := AESKeyIV(&key, c, side)
		if !bytes.Equal(gotKey[:], wantKey) || !bytes.Equal(gotIV[:], wantIV) {
			t.Errorf("%v: AESKeyIV does not follow the definition", side)
		}
	}
	if Client.String() != "client" || Server.String() != "server" {
		t.Error("Side.String")
	}
}

func TestParseEnvelope(t *testing.T) {
	payload := make([]byte, 24+16)
	for i := range payload {
		payload[i] = byte(i)
	}
	env, err := ParseEnvelope(payload)
	if err != nil {
		t.Fatal(err)
	}
	if env.AuthKeyID[0] != 0 || env.MsgKey[0] != 8 || len(env.Data) != 16 || env.Data[0] != 24 {
		t.Fatalf("wrong split: %+v", env)
	}
	for _, n := range []int{0, 8, 24, 39, 41, 24 + 24} {
		if _, err := ParseEnvelope(make([]byte, n)); !errors.Is(err, ErrInvalidMessage) {
			t.Errorf("%d bytes: error %v", n, err)
		}
	}

	id, err := KeyIDFromPayload(payload)
	if err != nil || id != [8]byte{0, 1, 2, 3, 4, 5, 6, 7} {
		t.Fatalf("KeyIDFromPayload = %x, %v", id, err)
	}
	if _, err := KeyIDFromPayload(payload[:7]); err == nil {
		t.Fatal("7 bytes: no error")
	}
}

func TestPaddingLen(t *testing.T) {
	for n := 32; n < 32+64; n += 4 {
		for extra := 0; extra < 256; extra += 17 {
			p := paddingLen(n, byte(extra))
			if (n+p)%16 != 0 || p < MinPadding || p > 27+15*16 {
				t.Fatalf("paddingLen(%d, %d) = %d", n, extra, p)
			}
		}
	}
}

func TestCipherAccessors(t *testing.T) {
	key := testAuthKey(t, 17)
	c := NewServerCipher(key, nil)
	if c.ID() != key.ID() || *c.Key() != key {
		t.Fatal("accessors")
	}
}
