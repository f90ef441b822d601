package tl

import (
	"encoding/binary"
	"math"
)

// MaxDepth bounds how deeply objects may nest in one decode.
const MaxDepth = 64

// Decoder reads TL values from a byte slice. It keeps the first error and
// returns zero values after it, so callers check Err once.
//
// Decoded strings share one copy of the input (one allocation per decode,
// not one per string) and decoded bytes alias the input: the caller must not
// modify the input while decoded values are in use.
type Decoder struct {
	buf   []byte
	off   int
	err   error
	arena string
	depth int
	// unpacked counts the bytes gzip_packed values inflated in this
	// decode, nested and sibling ones together, against MaxUnpacked.
	unpacked int

	// Types makes the object for a constructor id read by Object.
	Types Registry
	// Layer, when set, reads an older layer's constructors.
	Layer Layer
}

// NewDecoder returns a Decoder over buf using registry r.
func NewDecoder(buf []byte, r Registry) *Decoder { return &Decoder{buf: buf, Types: r} }

// Reset points d at a new input, keeping its registry and layer.
func (d *Decoder) Reset(buf []byte) {
	d.buf, d.off, d.err, d.arena, d.depth, d.unpacked = buf, 0, nil, "", 0, 0
}

// Err returns the first error met while decoding.
func (d *Decoder) Err() error { return d.err }

// Fail records err unless an earlier error is kept.
func (d *Decoder) Fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// Len returns the number of unread bytes.
func (d *Decoder) Len() int { return len(d.buf) - d.off }

// Rest returns the unread bytes without consuming them.
func (d *Decoder) Rest() []byte { return d.buf[d.off:] }

func (d *Decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.buf)-d.off {
		d.Fail(ErrUnexpectedEOF)
		return nil
	}
	p := d.buf[d.off : d.off+n : d.off+n]
	d.off += n
	return p
}

// Uint32 reads a 32-bit little-endian word.
func (d *Decoder) Uint32() uint32 {
	p := d.take(4)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(p)
}

// PeekID returns the next constructor id without consuming it.
func (d *Decoder) PeekID() uint32 {
	if d.err != nil || d.Len() < 4 {
		return 0
	}
	return binary.LittleEndian.Uint32(d.buf[d.off:])
}

// Int reads a TL int.
func (d *Decoder) Int() int32 { return int32(d.Uint32()) }

// Long reads a TL long.
func (d *Decoder) Long() int64 {
	p := d.take(8)
	if p == nil {
		return 0
	}
	return int64(binary.LittleEndian.Uint64(p))
}

// Double reads a TL double.
func (d *Decoder) Double() float64 {
	p := d.take(8)
	if p == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(p))
}

// Int128 reads 16 raw bytes.
func (d *Decoder) Int128() (v Int128) {
	copy(v[:], d.take(16))
	return v
}

// Int256 reads 32 raw bytes.
func (d *Decoder) Int256() (v Int256) {
	copy(v[:], d.take(32))
	return v
}

// Bool reads boolTrue or boolFalse; any other id is an error.
func (d *Decoder) Bool() bool {
	switch id := d.Uint32(); id {
	case BoolTrueID:
		return true
	case BoolFalseID:
		return false
	default:
		if d.err == nil {
			d.Fail(&UnexpectedConstructorError{ID: id, Want: "Bool"})
		}
		return false
	}
}

// span reads a string/bytes header and returns the offset and length of
// the payload, consuming payload and padding.
func (d *Decoder) span() (int, int) {
	p := d.take(1)
	if p == nil {
		return 0, 0
	}
	n, head := int(p[0]), 1
	if n == 254 {
		q := d.take(3)
		if q == nil {
			return 0, 0
		}
		n, head = int(q[0])|int(q[1])<<8|int(q[2])<<16, 4
	} else if n == 255 {
		d.Fail(&LengthError{What: "string", N: n})
		return 0, 0
	}
	start := d.off
	total := (head + n + 3) &^ 3
	if d.take(total-head) == nil {
		return 0, 0
	}
	return start, n
}

// String reads a TL string.
func (d *Decoder) String() string {
	start, n := d.span()
	if n == 0 {
		return ""
	}
	if d.arena == "" {
		d.arena = string(d.buf)
	}
	return d.arena[start : start+n]
}

// Blob reads a TL bytes value. The result aliases the input.
func (d *Decoder) Blob() []byte {
	start, n := d.span()
	if d.err != nil {
		return nil
	}
	return d.buf[start : start+n : start+n]
}

// VectorLen reads a boxed vector header and returns the element count,
// checked against the input left given that each element takes at least
// minSize bytes.
func (d *Decoder) VectorLen(minSize int) int {
	if id := d.Uint32(); id != VectorID {
		if d.err == nil {
			d.Fail(&UnexpectedConstructorError{ID: id, Want: "Vector"})
		}
		return 0
	}
	return d.BareVectorLen(minSize)
}

// BareVectorLen reads the element count of a bare vector, checked as in
// VectorLen.
func (d *Decoder) BareVectorLen(minSize int) int {
	n := d.Int()
	if d.err != nil {
		return 0
	}
	if minSize < 1 {
		minSize = 1
	}
	if n < 0 || int(n) > d.Len()/minSize {
		d.Fail(&LengthError{What: "vector", N: int(n)})
		return 0
	}
	return int(n)
}

// Object reads a boxed object of any constructor the registry (or the
// layer) knows.
func (d *Decoder) Object() Object {
	id := d.Uint32()
	if d.err != nil {
		return nil
	}
	if d.depth >= MaxDepth {
		d.Fail(ErrTooDeep)
		return nil
	}
	d.depth++
	o := d.object(id)
	d.depth--
	if d.err != nil {
		return nil
	}
	return o
}

func (d *Decoder) object(id uint32) Object {
	if d.Layer != nil {
		if f := d.Layer.Decoder(id); f != nil {
			return f(d)
		}
	}
	var o Object
	if d.Types != nil {
		o = d.Types(id)
	}
	if o == nil {
		if id == GzipPackedID {
			return d.gzipped()
		}
		d.Fail(&UnknownConstructorError{ID: id})
		return nil
	}
	o.DecodeBare(d)
	return o
}

// Decode reads one boxed object from buf with registry r.
func Decode(buf []byte, r Registry) (Object, error) {
	d := Decoder{buf: buf, Types: r}
	o := d.Object()
	return o, d.err
}

// Uint32Of returns the little-endian word at the start of b (a
// constructor id), or 0 when b is shorter.
func Uint32Of(b []byte) uint32 {
	if len(b) < 4 {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}
