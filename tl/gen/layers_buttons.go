package gen

import (
	"fmt"
	"sort"
	"strings"
)

// fold is a constructor of an older layer that the canonical layer split
// in two: a constructor of a wider type (outer) whose type field holds
// the constructor (inner) that the old name stood for. Layer 229 did this
// to the keyboard buttons: keyboardButtonCallback{text, data} became
// keyboardInlineButton{text, type: inlineButtonTypeCallback{data}}. The
// layer's fields are found by name among the fields of outer and inner
// together, and converted by the rules of layers_fields.go.
type fold struct {
	old, outer, inner string
	// stand: the layer's constructor also stands for every inner type
	// of outer that the layer has no constructor for, written with the
	// fields of outer alone. It is what an old client can show of a
	// button it does not know: a plain keyboardButton with the text.
	stand bool
}

// folds lists the folded constructors. An old constructor may fold into
// several outers (a plain keyboardButton is a reply keyboard's text
// button, and in an inline keyboard the form of a button the layer
// cannot show); the first entry is how the layer's constructor is read
// by its id, the others only where the canonical layer has their outer
// (see retypes).
var folds = []fold{
	// Reply keyboards: keyboardButton{style, text, type:ButtonType}.
	{"keyboardButton", "keyboardButton", "buttonTypeDefault", true},
	{"keyboardButtonRequestPhone", "keyboardButton", "buttonTypeRequestPhone", false},
	{"keyboardButtonRequestGeoLocation", "keyboardButton", "buttonTypeRequestGeoLocation", false},
	{"keyboardButtonRequestPoll", "keyboardButton", "buttonTypeRequestPoll", false},
	{"keyboardButtonRequestPeer", "keyboardButton", "buttonTypeRequestPeer", false},
	{"inputKeyboardButtonRequestPeer", "keyboardButton", "inputButtonTypeRequestPeer", false},
	{"keyboardButtonSimpleWebView", "keyboardButton", "buttonTypeSimpleWebView", false},
	// Inline keyboards: keyboardInlineButton{style, text, type:InlineButtonType}.
	{"keyboardButtonUrl", "keyboardInlineButton", "inlineButtonTypeUrl", false},
	{"keyboardButtonCallback", "keyboardInlineButton", "inlineButtonTypeCallback", false},
	{"keyboardButtonSwitchInline", "keyboardInlineButton", "inlineButtonTypeSwitchInline", false},
	{"keyboardButtonGame", "keyboardInlineButton", "inlineButtonTypeGame", false},
	{"keyboardButtonBuy", "keyboardInlineButton", "inlineButtonTypeBuy", false},
	{"keyboardButtonUrlAuth", "keyboardInlineButton", "inlineButtonTypeUrlAuth", false},
	{"inputKeyboardButtonUrlAuth", "keyboardInlineButton", "inputInlineButtonTypeUrlAuth", false},
	{"keyboardButtonUserProfile", "keyboardInlineButton", "inlineButtonTypeUserProfile", false},
	{"inputKeyboardButtonUserProfile", "keyboardInlineButton", "inputInlineButtonTypeUserProfile", false},
	{"keyboardButtonWebView", "keyboardInlineButton", "inlineButtonTypeWebView", false},
	{"keyboardButtonCopy", "keyboardInlineButton", "inlineButtonTypeCopy", false},
	{"keyboardButton", "keyboardInlineButton", "inlineButtonTypeDisabled", true},
}

// retypes lists canonical constructors that an older layer writes as one
// of its own constructors of another type, field by field: layer 229 gave
// inline keyboards rows of their own, where older layers share
// keyboardButtonRow with reply keyboards. The old constructor's id is
// also a canonical one, so it is read as the canonical constructor only
// where the canonical layer has it (replyInlineMarkup.rows), by a reader
// generated for that place.
var retypes = []struct{ canon, old string }{
	{"keyboardInlineButtonRow", "keyboardButtonRow"},
}

// reader is how the layer's values are read where the canonical layer
// has the single-constructor type canon: a retyped constructor, or the
// outer of folds.
type reader struct {
	canon    *Ctor
	oldClass string     // the layer's type in that place
	maps     []*mapping // the retype, or the folds into canon
	retype   bool
}

