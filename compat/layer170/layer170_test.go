package layer170_test

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gotd/td/bin"
	gotd "github.com/gotd/td/tg"

	"github.com/roostchat/roost/layers"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

const layer = 170

var (
	gotdMap = sync.OnceValue(gotd.TypesConstructorMap)
	// gotdNames maps ids to TL names ("user", not "user#…").
	gotdNames = sync.OnceValue(func() map[uint32]string {
		m := map[uint32]string{}
		for id, s := range gotd.TypesMap() {
			name, _, _ := strings.Cut(s, "#")
			m[id] = name
		}
		return m
	})
	// roostNames maps the canonical names to whether each is a function.
	roostNames = sync.OnceValue(func() map[string]bool {
		m := map[string]bool{}
		for _, ti := range tg.Types {
			m[ti.Name] = ti.Function
		}
		return m
	})
)

// builtins are what gotd puts in its map that Roost's tl runtime handles
// itself (Bool, true) or that name primitives: not part of the comparison.
var builtins = map[string]bool{
	"boolFalse": true, "boolTrue": true, "true": true,
	"int": true, "long": true, "double": true, "string": true, "bytes": true,
}

// isFunc reports whether gotd's definition id is a function: as the
// canonical layer says when it has the name, else by gotd's Go name
// (...Request; constructors such as urlAuthResultRequest exist in both).
func isFunc(id uint32) bool {
	if fn, ok := roostNames()[gotdNames()[id]]; ok {
		return fn
	}
	return strings.HasSuffix(reflect.TypeOf(gotdMap()[id]()).Elem().Name(), "Request")
}

// layerDoc is what docs/layers.md says about layer 170.
type layerDoc struct {
	sameCtors, changedCtors, goneCtors int
	sameFuncs, changedFuncs, goneFuncs int
	substituted, lackingCanon          int
	lossy                              map[string]bool // constructor and function names with a lossy field
}

func readLayerDoc(t *testing.T) layerDoc {
	t.Helper()
	b, err := os.ReadFile("../../docs/layers.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := layerDoc{lossy: map[string]bool{}}
	row := regexp.MustCompile(`(?m)^\| ` + strconv.Itoa(layer) + ` \|(.*)\|$`).FindSubmatch(b)
	if row == nil {
		t.Fatal("docs/layers.md: no row for layer 170")
	}
	// same | auto | hand | lossy | substituted | canon / gone | same | auto | hand | lossy | gone
	var n []int
	for _, cell := range strings.Split(string(row[1]), "|") {
		for _, f := range strings.Split(cell, "/") {
			v, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				t.Fatalf("docs/layers.md: cell %q", cell)
			}
			n = append(n, v)
		}
	}
	if len(n) != 12 {
		t.Fatalf("docs/layers.md: %d numbers in the layer 170 row", len(n))
	}
	doc.sameCtors, doc.changedCtors, doc.goneCtors = n[0], n[1]+n[2]+n[3], n[6]
	doc.sameFuncs, doc.changedFuncs, doc.goneFuncs = n[7], n[8]+n[9]+n[10], n[11]
	doc.substituted, doc.lackingCanon = n[4], n[5]
	lossy := regexp.MustCompile(`(?m)^- layer ` + strconv.Itoa(layer) + `: (.*)$`).FindSubmatch(b)
	if lossy == nil {
		t.Fatal("docs/layers.md: no lossy list for layer 170")
	}
	for _, f := range strings.Split(string(lossy[1]), ", ") {
		doc.lossy[f[:strings.LastIndex(f, ".")]] = true
	}
	return doc
}

// folded are the layer-170 button constructors that the canonical layer
// folded into keyboardButton or keyboardInlineButton and a type
// (tl/gen/layers_buttons.go): their names are gone, but the adapter reads
// and writes them, and docs/layers.md counts them as changed (hand).
var folded = map[string]bool{
	"keyboardButtonRequestPhone": true, "keyboardButtonRequestGeoLocation": true, "keyboardButtonRequestPoll": true,
	"keyboardButtonRequestPeer": true, "keyboardButtonSimpleWebView": true,
	"keyboardButtonUrl": true, "keyboardButtonCallback": true, "keyboardButtonSwitchInline": true,
	"keyboardButtonGame": true, "keyboardButtonBuy": true, "keyboardButtonUrlAuth": true, "inputKeyboardButtonUrlAuth": true,
	"keyboardButtonUserProfile": true, "inputKeyboardButtonUserProfile": true, "keyboardButtonWebView": true,
}

