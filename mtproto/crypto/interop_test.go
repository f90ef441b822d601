package crypto

// Interoperability with gotd/td's client-side implementation, used here as
// an independent second implementation: gotd encrypts as a client and this
// package decrypts as the server, and the other way round.

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/gotd/td/bin"
	gotd "github.com/gotd/td/crypto"
)

func TestInteropClientToServerMessages(t *testing.T) {
	key := testAuthKey(t, 1)
	server := NewServerCipher(key, testRand(2))
	client := gotd.NewClientCipher(testRand(3))
	r := testRand(4)

	for _, n := range []int{0, 4, 64, 1024, 100000} {
		data := randBytes(t, r, n)
		var buf bin.Buffer
		err := client.Encrypt(gotd.Key(key).WithID(), gotd.EncryptedMessageData{
			Salt:                   0x0102030405060708,
			SessionID:              -77,
			MessageID:              0x6000000000000008,
			SeqNo:                  3,
			MessageDataLen:         int32(n),
			MessageDataWithPadding: data,
		}, &buf)
		if err != nil {
			t.Fatal(err)
		}
		m, ack, err := server.Decrypt(nil, buf.Buf)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if m.Salt != 0x0102030405060708 || m.SessionID != -77 || m.MsgID != 0x6000000000000008 || m.SeqNo != 3 || !bytes.Equal(m.Data, data) {
			t.Fatalf("%d bytes: message differs", n)
		}
		if ack>>31 != 1 {
			t.Fatalf("%d bytes: quick ack %#x", n, ack)
		}
	}
}

