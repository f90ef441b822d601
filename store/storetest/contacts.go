package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

// mustUsers creates n people and returns their ids.
func mustUsers(t *testing.T, s store.Store, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = mustUser(t, s, person(i)).ID
	}
	return ids
}

func testContacts(t *testing.T, open Open) {
	t.Run("PutListGetDelete", func(t *testing.T) {
		s, ctx := openT(t, open)
		cs := s.Contacts()
		ids := mustUsers(t, s, 5)
		owner := ids[0]
		put := func(c store.Contact) {
			t.Helper()
			if err := cs.Put(ctx, c); err != nil {
				t.Fatalf("put %+v: %v", c, err)
			}
		}
		c3 := store.Contact{OwnerID: owner, UserID: ids[3], FirstName: "Dan", CreatedAt: at(5).Add(time.Millisecond)}
		c1 := store.Contact{OwnerID: owner, UserID: ids[1], FirstName: "Bea", LastName: "B", CreatedAt: at(6)}
		put(c3)
		put(c1)
		put(store.Contact{OwnerID: ids[1], UserID: owner, FirstName: "Me", CreatedAt: at(7)})
		c3.CreatedAt = at(5)

		if got, err := cs.Get(ctx, owner, ids[3]); err != nil || got != c3 {
			t.Errorf("get = %+v, %v; want %+v", got, err, c3)
		}
		l, err := cs.List(ctx, owner)
		if err != nil || !slices.Equal(l, []store.Contact{c1, c3}) {
			t.Errorf("list = %+v, %v; want %+v", l, err, []store.Contact{c1, c3})
		}

		// A rename keeps the first CreatedAt.
		put(store.Contact{OwnerID: owner, UserID: ids[3], FirstName: "Daniel", LastName: "D", CreatedAt: at(100)})
		want := store.Contact{OwnerID: owner, UserID: ids[3], FirstName: "Daniel", LastName: "D", CreatedAt: at(5)}
		if got, err := cs.Get(ctx, owner, ids[3]); err != nil || got != want {
			t.Errorf("after rename = %+v, %v; want %+v", got, err, want)
		}

		put(store.Contact{OwnerID: owner, UserID: ids[2], CreatedAt: at(8)})
		put(store.Contact{OwnerID: owner, UserID: ids[4], CreatedAt: at(9)})
		if err := cs.Delete(ctx, owner, []int64{ids[3], 99, ids[4], ids[3]}); err != nil {
			t.Fatalf("delete: %v", err)
		}
		l, _ = cs.List(ctx, owner)
		if got := contactIDs(l); !slices.Equal(got, []int64{ids[1], ids[2]}) {
			t.Errorf("list after delete = %v, want %v", got, []int64{ids[1], ids[2]})
		}
		if _, err := cs.Get(ctx, owner, ids[3]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("get deleted: err = %v, want ErrNotFound", err)
		}
		if _, err := cs.Get(ctx, ids[1], owner); err != nil {
			t.Errorf("another owner's contact deleted: %v", err)
		}
		for _, del := range [][]int64{nil, {}, {12345}} {
			if err := cs.Delete(ctx, owner, del); err != nil {
				t.Errorf("delete %v: %v", del, err)
			}
		}
		if l, err := cs.List(ctx, ids[4]); err != nil || len(l) != 0 {
			t.Errorf("list of a user without contacts = %v, %v", l, err)
		}

		// Deleting many at once.
		many := []int64{ids[1], ids[2]}
		for i := range 1200 {
			many = append(many, int64(-i))
		}
		if err := cs.Delete(ctx, owner, many); err != nil {
			t.Fatalf("delete %d: %v", len(many), err)
		}
		if l, _ := cs.List(ctx, owner); len(l) != 0 {
			t.Errorf("list after deleting all = %v", l)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		s, ctx := openT(t, open)
		cs := s.Contacts()
		ids := mustUsers(t, s, 2)
		for name, c := range map[string]store.Contact{
			"missing owner": {OwnerID: 99, UserID: ids[0]},
			"missing user":  {OwnerID: ids[0], UserID: 99},
		} {
			if err := cs.Put(ctx, c); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("put with %s: err = %v, want ErrNotFound", name, err)
			}
			if err := cs.Block(ctx, c.OwnerID, c.UserID, at(0)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("block with %s: err = %v, want ErrNotFound", name, err)
			}
		}
		if l, _ := cs.List(ctx, ids[0]); len(l) != 0 {
			t.Errorf("failed put stored %v", l)
		}
		if _, err := cs.Get(ctx, ids[0], ids[1]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("get missing: err = %v, want ErrNotFound", err)
		}
		for _, c := range [][2]int{{-1, 10}, {0, -1}} {
			if _, _, err := cs.Blocked(ctx, ids[0], c[0], c[1]); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("blocked offset %d limit %d: err = %v, want ErrInvalid", c[0], c[1], err)
			}
		}
	})
	t.Run("Block", func(t *testing.T) {
		s, ctx := openT(t, open)
		cs := s.Contacts()
		ids := mustUsers(t, s, 8)
		owner := ids[0]
		block := func(userID int64, sec int) {
			t.Helper()
			if err := cs.Block(ctx, owner, userID, at(sec)); err != nil {
				t.Fatalf("block %d: %v", userID, err)
			}
		}
		block(ids[1], 10)
		block(ids[2], 30)
		block(ids[3], 20)
		block(ids[4], 20) // same time as ids[3]: higher id first
		block(ids[5], 40)
		block(ids[1], 50) // again: no error, keeps time 10
		if err := cs.Block(ctx, ids[7], owner, at(5)); err != nil {
			t.Fatal(err)
		}

		all := []int64{ids[5], ids[2], ids[4], ids[3], ids[1]}
		for _, c := range []struct {
			offset, limit int
			want          []int64
		}{
			{0, 100, all},
			{0, 2, all[:2]},
			{2, 2, all[2:4]},
			{4, 2, all[4:]},
			{5, 2, nil},
			{50, 2, nil},
			{0, 0, nil}, // the size only
		} {
			got, total, err := cs.Blocked(ctx, owner, c.offset, c.limit)
			if err != nil || total != 5 || !slices.Equal(got, c.want) {
				t.Errorf("blocked(%d, %d) = %v, %d, %v; want %v, 5", c.offset, c.limit, got, total, err, c.want)
			}
		}
		if got, total, err := cs.Blocked(ctx, ids[6], 0, 10); err != nil || total != 0 || len(got) != 0 {
			t.Errorf("blocked of a user who blocked nobody = %v, %d, %v", got, total, err)
		}

		for _, c := range []struct {
			owner, user int64
			want        bool
		}{{owner, ids[1], true}, {owner, ids[6], false}, {ids[1], owner, false}, {ids[7], owner, true}, {99, 98, false}} {
			if got, err := cs.IsBlocked(ctx, c.owner, c.user); err != nil || got != c.want {
				t.Errorf("is %d blocked by %d = %t, %v; want %t", c.user, c.owner, got, err, c.want)
			}
			// Blocks answers both directions of the pair.
			back, _ := cs.IsBlocked(ctx, c.user, c.owner)
			if ab, ba, err := cs.Blocks(ctx, c.owner, c.user); err != nil || ab != c.want || ba != back {
				t.Errorf("blocks(%d, %d) = %t, %t, %v; want %t, %t", c.owner, c.user, ab, ba, err, c.want, back)
			}
		}

		// BlockedAt gives the time of each blocked user asked for.
		if at, err := cs.BlockedAt(ctx, owner, []int64{ids[1], ids[6], ids[2]}); err != nil || len(at) != 2 || at[ids[1]].IsZero() || at[ids[2]].IsZero() {
			t.Errorf("blocked at = %v, %v; want ids[1] and ids[2]", at, err)
		}
		if err := cs.Unblock(ctx, owner, ids[2]); err != nil {
			t.Fatalf("unblock: %v", err)
		}
		if err := cs.Unblock(ctx, owner, ids[2]); err != nil {
			t.Errorf("unblock twice: %v", err)
		}
		if err := cs.Unblock(ctx, 99, 98); err != nil {
			t.Errorf("unblock of missing users: %v", err)
		}
		if blocked, _ := cs.IsBlocked(ctx, owner, ids[2]); blocked {
			t.Error("unblocked user still blocked")
		}
		got, total, err := cs.Blocked(ctx, owner, 0, 10)
		if want := []int64{ids[5], ids[4], ids[3], ids[1]}; err != nil || total != 4 || !slices.Equal(got, want) {
			t.Errorf("blocked after unblock = %v, %d, %v; want %v, 4", got, total, err, want)
		}
		// Blocking again after unblocking takes the new time.
		block(ids[2], 5)
		if got, _, _ := cs.Blocked(ctx, owner, 4, 10); !slices.Equal(got, []int64{ids[2]}) {
			t.Errorf("re-blocked user at %v, want last", got)
		}
		// Block lists and contacts are separate.
		if l, _ := cs.List(ctx, owner); len(l) != 0 {
			t.Errorf("blocking added contacts: %v", l)
		}
	})
}

func contactIDs(cs []store.Contact) []int64 {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.UserID
	}
	return ids
}
