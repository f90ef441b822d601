package srp

import (
	"testing"
	"time"
)

// BenchmarkNewChallenge is the server's cost of account.getPassword for a
// user with a password: g^b mod p and k*v + g^b, constant time.
func BenchmarkNewChallenge(b *testing.B) {
	tp := newTestPassword(b, 1, "bench")
	exp := testNow.Add(time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewChallenge(nil, tp.algo, tp.v, exp); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is the server's cost of verifying one proof of
// auth.checkPassword: v^u, (A*v^u)^b mod p and the hashes. It reports
// checks per second.
func BenchmarkCheck(b *testing.B) {
	tp := newTestPassword(b, 1, "bench")
	c := tp.challenge(b, 2)
	a, m1 := clientProof(tp.algo, tp.x, c.B(), clientSecret(testRand(3)))
	b.ReportAllocs()
	for b.Loop() {
		// verify is Check without consuming the challenge.
		if ok, err := c.verify(a, m1); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
}

// BenchmarkCheckVerifier is the cost of validating new_password_hash.
func BenchmarkCheckVerifier(b *testing.B) {
	algo := testAlgo(b, 1)
	v := clientVerifier(clientX(b, "bench", algo))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CheckVerifier(algo, v[:]); err != nil {
			b.Fatal(err)
		}
	}
}
