package gen

import (
	"fmt"
	"strings"
)

// conversion is how a field whose type changed is written and read.
type conversion int

const (
	convNone      conversion = iota // no faithful conversion
	convSame                        // same TL type: the canonical code serves
	convNumeric                     // int, long and double into one another
	convText                        // string in the layer, TextWithEntities now
	convStory                       // int (stories_max_id), RecentStory now
	convBoolTrue                    // Bool in the layer, a true flag now
	convOneOfMany                   // T in the layer, Vector<T> now
	convRetyped                     // a button or button row of another type now (layers_buttons.go)
)

func (a *Adapter) convertible(old, canon *Field) conversion {
	ot, ct := old.P.Type, canon.P.Type
	switch {
	case ot.String() == ct.String():
		if old.Type.Kind == KTrue && canon.Type.Kind != KTrue {
			return convNone
		}
		return convSame
	case isNumeric(old.Type) && isNumeric(canon.Type):
		return convNumeric
	case ot.Name == "string" && ct.Name == "TextWithEntities":
		return convText
	case ot.Name == "int" && ct.Name == "RecentStory":
		return convStory
	case ot.Name == "Bool" && canon.Type.Kind == KTrue:
		return convBoolTrue
	case ct.IsVector() && ct.Args[0].String() == ot.String() && canon.Type.Elem.Kind == KInterface:
		return convOneOfMany
	case a.retyped(old.Type, canon.Type):
		return convRetyped
	}
	return convNone
}

func isNumeric(t *GoType) bool {
	return t.Kind == KPrim && (t.Name == "int32" || t.Name == "int64" || t.Name == "float64")
}

// emitEncode writes the case that encodes a canonical object in the
// layer's constructor m.old.
func (a *Adapter) emitEncode(w *writer, m *mapping) {
	w.p("case *tg.%s:", m.canon.GoName)
	a.encBody(w, m)
}

// encBody writes the layer's constructor m.old from the canonical m (and
// t, for a fold).
func (a *Adapter) encBody(w *writer, m *mapping) {
	oc := m.old
	w.p("e.Uint32(%#08x)", oc.Def.ID)
	for _, fw := range oc.Fields {
		if fw.Type.Kind != KFlags {
			continue
		}
		v := flagVar(fw.P.Name)
		w.p("var %s tl.Flags", v)
		for _, f := range oc.Fields {
			if f.P.FlagWord != fw.P.Name {
				continue
			}
			if cond := a.present(m, f); cond != "" {
				w.p("if %s {\n%s.Set(%d)\n}", cond, v, f.P.Bit)
			}
		}
	}
	for _, f := range oc.Fields {
		switch {
		case f.Type.Kind == KFlags:
			w.p("e.Uint32(uint32(%s))", flagVar(f.P.Name))
		case f.Type.Kind == KTrue:
		case f.P.FlagWord != "":
			w.p("if %s.Has(%d) {", flagVar(f.P.FlagWord), f.P.Bit)
			a.encField(w, m, f)
			w.p("}")
		default:
			a.encField(w, m, f)
		}
	}
}

// present returns the condition under which the layer's optional field f
// is present, judged from the canonical object, or "" for never.
func (a *Adapter) present(m *mapping, f *Field) string {
	cf, own, rn := m.canonOf(f)
	if cf == nil {
		a.lossy(m, f)
		return ""
	}
	x := own + "." + cf.GoName
	if rn != nil {
		if cf.Type.Kind == KTrue {
			return x
		}
		cond, _ := presence(x, cf.Type)
		return cond
	}
	conv := a.convertible(f, cf)
	if conv == convNone && !(f.Type.Kind == KTrue && cf.Type.Kind == KTrue) {
		a.lossy(m, f)
		return ""
	}
	cond, det := presence(x, cf.Type)
	if cf.Type.Kind == KTrue || f.Type.Kind == KTrue && conv == convSame {
		return x
	}
	if conv == convOneOfMany {
		return "len(" + x + ") > 0"
	}
	if cf.P.FlagWord == "" {
		switch cf.Type.Kind {
		case KInterface, KPointer, KAny:
			return cond
		}
		return "true"
	}
	if !det {
		cond += fmt.Sprintf(" || %s.%s.Has(%d)", own, fieldName(cf.P.FlagWord), cf.P.Bit)
	}
	return cond
}

