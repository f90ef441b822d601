package schema

import (
	"strings"
)

// Schema is a parsed .tl file.
type Schema struct {
	// Definitions in file order, built-ins left out.
	Definitions []*Definition
	// Layer is the number of the "// LAYER N" marker, or 0.
	Layer int
}

// Definition is one constructor or function.
type Definition struct {
	// Name is the full name with its namespace, e.g. "auth.sentCode".
	Name string
	// ID is the constructor id: written, or computed when not written.
	ID uint32
	// Written reports whether the id was written in the file.
	Written bool
	// Generics are the {X:Type} parameters.
	Generics []string
	Params   []*Param
	// Result is the type a constructor builds or a function returns.
	Result Type
	// Function reports whether the definition follows ---functions---.
	Function bool
	// Line is where the definition starts in its file.
	Line int
}

// Namespace returns the part of the name before the dot, or "".
func (d *Definition) Namespace() string {
	if i := strings.LastIndexByte(d.Name, '.'); i >= 0 {
		return d.Name[:i]
	}
	return ""
}

// Param is a field of a definition.
type Param struct {
	Name string
	Type Type
	// FlagWord is the name of the flags field that guards this one
	// ("flags", "flags2"), or "" for a field always present.
	FlagWord string
	// Bit is the flag bit when FlagWord is set.
	Bit int
}

// IsFlagWord reports whether the field is a flags word (type #).
func (p *Param) IsFlagWord() bool { return p.Type.Name == "#" }

// IsTrueFlag reports whether the field is a flag with no payload.
func (p *Param) IsTrueFlag() bool { return p.FlagWord != "" && p.Type.Name == "true" }

// Type is a reference to a type in a field or result.
type Type struct {
	// Name is the type or constructor name: "int", "Vector", "Message",
	// "auth.SentCode", "X" for a generic, "#" for a flags word.
	Name string
	// Bare reports a bare reference: %T, or a lowercase name such as
	// vector<T> or a constructor name.
	Bare bool
	// GenericRef reports !X: any function whose result is X.
	GenericRef bool
	// Args are type arguments, e.g. the T of Vector<T>.
	Args []Type
}

// String returns the type as written in canonical TL form.
func (t Type) String() string {
	var b strings.Builder
	if t.GenericRef {
		b.WriteByte('!')
	}
	b.WriteString(t.Name)
	if len(t.Args) > 0 {
		b.WriteByte('<')
		for i, a := range t.Args {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(a.String())
		}
		b.WriteByte('>')
	}
	return b.String()
}

// IsVector reports whether t is Vector<T> or vector<T>.
func (t Type) IsVector() bool { return (t.Name == "Vector" || t.Name == "vector") && len(t.Args) == 1 }

// Find returns the definition with the given name, or nil.
func (s *Schema) Find(name string) *Definition {
	for _, d := range s.Definitions {
		if d.Name == name {
			return d
		}
	}
	return nil
}
