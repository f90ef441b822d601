package schema

import (
	"fmt"
	"hash/crc32"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// builtin names are declared by the schema language itself; their
// declarations (int ? = Int; vector {t:Type} # [ t ] = Vector t; ...) are
// recognised and skipped.
var builtin = map[string]bool{
	"int": true, "long": true, "double": true, "string": true, "bytes": true,
	"int128": true, "int256": true, "vector": true, "Vector": true,
}

var layerMarker = regexp.MustCompile(`(?m)^//\s*LAYER\s+(\d+)\s*$`)

// Parse reads a schema from its text.
func Parse(text string) (*Schema, error) {
	s := &Schema{}
	if m := layerMarker.FindStringSubmatch(text); m != nil {
		s.Layer, _ = strconv.Atoi(m[1])
	}
	function := false
	for _, st := range statements(text) {
		switch st.text {
		case "---functions---":
			function = true
			continue
		case "---types---":
			function = false
			continue
		}
		d, err := parseDefinition(st.text)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", st.line, err)
		}
		if d == nil {
			continue
		}
		d.Function, d.Line = function, st.line
		s.Definitions = append(s.Definitions, d)
	}
	return s, nil
}

type statement struct {
	text string
	line int
}

// statements strips comments and splits the text into section markers and
// definitions (which end with ';' and may span lines).
func statements(text string) []statement {
	var out []statement
	var cur strings.Builder
	start := 0
	for i, line := range strings.Split(text, "\n") {
		if j := strings.Index(line, "//"); j >= 0 {
			line = line[:j]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "---") && cur.Len() == 0 {
			out = append(out, statement{line, i + 1})
			continue
		}
		for line != "" {
			if cur.Len() == 0 {
				start = i + 1
			} else {
				cur.WriteByte(' ')
			}
			j := strings.IndexByte(line, ';')
			if j < 0 {
				cur.WriteString(line)
				break
			}
			cur.WriteString(line[:j])
			out = append(out, statement{strings.TrimSpace(cur.String()), start})
			cur.Reset()
			line = strings.TrimSpace(line[j+1:])
		}
	}
	return out
}

// parseDefinition parses "name#id {X:Type} a:int b:flags.0?T = Result";
// it returns nil for a built-in declaration.
func parseDefinition(text string) (*Definition, error) {
	lhs, rhs, ok := strings.Cut(text, "=")
	if !ok {
		return nil, fmt.Errorf("no '=' in %q", text)
	}
	fields := strings.Fields(lhs)
	if len(fields) == 0 {
		return nil, fmt.Errorf("no name in %q", text)
	}
	d := &Definition{}
	name, id, hasID := strings.Cut(fields[0], "#")
	d.Name = name
	if builtin[name] || strings.Contains(lhs, "?") && !strings.Contains(lhs, ":") {
		return nil, nil
	}
	if hasID {
		v, err := strconv.ParseUint(id, 16, 32)
		if err != nil {
			return nil, fmt.Errorf("bad id in %q: %w", fields[0], err)
		}
		d.ID, d.Written = uint32(v), true
	}
	for _, f := range fields[1:] {
		if strings.HasPrefix(f, "{") {
			g, _, _ := strings.Cut(strings.Trim(f, "{}"), ":")
			d.Generics = append(d.Generics, g)
			continue
		}
		if f == "#" || f == "[" || f == "]" {
			return nil, nil // a built-in such as vector
		}
		p, err := parseParam(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
		d.Params = append(d.Params, p)
	}
	res, err := parseResult(strings.TrimSpace(rhs))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	d.Result = res
	if !d.Written {
		d.ID = computeID(d)
	}
	return d, nil
}

func parseParam(f string) (*Param, error) {
	name, typ, ok := strings.Cut(f, ":")
	if !ok || name == "" || typ == "" {
		return nil, fmt.Errorf("bad field %q", f)
	}
	p := &Param{Name: name}
	if cond, t, ok := strings.Cut(typ, "?"); ok {
		word, bit, ok := strings.Cut(cond, ".")
		if !ok {
			return nil, fmt.Errorf("bad condition in %q", f)
		}
		n, err := strconv.Atoi(bit)
		if err != nil || n < 0 || n > 31 {
			return nil, fmt.Errorf("bad flag bit in %q", f)
		}
		p.FlagWord, p.Bit, typ = word, n, t
	}
	t, err := parseType(typ)
	if err != nil {
		return nil, fmt.Errorf("field %s: %w", name, err)
	}
	p.Type = t
	return p, nil
}

// parseType parses T, %T, !X, Vector<T>, vector<%T>, ns.Type.
func parseType(s string) (Type, error) {
	var t Type
	if s == "" {
		return t, fmt.Errorf("empty type")
	}
	switch s[0] {
	case '!':
		t.GenericRef, s = true, s[1:]
	case '%':
		t.Bare, s = true, s[1:]
	}
	if i := strings.IndexByte(s, '<'); i >= 0 {
		if !strings.HasSuffix(s, ">") {
			return t, fmt.Errorf("bad type %q", s)
		}
		arg, err := parseType(s[i+1 : len(s)-1])
		if err != nil {
			return t, err
		}
		t.Args = []Type{arg}
		s = s[:i]
	}
	if s == "" {
		return t, fmt.Errorf("empty type name")
	}
	t.Name = s
	if s != "#" && isLowerName(s) && !isPrimitive(s) {
		t.Bare = true
	}
	return t, nil
}

// parseResult parses "Vector t" as well as "Vector<t>" and plain names.
func parseResult(s string) (Type, error) {
	if name, arg, ok := strings.Cut(s, " "); ok {
		s = name + "<" + strings.TrimSpace(arg) + ">"
	}
	return parseType(s)
}

// isLowerName reports whether the last part of a dotted name starts with a
// lowercase letter, which makes a type reference bare.
func isLowerName(s string) bool {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		s = s[i+1:]
	}
	return s != "" && unicode.IsLower(rune(s[0]))
}

func isPrimitive(s string) bool {
	switch s {
	case "int", "long", "double", "string", "bytes", "int128", "int256", "true":
		return true
	}
	return false
}

// Normalized returns the text whose CRC32 is the definition's id: the
// definition without its id, with true flags dropped, bytes written as
// string and type arguments written with a space.
func (d *Definition) Normalized() string {
	var b strings.Builder
	b.WriteString(d.Name)
	for _, g := range d.Generics {
		b.WriteString(" " + g + ":Type")
	}
	for _, p := range d.Params {
		if p.IsTrueFlag() {
			continue
		}
		b.WriteString(" " + p.Name + ":")
		if p.FlagWord != "" {
			fmt.Fprintf(&b, "%s.%d?", p.FlagWord, p.Bit)
		}
		b.WriteString(normType(p.Type, true))
	}
	b.WriteString(" = " + normType(d.Result, true))
	return b.String()
}

// normType writes t for the id text. Only a top-level bytes is written as
// string: inside type arguments (Vector<bytes>) the name stays.
func normType(t Type, top bool) string {
	var b strings.Builder
	if t.GenericRef {
		b.WriteByte('!')
	}
	if t.Bare && !isLowerName(t.Name) {
		b.WriteByte('%')
	}
	name := t.Name
	if name == "bytes" && top {
		name = "string"
	}
	b.WriteString(name)
	for _, a := range t.Args {
		b.WriteString(" " + normType(a, false))
	}
	return b.String()
}

func computeID(d *Definition) uint32 { return crc32.ChecksumIEEE([]byte(d.Normalized())) }
