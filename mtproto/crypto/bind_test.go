package crypto

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// encryptV1 is the client side of MTProto 1.0, written from the description
// of auth.bindTempAuthKey: msg_key is taken over the unpadded plaintext, and
// the padding (padLen bytes) follows.
func encryptV1(t testing.TB, k *AuthKey, unpadded []byte, padLen int, r io.Reader) []byte {
	t.Helper()
	sum := sha1.Sum(unpadded)
	var msgKey [16]byte
	copy(msgKey[:], sum[4:20])
	plaintext := append(append([]byte(nil), unpadded...), randBytes(t, r, padLen)...)
	key, iv := aesKeyIVV1(k, msgKey, Client)
	enc := make([]byte, len(plaintext))
	if err := EncryptIGE(enc, plaintext, key[:], iv[:]); err != nil {
		t.Fatal(err)
	}
	id := k.ID()
	return append(append(append([]byte(nil), id[:]...), msgKey[:]...), enc...)
}

// bindPlaintext serializes random + msg_id + seqno + msg_len + body.
func bindPlaintext(msgID int64, seqNo int32, body []byte) []byte {
	p := make([]byte, 32, 32+len(body))
	for i := 0; i < 16; i++ {
		p[i] = byte(0xa0 + i)
	}
	binary.LittleEndian.PutUint64(p[16:], uint64(msgID))
	binary.LittleEndian.PutUint32(p[24:], uint32(seqNo))
	binary.LittleEndian.PutUint32(p[28:], uint32(len(body)))
	return append(p, body...)
}

func encodeBindInner(in BindAuthKeyInner) []byte {
	b := binary.LittleEndian.AppendUint32(nil, BindAuthKeyInnerID)
	b = binary.LittleEndian.AppendUint64(b, uint64(in.Nonce))
	b = binary.LittleEndian.AppendUint64(b, uint64(in.TempAuthKeyID))
	b = binary.LittleEndian.AppendUint64(b, uint64(in.PermAuthKeyID))
	b = binary.LittleEndian.AppendUint64(b, uint64(in.TempSessionID))
	return binary.LittleEndian.AppendUint32(b, uint32(in.ExpiresAt))
}

func testBindInner(perm, temp *AuthKey) BindAuthKeyInner {
	return BindAuthKeyInner{
		Nonce:         0x0102030405060708,
		TempAuthKeyID: temp.IntID(),
		PermAuthKeyID: perm.IntID(),
		TempSessionID: -42,
		ExpiresAt:     1700000000,
	}
}

func TestDecryptBindMessage(t *testing.T) {
	perm, temp := testAuthKey(t, 1), testAuthKey(t, 2)
	inner := testBindInner(&perm, &temp)
	const msgID = 0x6500000000000004
	unpadded := bindPlaintext(msgID, 0, encodeBindInner(inner))
	// 72 bytes of plaintext: 8 bytes of padding reach 80.
	enc := encryptV1(t, &perm, unpadded, 8, testRand(3))

	b, err := DecryptBindMessage(&perm, enc)
	if err != nil {
		t.Fatal(err)
	}
	if b.MsgID != msgID || b.SeqNo != 0 || b.Inner != inner {
		t.Fatalf("got %+v", b)
	}
	params := BindParams{
		MsgID:         msgID,
		PermAuthKeyID: perm.IntID(),
		Nonce:         inner.Nonce,
		ExpiresAt:     inner.ExpiresAt,
		TempAuthKeyID: temp.IntID(),
		TempSessionID: inner.TempSessionID,
	}
	if err := b.Verify(params); err != nil {
		t.Fatal(err)
	}

	// Every field must be checked.
	mutations := map[string]func(*BindParams){
		"msg_id":           func(p *BindParams) { p.MsgID++ },
		"perm_auth_key_id": func(p *BindParams) { p.PermAuthKeyID++ },
		"nonce":            func(p *BindParams) { p.Nonce++ },
		"expires_at":       func(p *BindParams) { p.ExpiresAt++ },
		"temp_auth_key_id": func(p *BindParams) { p.TempAuthKeyID++ },
		"temp_session_id":  func(p *BindParams) { p.TempSessionID++ },
	}
	for field, mutate := range mutations {
		p := params
		mutate(&p)
		err := b.Verify(p)
		if !errors.Is(err, ErrBindMismatch) || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %v", field, err)
		}
	}
	withSeq := b
	withSeq.SeqNo = 1
	if err := withSeq.Verify(params); !errors.Is(err, ErrBindMismatch) {
		t.Errorf("seqno 1: error %v", err)
	}
}