func TestInteropServerToClientMessages(t *testing.T) {
	key := testAuthKey(t, 5)
	server := NewServerCipher(key, testRand(6))
	client := gotd.NewClientCipher(testRand(7))
	r := testRand(8)

	for _, n := range []int{0, 4, 64, 1024, 100000} {
		m := Message{Salt: 9, SessionID: 10, MsgID: 0x6000000000000001, SeqNo: 1, Data: randBytes(t, r, n)}
		payload, err := server.Encrypt(nil, m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := client.DecryptFromBuffer(gotd.Key(key).WithID(), &bin.Buffer{Buf: payload})
		if err != nil {
			t.Fatalf("%d bytes: gotd rejects the server message: %v", n, err)
		}
		if got.Salt != 9 || got.SessionID != 10 || got.MessageID != m.MsgID || got.SeqNo != 1 || !bytes.Equal(got.Data(), m.Data) {
			t.Fatalf("%d bytes: message differs", n)
		}
	}
}

func TestInteropKDF(t *testing.T) {
	key := testAuthKey(t, 9)
	plaintext := randBytes(t, testRand(10), 96)
	sides := map[Side]gotd.Side{Client: gotd.Client, Server: gotd.Server}
	for ours, theirs := range sides {
		msgKey := MessageKey(&key, plaintext, ours)
		if want := gotd.MessageKey(gotd.Key(key), plaintext, theirs); msgKey != [16]byte(want) {
			t.Fatalf("%v: msg_key differs", ours)
		}
		k, iv := AESKeyIV(&key, msgKey, ours)
		wantK, wantIV := gotd.Keys(gotd.Key(key), msgKey, theirs)
		if k != [32]byte(wantK) || iv != [32]byte(wantIV) {
			t.Fatalf("%v: aes key/iv differ", ours)
		}
	}
	msgKey := messageKeyV1(plaintext)
	if msgKey != [16]byte(gotd.MessageKeyV1(plaintext)) {
		t.Fatal("MTProto 1.0 msg_key differs")
	}
	k, iv := aesKeyIVV1(&key, msgKey, Client)
	wantK, wantIV := gotd.KeysV1(gotd.Key(key), msgKey)
	if k != [32]byte(wantK) || iv != [32]byte(wantIV) {
		t.Fatal("MTProto 1.0 aes key/iv differ")
	}
}

func TestInteropAuthKeyID(t *testing.T) {
	key := testAuthKey(t, 11)
	theirs := gotd.Key(key).WithID()
	if key.ID() != theirs.ID || key.IntID() != theirs.IntID() {
		t.Fatal("auth_key_id differs")
	}
	if key.AuxHash() != gotd.Key(key).AuxHash() {
		t.Fatal("aux hash differs")
	}
}

func TestInteropBindMessage(t *testing.T) {
	perm, temp := testAuthKey(t, 12), testAuthKey(t, 13)
	inner := &gotd.BindAuthKeyInner{
		Nonce:         77,
		TempAuthKeyID: temp.IntID(),
		PermAuthKeyID: perm.IntID(),
		TempSessionID: 99,
		ExpiresAt:     1800000000,
	}
	const msgID = 0x6100000000000004
	enc, err := gotd.EncryptBindMessage(testRand(14), gotd.Key(perm).WithID(), msgID, inner)
	if err != nil {
		t.Fatal(err)
	}
	b, err := DecryptBindMessage(&perm, enc)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Verify(BindParams{
		MsgID:         msgID,
		PermAuthKeyID: perm.IntID(),
		Nonce:         77,
		ExpiresAt:     1800000000,
		TempAuthKeyID: temp.IntID(),
		TempSessionID: 99,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecryptBindMessage(&temp, enc); err == nil {
		t.Fatal("decrypted with the wrong key")
	}
}

func TestInteropRSA(t *testing.T) {
	k := testServerKey(t)
	if k.Fingerprint() != gotd.RSAFingerprint(k.Public()) {
		t.Fatal("fingerprint differs")
	}
	r := testRand(15)
	for _, n := range []int{96, 100, 144} {
		data := randBytes(t, r, n)

		// RSA_PAD, as gotd encrypts p_q_inner_data.
		enc, err := gotd.RSAPad(data, k.Public(), r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := k.DecryptRSAPad(enc)
		if err != nil || !bytes.Equal(got[:n], data) {
			t.Fatalf("RSA_PAD %d bytes: %v", n, err)
		}
		got, scheme, err := k.DecryptInnerData(enc)
		if err != nil || scheme != SchemeRSAPad || !bytes.Equal(got[:n], data) {
			t.Fatalf("RSA_PAD %d bytes via DecryptInnerData: %v %v", n, scheme, err)
		}

		// gotd's server decoder accepts what the test client of this
		// package produces, which validates that helper.
		own := rsaPadEncrypt(t, data, k.Public(), r)
		theirs, err := gotd.DecodeRSAPad(own, k.key)
		if err != nil || !bytes.Equal(theirs[:n], data) {
			t.Fatalf("gotd rejects the test RSA_PAD helper: %v", err)
		}

		// The legacy scheme.
		enc, err = gotd.RSAEncryptHashed(data, k.Public(), r)
		if err != nil {
			t.Fatal(err)
		}
		got, scheme, err = k.DecryptInnerData(enc)
		if err != nil || scheme != SchemeHashed || !bytes.Equal(got, data) {
			t.Fatalf("hashed %d bytes: %v %v", n, scheme, err)
		}
	}
}

func TestInteropDH(t *testing.T) {
	grp := DefaultDHGroup()
	if err := gotd.CheckDH(grp.G(), grp.P()); err != nil {
		t.Fatalf("gotd rejects the default group: %v", err)
	}
	s, err := grp.NewSecret(testRand(16))
	if err != nil {
		t.Fatal(err)
	}
	b := new(big.Int).SetBytes(randBytes(t, testRand(17), 256))
	g := big.NewInt(int64(grp.G()))
	gB := new(big.Int).Exp(g, b, grp.P())
	gA := new(big.Int).SetBytes(s.GA())
	if err := gotd.CheckDHParams(grp.P(), g, gA, gB); err != nil {
		t.Fatalf("gotd rejects g_a: %v", err)
	}
	key, err := s.AuthKey(gB.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	clientKey := new(big.Int).Exp(gA, b, grp.P())
	var want gotd.Key
	if !gotd.FillBytes(clientKey, want[:]) || gotd.Key(key) != want {
		t.Fatal("auth keys differ")
	}

	var newNonce [32]byte
	copy(newNonce[:], randBytes(t, testRand(18), 32))
	if NewNonceHash(newNonce, 1, key.AuxHash()) != [16]byte(gotd.NonceHash1(newNonce, gotd.Key(key))) {
		t.Fatal("new_nonce_hash1 differs")
	}
}

func TestInteropExchange(t *testing.T) {
	r := testRand(19)
	for i := 0; i < 16; i++ {
		var newNonce [32]byte
		var serverNonce [16]byte
		copy(newNonce[:], randBytes(t, r, 32))
		copy(serverNonce[:], randBytes(t, r, 16))
		if i == 0 {
			newNonce[0], serverNonce[0] = 0, 0 // leading zeros
		}
		k := NewExchangeKey(newNonce, serverNonce)
		key, iv := gotd.TempAESKeys(new(big.Int).SetBytes(newNonce[:]), new(big.Int).SetBytes(serverNonce[:]))
		if !bytes.Equal(k.Key[:], key) || !bytes.Equal(k.IV[:], iv) {
			t.Fatalf("case %d: tmp_aes_key/iv differ", i)
		}
		if ServerSalt(newNonce, serverNonce) != gotd.ServerSalt(newNonce, serverNonce) {
			t.Fatalf("case %d: server salt differs", i)
		}

		// Server → client: server_DH_inner_data.
		answer := randBytes(t, r, 564)
		enc, err := k.Encrypt(answer, r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := gotd.DecryptExchangeAnswer(enc, key, iv)
		if err != nil || !bytes.Equal(got, answer) {
			t.Fatalf("case %d: gotd cannot read the answer: %v", i, err)
		}

		// Client → server: client_DH_inner_data.
		clientData := randBytes(t, r, 304)
		enc, err = gotd.EncryptExchangeAnswer(r, clientData, key, iv)
		if err != nil {
			t.Fatal(err)
		}
		got, err = k.Decrypt(enc)
		if err != nil || !bytes.Equal(got, clientData) {
			t.Fatalf("case %d: cannot read gotd's client data: %v", i, err)
		}
	}
}

func TestInteropPQ(t *testing.T) {
	r := testRand(20)
	for i := 0; i < 20; i++ {
		x, err := GeneratePQ(r)
		if err != nil {
			t.Fatal(err)
		}
		p, q, err := gotd.DecomposePQ(new(big.Int).SetBytes(x.Bytes()), r)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.Verify(p.Bytes(), q.Bytes()); err != nil {
			t.Fatalf("gotd's factors %v, %v of %d: %v", p, q, x.Product(), err)
		}
	}
}
