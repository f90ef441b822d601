package gen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/roostchat/roost/tl/schema"
)

// Package is the Go model of one schema: what becomes one Go package.
type Package struct {
	Name    string
	Ctors   []*Ctor // constructors and functions, sorted by Go name
	classes map[string]*Class
	byName  map[string]*Ctor
}

// Ctor is a constructor or function and its Go struct.
type Ctor struct {
	Def    *schema.Definition
	GoName string
	Class  *Class // nil for functions
	Fields []*Field
}

// Class is an abstract type (the result type of constructors).
type Class struct {
	Name   string // TL name, e.g. "auth.SentCode"
	Ctors  []*Ctor
	GoName string // the interface name, or the struct name when Single
	Single bool   // one constructor: held by value, no interface
	cyclic bool
}

// Field is a parameter of a definition and how Go holds it.
type Field struct {
	P      *schema.Param
	GoName string
	Type   *GoType
}

// GoType says how a TL type reference is held and (de)coded.
type GoType struct {
	Kind  Kind
	Name  string  // Go spelling
	Elem  *GoType // vector element
	Bare  bool    // bare vector / bare object
	Class *Class  // for object kinds
	Ctor  *Ctor   // for bare constructors
	TL    schema.Type
}

// Kind is the family of a GoType.
type Kind int

// The kinds of Go types a TL reference maps to.
const (
	KPrim      Kind = iota // int, long, double, string, bytes, int128, int256, Bool
	KFlags                 // # word
	KTrue                  // flags.N?true
	KVector                // Vector<T>, vector<T>
	KInterface             // abstract type with several constructors
	KValue                 // single-constructor type held by value
	KPointer               // single-constructor type held by pointer
	KBare                  // a bare constructor held by value
	KAny                   // tl.Object: !X, Object, unknown types
)

var prims = map[string]string{
	"int": "int32", "long": "int64", "double": "float64", "string": "string",
	"bytes": "[]byte", "int128": "tl.Int128", "int256": "tl.Int256", "Bool": "bool",
}

// NewPackage builds the model of defs for Go package name.
func NewPackage(name string, defs []*schema.Definition) (*Package, error) {
	p := &Package{Name: name, classes: map[string]*Class{}, byName: map[string]*Ctor{}}
	seen := map[string]*Ctor{}
	for _, d := range defs {
		if skipDef(d) {
			continue
		}
		c := &Ctor{Def: d, GoName: goName(d.Name)}
		if d.Function {
			c.GoName += "Request"
		}
		if prev := seen[c.GoName]; prev != nil && prev.Def.ID == d.ID {
			continue // the same definition merged twice into one file
		}
		if !d.Function {
			cl := p.classes[d.Result.Name]
			if cl == nil {
				cl = &Class{Name: d.Result.Name}
				p.classes[d.Result.Name] = cl
			}
			cl.Ctors = append(cl.Ctors, c)
			c.Class = cl
		}
		if prev := seen[c.GoName]; prev != nil {
			return nil, fmt.Errorf("%s and %s both map to Go name %s", prev.Def.Name, d.Name, c.GoName)
		}
		seen[c.GoName] = c
		p.byName[d.Name] = c
		p.Ctors = append(p.Ctors, c)
	}
	for _, cl := range p.classes {
		cl.Single = len(cl.Ctors) == 1
		if cl.Single {
			cl.GoName = cl.Ctors[0].GoName
		} else {
			cl.GoName = goName(cl.Name) + "Class"
			if seen[cl.GoName] != nil {
				return nil, fmt.Errorf("class %s collides with a constructor", cl.GoName)
			}
		}
	}
	for _, c := range p.Ctors {
		for _, prm := range c.Def.Params {
			f := &Field{P: prm, GoName: fieldName(prm.Name)}
			t, err := p.goType(prm.Type, prm.FlagWord != "")
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", c.Def.Name, prm.Name, err)
			}
			if prm.IsTrueFlag() {
				t = &GoType{Kind: KTrue, Name: "bool", TL: prm.Type}
			}
			f.Type = t
			c.Fields = append(c.Fields, f)
		}
	}
	p.markCycles()
	sort.Slice(p.Ctors, func(i, j int) bool { return p.Ctors[i].GoName < p.Ctors[j].GoName })
	return p, nil
}

