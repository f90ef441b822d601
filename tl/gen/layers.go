package gen

import (
	"fmt"
	"sort"
	"strings"
)

// Adapter is the model of one older layer's adapter: how each of its
// definitions maps onto the canonical package.
type Adapter struct {
	N     int
	Canon *Package
	Old   *Package
	Stats Stats

	canonIDs map[uint32]bool
	oldIDs   map[uint32]bool

	// Keyboard buttons (layers_buttons.go).
	folds      []*mapping          // the folds of the layer, in table order
	folded     map[string]*mapping // the fold an old constructor is read as by its id
	retypeMaps []*mapping          // retyped canonical constructors
	readers    map[string]*reader  // by canonical constructor name
	need       map[string]bool     // readers the generated code calls
}

// Stats counts definitions of a layer by how they are translated.
type Stats struct {
	// Constructors and functions whose wire form equals the canonical one.
	SameCtors, SameFuncs int
	// Mapped field by field with generated code only.
	AutoCtors, AutoFuncs int
	// Mapped with a hand-written conversion of a field whose type changed.
	HandCtors, HandFuncs int
	// Mapped, but a field whose type changed has no faithful conversion
	// (dropped or zeroed); the names are in Lossy.
	LossyCtors, LossyFuncs int
	Lossy                  []string
	// Canonical constructors the layer lacks, written as a substitute the
	// old client shows (messageMediaUnsupported, ...).
	Substituted int
	// Canonical constructors the layer lacks with no substitute, and the
	// layer's definitions that the canonical layer no longer has.
	MissingCanon, GoneCtors, GoneFuncs int
}

// NewAdapter relates an older layer's package to the canonical one.
func NewAdapter(n int, canon, old *Package) *Adapter {
	a := &Adapter{N: n, Canon: canon, Old: old, canonIDs: map[uint32]bool{}, oldIDs: map[uint32]bool{}}
	for _, c := range canon.Ctors {
		a.canonIDs[c.Def.ID] = true
	}
	for _, c := range old.Ctors {
		a.oldIDs[c.Def.ID] = true
	}
	return a
}

type mapping struct {
	old, canon *Ctor
	status     int // 0 auto, 1 hand, 2 lossy

	// A fold (layers_buttons.go): canon's field tf holds inner, the
	// canonical constructor the layer's old constructor stands for.
	inner *Ctor
	tf    *Field
	stand bool
	name  string // its decoder
}