// resolveButtons finds the folds and retypes that apply to the layer.
func (a *Adapter) resolveButtons() {
	a.readers = map[string]*reader{}
	a.need = map[string]bool{}
	a.folded = map[string]*mapping{}
	for _, f := range folds {
		oc, outer, inner := a.Old.Lookup(f.old), a.Canon.Lookup(f.outer), a.Canon.Lookup(f.inner)
		if oc == nil || outer == nil || inner == nil || a.canonIDs[oc.Def.ID] {
			continue
		}
		tf := typeField(outer, inner)
		if tf == nil {
			continue
		}
		m := &mapping{old: oc, canon: outer, inner: inner, tf: tf, stand: f.stand,
			name: fmt.Sprintf("dec%d%s", a.N, oc.GoName)}
		if a.folded[f.old] != nil {
			m.name += "As" + outer.GoName
		} else {
			a.folded[f.old] = m
		}
		a.folds = append(a.folds, m)
		r := a.readers[f.outer]
		if r == nil {
			r = &reader{canon: outer, oldClass: oc.Class.Name}
			a.readers[f.outer] = r
		}
		r.maps = append(r.maps, m)
	}
	for _, rt := range retypes {
		oc, cc := a.Old.Lookup(rt.old), a.Canon.Lookup(rt.canon)
		if oc == nil || cc == nil || a.Old.Lookup(rt.canon) != nil || a.readers[rt.canon] != nil {
			continue
		}
		m := &mapping{old: oc, canon: cc}
		a.retypeMaps = append(a.retypeMaps, m)
		a.readers[rt.canon] = &reader{canon: cc, oldClass: oc.Class.Name, maps: []*mapping{m}, retype: true}
	}
}

// typeField returns the field of outer that holds inner's type.
func typeField(outer, inner *Ctor) *Field {
	for _, f := range outer.Fields {
		if f.Type.Class == inner.Class {
			return f
		}
	}
	return nil
}

// writtenAs reports whether the canonical constructor cc, which the layer
// lacks by name, is written as a constructor of the layer by a fold or a
// retype.
func (a *Adapter) writtenAs(cc *Ctor) bool {
	r := a.readers[cc.Def.Name]
	return r != nil && a.Old.Lookup(cc.Def.Name) == nil
}

// retyped reports whether the layer's type ot holds, where the canonical
// layer has ct, values of a fold or retype: a KeyboardButton where the
// canonical layer has keyboardInlineButton, a KeyboardButtonRow for
// keyboardInlineButtonRow, or vectors of them.
func (a *Adapter) retyped(ot, ct *GoType) bool {
	if ot.Kind == KVector || ct.Kind == KVector {
		return ot.Kind == ct.Kind && ot.Bare == ct.Bare && a.retyped(ot.Elem, ct.Elem)
	}
	if ot.Class == nil || ct.Class == nil || !ct.Class.Single || ot.Kind == KBare {
		return false
	}
	r := a.readers[ct.Class.Ctors[0].Def.Name]
	return r != nil && r.oldClass == ot.Class.Name
}

// decRetyped reads the layer's type ot into the canonical x of type ct
// with the readers of the canonical constructors.
func (a *Adapter) decRetyped(w *writer, x string, ot, ct *GoType, depth int) {
	switch ct.Kind {
	case KVector:
		fn := "VectorLen"
		if ot.Bare {
			fn = "BareVectorLen"
		}
		w.p("%s = make(%s, d.%s(%d))", x, ct.Q("tg."), fn, minSize(ot.Elem))
		i := string(rune('i' + depth))
		w.p("for %s := range %s {", i, x)
		a.decRetyped(w, x+"["+i+"]", ot.Elem, ct.Elem, depth+1)
		w.p("}")
	case KValue:
		w.p("%s(d, &%s)", a.readerName(ct.Class.Ctors[0]), x)
	case KPointer:
		w.p("%s = new(tg.%s)", x, ct.Class.GoName)
		w.p("%s(d, %s)", a.readerName(ct.Class.Ctors[0]), x)
	}
}

func (a *Adapter) readerName(cc *Ctor) string {
	a.need[cc.Def.Name] = true
	return fmt.Sprintf("read%d%s", a.N, cc.GoName)
}

