// Package layers lets Roost serve every API layer it holds a schema for
// at once. For each older layer a generated adapter writes canonical (tg)
// objects in that layer's constructors and reads that layer's
// constructors into canonical objects. Only what differs from the
// canonical layer is generated: a constructor with the same id has the same
// wire form, so it needs no code. docs/layers.md counts, per layer, what is
// translated automatically, by a hand-written rule, or not at all.
package layers