// encField writes the layer's field f from the canonical object.
func (a *Adapter) encField(w *writer, m *mapping, f *Field) {
	cf, own, rn := m.canonOf(f)
	if cf == nil {
		a.lossy(m, f)
		a.zero(w, f.Type)
		return
	}
	x := own + "." + cf.GoName
	if rn != nil {
		m.status = max(m.status, 1)
		w.p("%s(e, %s)", rn.enc, x)
		return
	}
	switch a.convertible(f, cf) {
	case convRetyped:
		// The adapter writes each canonical element in the layer's form.
		m.status = max(m.status, 1)
		encValueQ(w, x, cf.Type, 0, "tg.")
	case convSame:
		if f.P.FlagWord == "" && (cf.Type.Kind == KPointer || cf.Type.Kind == KInterface || cf.Type.Kind == KAny) {
			w.p("if %s != nil {", x)
			encValueQ(w, x, cf.Type, 0, "tg.")
			w.p("} else {")
			a.zero(w, f.Type)
			w.p("}")
			return
		}
		encValueQ(w, x, cf.Type, 0, "tg.")
	case convNumeric:
		w.p("e.%s(%s(%s))", primEnc[f.Type.Name], f.Type.Name, x)
	case convText:
		m.status = max(m.status, 1)
		if cf.Type.Kind == KPointer {
			w.p("if %s != nil {\ne.String(%s.Text)\n} else {\ne.String(\"\")\n}", x, x)
		} else {
			w.p("e.String(%s.Text)", x)
		}
	case convStory:
		m.status = max(m.status, 1)
		w.p("if %s != nil {\ne.Int(%s.MaxID)\n} else {\ne.Int(0)\n}", x, x)
	case convBoolTrue:
		m.status = max(m.status, 1)
		w.p("e.Bool(%s)", x)
	case convOneOfMany:
		m.status = max(m.status, 1)
		w.p("if len(%s) > 0 {\ne.Object(%s[0])\n} else {", x, x)
		a.zero(w, f.Type)
		w.p("}")
	default:
		a.lossy(m, f)
		a.zero(w, f.Type)
	}
}

// zero writes the emptiest value of the layer's type t: zero numbers,
// empty strings and vectors, and for objects a constructor of the type
// with no required fields; failing that, the encoder reports an error.
func (a *Adapter) zero(w *writer, t *GoType) {
	switch t.Kind {
	case KPrim:
		switch t.Name {
		case "tl.Int128", "tl.Int256":
			w.p("e.%s(%s{})", primEnc[t.Name], t.Name)
		case "string":
			w.p("e.String(\"\")")
		case "[]byte":
			w.p("e.Blob(nil)")
		case "bool":
			w.p("e.Bool(false)")
		default:
			w.p("e.%s(0)", primEnc[t.Name])
		}
		return
	case KVector:
		if t.Bare {
			w.p("e.Int(0)")
		} else {
			w.p("e.VectorHeader(0)")
		}
		return
	case KInterface, KValue, KPointer:
		for _, c := range t.Class.Ctors {
			if emptyCtor(c) {
				w.p("e.Uint32(%#08x)", c.Def.ID)
				for _, f := range c.Fields {
					if f.Type.Kind == KFlags {
						w.p("e.Uint32(0)")
					}
				}
				return
			}
		}
	}
	w.p("e.Fail(&tl.NilError{What: %q})", fmt.Sprintf("%s in layer %d", t.TL.String(), a.N))
}

// emptyCtor reports a constructor whose fields are all optional.
func emptyCtor(c *Ctor) bool {
	for _, f := range c.Fields {
		if f.Type.Kind != KFlags && f.P.FlagWord == "" {
			return false
		}
	}
	return true
}

// emitDecode writes the function name that reads the layer's m.old into
// a canonical object.
func (a *Adapter) emitDecode(out *writer, m *mapping, name string) {
	w := &writer{}
	w.p("func %s(d *tl.Decoder) tl.Object {", name)
	w.p("m := new(tg.%s)", m.canon.GoName)
	if m.inner != nil {
		w.p("t := new(tg.%s)\nm.%s = t", m.inner.GoName, m.tf.GoName)
	}
	a.decBody(w, m)
	w.p("return m\n}\n")
	out.WriteString(dropUnusedFlags(w.String(), m.old))
}

// dropUnusedFlags turns a flags word whose bits map to nothing into a
// word read and dropped.
func dropUnusedFlags(src string, oc *Ctor) string {
	for _, f := range oc.Fields {
		v := flagVar(f.P.Name)
		if f.Type.Kind == KFlags && strings.Count(src, v) == 1 {
			src = strings.Replace(src, v+" := tl.Flags(d.Uint32())", "d.Uint32()", 1)
		}
	}
	return src
}

