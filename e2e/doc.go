// Package e2e holds end-to-end tests: each starts a real roost serve (the
// binary built from ./cmd/roost) and drives it with unmodified client
// libraries.
package e2e
