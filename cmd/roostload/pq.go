package main

import (
	"errors"
	"math/bits"
)

// factorPQ splits the resPQ challenge pq, a product of two primes below
// 2^32, into p < q with Pollard's rho in Brent's form on 64-bit integers:
// a few thousand steps of multiplication modulo pq, microseconds where a
// big.Int factorization takes a hundred milliseconds.
func factorPQ(n uint64) (p, q uint64, err error) {
	if n < 4 {
		return 0, 0, errors.New("pq: too small to factor")
	}
	if n%2 == 0 {
		return 2, n / 2, nil
	}
	for c := uint64(1); c < 8; c++ {
		g := rho(n, c)
		if g != 1 && g != n {
			p, q = g, n/g
			if p > q {
				p, q = q, p
			}
			return p, q, nil
		}
	}
	return 0, 0, errors.New("pq: no factor found (is pq prime?)")
}

// maxRhoSteps bounds one rho walk: a factor below 2^32 shows after about
// 2^16 steps, and a prime pq must not keep the client busy for long.
const maxRhoSteps = 1 << 20

// rho finds a factor of n with the map x → x² + c, or returns n.
func rho(n, c uint64) uint64 {
	const batch = 128
	f := func(v uint64) uint64 { return (mulMod(v, v, n) + c) % n }
	y, r, acc, g := uint64(2), uint64(1), uint64(1), uint64(1)
	var x, ys uint64
	for g == 1 && r < maxRhoSteps {
		x = y
		for i := uint64(0); i < r; i++ {
			y = f(y)
		}
		for k := uint64(0); k < r && g == 1; k += batch {
			ys = y
			for i := uint64(0); i < min(batch, r-k); i++ {
				y = f(y)
				acc = mulMod(acc, absDiff(x, y), n)
			}
			g = gcd(acc, n)
		}
		r *= 2
	}
	if g == n || g == 0 {
		// The batch overshot: step one at a time from its start.
		for i := 0; i < maxRhoSteps; i++ {
			ys = f(ys)
			if g = gcd(absDiff(x, ys), n); g != 1 {
				break
			}
		}
	}
	return g
}

func mulMod(a, b, m uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	_, rem := bits.Div64(hi%m, lo, m)
	return rem
}

func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
