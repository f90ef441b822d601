package config

import (
	"maps"
	"strconv"
	"strings"
	"testing"
)

func TestParseFile(t *testing.T) {
	in := "# comment\n\n  data = /srv/roost  \r\nhttp=127.0.0.1:1\n\t# indented comment\nrsa-key = \" spaced #key \"\ndev =\n"
	got, err := parseFile(strings.NewReader(in), "t.conf")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]entry{
		"data":    {"/srv/roost", 3},
		"http":    {"127.0.0.1:1", 4},
		"rsa-key": {" spaced #key ", 6},
		"dev":     {"", 7},
	}
	if !maps.Equal(got, want) {
		t.Errorf("parse = %+v, want %+v", got, want)
	}
}

func TestParseFileErrors(t *testing.T) {
	for in, want := range map[string]string{
		"data /x\n":                "t.conf:1: want",
		"\nport = 1\n":             `t.conf:2: unknown setting "port"`,
		"config = x\n":             "cannot be set",
		"dc = 1\ndc = 2\n":         "t.conf:2: dc already set on line 1",
		"data = \"unterminated\n":  "bad quoted",
		"data = \"a\\nb\"\n":       "control character",
		"data = x\x00\n":           "control character",
		strings.Repeat("#", 2<<20): "larger than",
	} {
		_, err := parseFile(strings.NewReader(in), "t.conf")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parse %.30q: err = %v, want one with %q", in, err, want)
		}
	}
}

// FuzzParseFile checks that parsing never panics, that it only accepts
// known settings, and that what it accepts survives a write-and-reparse.
func FuzzParseFile(f *testing.F) {
	f.Add("data = /srv\nhttp = 127.0.0.1:1\n# c\n")
	f.Add("rsa-key = \"a\\tb\"\n")
	f.Add("dc=\n=\n\"")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := parseFile(strings.NewReader(in), "f")
		if err != nil {
			return
		}
		var b strings.Builder
		for k, e := range got {
			if _, ok := lookup(k); !ok || k == OptConfig {
				t.Fatalf("accepted setting %q", k)
			}
			b.WriteString(k + " = " + strconv.Quote(e.value) + "\n")
		}
		again, err := parseFile(strings.NewReader(b.String()), "f")
		if err != nil {
			t.Fatalf("reparse of %q: %v", b.String(), err)
		}
		if len(again) != len(got) {
			t.Fatalf("reparse lost settings: %v vs %v", again, got)
		}
		for k, e := range got {
			if again[k].value != e.value {
				t.Fatalf("%s: %q became %q", k, e.value, again[k].value)
			}
		}
	})
}
