// Package memory is a store.Store kept in RAM.
//
// It serves tests that need a store without a database file, and the
// temporary (PFS) auth keys that the protocol says must never be written to
// disk: the MTProto layer can keep those keys, with their salts and
// sessions, in a memory store beside the persistent one. Nothing survives
// Close or a restart.
package memory
