package tg_test

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gotd/td/bin"
	gotd "github.com/gotd/td/tg"

	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
	"github.com/roostchat/roost/tl/tltest"
)

// These tests hold Roost's generated layer against gotd/td v0.162.0, an
// independent implementation of the same layer (229): every constructor
// and function both know must read and write the same bytes and the same
// values in both directions.

var gotdMap = sync.OnceValue(gotd.TypesConstructorMap)

// gotdWritesBare lists constructors whose bytes gotd v0.162.0 gets wrong:
// for accessPointRule's ips:vector<IpPort> it writes the IpPort elements
// without their constructor ids, while it reads them (rightly) boxed. The
// field is a bare vector of a boxed type (capital IpPort), so Roost writes
// the ids; for these gotd can read Roost's bytes but not write its own.
var gotdWritesBare = map[string]bool{
	"accessPointRule":   true,
	"help.configSimple": true,
}

// commonIDs returns the ids both packages know, ascending.
func commonIDs() []uint32 {
	var ids []uint32
	for _, ti := range tg.Types {
		if _, ok := gotdMap()[ti.ID]; ok {
			ids = append(ids, ti.ID)
		}
	}
	return ids
}

func TestGotdSchema(t *testing.T) {
	if gotd.Layer != 229 {
		t.Fatalf("gotd layer %d, want 229", gotd.Layer)
	}
	names := gotd.TypesMap()
	var onlyGotd, onlyRoost []string
	for id, name := range names {
		if _, ok := tg.Types.Lookup(id); !ok {
			onlyGotd = append(onlyGotd, name)
		}
	}
	for _, ti := range tg.Types {
		name, ok := names[ti.ID]
		if !ok {
			onlyRoost = append(onlyRoost, ti.Name)
			continue
		}
		if got, _, _ := strings.Cut(name, "#"); got != ti.Name {
			t.Errorf("%#08x: Roost calls it %s, gotd %s", ti.ID, ti.Name, got)
		}
	}
	sort.Strings(onlyGotd)
	sort.Strings(onlyRoost)
	common := len(commonIDs())
	t.Logf("common %d, only gotd %d %v, only Roost %d %v", common, len(onlyGotd), onlyGotd, len(onlyRoost), onlyRoost)
	// gotd's map also holds what Roost's runtime handles itself (Bool,
	// true) and the primitives' names; every definition of Roost's layer
	// 229 must be gotd's too, under the same id and name.
	if len(onlyRoost) > 0 || common != len(tg.Types) {
		t.Errorf("Roost has %d definitions gotd's layer 229 lacks", len(onlyRoost))
	}
	for _, name := range onlyGotd {
		switch n, _, _ := strings.Cut(name, "#"); n {
		case "boolFalse", "boolTrue", "true", "int", "long", "double", "string", "bytes":
		default:
			t.Errorf("gotd has %s, Roost does not", name)
		}
	}
}

// TestGotdToRoost fills gotd objects, encodes them with gotd, and requires
// Roost to read them into the same values and write the same bytes back;
// gotd must then read Roost's bytes and write them again unchanged.
func TestGotdToRoost(t *testing.T) {
	rounds := 20
	if testing.Short() {
		rounds = 1
	}
	f := newGotdFiller(1, gotdMap())
	ok := 0
	for _, id := range commonIDs() {
		name := tg.Types.Name(id)
		if gotdWritesBare[name] {
			continue
		}
		if err := gotdToRoost(f, id, rounds); err != "" {
			t.Errorf("%s: %s", name, err)
			continue
		}
		ok++
	}
	t.Logf("%d constructors and functions checked gotd→Roost→gotd, %d rounds each (skipped, gotd bug: %d)", ok, rounds, len(gotdWritesBare))
}

