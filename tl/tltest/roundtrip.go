package tltest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/roostchat/roost/tl"
)

// RoundTripAll encodes every constructor and function of a package with
// random values, decodes it back, and checks that the value and the bytes
// are the same.
func RoundTripAll(t *testing.T, types tl.Types, r tl.Registry, rounds int) {
	t.Helper()
	f := &Filler{Rand: rand.New(rand.NewPCG(1, 2)), Types: types, New: r, MaxDepth: 3}
	for _, ti := range types {
		for n := 0; n < rounds; n++ {
			o := r(ti.ID)
			f.Fill(o)
			if err := RoundTrip(o, r, nil); err != nil {
				t.Errorf("%s: %v", ti.Name, err)
				break
			}
		}
	}
}

// RoundTrip checks one object through encode, decode and encode again,
// optionally in layer l.
func RoundTrip(o tl.Object, r tl.Registry, l tl.Layer) error {
	b1, err := tl.EncodeLayer(o, l)
	if err != nil {
		return err
	}
	d := tl.NewDecoder(b1, r)
	d.Layer = l
	back := d.Object()
	if err := d.Err(); err != nil {
		return err
	}
	if d.Len() != 0 {
		return fmt.Errorf("%d bytes left after decoding", d.Len())
	}
	b2, err := tl.EncodeLayer(back, l)
	if err != nil {
		return err
	}
	if !bytes.Equal(b1, b2) {
		return fmt.Errorf("re-encoded bytes differ:\n%x\n%x", b1, b2)
	}
	if l == nil {
		if path := Diff(o, back); path != "" {
			return fmt.Errorf("decoded value differs at %s", path)
		}
	}
	return nil
}

// Diff compares TL values, treating nil and empty slices alike and
// ignoring stored flag words (which encoding derives from the fields). It
// returns the path of the first difference, or "" when they are equal.
func Diff(a, b any) string {
	var path string
	if !equal(reflect.ValueOf(a), reflect.ValueOf(b), &path) {
		if path == "" {
			path = "."
		}
		return path
	}
	return ""
}

func equal(a, b reflect.Value, path *string) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		*path = fmt.Sprintf(" (%s vs %s)", a.Type(), b.Type())
		return false
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equal(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		if a.Type() == flagsType {
			return true
		}
		for i := 0; i < a.NumField(); i++ {
			if a.Type().Field(i).Type == flagsType {
				continue
			}
			if !equal(a.Field(i), b.Field(i), path) {
				*path = "." + a.Type().Field(i).Name + *path
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			*path = fmt.Sprintf(" (len %d vs %d)", a.Len(), b.Len())
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equal(a.Index(i), b.Index(i), path) {
				*path = fmt.Sprintf("[%d]%s", i, *path)
				return false
			}
		}
		return true
	case reflect.Bool:
		// A true flag that shares its bit with a present field reads back
		// as set (user.bot with bot_info_version): the wire cannot say
		// otherwise.
		if !a.Bool() && b.Bool() {
			return true
		}
		if a.Bool() != b.Bool() {
			*path = fmt.Sprintf(" (%v vs %v)", a, b)
			return false
		}
		return true
	case reflect.Float64:
		return a.Float() == b.Float() || a.Float() != a.Float() && b.Float() != b.Float()
	default:
		if !a.Equal(b) {
			*path = fmt.Sprintf(" (%v vs %v)", a, b)
			return false
		}
		return true
	}
}
