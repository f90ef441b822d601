package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fold maps s to a form in which two strings are equal exactly when
// strings.EqualFold says they are, rune by rune: each rune becomes one
// representative of its simple case-folding orbit. Search compares folded
// text, so that "ПРИВЕТ" finds "привет" as "HELLO" finds "hello".
func Fold(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			break
		}
		i++
	}
	if i == len(s) {
		return s // lower-case ASCII: nothing to do
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune returns the representative of r's orbit: its smallest member,
// lower-cased when that is an ASCII letter (so that ASCII text folds to
// itself in lower case).
func foldRune(r rune) rune {
	if r >= utf8.RuneSelf {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		r = least
	}
	if 'A' <= r && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r
}

// Contains reports whether text contains needle, ignoring case as Fold
// does. needle must be folded already.
func Contains(text, foldedNeedle string) bool {
	return strings.Contains(Fold(text), foldedNeedle)
}

// Like returns a pattern for SQL's LIKE ... ESCAPE '\' that matches text
// containing s, with LIKE's wildcards in s escaped.
func Like(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('%')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%', '_', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('%')
	return b.String()
}
