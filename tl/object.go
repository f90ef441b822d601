package tl

import "fmt"

// Object is a TL constructor or function: something with a constructor id
// that can be written and read without that id (bare).
type Object interface {
	// TypeID is the constructor id written before a boxed value.
	TypeID() uint32
	// EncodeBare writes the fields, without the constructor id.
	EncodeBare(e *Encoder)
	// DecodeBare reads the fields, without the constructor id.
	DecodeBare(d *Decoder)
}

// Registry makes an empty object for a constructor id, or nil when the id
// is unknown to it. Generated packages provide one (tg.New, mt.New).
type Registry func(id uint32) Object

// Chain returns a Registry that asks each of rs in turn.
func Chain(rs ...Registry) Registry {
	return func(id uint32) Object {
		for _, r := range rs {
			if o := r(id); o != nil {
				return o
			}
		}
		return nil
	}
}

// Layer translates between canonical objects and an older API layer.
// A nil Layer means canonical.
type Layer interface {
	// EncodeObject writes o boxed in the layer's form and reports true,
	// or reports false when the canonical form is the layer's form.
	EncodeObject(e *Encoder, o Object) bool
	// Decoder returns a function that reads the bare fields of the layer's
	// constructor id into a canonical object, or nil when the id is
	// read as canonical.
	Decoder(id uint32) func(d *Decoder) Object
}

// Int128 is the TL int128: 16 bytes as they are on the wire.
type Int128 [16]byte

// Int256 is the TL int256: 32 bytes as they are on the wire.
type Int256 [32]byte

// Flags is a TL flags word (#). Generated encoders derive the bits of
// optional fields from the fields themselves; bits kept here survive a
// decode/encode round trip and let a zero value be sent as present.
type Flags uint32

// Has reports whether bit n is set.
func (f Flags) Has(n uint) bool { return f&(1<<n) != 0 }

// Set sets bit n.
func (f *Flags) Set(n uint) { *f |= 1 << n }

// Clear clears bit n.
func (f *Flags) Clear(n uint) { *f &^= 1 << n }

// Constructor ids of the built-in types.
const (
	VectorID     = 0x1cb5c415
	BoolTrueID   = 0x997275b5
	BoolFalseID  = 0xbc799737
	GzipPackedID = 0x3072cfa1
	TrueID       = 0x3fedd339
)

// Bool is the boxed TL Bool as an Object, for use as an RPC result.
type Bool bool

// TypeID returns boolTrue or boolFalse.
func (b Bool) TypeID() uint32 {
	if b {
		return BoolTrueID
	}
	return BoolFalseID
}

// EncodeBare writes nothing: the constructor id is the value.
func (b Bool) EncodeBare(*Encoder) {}

// DecodeBare is not supported: Bool is read with Decoder.Bool.
func (b Bool) DecodeBare(d *Decoder) { d.Fail(errRawDecode) }

// Put sets bit n when on and clears it otherwise.
func (f Flags) Put(n uint, on bool) Flags {
	if on {
		return f | 1<<n
	}
	return f &^ (1 << n)
}

// TypeInfo names a constructor or function.
type TypeInfo struct {
	ID       uint32
	Name     string
	Function bool
}

// Types is a table of TypeInfo sorted by id.
type Types []TypeInfo

// Lookup returns the entry for id.
func (t Types) Lookup(id uint32) (TypeInfo, bool) {
	lo, hi := 0, len(t)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t[m].ID < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(t) && t[lo].ID == id {
		return t[lo], true
	}
	return TypeInfo{}, false
}

// Name returns the TL name of id, or its hexadecimal form when unknown.
func (t Types) Name(id uint32) string {
	if i, ok := t.Lookup(id); ok {
		return i.Name
	}
	return fmt.Sprintf("%#08x", id)
}

// Dropped stands for a value of an older API layer that has no canonical
// form (a constructor the newest layer removed). Reading it consumes its
// bytes, so a layer adapter can skip it where the canonical layer has no
// field for it; it cannot be written.
type Dropped struct {
	ID uint32
}

// TypeID returns the older layer's constructor id.
func (d *Dropped) TypeID() uint32 { return d.ID }

// EncodeBare fails: a dropped value has nothing to write.
func (d *Dropped) EncodeBare(e *Encoder) {
	e.Fail(&UnexpectedConstructorError{ID: d.ID, Want: "a canonical constructor"})
}

// DecodeBare reads nothing: the adapter that made it read the fields.
func (d *Dropped) DecodeBare(*Decoder) {}
