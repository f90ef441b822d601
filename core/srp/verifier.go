package srp

import (
	"errors"
	"fmt"
	"math/big"
)

// ErrInvalidVerifier is wrapped by the errors of CheckVerifier.
var ErrInvalidVerifier = errors.New("srp: invalid verifier")

// Verifier is the password verifier v = g^x mod p, 256 bytes big-endian: the
// new_password_hash of account.updatePasswordSettings. It is what the server
// stores instead of the password. It is not the password, but it allows an
// offline dictionary attack on it, so keep it as secret as a password hash.
type Verifier [Size]byte

// CheckVerifier validates a password the client sets with
// account.updatePasswordSettings: the parameters algo (new_settings.new_algo,
// with the client's extended salt1) and the verifier v
// (new_settings.new_password_hash). v must be exactly 256 bytes, with
// 1 < v < p-1, and a quadratic residue modulo p, as every power of g = 3 is
// in this group; anything else cannot have come from an honest client.
//
// On success the caller stores algo and the returned Verifier.
func CheckVerifier(algo Algo, v []byte) (Verifier, error) {
	var out Verifier
	if err := algo.validate(); err != nil {
		return out, fmt.Errorf("check verifier: %w", err)
	}
	if len(v) != Size {
		return out, fmt.Errorf("check verifier: %w: %d bytes, want %d", ErrInvalidVerifier, len(v), Size)
	}
	copy(out[:], v)
	if err := out.check(); err != nil {
		return Verifier{}, fmt.Errorf("check verifier: %w", err)
	}
	return out, nil
}

// inRange checks 1 < v < p-1 in constant time: NewChallenge runs it on
// every account.getPassword, and the verifier is worth keeping secret.
func (v *Verifier) inRange() error {
	n, err := grp.nat(v[:])
	if err != nil {
		return fmt.Errorf("%w: not less than p", ErrInvalidVerifier)
	}
	if n.IsZero()|n.IsOne()|n.IsMinusOne(grp.mod) == 1 {
		return fmt.Errorf("%w: not in (1, p-1)", ErrInvalidVerifier)
	}
	return nil
}

// check applies the range and subgroup checks of CheckVerifier.
func (v *Verifier) check() error {
	if err := v.inRange(); err != nil {
		return err
	}
	// g = 3 generates the subgroup of quadratic residues of the safe prime
	// p, so g^x has Legendre (here Jacobi) symbol 1. big.Jacobi is not
	// constant time; it runs once, when the password is set.
	if big.Jacobi(new(big.Int).SetBytes(v[:]), grp.pInt) != 1 {
		return fmt.Errorf("%w: not a power of g", ErrInvalidVerifier)
	}
	return nil
}
