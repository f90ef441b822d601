package crypto

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"

	"filippo.io/bigmod"
)

// DHPrimeBits is the size of the DH prime MTProto clients accept: they
// check 2^2047 < dh_prime < 2^2048.
const DHPrimeBits = 2048

// dhSafetyMarginBits sets the range check of DH public values: clients and
// the server reject g_a and g_b outside [2^(2048-64), dh_prime - 2^(2048-64)].
const dhSafetyMarginBits = DHPrimeBits - 64

// telegramDHPrime is the 2048-bit safe prime published in "Creating an
// Authorization Key" as the current dh_prime of Telegram's servers. Clients
// keep it in a table of known-good primes and skip the primality tests.
const telegramDHPrime = "" +
	"c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f" +
	"48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c37" +
	"20fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f64" +
	"2477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4" +
	"a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754" +
	"fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4" +
	"e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f" +
	"0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b"

// telegramDHGenerator is the g Telegram's servers send with telegramDHPrime
// (g = 3 in the official auth key sample); p mod 3 = 2, as clients require.
const telegramDHGenerator = 3

// DHGroup is a Diffie-Hellman group: a 2048-bit safe prime dh_prime and a
// generator g of its subgroup of order (p-1)/2. It is immutable and safe for
// concurrent use.
type DHGroup struct {
	g   int
	p   *big.Int
	mod *bigmod.Modulus
	// Public-value bounds: 2^(2048-64) and p - 2^(2048-64).
	low, high *big.Int
}

var defaultDHGroup = mustDHGroup(telegramDHGenerator, telegramDHPrime)

func mustDHGroup(g int, primeHex string) *DHGroup {
	b, err := hex.DecodeString(primeHex)
	if err != nil {
		panic(err)
	}
	grp, err := NewDHGroup(g, new(big.Int).SetBytes(b))
	if err != nil {
		panic(err)
	}
	return grp
}

// DefaultDHGroup returns the group Telegram's servers use: the published
// 2048-bit safe prime and g = 3. Serving the same prime lets clients skip
// their slow primality checks.
func DefaultDHGroup() *DHGroup { return defaultDHGroup }

// NewDHGroup returns the group (g, p) after the checks clients run that are
// cheap: 2^2047 < p < 2^2048, p odd, g in 2..7, and g a quadratic residue
// mod p by the conditions on p mod 4g from "Creating an Authorization Key".
// Primality of p and (p-1)/2 is checked by CheckPrime, which is slow.
func NewDHGroup(g int, p *big.Int) (*DHGroup, error) {
	if p == nil || p.Sign() <= 0 || p.BitLen() != DHPrimeBits || p.Bit(0) != 1 {
		return nil, fmt.Errorf("dh group: prime must be an odd %d-bit number", DHPrimeBits)
	}
	if err := checkGenerator(g, p); err != nil {
		return nil, fmt.Errorf("dh group: %w", err)
	}
	p = new(big.Int).Set(p)
	mod, err := bigmod.NewModulus(p.Bytes())
	if err != nil {
		return nil, fmt.Errorf("dh group: %w", err)
	}
	low := new(big.Int).Lsh(big.NewInt(1), dhSafetyMarginBits)
	high := new(big.Int).Sub(p, low)
	return &DHGroup{g: g, p: p, mod: mod, low: low, high: high}, nil
}

// checkGenerator applies the quadratic reciprocity conditions under which g
// generates the subgroup of prime order (p-1)/2 of a safe prime p.
func checkGenerator(g int, p *big.Int) error {
	mod := func(m int64) int64 { return new(big.Int).Mod(p, big.NewInt(m)).Int64() }
	var ok bool
	switch g {
	case 2:
		ok = mod(8) == 7
	case 3:
		ok = mod(3) == 2
	case 4:
		ok = true
	case 5:
		r := mod(5)
		ok = r == 1 || r == 4
	case 6:
		r := mod(24)
		ok = r == 19 || r == 23
	case 7:
		r := mod(7)
		ok = r == 3 || r == 5 || r == 6
	default:
		return fmt.Errorf("generator %d is not in 2..7", g)
	}
	if !ok {
		return fmt.Errorf("generator %d does not generate the subgroup of order (p-1)/2", g)
	}
	return nil
}

