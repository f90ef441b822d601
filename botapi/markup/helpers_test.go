package markup

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// tc is one table case: input, and either the expected text and
// entities or the expected error description.
type tc struct {
	in   string
	out  string
	ents []Entity
	err  string
}

// cp is a "can't parse entities" description.
func cp(msg string) string { return "can't parse entities: " + msg }

func ent(typ string, off, length int32) Entity { return Entity{Type: typ, Offset: off, Length: length} }

func link(off, length int32, url string) Entity {
	return Entity{Type: "text_link", Offset: off, Length: length, URL: url}
}

func mention(off, length int32, id int64) Entity {
	return Entity{Type: "text_mention", Offset: off, Length: length, UserID: id}
}

func pre(off, length int32, lang string) Entity {
	return Entity{Type: "pre", Offset: off, Length: length, Language: lang}
}

func emoji(off, length int32, id string) Entity {
	return Entity{Type: "custom_emoji", Offset: off, Length: length, CustomEmojiID: id}
}

func date(off, length int32, unix int64, format string) Entity {
	return Entity{Type: "date_time", Offset: off, Length: length, UnixTime: unix, DateTimeFormat: format}
}

// runCases checks every case against parse.
func runCases(t *testing.T, parse func(string) (string, []Entity, error), cases []tc) {
	t.Helper()
	for _, c := range cases {
		out, ents, err := parse(c.in)
		if c.err != "" {
			if err == nil {
				t.Errorf("%q: want error %q, got %q %v", c.in, c.err, out, ents)
			} else if err.Error() != c.err {
				t.Errorf("%q: error\n got %q\nwant %q", c.in, err.Error(), c.err)
			} else if _, ok := err.(*Error); !ok {
				t.Errorf("%q: error is %T, want *Error", c.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: unexpected error %q", c.in, err)
			continue
		}
		if out != c.out {
			t.Errorf("%q: text\n got %q\nwant %q", c.in, out, c.out)
		}
		if len(ents) != 0 || len(c.ents) != 0 {
			if !reflect.DeepEqual(ents, c.ents) {
				t.Errorf("%q: entities\n got %+v\nwant %+v", c.in, ents, c.ents)
			}
		}
		checkInvariants(t, c.in, out, ents)
	}
}

// checkInvariants is what every successful parse must satisfy: valid
// UTF-8 text, non-empty entities inside its UTF-16 length, sorted by
// offset then length descending.
func checkInvariants(t testing.TB, in, out string, ents []Entity) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%q: result %q is not valid UTF-8", in, out)
	}
	n := int32(len(utf16.Encode([]rune(out))))
	for k, e := range ents {
		if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
			t.Fatalf("%q: entity %+v outside text %q of %d UTF-16 units", in, e, out, n)
		}
		if e.Type == "" {
			t.Fatalf("%q: entity %+v has no type", in, e)
		}
		if k > 0 {
			p := ents[k-1]
			if p.Offset > e.Offset || (p.Offset == e.Offset && p.Length < e.Length) {
				t.Fatalf("%q: entities not sorted: %+v before %+v", in, p, e)
			}
		}
	}
}

// fuzzCheck is the body of the fuzz targets.
func fuzzCheck(t *testing.T, parse func(string) (string, []Entity, error), in string) {
	out, ents, err := parse(in)
	if err != nil {
		if _, ok := err.(*Error); !ok {
			t.Fatalf("%q: error %T %v", in, err, err)
		}
		if !strings.HasPrefix(err.Error(), "can't parse entities: ") && err != errNotUTF8 {
			t.Fatalf("%q: odd error %q", in, err)
		}
		return
	}
	checkInvariants(t, in, out, ents)
}
