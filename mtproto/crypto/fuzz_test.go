package crypto

import (
	"bytes"
	"errors"
	"testing"
)

// Every entry point that takes bytes from the network (or from a file) gets
// a fuzz target: none may panic, and what they accept must be consistent.

func FuzzCipherDecrypt(f *testing.F) {
	key := testAuthKey(f, 1)
	client := NewCipher(key, Client, testRand(2))
	for _, n := range []int{0, 4, 64, 300} {
		payload, err := client.Encrypt(nil, Message{Data: make([]byte, n)})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(payload)
		f.Add(payload[:len(payload)-16])
	}
	f.Add([]byte{})
	f.Add(make([]byte, 72))

	server := NewServerCipher(key, nil)
	f.Fuzz(func(t *testing.T, payload []byte) {
		m, ack, err := server.Decrypt(nil, payload)
		if err != nil {
			if !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("error %v does not wrap ErrInvalidMessage", err)
			}
			return
		}
		padding := len(payload) - envelopeHeaderSize - messageHeaderSize - len(m.Data)
		if len(m.Data)%4 != 0 || padding < MinPadding || padding > MaxPadding || ack>>31 != 1 {
			t.Fatalf("accepted an invalid message: data %d, padding %d, ack %#x", len(m.Data), padding, ack)
		}
	})
}

func FuzzDecryptMessageV1(f *testing.F) {
	perm, temp := testAuthKey(f, 3), testAuthKey(f, 4)
	body := encodeBindInner(testBindInner(&perm, &temp))
	f.Add(encryptV1(f, &perm, bindPlaintext(4, 0, body), 8, testRand(5)))
	f.Add(encryptV1(f, &perm, bindPlaintext(4, 0, body[:16]), 0, testRand(6)))
	f.Add([]byte{})
	f.Add(make([]byte, 24+32))

	f.Fuzz(func(t *testing.T, payload []byte) {
		m, err := DecryptMessageV1(&perm, payload)
		if err == nil {
			padding := len(payload) - envelopeHeaderSize - messageHeaderSize - len(m.Data)
			if len(m.Data)%4 != 0 || padding < 0 || padding > maxPaddingV1 {
				t.Fatalf("accepted an invalid message: data %d, padding %d", len(m.Data), padding)
			}
		} else if !errors.Is(err, ErrInvalidMessage) {
			t.Fatalf("error %v does not wrap ErrInvalidMessage", err)
		}
		b, err := DecryptBindMessage(&perm, payload)
		if err == nil {
			_ = b.Verify(BindParams{MsgID: b.MsgID})
		} else if !errors.Is(err, ErrInvalidMessage) {
			t.Fatalf("error %v does not wrap ErrInvalidMessage", err)
		}
	})
}

func FuzzParseEnvelope(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, 40))
	f.Add(make([]byte, 41))
	f.Fuzz(func(t *testing.T, payload []byte) {
		env, err := ParseEnvelope(payload)
		if err == nil {
			if len(env.Data) == 0 || len(env.Data)%16 != 0 || len(env.Data)+24 != len(payload) {
				t.Fatalf("accepted a payload of %d bytes", len(payload))
			}
			if id, err := KeyIDFromPayload(payload); err != nil || id != env.AuthKeyID {
				t.Fatal("KeyIDFromPayload disagrees with ParseEnvelope")
			}
		}
		if _, err := KeyIDFromPayload(payload); (err == nil) != (len(payload) >= 8) {
			t.Fatalf("KeyIDFromPayload on %d bytes: %v", len(payload), err)
		}
		if _, err := AuthKeyFromBytes(payload); (err == nil) != (len(payload) == AuthKeySize) {
			t.Fatalf("AuthKeyFromBytes on %d bytes: %v", len(payload), err)
		}
	})
}

func FuzzServerKeyDecrypt(f *testing.F) {
	k := testServerKey(f)
	r := testRand(7)
	f.Add(rsaPadEncrypt(f, randBytes(f, r, 96), k.Public(), r))
	f.Add(hashedEncrypt(f, randBytes(f, r, 96), k.Public(), r))
	f.Add(make([]byte, 256))
	f.Add(bytes.Repeat([]byte{0xff}, 256))
	f.Add([]byte{1, 2, 3})

	f.Fuzz(func(t *testing.T, encrypted []byte) {
		data, scheme, err := k.DecryptInnerData(encrypted)
		if err != nil {
			if !errors.Is(err, ErrInvalidEncryptedData) {
				t.Fatalf("error %v does not wrap ErrInvalidEncryptedData", err)
			}
		} else if scheme != SchemeRSAPad && scheme != SchemeHashed || len(data) == 0 {
			t.Fatalf("accepted with scheme %v and %d bytes", scheme, len(data))
		}
		if _, err := k.DecryptRSAPad(encrypted); err != nil && !errors.Is(err, ErrInvalidEncryptedData) {
			t.Fatalf("DecryptRSAPad error %v", err)
		}
		if _, err := k.DecryptHashed(encrypted); err != nil && !errors.Is(err, ErrInvalidEncryptedData) {
			t.Fatalf("DecryptHashed error %v", err)
		}
	})
}