// decBody writes the statements that read the fields of the layer's
// m.old into the canonical m (and t, for a fold).
func (a *Adapter) decBody(w *writer, m *mapping) {
	oc := m.old
	used := map[string]bool{}
	for _, f := range oc.Fields {
		used[f.P.FlagWord] = true
	}
	for _, f := range oc.Fields {
		cf, own, _ := m.canonOf(f)
		switch {
		case f.Type.Kind == KFlags && !used[f.P.Name]:
			w.p("d.Uint32()")
		case f.Type.Kind == KFlags:
			w.p("%s := tl.Flags(d.Uint32())", flagVar(f.P.Name))
		case f.Type.Kind == KTrue && cf == nil:
			a.lossy(m, f)
		case f.Type.Kind == KTrue:
			if cf.Type.Kind == KTrue || cf.Type.Name == "bool" {
				w.p("if %s.Has(%d) {\n%s.%s = true", flagVar(f.P.FlagWord), f.P.Bit, own, cf.GoName)
				setCanonBit(w, own, cf)
				w.p("}")
			}
		case f.P.FlagWord != "":
			w.p("if %s.Has(%d) {", flagVar(f.P.FlagWord), f.P.Bit)
			a.decField(w, m, f, cf, own)
			w.p("}")
		default:
			a.decField(w, m, f, cf, own)
		}
	}
	a.fillRequired(w, m, m.canon, "m")
	if m.inner != nil {
		a.fillRequired(w, m, m.inner, "t")
	}
}

// fillRequired gives required fields of the canonical object own (of
// constructor cc) that no field of the layer fills the emptiest value of
// their type, so that what an old client sends can be written
// canonically; with no such value the field stays nil and the
// constructor is reported lossy.
func (a *Adapter) fillRequired(w *writer, m *mapping, cc *Ctor, own string) {
	for _, cf := range cc.Fields {
		if cf.P.FlagWord != "" || cf == m.tf || m.fills(cf) {
			continue
		}
		switch cf.Type.Kind {
		case KInterface:
			if c := emptyOf(cf.Type.Class); c != nil {
				w.p("%s.%s = &tg.%s{}", own, cf.GoName, c.GoName)
			} else {
				a.lossy(m, cf)
			}
		case KPointer:
			w.p("%s.%s = new(tg.%s)", own, cf.GoName, cf.Type.Class.GoName)
		}
	}
}

// emptyOf returns a constructor of cl whose fields are all optional.
func emptyOf(cl *Class) *Ctor {
	for _, c := range cl.Ctors {
		if emptyCtor(c) {
			return c
		}
	}
	return nil
}

func setCanonBit(w *writer, own string, cf *Field) {
	if cf.P.FlagWord != "" {
		w.p("%s.%s.Set(%d)", own, fieldName(cf.P.FlagWord), cf.P.Bit)
	}
}

// decField reads the layer's field f into the canonical field cf of own.
func (a *Adapter) decField(w *writer, m *mapping, f, cf *Field, own string) {
	if cf == nil {
		a.lossy(m, f)
		skip(w, f.Type, 0)
		return
	}
	x := own + "." + cf.GoName
	if _, _, rn := m.canonOf(f); rn != nil {
		w.p("%s = %s(d)", x, rn.dec)
		setCanonBit(w, own, cf)
		return
	}
	switch a.convertible(f, cf) {
	case convRetyped:
		a.decRetyped(w, x, f.Type, cf.Type, 0)
	case convSame:
		decValueQ(w, x, cf.Type, 0, "tg.")
	case convNumeric:
		w.p("%s = %s(d.%s())", x, cf.Type.Name, primEnc[f.Type.Name])
	case convText:
		amp := ""
		if cf.Type.Kind == KPointer {
			amp = "&"
		}
		w.p("%s = %stg.TextWithEntities{Text: d.String()}", x, amp)
	case convStory:
		w.p("%s = &tg.RecentStory{MaxID: d.Int()}", x)
	case convBoolTrue:
		w.p("%s = d.Bool()", x)
	case convOneOfMany:
		e := cf.Type.Elem.Q("tg.")
		w.p("%s = []%s{tl.As[%s](d)}", x, e, e)
	default:
		a.lossy(m, f)
		skip(w, f.Type, 0)
		return
	}
	setCanonBit(w, own, cf)
}

// skip reads and drops a value of the layer's type t.
func skip(w *writer, t *GoType, depth int) {
	switch t.Kind {
	case KPrim:
		w.p("_ = d.%s()", primEnc[t.Name])
	case KVector:
		fn := "VectorLen"
		if t.Bare {
			fn = "BareVectorLen"
		}
		i := string(rune('i' + depth))
		w.p("for %s := d.%s(%d); %s > 0; %s-- {", i, fn, minSize(t.Elem), i, i)
		skip(w, t.Elem, depth+1)
		w.p("}")
	case KBare:
		w.p("d.Fail(&tl.UnexpectedConstructorError{Want: %q})", strings.TrimPrefix(t.TL.String(), "%"))
	default:
		w.p("d.Object()")
	}
}
