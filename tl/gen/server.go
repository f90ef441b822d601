package gen

import "strings"

// emitServer writes the typed dispatcher: one registration method per
// function, each adapting a typed handler to tl.Handler.
func (p *Package) emitServer(w *writer) {
	var fns []*Ctor
	for _, c := range p.Ctors {
		if c.Def.Function {
			fns = append(fns, c)
		}
	}
	if len(fns) == 0 {
		return
	}
	w.p("import (\n\t\"context\"\n\n\t\"github.com/roostchat/roost/tl\"\n)\n")
	w.p("// Server routes decoded functions to the handlers registered for them.")
	w.p("// The zero value has no handlers; register with the On methods.")
	w.p("type Server struct{ tl.Mux }\n")
	for _, c := range fns {
		res, wrap := p.resultType(c)
		name := strings.TrimSuffix(c.GoName, "Request")
		w.p("// On%s registers the handler of %s.", name, c.Def.Name)
		w.p("func (s *Server) On%s(f func(ctx context.Context, req *%s) (%s, error)) {", name, c.GoName, res)
		w.p("s.Handle(%#08x, func(ctx context.Context, r tl.Object) (tl.Object, error) {", c.Def.ID)
		w.p("res, err := f(ctx, r.(*%s))", c.GoName)
		w.p("if err != nil {\nreturn nil, err\n}")
		if conv, ok := strings.CutSuffix(wrap, "(res)"); ok && strings.HasPrefix(conv, "tl.") && conv != "tl.Bool" && conv != "tl.NonNil" {
			w.p("v := %s(res)\nreturn &v, nil", conv)
		} else {
			w.p("return %s, nil", wrap)
		}
		w.p("})\n}\n")
	}
}

// resultType returns the Go result type of a function and the expression
// that turns res into a tl.Object.
func (p *Package) resultType(c *Ctor) (string, string) {
	t, err := p.goType(c.Def.Result, false)
	if err != nil {
		return "tl.Object", "res"
	}
	switch t.Kind {
	case KValue:
		return "*" + t.Name, "tl.NonNil(res)"
	case KPrim:
		if t.Name == "bool" {
			return "bool", "tl.Bool(res)"
		}
	case KVector:
		switch e := t.Elem; e.Kind {
		case KPrim:
			switch e.Name {
			case "int32":
				return t.Name, "tl.Ints(res)"
			case "int64":
				return t.Name, "tl.Longs(res)"
			}
		case KInterface:
			return t.Name, "tl.Vector[" + e.Name + "](res)"
		case KValue:
			return t.Name, "tl.Values[" + e.Name + ", *" + e.Name + "](res)"
		}
	case KInterface, KAny:
		return t.Name, "res"
	}
	return "tl.Object", "res"
}