func gotdToRoost(f *gotdFiller, id uint32, rounds int) string {
	for range rounds {
		g := f.New(id)
		b1, err := gotdEncode(g)
		if err != nil {
			return "gotd encode: " + err.Error()
		}
		d := tl.NewDecoder(b1, tg.New)
		o := d.Object()
		if err := d.Err(); err != nil {
			return "Roost decode: " + err.Error()
		}
		if d.Len() != 0 {
			return "Roost left bytes unread"
		}
		b2, err := tl.Encode(o)
		if err != nil {
			return "Roost encode: " + err.Error()
		}
		if !bytes.Equal(b1, b2) {
			return "Roost re-encoded different bytes:\ngotd  " + hexs(b1) + "\nRoost " + hexs(b2)
		}
		g2, err := gotdDecode(gotdMap(), b2)
		if err != nil {
			return "gotd decode of Roost bytes: " + err.Error()
		}
		if diff := crossDiff(o, g2, true); diff != "" {
			return "values differ at " + diff
		}
		b3, err := gotdEncode(g2)
		if err != nil {
			return "gotd re-encode: " + err.Error()
		}
		if !bytes.Equal(b2, b3) {
			return "gotd re-encoded Roost's bytes differently"
		}
	}
	return ""
}

// TestRoostToGotd fills Roost objects, encodes them with Roost, and
// requires gotd to read them and write the same bytes back, with the
// values Roost reads from the same bytes.
func TestRoostToGotd(t *testing.T) {
	rounds := 20
	if testing.Short() {
		rounds = 1
	}
	f := &tltest.Filler{Rand: rand.New(rand.NewPCG(3, 4)), Types: tg.Types, New: tg.New, MaxDepth: 3}
	ok := 0
	for _, id := range commonIDs() {
		if err := roostToGotd(f, id, rounds); err != "" {
			t.Errorf("%s: %s", tg.Types.Name(id), err)
			continue
		}
		ok++
	}
	t.Logf("%d constructors and functions checked Roost→gotd→Roost, %d rounds each", ok, rounds)
}

func roostToGotd(f *tltest.Filler, id uint32, rounds int) string {
	for range rounds {
		o := tg.New(id)
		f.Fill(o)
		sameBytes := !holds(reflect.ValueOf(o), gotdWritesBare)
		b1, err := tl.Encode(o)
		if err != nil {
			return "Roost encode: " + err.Error()
		}
		g, err := gotdDecode(gotdMap(), b1)
		if err != nil {
			return "gotd decode: " + err.Error() + "\n" + hexs(b1)
		}
		b2, err := gotdEncode(g)
		if err != nil {
			return "gotd encode: " + err.Error()
		}
		if sameBytes && !bytes.Equal(b1, b2) {
			return "gotd re-encoded different bytes:\nRoost " + hexs(b1) + "\ngotd  " + hexs(b2)
		}
		back, err := tl.Decode(b1, tg.New)
		if err != nil {
			return "Roost decode: " + err.Error()
		}
		if diff := crossDiff(back, g, true); diff != "" {
			return "values differ at " + diff
		}
	}
	return ""
}

// holds reports whether the Roost value v has a constructor named in
// names anywhere inside.
func holds(v reflect.Value, names map[string]bool) bool {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return false
		}
		if o, ok := v.Interface().(tl.Object); ok && names[tg.Types.Name(o.TypeID())] {
			return true
		}
		return holds(v.Elem(), names)
	case reflect.Struct:
		if v.CanAddr() {
			if o, ok := v.Addr().Interface().(tl.Object); ok && names[tg.Types.Name(o.TypeID())] {
				return true
			}
		}
		for i := 0; i < v.NumField(); i++ {
			if holds(v.Field(i), names) {
				return true
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if holds(v.Index(i), names) {
				return true
			}
		}
	}
	return false
}

// hexs shortens long dumps in failure messages.
func hexs(b []byte) string {
	const max = 512
	s := hex.EncodeToString(b)
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

// TestGotdFillerCoversOptional guards the filler: with skip 0 every
// conditional field is set, so gotd's flags come out non-zero for user.
func TestGotdFillerCoversOptional(t *testing.T) {
	f := newGotdFiller(9, gotdMap())
	f.skip = 0
	u := f.New(gotd.UserTypeID).(*gotd.User)
	if _, err := gotdEncode(u); err != nil {
		t.Fatal(err)
	}
	if u.Flags == 0 || u.Flags2 == 0 || u.AccessHash == 0 || u.Photo == nil {
		t.Fatalf("filler left user fields empty: %+v", u)
	}
	var _ bin.Object = u
}
