package tltest

import (
	"math/rand/v2"
	"reflect"
	"sort"

	"github.com/roostchat/roost/tl"
)

// Filler makes objects of a registry with random field values.
type Filler struct {
	Rand  *rand.Rand
	Types tl.Types
	New   tl.Registry
	// MaxDepth bounds nesting; deeper objects take their simplest form.
	MaxDepth int

	impls map[reflect.Type][]reflect.Type
}

var (
	objectType = reflect.TypeFor[tl.Object]()
	flagsType  = reflect.TypeFor[tl.Flags]()
)

// implementations lists the constructor types (pointers) that implement
// the interface it, simplest first.
func (f *Filler) implementations(it reflect.Type) []reflect.Type {
	if f.impls == nil {
		f.impls = map[reflect.Type][]reflect.Type{}
	}
	if v, ok := f.impls[it]; ok {
		return v
	}
	var out []reflect.Type
	for _, ti := range f.Types {
		if it == objectType && ti.Function {
			// Generic !X fields hold functions; any object would do.
		} else if ti.Function {
			continue
		}
		o := f.New(ti.ID)
		if o == nil {
			continue
		}
		if t := reflect.TypeOf(o); t.Implements(it) {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Elem().NumField() < out[j].Elem().NumField() })
	f.impls[it] = out
	return out
}

// Fill sets every field of the struct behind o to random values. Every
// optional field is filled too: absent fields share flag bits with present
// ones in ways a blind filler cannot keep consistent.
func (f *Filler) Fill(o tl.Object) {
	f.fill(reflect.ValueOf(o).Elem(), 0)
}

func (f *Filler) fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == flagsType {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			fv := v.Field(i)
			if fv.Type() == flagsType {
				continue
			}
			f.fill(fv, depth+1)
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			v.Index(i).SetUint(uint64(f.Rand.UintN(256)))
		}
	case reflect.Bool:
		v.SetBool(f.Rand.IntN(2) == 0)
	case reflect.Int32:
		v.SetInt(int64(f.Rand.Int32()) - 1<<30)
	case reflect.Int64:
		v.SetInt(f.Rand.Int64() - 1<<62)
	case reflect.Float64:
		v.SetFloat(f.Rand.NormFloat64())
	case reflect.Uint32:
		v.SetUint(uint64(f.Rand.Uint32()))
	case reflect.String:
		v.SetString(string(f.bytes()))
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			v.SetBytes(f.bytes())
			return
		}
		n := 1 + f.Rand.IntN(3)
		if depth > f.MaxDepth {
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
			return
		}
		t := impls[0]
		if depth <= f.MaxDepth {
			t = impls[f.Rand.IntN(len(impls))]
		}
		p := reflect.New(t.Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	}
}

func (f *Filler) bytes() []byte {
	n := f.Rand.IntN(12)
	if f.Rand.IntN(8) == 0 {
		n = 250 + f.Rand.IntN(300) // cover the 4-byte length form
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + f.Rand.IntN(26))
	}
	return b
}