// Source returns the adapter's Go file.
func (a *Adapter) Source() ([]byte, error) {
	a.resolveButtons()
	var changed []mapping
	var gone []*Ctor
	for _, oc := range a.Old.Ctors {
		if a.folded[oc.Def.Name] != nil {
			continue
		}
		if a.canonIDs[oc.Def.ID] {
			if oc.Def.Function {
				a.Stats.SameFuncs++
			} else {
				a.Stats.SameCtors++
			}
			continue
		}
		cc := a.Canon.Lookup(oc.Def.Name)
		if cc == nil {
			if oc.Def.Function {
				a.Stats.GoneFuncs++
			} else {
				a.Stats.GoneCtors++
			}
			gone = append(gone, oc)
			continue
		}
		changed = append(changed, mapping{old: oc, canon: cc})
	}
	var subs []mapping
	var missing []uint32
	for _, cc := range a.Canon.Ctors {
		if cc.Def.Function || a.oldIDs[cc.Def.ID] || a.Old.Lookup(cc.Def.Name) != nil || a.writtenAs(cc) {
			continue
		}
		if sub := a.substitute(cc); sub != nil {
			subs = append(subs, mapping{old: sub, canon: cc})
			a.Stats.Substituted++
		} else {
			missing = append(missing, cc.Def.ID)
			a.Stats.MissingCanon++
		}
	}
	w := &writer{}
	fmt.Fprintf(w, header, fmt.Sprintf("layer-%d.tl and the canonical layer", a.N), "layers")
	w.p("import (\n\"github.com/roostchat/roost/tg\"\n\"github.com/roostchat/roost/tl\"\n)\n")
	name := fmt.Sprintf("layer%d", a.N)
	w.p("// %s translates between layer %d and the canonical layer.", name, a.N)
	w.p("type %s struct{}\n", name)
	w.p("func (%s) encode(e *tl.Encoder, o tl.Object) bool {", name)
	w.p("switch m := o.(type) {")
	for i := range changed {
		if !changed[i].old.Def.Function {
			a.emitEncode(w, &changed[i])
		}
	}
	for i := range subs {
		a.emitEncode(w, &subs[i])
	}
	for _, n := range sortedKeys(a.readers) {
		if r := a.readers[n]; !r.retype {
			a.emitFoldEncode(w, r)
		}
	}
	for _, m := range a.retypeMaps {
		a.emitEncode(w, m)
	}
	w.p("default:\nreturn false\n}\nreturn true\n}\n")
	w.p("func (%s) decoder(id uint32) func(*tl.Decoder) tl.Object {", name)
	w.p("switch id {")
	for _, m := range changed {
		w.p("case %#08x:\nreturn dec%d%s", m.old.Def.ID, a.N, m.old.GoName)
	}
	for _, oc := range gone {
		w.p("case %#08x:\nreturn drop%d%s", oc.Def.ID, a.N, oc.GoName)
	}
	for _, m := range a.folds {
		if a.folded[m.old.Def.Name] == m {
			w.p("case %#08x:\nreturn %s", m.old.Def.ID, m.name)
		}
	}
	w.p("}\nreturn nil\n}\n")
	w.p("func (%s) lacks(id uint32) bool {", name)
	if len(missing) > 0 {
		sort.Slice(missing, func(i, j int) bool { return missing[i] < missing[j] })
		w.p("switch id {")
		var ids []string
		for _, id := range missing {
			ids = append(ids, fmt.Sprintf("%#08x", id))
		}
		w.p("case %s:\nreturn true\n}", strings.Join(ids, ",\n"))
	}
	w.p("return false\n}\n")
	for i := range changed {
		m := &changed[i]
		a.emitDecode(w, m, fmt.Sprintf("dec%d%s", a.N, m.old.GoName))
	}
	for _, oc := range gone {
		a.emitDrop(w, oc)
	}
	for _, m := range a.folds {
		a.emitDecode(w, m, m.name)
	}
	a.emitReaders(w)
	for _, m := range changed {
		a.count(m)
	}
	a.buttonStats()
	return Format(name+"_gen.go", []byte(w.String()))
}

func (a *Adapter) count(m mapping) {
	f := m.old.Def.Function
	switch {
	case m.status == 2 && f:
		a.Stats.LossyFuncs++
	case m.status == 2:
		a.Stats.LossyCtors++
	case m.status == 1 && f:
		a.Stats.HandFuncs++
	case m.status == 1:
		a.Stats.HandCtors++
	case f:
		a.Stats.AutoFuncs++
	default:
		a.Stats.AutoCtors++
	}
}

// substitute picks the constructor of the same type that an old client
// shows for something it cannot know: ...Unsupported, else ...Empty.
func (a *Adapter) substitute(cc *Ctor) *Ctor {
	cl := a.Old.classes[cc.Class.Name]
	if cl == nil {
		return nil
	}
	for _, suffix := range []string{"Unsupported", "Unknown", "Empty"} {
		for _, oc := range cl.Ctors {
			if strings.HasSuffix(oc.Def.Name, suffix) {
				return oc
			}
		}
	}
	return nil
}

func canonField(c *Ctor, name string) *Field {
	for _, f := range c.Fields {
		if f.P.Name == name {
			return f
		}
	}
	return nil
}

func (a *Adapter) lossy(m *mapping, f *Field) {
	m.status = 2
	a.Stats.Lossy = append(a.Stats.Lossy, m.old.Def.Name+"."+f.P.Name)
}