func FuzzOpenRSABlock(f *testing.F) {
	// Skips the RSA layer to reach the RSA_PAD and legacy checks quickly.
	k := testServerKey(f)
	r := testRand(8)
	for _, enc := range [][]byte{
		rsaPadEncrypt(f, randBytes(f, r, 96), k.Public(), r),
		hashedEncrypt(f, randBytes(f, r, 96), k.Public(), r),
	} {
		block, err := k.raw.decrypt(enc)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(block)
	}
	f.Add(make([]byte, 256))

	f.Fuzz(func(t *testing.T, in []byte) {
		block := make([]byte, 256)
		copy(block, in)
		if data, ok := openRSAPad(block); ok && len(data) != rsaPadDataSize {
			t.Fatalf("RSA_PAD data of %d bytes", len(data))
		}
		if data, ok := openHashed(block); ok && (len(data) == 0 || len(data)%4 != 0 || len(data) > rsaHashedMaxData) {
			t.Fatalf("legacy data of %d bytes", len(data))
		}
	})
}

func FuzzExchangeDecrypt(f *testing.F) {
	k := NewExchangeKey([32]byte{1, 2, 3}, [16]byte{4, 5, 6})
	for _, n := range []int{4, 60, 304, 564} {
		enc, err := k.Encrypt(make([]byte, n), testRand(9))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
	f.Add([]byte{})
	f.Add(make([]byte, 17))
	f.Fuzz(func(t *testing.T, encrypted []byte) {
		data, err := k.Decrypt(encrypted)
		if err != nil {
			if !errors.Is(err, ErrExchangeData) {
				t.Fatalf("error %v does not wrap ErrExchangeData", err)
			}
			return
		}
		if pad := len(encrypted) - 20 - len(data); pad < 0 || pad > 15 || len(data)%4 != 0 {
			t.Fatalf("accepted %d bytes of data in %d", len(data), len(encrypted))
		}
	})
}

func FuzzDHAuthKey(f *testing.F) {
	grp := DefaultDHGroup()
	s, err := grp.NewSecret(testRand(10))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(s.GA())
	f.Add(grp.PrimeBytes())
	f.Add([]byte{})
	f.Add([]byte{2})
	f.Fuzz(func(t *testing.T, gB []byte) {
		key, err := s.AuthKey(gB)
		if err != nil {
			if !errors.Is(err, ErrDHValue) {
				t.Fatalf("error %v does not wrap ErrDHValue", err)
			}
			return
		}
		if key.IsZero() {
			t.Fatal("zero auth key")
		}
	})
}

func FuzzPQVerify(f *testing.F) {
	x := PQ{P: 1513098571, Q: 1780931429}
	f.Add([]byte{0x5a, 0x30, 0x0d, 0x4b}, []byte{0x6a, 0x26, 0xdb, 0x65})
	f.Add([]byte{}, []byte{0})
	f.Fuzz(func(t *testing.T, p, q []byte) {
		if x.Verify(p, q) == nil {
			pv, _ := beUint32(p)
			qv, _ := beUint32(q)
			if uint64(pv)*uint64(qv) != x.Product() {
				t.Fatalf("accepted %x * %x", p, q)
			}
		}
	})
}

func FuzzParseServerKeyPEM(f *testing.F) {
	f.Add(readTestdata(f, "server_key_pkcs1.pem"))
	f.Add(readTestdata(f, "server_key_pkcs8.pem"))
	f.Add([]byte("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := ParseServerKeyPEM(data)
		if err == nil && k.Public().N.BitLen() != RSAKeyBits {
			t.Fatalf("accepted a %d-bit key", k.Public().N.BitLen())
		}
	})
}

func FuzzParsePublicKeyPEM(f *testing.F) {
	f.Add(readTestdata(f, "telegram_public_keys.pem"))
	f.Add(readTestdata(f, "server_key_public_pkix.pem"))
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := ParsePublicKeyPEM(data)
		if err == nil {
			for _, k := range keys {
				_ = Fingerprint(k)
			}
		}
	})
}

func FuzzIGE(f *testing.F) {
	f.Add(make([]byte, 32), make([]byte, 32), make([]byte, 32))
	f.Add(make([]byte, 32), make([]byte, 32), make([]byte, 7))
	f.Add(make([]byte, 16), make([]byte, 32), make([]byte, 16))
	f.Fuzz(func(t *testing.T, key, iv, data []byte) {
		enc := make([]byte, len(data))
		errE := EncryptIGE(enc, data, key, iv)
		dec := make([]byte, len(data))
		errD := DecryptIGE(dec, enc, key, iv)
		if (errE == nil) != (errD == nil) {
			t.Fatalf("encrypt error %v, decrypt error %v", errE, errD)
		}
		if errE == nil && !bytes.Equal(dec, data) {
			t.Fatal("round trip mismatch")
		}
	})
}