// emitFoldEncode writes the case that encodes the canonical outer of
// folds: the layer's constructor that its type stands for.
func (a *Adapter) emitFoldEncode(w *writer, r *reader) {
	var stand *mapping
	cases := &writer{}
	usedT := false
	for _, m := range r.maps {
		if m.stand {
			if stand == nil {
				stand = m
			}
			continue
		}
		cases.p("case *tg.%s:", m.inner.GoName)
		a.encBody(cases, m)
		usedT = usedT || m.readsInner()
	}
	tf := r.maps[0].tf
	w.p("case *tg.%s:", r.canon.GoName)
	if usedT {
		w.p("switch t := m.%s.(type) {", tf.GoName)
	} else {
		w.p("switch m.%s.(type) {", tf.GoName)
	}
	w.WriteString(cases.String())
	w.p("default:")
	if stand == nil {
		w.p("e.Fail(&UnsupportedError{Layer: %d, ID: %#08x})\ne.Uint32(%#08x)", a.N, r.canon.Def.ID, r.canon.Def.ID)
	} else {
		if lost := a.unfolded(r); len(lost) > 0 {
			w.p("// %s, and what layer %d has no constructor for: %s.", stand.inner.Def.Name, a.N, strings.Join(lost, ", "))
		}
		a.encBody(w, &mapping{old: stand.old, canon: r.canon})
	}
	w.p("}")
}

// unfolded lists the inner types of the outer r that the layer has no
// constructor for: they are written as the stand-in.
func (a *Adapter) unfolded(r *reader) []string {
	var out []string
	for _, c := range r.maps[0].tf.Type.Class.Ctors {
		found := false
		for _, m := range r.maps {
			found = found || m.inner == c
		}
		if !found {
			out = append(out, c.Def.Name)
		}
	}
	sort.Strings(out)
	return out
}

