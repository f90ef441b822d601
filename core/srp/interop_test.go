package srp

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"testing"

	gotdsrp "github.com/gotd/td/crypto/srp"
)

// These tests run gotd/td's client side of SRP, the code a real client uses,
// against the server side.

func gotdInput(a Algo) gotdsrp.Input {
	return gotdsrp.Input{Salt1: a.Salt1, Salt2: a.Salt2, G: a.G, P: a.P}
}

// gotdSetPassword does what gotd's UpdatePassword does with new_algo: it
// extends salt1 and computes new_password_hash. The server validates both.
func gotdSetPassword(t *testing.T, password string, seed uint64) (Algo, Verifier) {
	t.Helper()
	offer, err := NewAlgo(testRand(seed))
	if err != nil {
		t.Fatal(err)
	}
	hash, newSalt1, err := gotdsrp.NewSRP(testRand(seed+1)).NewHash([]byte(password), gotdInput(offer))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(newSalt1, offer.Salt1) || len(newSalt1) != Salt1PrefixSize+ClientSalt1Size {
		t.Fatalf("gotd's salt1 %x does not extend the offered %x by %d bytes", newSalt1, offer.Salt1, ClientSalt1Size)
	}
	stored := offer
	stored.Salt1 = newSalt1
	v, err := CheckVerifier(stored, hash)
	if err != nil {
		t.Fatalf("CheckVerifier rejects gotd's new_password_hash: %v", err)
	}
	return stored, v
}

// gotdLogin answers a challenge as gotd's auth.PasswordHash does.
func gotdLogin(t *testing.T, c *Challenge, algo Algo, password string, seed uint64) (bool, error) {
	t.Helper()
	secret := make([]byte, Size) // account.password secure_random, gotd's a
	_, _ = testRand(seed).Read(secret)
	ans, err := gotdsrp.NewSRP(testRand(seed)).Hash([]byte(password), c.B(), secret, gotdInput(algo))
	if err != nil {
		t.Fatal(err)
	}
	return c.Check(testNow, ans.A, ans.M1)
}

func TestGotdSetPasswordAndLogin(t *testing.T) {
	const password = "Tr0ub4dor&3"
	algo, v := gotdSetPassword(t, password, 100)

	c, err := NewChallenge(nil, algo, v, testNow.Add(ChallengeTTL))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := gotdLogin(t, c, algo, password, 200); !ok || err != nil {
		t.Fatalf("gotd's proof for the right password: Check = %v, %v; want true, nil", ok, err)
	}

	c, err = NewChallenge(nil, algo, v, testNow.Add(ChallengeTTL))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := gotdLogin(t, c, algo, "tr0ub4dor&3", 201); ok || err != nil {
		t.Fatalf("gotd's proof for a wrong password: Check = %v, %v; want false, nil", ok, err)
	}

	c, err = NewChallenge(nil, algo, v, testNow.Add(ChallengeTTL))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := gotdLogin(t, c, algo, "", 202); ok || err != nil {
		t.Fatalf("gotd's proof for an empty password: Check = %v, %v; want false, nil", ok, err)
	}
}

func TestGotdUnicodePassword(t *testing.T) {
	const password = "пароль 🔑 密码"
	algo, v := gotdSetPassword(t, password, 300)
	c, err := NewChallenge(nil, algo, v, testNow.Add(ChallengeTTL))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := gotdLogin(t, c, algo, password, 301); !ok || err != nil {
		t.Fatalf("Check = %v, %v; want true, nil", ok, err)
	}
}

// TestGotdMatchesTestClient pins the test-only client of helpers_test.go to
// gotd's, so the unit tests that use the faster test client test the same
// protocol.
func TestGotdMatchesTestClient(t *testing.T) {
	const password = "pin"
	algo, v := gotdSetPassword(t, password, 400)
	x := clientX(t, password, algo)
	if clientVerifier(x) != v {
		t.Fatal("the test client's verifier differs from gotd's")
	}
	c, err := NewChallenge(testRand(401), algo, v, testNow.Add(ChallengeTTL))
	if err != nil {
		t.Fatal(err)
	}
	secret := make([]byte, Size)
	_, _ = testRand(402).Read(secret)
	ans, err := gotdsrp.NewSRP(testRand(402)).Hash([]byte(password), c.B(), secret, gotdInput(algo))
	if err != nil {
		t.Fatal(err)
	}
	a, m1 := clientProof(algo, x, c.B(), new(big.Int).SetBytes(secret))
	if !bytes.Equal(a, ans.A) || !bytes.Equal(m1, ans.M1) {
		t.Fatal("the test client's A or M1 differs from gotd's")
	}
}

// TestKnownVerifier checks a published vector of gotd/td's client tests
// (crypto/srp/new_hash_test.go): the verifier of "newPassword" with
// salt1 = e6c8957ddf988d48 followed by 32 zero bytes (the client's part,
// drawn from a zero source) and salt2 = 9f6344822b096cff87efa426f57857b6.
func TestKnownVerifier(t *testing.T) {
	salt1 := append(mustHex(t, "e6c8957ddf988d48"), make([]byte, ClientSalt1Size)...)
	algo := Algo{Salt1: salt1, Salt2: mustHex(t, "9f6344822b096cff87efa426f57857b6"), G: 3, P: grp.p[:]}
	want := mustHex(t, ""+
		"186ac18dcc5790bf6bba21bd958d375ee5481af0029e9bd7a9c68ec926bd5196"+
		"d81f8cd8b58ee06c8a10adeacc7f56e819ff514825deb15b1fadec6aae17a244"+
		"cb23488d17349cd4261a8ba4da7b9c2ce5c40014dd9e362750acf3ac89b8b8f5"+
		"c618f0b6a572c38fff3a554d8818a0b8e7b6015e1836128a1e4e2d5cf9971d1d"+
		"d048aa181d861152eae71553962680632387b89ac1865fded7c8c3daa64ed38d"+
		"c25036663fa0cf7748c52ea19c187e70a752a8053e409d4894218a429393d033"+
		"82e41e50b7415b3b8ad092fd0790f88d894e84dca78f47f4218937d7aa99d88c"+
		"87c09bcb8da890e535026623cea6fc8b3d25db70cb42aaa48323927d87a8fcf1")
	v, err := CheckVerifier(algo, want)
	if err != nil {
		t.Fatal(err)
	}
	x := clientX(t, "newPassword", algo)
	if clientVerifier(x) != v {
		t.Fatal("the test client's verifier differs from the published vector")
	}
	c, err := NewChallenge(testRand(500), algo, v, testNow.Add(ChallengeTTL))
	if err != nil {
		t.Fatal(err)
	}
	a, m1 := clientProof(algo, x, c.B(), clientSecret(testRand(501)))
	if ok, err := c.Check(testNow, a, m1); !ok || err != nil {
		t.Fatalf("Check = %v, %v; want true, nil", ok, err)
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
