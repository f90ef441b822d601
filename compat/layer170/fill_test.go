package layer170_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tdp"
)

// gotdFiller makes gotd/td v0.93.0 objects with random field values by
// reflection, the way tltest.Filler does for Roost's: it is the
// independent source of layer-170 bytes. (The main module's tg tests hold
// a twin for gotd v0.162.0; the two gotd versions share no types.)
type gotdFiller struct {
	rand  *rand.Rand
	ctors map[uint32]func() bin.Object
	// maxDepth bounds nesting: deeper interfaces take their simplest
	// constructor and deeper vectors are empty.
	maxDepth int
	// skip is the chance (0..1) that an optional field is left unset.
	skip float64
	// avoid lists constructors never chosen for an interface field: gotd's
	// built-ins and the layer's definitions Roost no longer has.
	avoid map[uint32]bool

	types    []reflect.Type // every constructor (pointer type), by id
	impls    map[reflect.Type][]reflect.Type
	optional map[reflect.Type]map[string]int
}

var (
	gotdFieldsType = reflect.TypeFor[bin.Fields]()
	gotdObjectType = reflect.TypeFor[bin.Object]()
)

func newGotdFiller(seed uint64, ctors map[uint32]func() bin.Object, avoid map[uint32]bool) *gotdFiller {
	f := &gotdFiller{
		avoid:    avoid,
		rand:     rand.New(rand.NewPCG(seed, 170)),
		ctors:    ctors,
		maxDepth: 3,
		skip:     0.3,
		impls:    map[reflect.Type][]reflect.Type{},
		optional: map[reflect.Type]map[string]int{},
	}
	ids := make([]uint32, 0, len(ctors))
	for id := range ctors {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		f.types = append(f.types, reflect.TypeOf(ctors[id]()))
	}
	return f
}

// New returns a filled object of constructor id.
func (f *gotdFiller) New(id uint32) bin.Object {
	o := f.ctors[id]()
	f.fill(reflect.ValueOf(o).Elem(), 0)
	return o
}

// implementations lists the constructors implementing interface it,
// those with the fewest fields first.
func (f *gotdFiller) implementations(it reflect.Type) []reflect.Type {
	if v, ok := f.impls[it]; ok {
		return v
	}
	var out []reflect.Type
	for _, t := range f.types {
		id := reflect.New(t.Elem()).Interface().(typeIDer).TypeID()
		if f.avoid[id] {
			continue
		}
		if it == gotdObjectType && strings.HasSuffix(t.Elem().Name(), "Request") {
			continue // a generic !X field (invokeWithLayer's query)
		}
		if t.Implements(it) {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Elem().NumField() < out[j].Elem().NumField() })
	f.impls[it] = out
	return out
}

// optionalFields maps the Go names of the conditional fields of struct
// type t to the flag bit that guards them (word index*32 + bit). gotd
// reports a conditional field as Null while its flag is clear, so setting
// one bit at a time names the fields behind it; fields that share a bit
// must be set or left out together.
func (f *gotdFiller) optionalFields(t reflect.Type) map[string]int {
	if m, ok := f.optional[t]; ok {
		return m
	}
	m := map[string]int{}
	if _, ok := reflect.New(t).Interface().(tdp.Object); ok {
		word := 0
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).Type != gotdFieldsType {
				continue
			}
			for bit := range 32 {
				v := reflect.New(t)
				v.Elem().Field(i).SetUint(1 << bit)
				for _, fi := range v.Interface().(tdp.Object).TypeInfo().Fields {
					if !fi.Null {
						if _, seen := m[fi.Name]; !seen && isOptional(t, fi.Name) {
							m[fi.Name] = word*32 + bit
						}
					}
				}
			}
			word++
		}
	}
	f.optional[t] = m
	return m
}

// isOptional reports whether field name of t is Null in a zero object.
func isOptional(t reflect.Type, name string) bool {
	for _, fi := range reflect.New(t).Interface().(tdp.Object).TypeInfo().Fields {
		if fi.Name == name {
			return fi.Null
		}
	}
	return false
}