// emitReaders writes the readers the generated code calls, and those they
// call in turn.
func (a *Adapter) emitReaders(w *writer) {
	done := map[string]bool{}
	for {
		var names []string
		for n := range a.need {
			if !done[n] {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return
		}
		sort.Strings(names)
		for _, n := range names {
			done[n] = true
			a.emitReader(w, a.readers[n])
		}
	}
}

func (a *Adapter) emitReader(w *writer, r *reader) {
	cc := r.canon
	name := fmt.Sprintf("read%d%s", a.N, cc.GoName)
	want := "tg." + cc.GoName
	if r.retype {
		m := r.maps[0]
		w.p("// %s reads the layer's %s where the canonical layer has %s.", name, m.old.Def.Name, cc.Def.Name)
		w.p("func %s(d *tl.Decoder, m *tg.%s) {", name, cc.GoName)
		w.p("if id := d.Uint32(); id != %#08x {", m.old.Def.ID)
		w.p("d.Fail(&tl.UnexpectedConstructorError{ID: id, Want: %q})\nreturn\n}", want)
		body := &writer{}
		a.decBody(body, m)
		w.WriteString(dropUnusedFlags(body.String(), m.old))
		w.p("}\n")
		return
	}
	w.p("// %s reads a %s of the layer where the canonical layer has %s.", name, r.oldClass, cc.Def.Name)
	w.p("func %s(d *tl.Decoder, m *tg.%s) {", name, cc.GoName)
	w.p("var o tl.Object")
	w.p("switch id := d.Uint32(); id {")
	for _, m := range r.maps {
		w.p("case %#08x:\no = %s(d)", m.old.Def.ID, m.name)
	}
	w.p("default:\nd.Fail(&tl.UnexpectedConstructorError{ID: id, Want: %q})\nreturn\n}", want)
	w.p("*m = *o.(*tg.%s)\n}\n", cc.GoName)
}

// buttonStats counts the folded constructors of the layer and lists the
// inner types it has no constructor for as lossy.
func (a *Adapter) buttonStats() {
	counted := map[*Ctor]int{}
	for _, m := range a.folds {
		counted[m.old] = max(counted[m.old], max(m.status, 1))
	}
	var olds []*Ctor
	for c := range counted {
		olds = append(olds, c)
	}
	sort.Slice(olds, func(i, j int) bool { return olds[i].GoName < olds[j].GoName })
	for _, c := range olds {
		a.count(mapping{old: c, status: counted[c]})
	}
	for _, n := range sortedKeys(a.readers) {
		r := a.readers[n]
		if r.retype {
			continue
		}
		for _, c := range a.unfolded(r) {
			a.Stats.Lossy = append(a.Stats.Lossy, r.canon.Def.Name+"."+r.maps[0].tf.P.Name+":"+c)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// canonOf finds the canonical field that the layer's field f maps to and
// the variable of the generated code that holds it: m, the canonical
// object, or t, the type object of a fold.
func (m *mapping) canonOf(f *Field) (*Field, string, *rename) {
	if cf, rn := counterpart(m.canon, f); cf != nil && (m.tf == nil || cf != m.tf) {
		return cf, "m", rn
	}
	if m.inner != nil {
		if cf, rn := counterpart(m.inner, f); cf != nil {
			return cf, "t", rn
		}
	}
	return nil, "", nil
}

// readsInner reports whether a field of the layer's constructor maps to
// a field of the fold's inner constructor.
func (m *mapping) readsInner() bool {
	for _, f := range m.old.Fields {
		if _, own, _ := m.canonOf(f); own == "t" && f.Type.Kind != KFlags {
			return true
		}
	}
	return false
}

// fills reports whether some field of the layer's constructor fills the
// canonical field cf.
func (m *mapping) fills(cf *Field) bool {
	for _, f := range m.old.Fields {
		if c, _, _ := m.canonOf(f); c == cf {
			return true
		}
	}
	return false
}

// buttonReport writes the section of docs/layers.md on keyboard buttons.
func buttonReport(b *strings.Builder, adapters []*Adapter) {
	type row struct{ old, outer, inner string }
	var rows []row
	seen := map[row]bool{}
	has := map[row]map[int]bool{}
	for _, f := range folds {
		r := row{f.old, f.outer, f.inner}
		for _, a := range adapters {
			for _, m := range a.folds {
				if m.old.Def.Name == f.old && m.canon.Def.Name == f.outer && m.inner.Def.Name == f.inner {
					if !seen[r] {
						seen[r] = true
						rows = append(rows, r)
						has[r] = map[int]bool{}
					}
					has[r][a.N] = true
				}
			}
		}
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("\n## Keyboard buttons\n\n")
	b.WriteString("The canonical layer has two button constructors, `keyboardButton{style, text, type:ButtonType}` for reply " +
		"keyboards and `keyboardInlineButton{style, text, type:InlineButtonType}` for inline ones (in rows of " +
		"`keyboardInlineButtonRow`), where older layers have a constructor per kind of button. Each older layer writes " +
		"and reads them as its own constructors, the fields of the button and of its type together (the **hand** rule " +
		"of tl/gen/layers_buttons.go): a ✓ below. Inside `replyInlineMarkup` the layer's `keyboardButtonRow` is read as " +
		"`keyboardInlineButtonRow`. A type the layer has no constructor for (listed lossy above as " +
		"`keyboardButton.type:…`, `keyboardInlineButton.type:…`) is written as a plain `keyboardButton` with the text, " +
		"which old clients show as a text button, and an inline keyboard's plain `keyboardButton` is read as a disabled " +
		"button. A button of one kind of keyboard in the other is refused (tl.UnexpectedConstructorError, as Telegram " +
		"answers BUTTON_TYPE_INVALID).\n\n")
	b.WriteString("| layer's constructor | canonical |")
	for _, a := range adapters {
		fmt.Fprintf(b, " %d |", a.N)
	}
	b.WriteString("\n|---|---|")
	for range adapters {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range rows {
		fmt.Fprintf(b, "| %s | %s + %s |", r.old, r.outer, r.inner)
		for _, a := range adapters {
			if has[r][a.N] {
				b.WriteString(" ✓ |")
			} else {
				b.WriteString(" |")
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\nFields of the canonical buttons that a layer's constructors do not have, left out when written:\n\n")
	for _, a := range adapters {
		if left := a.leftOut(); len(left) > 0 {
			fmt.Fprintf(b, "- layer %d: %s\n", a.N, strings.Join(left, ", "))
		}
	}
}

// leftOut lists the fields of the canonical buttons and button types that
// no field of the layer's folded constructors carries.
func (a *Adapter) leftOut() []string {
	var out []string
	for _, m := range a.folds {
		for _, part := range []*Ctor{m.canon, m.inner} {
			for _, cf := range part.Fields {
				if cf.Type.Kind != KFlags && cf != m.tf && !m.fills(cf) {
					out = append(out, part.Def.Name+"."+cf.P.Name)
				}
			}
		}
	}
	return dedupe(out)
}