// gone lists the ids of gotd's layer-170 definitions whose name the
// canonical layer no longer has, and no fold carries. Read only.
var gone = sync.OnceValue(func() map[uint32]bool {
	m := map[uint32]bool{}
	for id, name := range gotdNames() {
		if _, ok := roostNames()[name]; !ok && !builtins[name] && !folded[name] {
			m[id] = true
		}
	}
	return m
})

func layerIDs() []uint32 {
	var ids []uint32
	for id, name := range gotdNames() {
		if !builtins[name] {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// TestSchema checks that gotd v0.93.0's layer 170 is the layer-170.tl the
// adapter was generated from: the counts of docs/layers.md follow.
func TestSchema(t *testing.T) {
	if gotd.Layer != layer {
		t.Fatalf("gotd layer %d", gotd.Layer)
	}
	doc := readLayerDoc(t)
	var got layerDoc
	for _, id := range layerIDs() {
		_, same := tg.Types.Lookup(id)
		fn := isFunc(id)
		switch {
		case same && fn:
			got.sameFuncs++
		case same:
			got.sameCtors++
		case gone()[id] && fn:
			got.goneFuncs++
		case gone()[id]:
			got.goneCtors++
		case fn:
			got.changedFuncs++
		default:
			got.changedCtors++
		}
	}
	got.lossy = doc.lossy
	got.substituted, got.lackingCanon = doc.substituted, doc.lackingCanon // TestRoostToGotd counts these
	if !reflect.DeepEqual(got, doc) {
		t.Errorf("gotd v0.93.0 counts %+v\ndocs/layers.md says %+v", got, doc)
	}
}

// containsAny reports whether the gotd value v holds a constructor named
// in names anywhere inside.
func containsAny(v reflect.Value, names map[string]bool) bool {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return false
		}
		if o, ok := v.Interface().(typeIDer); ok && v.Kind() == reflect.Pointer && names[gotdNames()[o.TypeID()]] {
			return true
		}
		return containsAny(v.Elem(), names)
	case reflect.Struct:
		if v.CanAddr() {
			if o, ok := v.Addr().Interface().(typeIDer); ok && names[gotdNames()[o.TypeID()]] {
				return true
			}
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && containsAny(v.Field(i), names) {
				return true
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if containsAny(v.Index(i), names) {
				return true
			}
		}
	}
	return false
}

// undocumentedDrops are layer-170 definitions whose round trip may change
// bytes although docs/layers.md does not list a lossy field: premium gift
// periods are months in layer 170 and days now (the adapter converts with
// 30 days a month), and the random months of this test overflow int32
// when multiplied; real periods (1 to 12 months) come back exactly.
var undocumentedDrops = map[string]bool{
	"messageActionGiftPremium": true,
	"messageActionGiftCode":    true,
	"payments.checkedGiftCode": true,
}

// nilRequired are layer-170 definitions whose canonical form has a
// required object field the layer does not carry and whose type has no
// empty constructor to stand in: read from layer 170 it stays nil, so the
// canonical object cannot be written again (tl: nil object).
// docs/layers.md lists these fields lossy (forumTopic.peer).
var nilRequired = map[string]bool{
	"forumTopic": true,
}

// unreadable are layer-170 constructors Roost cannot read from gotd's
// bytes: accessPointRule and help.configSimple are gotd's fault, it writes
// vector<IpPort> elements bare (see the tg package tests). Constructors
// the canonical layer no longer has are read as tl.Dropped, so a dropped
// field holding one (userFull.premium_gifts) no longer makes its
// container unreadable.
var unreadable = map[string]bool{
	"accessPointRule":   true,
	"help.configSimple": true,
}

// TestGotdToRoost fills every layer-170 constructor and function with
// gotd v0.93.0, reads it with Roost through layers.For(170) into canonical
// objects, requires those to be writable canonically, writes constructors
// back in layer 170 and requires gotd to read them: byte for byte the same
// unless a lossy field is inside. Definitions the canonical layer no
// longer has must fail with an unknown constructor, and be exactly those.
func TestGotdToRoost(t *testing.T) {
	rounds := 50
	if testing.Short() {
		rounds = 2
	}
	doc := readLayerDoc(t)
	lossyNames := map[string]bool{}
	for n := range doc.lossy {
		lossyNames[n] = true
	}
	for n := range undocumentedDrops {
		lossyNames[n] = true
	}
	l := layers.For(layer)
	avoid := map[uint32]bool{}
	for id, name := range gotdNames() {
		// gotd would put any button in any keyboard; Roost, like
		// Telegram, refuses a button of one kind of keyboard in the
		// other. Folded buttons are read here standing alone, and inside
		// keyboards by the tests of keyboard_test.go.
		if builtins[name] || gone()[id] || folded[name] {
			avoid[id] = true
		}
	}
	f := newGotdFiller(1, gotdMap(), avoid)
	var exactDefs, lossyRounds, unreadableRounds, funcsRead int
	failedGone := map[string]bool{}
	noCanon := map[string]string{}
	for _, id := range layerIDs() {
		name := gotdNames()[id]
		_, sameID := tg.Types.Lookup(id)
		exact := true
		for r := 0; r < rounds; r++ {
			g := f.New(id)
			b1, err := gotdEncode(g)
			if err != nil {
				t.Fatalf("%s: gotd encode: %v", name, err)
			}
			d := tl.NewDecoder(b1, tg.New)
			d.Layer = l
			o := d.Object()
			var uce *tl.UnknownConstructorError
			err = d.Err()
			switch {
			case err == nil && gone()[id]:
				// Read and dropped: the canonical layer has no form for it.
				if dr, ok := o.(*tl.Dropped); ok && dr.ID == id {
					failedGone[name] = true
				}
			case err != nil && gone()[id] && errors.As(err, &uce):
				t.Errorf("%s: no longer canonical, but reading it failed: %v", name, err)
			case err != nil && containsAny(reflect.ValueOf(g), unreadable):
				unreadableRounds++
				exact = false
				continue
			case err != nil:
				t.Errorf("%s: Roost decode: %v", name, err)
			case d.Len() != 0:
				t.Errorf("%s: %d bytes left", name, d.Len())
			}
			if err != nil || gone()[id] || d.Len() != 0 {
				exact = false
				break
			}
			if _, err := tl.Encode(o); err != nil && !containsAny(reflect.ValueOf(g), nilRequired) {
				noCanon[name] = err.Error()
			}
			if isFunc(id) && !sameID {
				// The adapters read an old client's changed functions
				// but never write them: a server sends no requests.
				funcsRead++
				exact = false
				break
			}
			b2, err := tl.EncodeLayer(o, l)
			if err != nil {
				t.Errorf("%s: Roost encode for layer 170: %v", name, err)
				exact = false
				break
			}
			if _, err := gotdDecode(gotdMap(), b2); err != nil {
				t.Errorf("%s: gotd cannot read Roost's layer-170 bytes: %v\n%x", name, err, b2)
				exact = false
				break
			}
			if !bytes.Equal(b1, b2) {
				exact = false
				if containsAny(reflect.ValueOf(g), lossyNames) {
					lossyRounds++
					continue
				}
				t.Errorf("%s: layer-170 bytes changed in a round trip:\ngotd  %x\nRoost %x", name, b1, b2)
				break
			}
		}
		if exact {
			exactDefs++
		}
	}
	var want []string
	for id := range gone() {
		want = append(want, gotdNames()[id])
	}
	sort.Strings(want)
	var got []string
	for n := range failedGone {
		got = append(got, n)
	}
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) || len(got) != doc.goneCtors+doc.goneFuncs {
		t.Errorf("definitions read as tl.Dropped %d %v\nwant the %d+%d gone ones %v", len(got), got, doc.goneCtors, doc.goneFuncs, want)
	}
	var nc []string
	for n, e := range noCanon {
		nc = append(nc, n+" ("+e+")")
	}
	sort.Strings(nc)
	if len(nc) > 0 {
		t.Errorf("%d layer-170 definitions read into canonical objects that cannot be written canonically: %v", len(nc), nc)
	}
	t.Logf("layer 170: %d definitions; %d byte-identical in all %d rounds; %d gone (read as tl.Dropped, as documented); "+
		"%d changed functions read only; %d rounds differed by a lossy field; %d rounds unreadable (%v)",
		len(layerIDs()), exactDefs, rounds, len(got), funcsRead, lossyRounds, unreadableRounds, unreadable)
}

// gotdEncodeNoErr is gotdEncode for values built in tests.
func gotdEncodeNoErr(t *testing.T, o bin.Object) []byte {
	t.Helper()
	b, err := gotdEncode(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