// Report writes docs/layers.md from the adapters' statistics.
func Report(canonLayer int, canon *Package, adapters []*Adapter) []byte {
	var b strings.Builder
	b.WriteString("<!-- Code generated by tlgen; DO NOT EDIT. -->\n\n# API layers\n\n")
	fmt.Fprintf(&b, "Roost speaks layer %d inside (package `tg`: %d constructors and functions). "+
		"A client's layer is taken from `invokeWithLayer`; every older layer below is translated at the edge "+
		"by package `layers`. A client layer without its own schema uses the nearest older one.\n\n", canonLayer, len(canon.Ctors))
	b.WriteString("Columns: **same** — identical on the wire, no code; **auto** — mapped field by field by generated code; " +
		"**hand** — a changed field converted by a documented rule (string↔TextWithEntities, int↔RecentStory, " +
		"numeric widening, Bool↔true flag, T↔Vector<T>, and the renamed fields of tl/gen/layers_renames.go: user_id↔peer, " +
		"months↔days, emoticon↔theme, reply_to_msg_id↔reply_to, username↔usernames, and the keyboard buttons of " +
		"tl/gen/layers_buttons.go, below); **lossy** — a changed field with no faithful conversion " +
		"(dropped or zeroed, listed below); **substituted** — a canonical constructor the layer lacks, written as the " +
		"layer's `…Unsupported`/`…Unknown`/`…Empty` constructor of the same type; **unsupported** — canonical constructors with no " +
		"substitute (encoding them fails; callers filter them, e.g. updates) and the layer's definitions that no longer exist " +
		"(read as `tl.Dropped`, so a value nested in a dropped field is skipped; an old client calling such a function gets " +
		"INPUT_METHOD_INVALID).\n\n")
	b.WriteString("| layer | ctors same | auto | hand | lossy | substituted | unsupported (canonical / gone) | funcs same | auto | hand | lossy | gone |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, a := range adapters {
		s := a.Stats
		fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d / %d | %d | %d | %d | %d | %d |\n", a.N,
			s.SameCtors, s.AutoCtors, s.HandCtors, s.LossyCtors, s.Substituted, s.MissingCanon, s.GoneCtors,
			s.SameFuncs, s.AutoFuncs, s.HandFuncs, s.LossyFuncs, s.GoneFuncs)
	}
	b.WriteString("\n## Fields without a faithful conversion\n\n")
	for _, a := range adapters {
		if len(a.Stats.Lossy) == 0 {
			continue
		}
		fmt.Fprintf(&b, "- layer %d: %s\n", a.N, strings.Join(dedupe(a.Stats.Lossy), ", "))
	}
	buttonReport(&b, adapters)
	return []byte(b.String())
}

func dedupe(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// emitDrop writes the reader of a layer definition that the canonical
// layer no longer has: it consumes the fields and returns tl.Dropped, so
// that a value nested where the canonical layer has no field for it is
// skipped instead of failing the whole object.
func (a *Adapter) emitDrop(w *writer, oc *Ctor) {
	w.p("func drop%d%s(d *tl.Decoder) tl.Object {", a.N, oc.GoName)
	var words []string
	for _, f := range oc.Fields {
		switch {
		case f.Type.Kind == KFlags:
			used := false
			for _, g := range oc.Fields {
				if g.P.FlagWord == f.P.Name && g.Type.Kind != KTrue {
					used = true
				}
			}
			if used {
				w.p("%s := tl.Flags(d.Uint32())", flagVar(f.P.Name))
				words = append(words, f.P.Name)
			} else {
				w.p("d.Uint32()")
			}
		case f.Type.Kind == KTrue:
		case f.P.FlagWord != "":
			w.p("if %s.Has(%d) {", flagVar(f.P.FlagWord), f.P.Bit)
			skip(w, f.Type, 0)
			w.p("}")
		default:
			skip(w, f.Type, 0)
		}
	}
	w.p("return &tl.Dropped{ID: %#08x}\n}\n", oc.Def.ID)
}
