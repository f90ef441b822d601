package crypto

import (
	"crypto/rand"
	"fmt"
	"io"
)

// randOrDefault returns r, or the operating system's CSPRNG when r is nil.
//
// Every function that consumes randomness takes an io.Reader so that tests can
// make the output deterministic; production code passes nil or rand.Reader.
func randOrDefault(r io.Reader) io.Reader {
	if r == nil {
		return rand.Reader
	}
	return r
}

// readRandom fills b from r (or the CSPRNG when r is nil).
func readRandom(r io.Reader, b []byte) error {
	if _, err := io.ReadFull(randOrDefault(r), b); err != nil {
		return fmt.Errorf("read random bytes: %w", err)
	}
	return nil
}
