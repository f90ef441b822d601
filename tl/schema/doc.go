// Package schema parses the TL schema language of Telegram's .tl files:
// comments, the ---types--- and ---functions--- sections, namespaces,
// flag words (flags:#, flags2:#), conditional fields (flags.N?T), true
// flags, Vector<T> and bare vector<T>, %T bare types, the generic
// parameters of invokeWithLayer and friends ({X:Type} !X) and built-in
// declarations. It also computes the constructor id of a definition that
// has none written (the CRC32 of its normalised text).
package schema
