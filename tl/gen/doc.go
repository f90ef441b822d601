// Package gen turns parsed TL schemas into Go: a struct per constructor and
// function with bare encode and decode methods, an interface per abstract
// type, a registry from constructor id to type, a table of names, and a
// typed server dispatcher. It also writes the layer adapters that translate
// between an older layer and the canonical one (see layers.go).
//
// The output is gofmt'ed and depends only on its input, so a second run
// yields identical bytes.
package gen
