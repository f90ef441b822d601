package rules

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/roostchat/roost/store"
)

func TestFold(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"hello", "HELLO"},
		{"Привет, Мир", "привет, мир"},
		{"ΣΊΣΥΦΟΣ", "σίσυφος"},
		{"\u212a", "k"}, // Kelvin sign folds with k
		{"ſ", "S"},
		{"straße", "STRAßE"},
	} {
		if Fold(c.a) != Fold(c.b) {
			t.Errorf("Fold(%q) = %q, Fold(%q) = %q; want equal", c.a, Fold(c.a), c.b, Fold(c.b))
		}
	}
	if got := Fold("hello, world"); got != "hello, world" {
		t.Errorf("Fold of lower-case ASCII = %q", got)
	}
	if got := Fold("Hello WORLD"); got != "hello world" {
		t.Errorf("Fold = %q, want %q", got, "hello world")
	}
	if Fold("ß") == Fold("ss") {
		t.Error("ß folds to ss; simple folding keeps one rune per rune")
	}
}

func TestLike(t *testing.T) {
	for in, want := range map[string]string{
		"":        "%%",
		"abc":     "%abc%",
		"50%":     `%50\%%`,
		`a_b\c`:   `%a\_b\\c%`,
		"привет%": `%привет\%%`,
	} {
		if got := Like(in); got != want {
			t.Errorf("Like(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChecks(t *testing.T) {
	ok := store.Peer{Kind: store.PeerChat, ID: 5}
	for name, err := range map[string]error{
		"peer kind":      Peer(store.Peer{Kind: 3, ID: 1}),
		"peer id":        Peer(store.Peer{Kind: store.PeerUser}),
		"history limit":  History(ok, store.HistoryQuery{}),
		"history min id": History(ok, store.HistoryQuery{MinID: -1, Limit: 1}),
		"dialogs both":   Dialogs(store.DialogQuery{PinnedOnly: true, ExcludePinned: true, Limit: 1}),
		"dialogs limit":  Dialogs(store.DialogQuery{Limit: -1}),
		"search peer":    Search(store.SearchQuery{Peer: store.Peer{ID: 1}, Limit: 1}),
		"search max id":  Search(store.SearchQuery{MaxID: -2, Limit: 1}),
		"updates after":  Updates(-1, 10),
		"updates limit":  Updates(0, 0),
		"message id":     Message(store.Message{Peer: ok}),
		"message peer":   Message(store.Message{ID: 1}),
		"message NUL":    Message(store.Message{ID: 1, Peer: ok, Text: "a\x00b"}),
		"message UTF-8":  Message(store.Message{ID: 1, Peer: ok, Text: "a\xffb"}),
		"search NUL":     Search(store.SearchQuery{Text: "\x00", Limit: 1}),
	} {
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	for name, err := range map[string]error{
		"history": History(ok, store.HistoryQuery{Limit: 1}),
		"dialogs": Dialogs(store.DialogQuery{PinnedOnly: true, Limit: 1}),
		"search":  Search(store.SearchQuery{Limit: 1}),
		"updates": Updates(0, 1),
		"message": Message(store.Message{ID: 1, Peer: ok}),
	} {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if Bytes([]byte{}) != nil || Bytes(nil) != nil {
		t.Error("Bytes of an empty slice is not nil")
	}
}

// FuzzFold checks that folding decides equality as strings.EqualFold does
// and that substring search through it ignores case.
func FuzzFold(f *testing.F) {
	f.Add("Hello", "hELLO")
	f.Add("Привет", "ПРИВЕТ")
	f.Add("\u212a", "k")
	f.Add("ǅ", "ǆ")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			return
		}
		fa := Fold(a)
		if Fold(fa) != fa {
			t.Fatalf("Fold not idempotent on %q", a)
		}
		if !strings.EqualFold(a, fa) {
			t.Fatalf("Fold(%q) = %q, not EqualFold", a, fa)
		}
		if got, want := fa == Fold(b), strings.EqualFold(a, b); got != want {
			t.Fatalf("Fold equal = %v, EqualFold = %v for %q, %q", got, want, a, b)
		}
		if !Contains(a+b, Fold(strings.ToUpper(b))) && strings.EqualFold(strings.ToUpper(b), b) {
			t.Fatalf("%q does not contain upper-cased %q", a+b, b)
		}
	})
}
