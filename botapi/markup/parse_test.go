package markup

import (
	"errors"
	"strings"
	"testing"
)

func TestParseModes(t *testing.T) {
	for _, mode := range []string{"HTML", "html", "Html"} {
		out, ents, err := Parse(mode, "<b>x</b>")
		if err != nil || out != "x" || len(ents) != 1 || ents[0].Type != "bold" {
			t.Errorf("%s: %q %v %v", mode, out, ents, err)
		}
	}
	for _, mode := range []string{"MarkdownV2", "markdownv2", "MARKDOWNV2"} {
		out, ents, err := Parse(mode, "*x*")
		if err != nil || out != "x" || len(ents) != 1 || ents[0].Type != "bold" {
			t.Errorf("%s: %q %v %v", mode, out, ents, err)
		}
	}
	for _, mode := range []string{"Markdown", "markdown"} {
		out, ents, err := Parse(mode, "_x_")
		if err != nil || out != "x" || len(ents) != 1 || ents[0].Type != "italic" {
			t.Errorf("%s: %q %v %v", mode, out, ents, err)
		}
	}
	// Plain text: no parse mode, "none", or an empty text whatever the mode.
	for _, c := range []struct{ mode, text string }{
		{"", "<b>*x*</b>"}, {"none", "<b>*x*</b>"}, {"None", "*x."}, {"HTML", ""}, {"bogus", ""},
	} {
		out, ents, err := Parse(c.mode, c.text)
		if err != nil || out != c.text || ents != nil {
			t.Errorf("%q %q: %q %v %v", c.mode, c.text, out, ents, err)
		}
	}
	for _, mode := range []string{"bogus", "markdown2", "HTML ", "markdown_v2"} {
		_, _, err := Parse(mode, "x")
		var e *Error
		if !errors.As(err, &e) || err.Error() != "unsupported parse_mode" {
			t.Errorf("%q: %v", mode, err)
		}
	}
}

func TestParseTextChecks(t *testing.T) {
	for _, f := range []func(string) (string, []Entity, error){HTML, MarkdownV2, Markdown} {
		if _, _, err := f("a\xffb"); err == nil || err.Error() != "text must be encoded in UTF-8" {
			t.Errorf("invalid UTF-8: %v", err)
		}
		if _, _, err := f("\xed\xa0\x80"); err == nil || err.Error() != "text must be encoded in UTF-8" {
			t.Errorf("surrogate in UTF-8: %v", err)
		}
		long := strings.Repeat("é", maxTextLength)
		if out, _, err := f(long); err != nil || out != long {
			t.Errorf("65536 code points: %v", err)
		}
		if _, _, err := f(long + "a"); err == nil || err.Error() != cp("Text is too long") {
			t.Errorf("65537 code points: %v", err)
		}
	}
}

func TestLinks(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"example.com", "http://example.com/"},
		{"Example.COM/Path", "http://example.com/Path"},
		{"https://Example.COM/Path?q=A#F", "https://example.com/Path?q=A#F"},
		{"HTTPS://x.com", "https://x.com/"},
		{"https://x.com/a \t ", "https://x.com/a"},
		{"https://x.com ", ""},
		{"http://x.com/a b\tc", "http://x.com/a%20b%09c"},
		{"http://user:pass@x.com:8080/p", "http://user:pass@x.com:8080/p"},
		{"x.com:080", "http://x.com:80/"},
		{"x.com:0", ""},
		{"x.com:65536", ""},
		{"x.com:", ""},
		{"x.com:a", ""},
		{"http://[::1]/", "http://[::1]/"},
		{"http://[::1]:99/x", "http://[::1]:99/x"},
		{"http://[zz]/", ""},
		{"http://[fe80::1%25eth0]/", ""},
		{"http://пример.рф", "http://пример.рф/"},
		{"http://a_b.com", "http://a_b.com/"},
		{"http://a%2f.com", "http://a%2f.com/"},
		{"http://a%2g.com", ""},
		{"http://a%2", ""},
		{"http://ex ample.com", ""},
		{"http://localhost", ""},
		{"http://.", ""},
		{"http://", ""},
		{"ftp://x.com", ""},
		{"javascript:alert(1)", ""},
		{"mailto:a@b.com", "http://mailto:a@b.com/"},
		{"tg://resolve?domain=x", "tg://resolve?domain=x"},
		{"tg:resolve?domain=x", "tg://resolve?domain=x"},
		{"TG://Resolve", "tg://resolve/"},
		{"tg://user?id=0", "tg://user?id=0"},
		{"tg://a.b", ""},
		{"tg://x:5", ""},
		{"tg://u@x", ""},
		{"tg:http://x", ""},
		{"tg:https://x", ""},
		{"ton://wallet?x=1", "ton://wallet?x=1"},
		{"tonsite://site.ton/p", "tonsite://site.ton/p"},
		{"ton://site.ton", ""},
	} {
		if got := checkedLink(c.in); got != c.want {
			t.Errorf("checkedLink(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		in string
		id int64
		ok bool
	}{
		{"tg://user?id=123", 123, true},
		{"TG://USER?ID=5", 5, true},
		{"tg:user?id=5", 5, true},
		{"tg://user/?id=5", 5, true},
		{"tg://user?x=1&id=7#f", 7, true},
		{"tg://user?id=1099511627775", 1099511627775, true},
		{"tg://user?id=1099511627776", 0, false},
		{"tg://users?id=5", 0, false},
		{"tg://user?id=05", 0, false},
		{"tg://user?id=+5", 0, false},
		{"tg://user?id=-1", 0, false},
		{"tg://user?id=0&id=5", 0, false},
		{"tg://user#?id=5", 0, false},
		{"https://t.me/user?id=5", 0, false},
	} {
		id, ok := linkUserID(c.in)
		if ok != c.ok || (ok && id != c.id) {
			t.Errorf("linkUserID(%q) = %d, %v", c.in, id, ok)
		}
	}
	for _, c := range []struct {
		in    string
		value int32
	}{
		{"123", 123}, {"12ab", 12}, {"", 0}, {"-7", -7}, {"x1", 0}, {"2147483647", 2147483647},
		{"2147483648", -2147483648}, {"4294967297", 1}, {"-2147483648", -2147483648},
	} {
		if got := toInt32(c.in); got != c.value {
			t.Errorf("toInt32(%q) = %d, want %d", c.in, got, c.value)
		}
	}
}
