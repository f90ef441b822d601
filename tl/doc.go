// Package tl is the runtime of the TL binary encoding that MTProto speaks:
// the primitives (int, long, double, int128, int256, string, bytes, Bool),
// boxed and bare objects, vectors, flag words and gzip_packed.
//
// Generated packages (tg, mt, secret) describe each constructor as a Go type
// implementing Object; this package encodes and decodes them. Encoder and
// Decoder keep a sticky error, so generated code is a flat list of calls and
// checks the error once at the end.
//
// Decoding is defensive: a length prefix never makes the decoder allocate
// more than the bytes actually present, nesting depth is bounded, and an
// unknown constructor id is reported as *UnknownConstructorError.
//
// Both directions accept a Layer: an adapter that writes canonical objects in
// an older API layer's constructors and reads an older layer's constructors
// into canonical objects (see package layers).
package tl
