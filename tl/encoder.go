package tl

import (
	"encoding/binary"
	"math"
)

// Encoder appends TL values to a byte slice. The zero value is ready to use
// and encodes canonical objects; set Layer to write an older layer.
//
// The first failure (a nil required object) is kept in Err and later writes
// are still appended but the result must be discarded.
type Encoder struct {
	buf   []byte
	err   error
	Layer Layer
}

// NewEncoder returns an Encoder that appends to buf[:0].
func NewEncoder(buf []byte) *Encoder { return &Encoder{buf: buf[:0]} }

// Bytes returns what was written so far.
func (e *Encoder) Bytes() []byte { return e.buf }

// Reset empties the buffer and the error, keeping the capacity and layer.
func (e *Encoder) Reset() { e.buf, e.err = e.buf[:0], nil }

// Err returns the first error met while encoding.
func (e *Encoder) Err() error { return e.err }

// Fail records err unless an earlier error is kept.
func (e *Encoder) Fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// Uint32 writes a 32-bit little-endian word (constructor ids, flags).
func (e *Encoder) Uint32(v uint32) { e.buf = binary.LittleEndian.AppendUint32(e.buf, v) }

// Int writes a TL int.
func (e *Encoder) Int(v int32) { e.Uint32(uint32(v)) }

// Long writes a TL long.
func (e *Encoder) Long(v int64) { e.buf = binary.LittleEndian.AppendUint64(e.buf, uint64(v)) }

// Double writes a TL double.
func (e *Encoder) Double(v float64) {
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v))
}

// Int128 writes 16 raw bytes.
func (e *Encoder) Int128(v Int128) { e.buf = append(e.buf, v[:]...) }

// Int256 writes 32 raw bytes.
func (e *Encoder) Int256(v Int256) { e.buf = append(e.buf, v[:]...) }

// Bool writes boolTrue or boolFalse.
func (e *Encoder) Bool(v bool) {
	if v {
		e.Uint32(BoolTrueID)
	} else {
		e.Uint32(BoolFalseID)
	}
}

// String writes a TL string: a 1-byte length below 254, else 0xfe and a
// 3-byte length, then the bytes and zero padding to a multiple of 4.
func (e *Encoder) String(s string) {
	n := len(s)
	if n < 254 { // the common case in one append
		e.buf = append(e.buf, byte(n))
		e.buf = append(e.buf, s...)
		e.buf = append(e.buf, zeros[:(4-(1+n)%4)%4]...)
		return
	}
	e.putLen(n)
	e.buf = append(e.buf, s...)
	e.pad(n)
}

// Blob writes a TL bytes value: the same layout as String.
func (e *Encoder) Blob(b []byte) {
	n := len(b)
	e.putLen(n)
	e.buf = append(e.buf, b...)
	e.pad(n)
}

func (e *Encoder) putLen(n int) {
	if n < 254 {
		e.buf = append(e.buf, byte(n))
		return
	}
	if n > 1<<24-1 {
		e.Fail(&LengthError{What: "string", N: n})
		n = 0
	}
	e.buf = append(e.buf, 254, byte(n), byte(n>>8), byte(n>>16))
}

var zeros [4]byte

func (e *Encoder) pad(n int) {
	head := 1
	if n >= 254 {
		head = 4
	}
	e.buf = append(e.buf, zeros[:(4-(head+n)%4)%4]...)
}

// VectorHeader writes the boxed vector id and the element count.
func (e *Encoder) VectorHeader(n int) {
	e.Uint32(VectorID)
	e.Int(int32(n))
}

// Object writes o boxed: its constructor id, then its fields, in the
// encoder's layer.
func (e *Encoder) Object(o Object) {
	if o == nil {
		e.Fail(&NilError{What: "object"})
		e.Uint32(0)
		return
	}
	if e.Layer != nil && e.Layer.EncodeObject(e, o) {
		return
	}
	e.Uint32(o.TypeID())
	o.EncodeBare(e)
}

// Write appends raw bytes.
func (e *Encoder) Write(p []byte) { e.buf = append(e.buf, p...) }

// Encode writes o boxed into a new slice, canonically.
func Encode(o Object) ([]byte, error) {
	var e Encoder
	e.Object(o)
	return e.buf, e.err
}

// EncodeLayer writes o boxed into a new slice in layer l (nil: canonical).
func EncodeLayer(o Object, l Layer) ([]byte, error) {
	e := Encoder{Layer: l}
	e.Object(o)
	return e.buf, e.err
}