func (f *gotdFiller) fill(v reflect.Value, depth int) {
	if depth > 64 {
		panic(fmt.Sprintf("gotd filler: %s nests without end", v.Type()))
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == gotdFieldsType {
			return
		}
		opt := f.optionalFields(v.Type())
		skipped := map[int]bool{}
		for _, bit := range opt {
			if _, ok := skipped[bit]; !ok {
				skipped[bit] = f.rand.Float64() < f.skip
			}
		}
		for i := 0; i < v.NumField(); i++ {
			sf := v.Type().Field(i)
			if !sf.IsExported() || sf.Type == gotdFieldsType {
				continue
			}
			if bit, ok := opt[sf.Name]; ok && skipped[bit] {
				continue
			}
			f.fill(v.Field(i), depth+1)
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			v.Index(i).SetUint(uint64(f.rand.UintN(256)))
		}
	case reflect.Bool:
		v.SetBool(f.rand.IntN(2) == 0)
	case reflect.Int, reflect.Int32:
		v.SetInt(int64(f.rand.Int32()) - 1<<30)
	case reflect.Int64:
		v.SetInt(f.rand.Int64() - 1<<62)
	case reflect.Uint32:
		v.SetUint(uint64(f.rand.Uint32()))
	case reflect.Float64:
		v.SetFloat(f.rand.NormFloat64())
	case reflect.String:
		v.SetString(string(randomBytes(f.rand)))
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			v.SetBytes(randomBytes(f.rand))
			return
		}
		n := 1 + f.rand.IntN(3)
		if depth > f.maxDepth {
			n = 0
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := 0; i < n; i++ {
			f.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Interface:
		impls := f.implementations(v.Type())
		if len(impls) == 0 {
			panic(fmt.Sprintf("gotd filler: no constructor implements %s", v.Type()))
		}
		t := impls[0]
		if depth <= f.maxDepth {
			t = impls[f.rand.IntN(len(impls))]
		}
		p := reflect.New(t.Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	default:
		panic(fmt.Sprintf("gotd filler: unhandled kind %s (%s)", v.Kind(), v.Type()))
	}
}

// randomBytes returns a short random string, sometimes one long enough
// for the 4-byte length form (254 bytes and more).
func randomBytes(r *rand.Rand) []byte {
	n := r.IntN(12)
	switch r.IntN(10) {
	case 0:
		n = 250 + r.IntN(300)
	case 1:
		n = 253 + r.IntN(3) // either side of the 1-byte/4-byte boundary
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

// gotdEncode writes o boxed with gotd.
func gotdEncode(o bin.Object) ([]byte, error) {
	var b bin.Buffer
	if err := o.Encode(&b); err != nil {
		return nil, err
	}
	return b.Raw(), nil
}

// gotdDecode reads one boxed object with gotd's constructor map and
// requires that it consumes the input.
func gotdDecode(ctors map[uint32]func() bin.Object, data []byte) (bin.Object, error) {
	b := &bin.Buffer{Buf: data}
	id, err := b.PeekID()
	if err != nil {
		return nil, err
	}
	mk, ok := ctors[id]
	if !ok {
		return nil, fmt.Errorf("gotd: unknown constructor %#08x", id)
	}
	o := withGeneric(mk())
	if err := o.Decode(b); err != nil {
		return nil, err
	}
	if b.Len() != 0 {
		return nil, fmt.Errorf("gotd: %d bytes left", b.Len())
	}
	return o, nil
}

// gotdAny stands in for gotd's generic !X fields (invokeWithLayer's
// query), which gotd decodes only into an object set beforehand: it reads
// whatever constructor comes next.
type gotdAny struct {
	ctors map[uint32]func() bin.Object
	obj   bin.Object
}

func (a *gotdAny) Decode(b *bin.Buffer) error {
	id, err := b.PeekID()
	if err != nil {
		return err
	}
	mk, ok := a.ctors[id]
	if !ok {
		return fmt.Errorf("gotd: unknown constructor %#08x", id)
	}
	a.obj = withGeneric(mk())
	return a.obj.Decode(b)
}

func (a *gotdAny) Encode(b *bin.Buffer) error { return a.obj.Encode(b) }

// withGeneric sets every nil generic field of o to a gotdAny.
func withGeneric(o bin.Object) bin.Object {
	v := reflect.ValueOf(o).Elem()
	for i := 0; i < v.NumField(); i++ {
		if fv := v.Field(i); fv.Type() == gotdObjectType && fv.IsNil() {
			fv.Set(reflect.ValueOf(&gotdAny{ctors: gotdMap()}))
		}
	}
	return o
}

type typeIDer interface{ TypeID() uint32 }