func TestDecryptMessageV1Padding(t *testing.T) {
	k := testAuthKey(t, 4)
	r := testRand(5)
	// 32-byte header + 16 bytes of data: already aligned, no padding.
	unpadded := bindPlaintext(8, 0, make([]byte, 16))
	m, err := DecryptMessageV1(&k, encryptV1(t, &k, unpadded, 0, r))
	if err != nil || len(m.Data) != 16 || m.MsgID != 8 {
		t.Fatalf("no padding: %+v, %v", m, err)
	}
	if m.Salt != int64(binary.LittleEndian.Uint64(unpadded[0:])) || m.SessionID != int64(binary.LittleEndian.Uint64(unpadded[8:])) {
		t.Fatal("the random prefix is not returned as salt and session")
	}
	// 15 bytes of padding is the maximum of MTProto 1.0.
	unpadded = bindPlaintext(8, 0, make([]byte, 4))
	if _, err := DecryptMessageV1(&k, encryptV1(t, &k, unpadded, 12, r)); err != nil {
		t.Fatalf("12 bytes of padding: %v", err)
	}
	// MTProto 2.0 style padding (16 or more bytes) is not 1.0.
	if _, err := DecryptMessageV1(&k, encryptV1(t, &k, unpadded, 28, r)); !errors.Is(err, ErrInvalidMessage) {
		t.Fatalf("28 bytes of padding: %v", err)
	}
}

func TestDecryptBindMessageRejects(t *testing.T) {
	perm, temp := testAuthKey(t, 6), testAuthKey(t, 7)
	r := testRand(8)
	body := encodeBindInner(testBindInner(&perm, &temp))
	good := encryptV1(t, &perm, bindPlaintext(4, 0, body), 8, r)
	flip := func(i int) []byte {
		b := append([]byte(nil), good...)
		b[i] ^= 1
		return b
	}
	wrongID := append([]byte(nil), body...)
	wrongID[0] ^= 1
	lenField := bindPlaintext(4, 0, body)
	binary.LittleEndian.PutUint32(lenField[28:], 44)

	tests := map[string][]byte{
		"empty":             nil,
		"envelope only":     good[:24],
		"short":             good[:24+16],
		"misaligned":        good[:len(good)-3],
		"wrong auth_key_id": flip(2),
		"wrong msg_key":     flip(20),
		"tampered":          flip(30),
		"other key":         encryptV1(t, &temp, bindPlaintext(4, 0, body), 8, r),
		"wrong constructor": encryptV1(t, &perm, bindPlaintext(4, 0, wrongID), 8, r),
		"short body":        encryptV1(t, &perm, bindPlaintext(4, 0, body[:36]), 12, r),
		"long body":         encryptV1(t, &perm, bindPlaintext(4, 0, append(body, 0, 0, 0, 0)), 4, r),
		"length overflow":   encryptV1(t, &perm, lenField, 8, r),
	}
	for name, enc := range tests {
		if _, err := DecryptBindMessage(&perm, enc); !errors.Is(err, ErrInvalidMessage) {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

func TestAESKeyIVV1(t *testing.T) {
	// The MTProto 1.0 KDF, recomputed from the formulas of description_v1.
	k := testAuthKey(t, 9)
	var msgKey [16]byte
	copy(msgKey[:], randBytes(t, testRand(10), 16))
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, side := range []Side{Client, Server} {
		x := side.x()
		a := sha1.Sum(cat(msgKey[:], k[x:x+32]))
		b := sha1.Sum(cat(k[32+x:48+x], msgKey[:], k[48+x:64+x]))
		c := sha1.Sum(cat(k[64+x:96+x], msgKey[:]))
		d := sha1.Sum(cat(msgKey[:], k[96+x:128+x]))
		wantKey := cat(a[0:8], b[8:20], c[4:16])
		wantIV := cat(a[8:20], b[0:8], c[16:20], d[0:8])
		key, iv := aesKeyIVV1(&k, msgKey, side)
		if !bytes.Equal(key[:], wantKey) || !bytes.Equal(iv[:], wantIV) {
			t.Errorf("%v: KDF differs from the definition", side)
		}
	}
}
