package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/memory"
)

// FuzzSearch stores a message with arbitrary text in SQLite and in the
// memory store and searches both for an arbitrary needle: SQL's LIKE with
// escaped wildcards over folded text must find exactly what Go's
// strings.Contains over folded text finds.
func FuzzSearch(f *testing.F) {
	for _, c := range [][2]string{
		{"Hello World", "hello"}, {"50% off", "%"}, {"a_b", "_"}, {`C:\dir`, `\d`}, {"Привет", "ПРИВ"},
		{"ǅemal", "ǆ"}, {"ſtop", "ST"}, {"plain", ""}, {"x", "xx"}, {"\u212a", "k"},
	} {
		f.Add(c[0], c[1])
	}
	s, _ := openTemp(f)
	defer s.Close()
	mem := memory.New()
	ctx := context.Background()
	n := 0
	f.Fuzz(func(t *testing.T, text, needle string) {
		n++
		var found [2]bool
		var errs [2]error
		for i, st := range []store.Store{s, mem} {
			u, err := st.Users().Create(ctx, store.User{Phone: fmt.Sprint(1_000_000 + n), CreatedAt: time.Unix(1, 0)})
			if err != nil {
				t.Fatal(err)
			}
			err = st.Boxes().Update(ctx, func(tx store.BoxTx) error {
				id, err := tx.NextID(u.ID)
				if err != nil {
					return err
				}
				return tx.PutMessage(store.Message{OwnerID: u.ID, ID: id, Peer: store.Peer{Kind: store.PeerUser, ID: 1},
					Date: time.Unix(5, 0), Text: text})
			})
			if valid := utf8.ValidString(text) && !strings.ContainsRune(text, 0); valid != (err == nil) ||
				!valid && !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("put text %q: err = %v", text, err)
			}
			ms, err := st.Boxes().Search(ctx, u.ID, store.SearchQuery{Text: needle, Limit: 10})
			errs[i] = err
			found[i] = len(ms) == 1
		}
		if (errs[0] == nil) != (errs[1] == nil) {
			t.Fatalf("search %q: sqlite err = %v, memory err = %v", needle, errs[0], errs[1])
		}
		if found[0] != found[1] {
			t.Fatalf("search %q in %q: sqlite found %v, memory %v", needle, text, found[0], found[1])
		}
	})
}
