package tg_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tdp"

	"github.com/roostchat/roost/tg"
)

// gotdFiller makes gotd/td objects with random field values by
// reflection, the way tltest.Filler does for Roost's: it is the
// independent source of wire bytes in the cross-checks.
type gotdFiller struct {
	rand  *rand.Rand
	ctors map[uint32]func() bin.Object
	// maxDepth bounds nesting: deeper interfaces take their simplest
	// constructor and deeper vectors are empty.
	maxDepth int
	// skip is the chance (0..1) that an optional field is left unset.
	skip float64

	types    []reflect.Type // every constructor (pointer type), by id
	impls    map[reflect.Type][]reflect.Type
	optional map[reflect.Type]map[string]int
}

var (
	gotdFieldsType = reflect.TypeFor[bin.Fields]()
	gotdObjectType = reflect.TypeFor[bin.Object]()
)

func newGotdFiller(seed uint64, ctors map[uint32]func() bin.Object) *gotdFiller {
	f := &gotdFiller{
		rand:     rand.New(rand.NewPCG(seed, 229)),
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
		if it == gotdObjectType {
			// A generic !X field (invokeWithLayer's query): any plain
			// constructor of the layer will do, but not gotd's built-ins
			// (true, boolTrue, error, null), which no layer lists.
			// gotd's writes of gotdWritesBare are wrong, so those are
			// not chosen either.
			id := reflect.New(t.Elem()).Interface().(typeIDer).TypeID()
			if ti, ok := tg.Types.Lookup(id); !ok || gotdWritesBare[ti.Name] || strings.HasSuffix(t.Elem().Name(), "Request") {
				continue
			}
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

// crossDiff compares a Roost value with a gotd value field by field,
// matching fields by name without case (Roost's TtlPeriod is gotd's
// TTLPeriod). Flag words are compared only when flags is set: values
// decoded from the same bytes carry the same words, built ones need not.
// A nil Roost pointer equals gotd's zero struct (gotd keeps optional
// single-constructor fields by value). It returns the path of the first
// difference, or "".
func crossDiff(roost, gotd any, flags bool) string {
	return crossValue(reflect.ValueOf(roost), reflect.ValueOf(gotd), flags)
}

// gotdNames maps Roost field names (lower case) to gotd's where they
// differ by more than case.
var gotdNames = map[string]string{
	"tcpoonly": "tcpobfuscatedonly",
}

type typeIDer interface{ TypeID() uint32 }

func crossValue(r, g reflect.Value, flags bool) string {
	if r.Kind() == reflect.Interface {
		if r.IsNil() {
			if g.Kind() == reflect.Interface && !g.IsNil() {
				return ": nil vs " + g.Elem().Type().String()
			}
			return ""
		}
		r = r.Elem()
	}
	if g.Kind() == reflect.Interface {
		if g.IsNil() {
			return ": " + r.Type().String() + " vs nil"
		}
		g = g.Elem()
	}
	if a, ok := g.Interface().(*gotdAny); ok {
		g = reflect.ValueOf(a.obj)
	}
	if r.Kind() == reflect.Pointer && g.Kind() == reflect.Pointer {
		if ri, ok := r.Interface().(typeIDer); ok {
			gi, ok := g.Interface().(typeIDer)
			if !ok || (!r.IsNil() && !g.IsNil() && ri.TypeID() != gi.TypeID()) {
				return fmt.Sprintf(": %s vs %s", r.Type(), g.Type())
			}
		}
		if r.IsNil() || g.IsNil() {
			if r.IsNil() != g.IsNil() {
				return ": nil pointer on one side"
			}
			return ""
		}
		return crossValue(r.Elem(), g.Elem(), flags)
	}
	if r.Kind() == reflect.Pointer {
		if r.IsNil() {
			if !g.IsZero() {
				return ": nil vs non-zero " + g.Type().String()
			}
			return ""
		}
		r = r.Elem()
	}
	switch r.Kind() {
	case reflect.Struct:
		if g.Kind() != reflect.Struct {
			return fmt.Sprintf(": struct %s vs %s", r.Type(), g.Type())
		}
		gf := map[string]reflect.Value{}
		for i := 0; i < g.NumField(); i++ {
			if g.Type().Field(i).IsExported() {
				gf[strings.ToLower(g.Type().Field(i).Name)] = g.Field(i)
			}
		}
		for i := 0; i < r.NumField(); i++ {
			name := r.Type().Field(i).Name
			key := strings.ToLower(name)
			if alias, ok := gotdNames[key]; ok {
				key = alias
			}
			gv, ok := gf[key]
			if !ok {
				return fmt.Sprintf(".%s: no such field in %s", name, g.Type())
			}
			if r.Field(i).Kind() == reflect.Uint32 && !flags && strings.HasPrefix(name, "Flags") {
				continue
			}
			if d := crossValue(r.Field(i), gv, flags); d != "" {
				return "." + name + d
			}
		}
		return ""
	case reflect.Slice:
		if g.Kind() != reflect.Slice {
			return fmt.Sprintf(": slice vs %s", g.Type())
		}
		if r.Len() != g.Len() {
			return fmt.Sprintf(": len %d vs %d", r.Len(), g.Len())
		}
		if r.Type().Elem().Kind() == reflect.Uint8 {
			if string(r.Bytes()) != string(g.Bytes()) {
				return ": bytes differ"
			}
			return ""
		}
		for i := 0; i < r.Len(); i++ {
			if d := crossValue(r.Index(i), g.Index(i), flags); d != "" {
				return fmt.Sprintf("[%d]%s", i, d)
			}
		}
		return ""
	case reflect.Array:
		if g.Kind() != reflect.Array || r.Len() != g.Len() {
			return fmt.Sprintf(": %s vs %s", r.Type(), g.Type())
		}
		for i := 0; i < r.Len(); i++ {
			if r.Index(i).Uint() != g.Index(i).Uint() {
				return ": arrays differ"
			}
		}
		return ""
	}
	switch r.Kind() {
	case reflect.Int32, reflect.Int64:
		if g.Kind() != reflect.Int && g.Kind() != reflect.Int32 && g.Kind() != reflect.Int64 || r.Int() != g.Int() {
			return fmt.Sprintf(": %v vs %v", r, g)
		}
	case reflect.Uint32:
		if g.Kind() != reflect.Uint32 || r.Uint() != g.Uint() {
			return fmt.Sprintf(": %v vs %v", r, g)
		}
	case reflect.Bool:
		if g.Kind() != reflect.Bool || r.Bool() != g.Bool() {
			return fmt.Sprintf(": %v vs %v", r, g)
		}
	case reflect.String:
		if g.Kind() != reflect.String || r.String() != g.String() {
			return ": strings differ"
		}
	case reflect.Float64:
		a, b := r.Float(), g.Float()
		if g.Kind() != reflect.Float64 || a != b && !(a != a && b != b) {
			return fmt.Sprintf(": %v vs %v", a, b)
		}
	default:
		return fmt.Sprintf(": unhandled %s vs %s", r.Type(), g.Type())
	}
	return ""
}
