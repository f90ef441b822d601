package tl

import "reflect"

// As reads a boxed object and checks that it is a T (an interface of an
// abstract type, or a pointer to a constructor).
func As[T any](d *Decoder) T {
	o := d.Object()
	v, ok := o.(T)
	if !ok && d.err == nil {
		d.Fail(&UnexpectedConstructorError{ID: o.TypeID(), Want: reflect.TypeFor[T]().String()})
	}
	return v
}

// Into reads a boxed object into *v, whose constructor is the only one of
// its type. It allocates nothing for canonical input.
func Into[T any, P interface {
	*T
	Object
}](d *Decoder, v P) {
	id := d.Uint32()
	if d.err != nil {
		return
	}
	if d.Layer != nil {
		if f := d.Layer.Decoder(id); f != nil {
			d.depth++
			o := f(d)
			d.depth--
			if x, ok := o.(P); ok {
				*v = *x
			} else if d.err == nil {
				d.Fail(&UnexpectedConstructorError{ID: id, Want: reflect.TypeFor[T]().String()})
			}
			return
		}
	}
	if id != v.TypeID() {
		d.Fail(&UnexpectedConstructorError{ID: id, Want: reflect.TypeFor[T]().String()})
		return
	}
	if d.depth >= MaxDepth {
		d.Fail(ErrTooDeep)
		return
	}
	d.depth++
	v.DecodeBare(d)
	d.depth--
}

// New reads a boxed object of a single-constructor type into a new *T.
func New[T any, P interface {
	*T
	Object
}](d *Decoder) P {
	v := P(new(T))
	Into(d, v)
	return v
}

// Bare reads the fields of a constructor without its id into *v.
func Bare[T any, P interface {
	*T
	Object
}](d *Decoder, v P) {
	if d.depth >= MaxDepth {
		d.Fail(ErrTooDeep)
		return
	}
	d.depth++
	v.DecodeBare(d)
	d.depth--
}

// Vector is a boxed vector of objects as an Object, for RPC results typed
// Vector<T>.
type Vector[T Object] []T

// TypeID returns the vector constructor id.
func (Vector[T]) TypeID() uint32 { return VectorID }

// EncodeBare writes the count and each element boxed.
func (v Vector[T]) EncodeBare(e *Encoder) {
	e.Int(int32(len(v)))
	for _, x := range v {
		e.Object(x)
	}
}

// DecodeBare reads the count and each element boxed.
func (v *Vector[T]) DecodeBare(d *Decoder) {
	*v = make([]T, d.BareVectorLen(4))
	for i := range *v {
		(*v)[i] = As[T](d)
	}
}

// Longs is a boxed Vector<long> as an Object.
type Longs []int64

// TypeID returns the vector constructor id.
func (Longs) TypeID() uint32 { return VectorID }

// EncodeBare writes the count and the values.
func (v Longs) EncodeBare(e *Encoder) {
	e.Int(int32(len(v)))
	for _, x := range v {
		e.Long(x)
	}
}

// DecodeBare reads the count and the values.
func (v *Longs) DecodeBare(d *Decoder) {
	*v = make([]int64, d.BareVectorLen(8))
	for i := range *v {
		(*v)[i] = d.Long()
	}
}

// Ints is a boxed Vector<int> as an Object.
type Ints []int32

// TypeID returns the vector constructor id.
func (Ints) TypeID() uint32 { return VectorID }

// EncodeBare writes the count and the values.
func (v Ints) EncodeBare(e *Encoder) {
	e.Int(int32(len(v)))
	for _, x := range v {
		e.Int(x)
	}
}

// DecodeBare reads the count and the values.
func (v *Ints) DecodeBare(d *Decoder) {
	*v = make([]int32, d.BareVectorLen(4))
	for i := range *v {
		(*v)[i] = d.Int()
	}
}

// Values is a boxed vector of single-constructor objects held by value, as
// an Object, for RPC results typed Vector<T>.
type Values[T any, P interface {
	*T
	Object
}] []T

// TypeID returns the vector constructor id.
func (Values[T, P]) TypeID() uint32 { return VectorID }

// EncodeBare writes the count and each element boxed.
func (v Values[T, P]) EncodeBare(e *Encoder) {
	e.Int(int32(len(v)))
	for i := range v {
		e.Object(P(&v[i]))
	}
}

// DecodeBare reads the count and each element boxed.
func (v *Values[T, P]) DecodeBare(d *Decoder) {
	*v = make([]T, d.BareVectorLen(4))
	for i := range *v {
		Into[T, P](d, &(*v)[i])
	}
}
