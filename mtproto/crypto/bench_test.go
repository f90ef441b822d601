package crypto

import (
	"math/big"
	"testing"
)

// These benchmarks are the floor of the handshake and message paths: the
// cost of the cryptography alone, which the end-to-end benchmarks of the
// handshake and the session are compared against.

func BenchmarkDecryptRSAPad(b *testing.B) {
	k := testServerKey(b)
	r := testRand(1)
	enc := rsaPadEncrypt(b, randBytes(b, r, 96), k.Public(), r)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.DecryptRSAPad(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecryptInnerDataHashed(b *testing.B) {
	// The legacy scheme costs one RSA operation plus the failed RSA_PAD try.
	k := testServerKey(b)
	r := testRand(2)
	enc := hashedEncrypt(b, randBytes(b, r, 96), k.Public(), r)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := k.DecryptInnerData(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDHNewSecret(b *testing.B) {
	grp := DefaultDHGroup()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := grp.NewSecret(nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDHAuthKey(b *testing.B) {
	grp := DefaultDHGroup()
	s, err := grp.NewSecret(testRand(3))
	if err != nil {
		b.Fatal(err)
	}
	gB := new(big.Int).Exp(big.NewInt(3), new(big.Int).SetBytes(randBytes(b, testRand(4), 256)), grp.P()).Bytes()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.AuthKey(gB); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDHServerSide is the server's whole DH cost per handshake: drawing
// a and g_a, then computing auth_key from the client's g_b.
func BenchmarkDHServerSide(b *testing.B) {
	grp := DefaultDHGroup()
	gB := new(big.Int).Exp(big.NewInt(3), new(big.Int).SetBytes(randBytes(b, testRand(5), 256)), grp.P()).Bytes()
	b.ReportAllocs()
	for b.Loop() {
		s, err := grp.NewSecret(nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.AuthKey(gB); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGeneratePQ(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GeneratePQ(nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncrypt1KiB(b *testing.B) {
	c := NewServerCipher(testAuthKey(b, 6), nil)
	m := Message{Salt: 1, SessionID: 2, MsgID: 3, SeqNo: 1, Data: make([]byte, 1024)}
	buf := make([]byte, 0, 4096)
	b.SetBytes(1024)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Encrypt(buf[:0], m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecrypt1KiB(b *testing.B) {
	key := testAuthKey(b, 7)
	payload, err := NewCipher(key, Client, nil).Encrypt(nil, Message{Data: make([]byte, 1024)})
	if err != nil {
		b.Fatal(err)
	}
	server := NewServerCipher(key, nil)
	buf := make([]byte, 0, 4096)
	b.SetBytes(1024)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := server.Decrypt(buf, payload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExchangeEncryptAnswer(b *testing.B) {
	k := NewExchangeKey([32]byte{1}, [16]byte{2})
	answer := make([]byte, 564) // server_DH_inner_data with a 2048-bit group
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Encrypt(answer, nil); err != nil {
			b.Fatal(err)
		}
	}
}