// skipDef leaves out what the runtime handles itself.
func skipDef(d *schema.Definition) bool {
	switch d.Name {
	case "true", "boolTrue", "boolFalse", "vector", "gzip_packed":
		return true
	}
	return strings.HasSuffix(d.Name, "Prefix") && strings.HasPrefix(d.Name, "invokeWith")
}

// goType maps a TL type reference; optional makes single-constructor
// types pointers so that absence is nil.
func (p *Package) goType(t schema.Type, optional bool) (*GoType, error) {
	if t.GenericRef || t.Name == "Object" || t.Name == "X" || t.Name == "Type" {
		return &GoType{Kind: KAny, Name: "tl.Object", TL: t}, nil
	}
	if t.Name == "#" {
		return &GoType{Kind: KFlags, Name: "tl.Flags", TL: t}, nil
	}
	if t.Name == "true" || t.Name == "True" {
		return &GoType{Kind: KTrue, Name: "bool", TL: t}, nil
	}
	if g, ok := prims[t.Name]; ok {
		return &GoType{Kind: KPrim, Name: g, TL: t}, nil
	}
	if t.IsVector() {
		e, err := p.goType(t.Args[0], false)
		if err != nil {
			return nil, err
		}
		if e.Kind == KPointer {
			e = &GoType{Kind: KValue, Name: e.Class.GoName, Class: e.Class, TL: e.TL}
		}
		return &GoType{Kind: KVector, Name: "[]" + e.Name, Elem: e, Bare: t.Name == "vector", TL: t}, nil
	}
	if t.Bare {
		c := p.byName[t.Name]
		if c == nil {
			if cl := p.classes[t.Name]; cl != nil && cl.Single {
				c = cl.Ctors[0]
			}
		}
		if c == nil {
			return nil, fmt.Errorf("bare type %s names no constructor", t)
		}
		return &GoType{Kind: KBare, Name: c.GoName, Ctor: c, Bare: true, TL: t}, nil
	}
	cl := p.classes[t.Name]
	if cl == nil {
		return &GoType{Kind: KAny, Name: "tl.Object", TL: t}, nil
	}
	if !cl.Single {
		return &GoType{Kind: KInterface, Name: cl.GoName, Class: cl, TL: t}, nil
	}
	if optional {
		return &GoType{Kind: KPointer, Name: "*" + cl.GoName, Class: cl, TL: t}, nil
	}
	return &GoType{Kind: KValue, Name: cl.GoName, Class: cl, TL: t}, nil
}

// markCycles turns value fields that would make a struct contain itself
// into pointer fields.
func (p *Package) markCycles() {
	for _, c := range p.Ctors {
		for _, f := range c.Fields {
			if f.Type.Kind == KValue && p.reaches(f.Type.Class, c, map[*Class]bool{}) {
				f.Type = &GoType{Kind: KPointer, Name: "*" + f.Type.Class.GoName, Class: f.Type.Class, TL: f.Type.TL}
			}
		}
	}
}

// reaches reports whether class cl holds target by value, directly or not.
func (p *Package) reaches(cl *Class, target *Ctor, seen map[*Class]bool) bool {
	if seen[cl] {
		return false
	}
	seen[cl] = true
	for _, c := range cl.Ctors {
		if c == target {
			return true
		}
		for _, f := range c.Fields {
			if f.Type.Kind == KValue && p.reaches(f.Type.Class, target, seen) {
				return true
			}
		}
	}
	return false
}

// Classes returns the abstract types with interfaces, sorted.
func (p *Package) Classes() []*Class {
	var out []*Class
	for _, cl := range p.classes {
		if !cl.Single {
			out = append(out, cl)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GoName < out[j].GoName })
	return out
}

// Lookup returns the constructor or function with TL name n.
func (p *Package) Lookup(n string) *Ctor { return p.byName[n] }

// Q returns the Go spelling of t as seen from another package whose
// import of the types' package is the prefix q ("tg.").
func (t *GoType) Q(q string) string {
	if q == "" {
		return t.Name
	}
	switch t.Kind {
	case KVector:
		return "[]" + t.Elem.Q(q)
	case KPointer:
		return "*" + q + t.Class.GoName
	case KInterface, KValue:
		return q + t.Class.GoName
	case KBare:
		return q + t.Ctor.GoName
	}
	return t.Name
}
