// Package layer170 holds no code: its tests hold Roost's layer-170
// adapter (package layers) against gotd/td v0.93.0, a client library of
// API layer 170. It is a module of its own so that the main module keeps
// a single, current gotd as its test dependency.
package layer170