// CheckPrime verifies that p and (p-1)/2 are both prime (a safe prime), as a
// careful client does for an unknown prime. It takes tens of milliseconds;
// run it once when loading a configured group.
func (grp *DHGroup) CheckPrime() error {
	if !grp.p.ProbablyPrime(32) {
		return errors.New("dh group: p is not prime")
	}
	half := new(big.Int).Rsh(grp.p, 1)
	if !half.ProbablyPrime(32) {
		return errors.New("dh group: (p-1)/2 is not prime")
	}
	return nil
}

// G returns the generator g.
func (grp *DHGroup) G() int { return grp.g }

// P returns a copy of the prime dh_prime.
func (grp *DHGroup) P() *big.Int { return new(big.Int).Set(grp.p) }

// PrimeBytes returns dh_prime as 256 big-endian bytes, the value of
// server_DH_inner_data.dh_prime.
func (grp *DHGroup) PrimeBytes() []byte { return grp.p.FillBytes(make([]byte, DHPrimeBits/8)) }

// ErrDHValue is wrapped by the errors of CheckPublic.
var ErrDHValue = errors.New("dh value out of range")

// CheckPublic checks a public DH value (g_a, g_b, or an SRP A/B) as the
// security guidelines require: 1 < x < p-1, and also
// 2^(2048-64) <= x <= p - 2^(2048-64), which excludes values that leak
// information about the exponent.
func (grp *DHGroup) CheckPublic(x *big.Int) error {
	if x == nil || x.Cmp(big.NewInt(1)) <= 0 || x.Cmp(new(big.Int).Sub(grp.p, big.NewInt(1))) >= 0 {
		return fmt.Errorf("%w: not in (1, p-1)", ErrDHValue)
	}
	if x.Cmp(grp.low) < 0 || x.Cmp(grp.high) > 0 {
		return fmt.Errorf("%w: not in [2^%d, p-2^%d]", ErrDHValue, dhSafetyMarginBits, dhSafetyMarginBits)
	}
	return nil
}

// DHSecret is the server's side of one DH exchange: a secret exponent a and
// g_a = g^a mod p. Keep it in the handshake state between server_DH_params_ok
// and set_client_DH_params, then drop it.
type DHSecret struct {
	grp *DHGroup
	a   []byte // 256 big-endian bytes
	gA  []byte // 256 big-endian bytes
}

// maxDHAttempts bounds the redraws of a when g_a falls outside the safe
// range, which happens with probability about 2^-63 per draw.
const maxDHAttempts = 16

// NewSecret draws a 2048-bit secret a from random (nil: crypto/rand) and
// computes g_a in constant time, redrawing a until g_a passes CheckPublic.
func (grp *DHGroup) NewSecret(random io.Reader) (*DHSecret, error) {
	g, err := bigmod.NewNat().SetBytes([]byte{byte(grp.g)}, grp.mod)
	if err != nil {
		return nil, fmt.Errorf("dh secret: %w", err)
	}
	a := make([]byte, DHPrimeBits/8)
	for range maxDHAttempts {
		if err := readRandom(random, a); err != nil {
			return nil, fmt.Errorf("dh secret: %w", err)
		}
		gA := bigmod.NewNat().Exp(g, a, grp.mod).Bytes(grp.mod)
		if grp.CheckPublic(new(big.Int).SetBytes(gA)) == nil {
			return &DHSecret{grp: grp, a: a, gA: gA}, nil
		}
	}
	return nil, errors.New("dh secret: no g_a in the safe range; is the random source broken?")
}

// Group returns the group the secret belongs to.
func (s *DHSecret) Group() *DHGroup { return s.grp }

// GA returns g_a as 256 big-endian bytes, the value of
// server_DH_inner_data.g_a.
func (s *DHSecret) GA() []byte { return append([]byte(nil), s.gA...) }

// AuthKey checks the client's g_b (a big-endian TL string) with CheckPublic
// and returns auth_key = g_b^a mod p as 256 big-endian bytes, computed in
// constant time.
func (s *DHSecret) AuthKey(gB []byte) (AuthKey, error) {
	var key AuthKey
	x := new(big.Int).SetBytes(gB)
	if err := s.grp.CheckPublic(x); err != nil {
		return key, fmt.Errorf("g_b: %w", err)
	}
	gBNat, err := bigmod.NewNat().SetBytes(x.FillBytes(make([]byte, DHPrimeBits/8)), s.grp.mod)
	if err != nil {
		return key, fmt.Errorf("g_b: %w", err) // unreachable after CheckPublic
	}
	copy(key[:], bigmod.NewNat().Exp(gBNat, s.a, s.grp.mod).Bytes(s.grp.mod))
	return key, nil
}
