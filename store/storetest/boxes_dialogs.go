package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

func testDialogs(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	bx := s.Boxes()
	ids := mustUsers(t, s, 2)
	a, b := ids[0], ids[1]
	d := store.Dialog{OwnerID: a, Peer: userPeer(b), TopMessage: 7, TopDate: at(5).Add(300 * time.Millisecond),
		ReadInboxMaxID: 6, ReadOutboxMaxID: 5, UnreadCount: 1, UnreadMentions: 1, PinnedOrder: 3, FolderID: 1,
		Draft: []byte("draft")}
	want := d
	want.TopDate, want.Draft = at(5), []byte("draft")
	mustUpdate(t, s, func(tx store.BoxTx) error {
		if _, err := tx.Dialog(a, d.Peer); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("tx missing dialog: err = %v, want ErrNotFound", err)
		}
		if err := tx.PutDialog(d); err != nil {
			return err
		}
		d.Draft[0] = 'X' // the store has its own copy
		if got, err := tx.Dialog(a, d.Peer); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("tx dialog = %+v, %v; want %+v", got, err, want)
		}
		return nil
	})
	got, err := bx.Dialog(ctx, a, d.Peer)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("dialog = %+v, %v; want %+v", got, err, want)
	}
	got.Draft[0] = 'Y'
	if again, _ := bx.Dialog(ctx, a, d.Peer); string(again.Draft) != "draft" {
		t.Error("dialog changed through a returned slice")
	}
	for _, p := range []store.Peer{chatPeer(b), userPeer(a)} {
		if _, err := bx.Dialog(ctx, a, p); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("dialog with %v: err = %v, want ErrNotFound", p, err)
		}
	}
	if _, err := bx.Dialog(ctx, b, userPeer(a)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("dialog of another owner: err = %v, want ErrNotFound", err)
	}

	// Replace: every field changes; an empty draft reads back as nil.
	replaced := store.Dialog{OwnerID: a, Peer: userPeer(b), TopMessage: 9, TopDate: at(9), Draft: []byte{}}
	mustUpdate(t, s, func(tx store.BoxTx) error { return tx.PutDialog(replaced) })
	replaced.Draft = nil
	if got, err := bx.Dialog(ctx, a, d.Peer); err != nil || !reflect.DeepEqual(got, replaced) {
		t.Errorf("replaced dialog = %+v, %v; want %+v", got, err, replaced)
	}

	// Saved Messages is a dialog with oneself.
	saved := store.Dialog{OwnerID: a, Peer: userPeer(a), TopMessage: 1, TopDate: at(1)}
	mustUpdate(t, s, func(tx store.BoxTx) error { return tx.PutDialog(saved) })
	mustUpdate(t, s, func(tx store.BoxTx) error {
		if err := tx.DeleteDialog(a, d.Peer); err != nil {
			return err
		}
		if _, err := tx.Dialog(a, d.Peer); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("tx deleted dialog: err = %v, want ErrNotFound", err)
		}
		if err := tx.DeleteDialog(a, d.Peer); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleting again: err = %v, want ErrNotFound", err)
		}
		return nil
	})
	if _, err := bx.Dialog(ctx, a, d.Peer); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted dialog: err = %v, want ErrNotFound", err)
	}
	if got, err := bx.Dialog(ctx, a, userPeer(a)); err != nil || !reflect.DeepEqual(got, saved) {
		t.Errorf("saved messages dialog = %+v, %v", got, err)
	}
}

func testDialogList(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	bx := s.Boxes()
	a := mustUser(t, s, person(0)).ID
	type spec struct {
		name           string
		peer           store.Peer
		top            int32
		date           int
		pinned, folder int32
	}
	specs := []spec{
		{"d1", userPeer(101), 10, 100, 0, 0},
		{"d2", userPeer(102), 12, 120, 0, 0},
		{"d3", chatPeer(7), 11, 120, 0, 0},
		{"d4", userPeer(103), 5, 50, 1, 0},
		{"d5", userPeer(104), 6, 60, 2, 0},
		{"empty", userPeer(105), 0, 200, 0, 0},
		{"empty pinned", userPeer(108), 0, 300, 5, 0},
		{"d7", userPeer(106), 13, 130, 0, 1},
		{"d8", userPeer(107), 14, 140, 1, 1},
		{"d9", chatPeer(8), 12, 120, 0, 0}, // same top as d2: the chat comes first
	}
	names := make(map[store.Peer]string)
	mustUpdate(t, s, func(tx store.BoxTx) error {
		for _, sp := range specs {
			names[sp.peer] = sp.name
			d := store.Dialog{OwnerID: a, Peer: sp.peer, TopMessage: sp.top, TopDate: at(sp.date), PinnedOrder: sp.pinned,
				FolderID: sp.folder}
			if sp.top == 0 {
				d.TopDate = time.Time{}
			}
			if err := tx.PutDialog(d); err != nil {
				return err
			}
		}
		return nil
	})
	for _, c := range []struct {
		name string
		q    store.DialogQuery
		want string
	}{
		{"first page", store.DialogQuery{Limit: 100}, "[d5 d4 d9 d2 d3 d1]"},
		{"first page, limited", store.DialogQuery{Limit: 3}, "[d5 d4 d9]"},
		{"first page, pinned only fill it", store.DialogQuery{Limit: 2}, "[d5 d4]"},
		{"first page, one", store.DialogQuery{Limit: 1}, "[d5]"},
		{"without pinned", store.DialogQuery{Limit: 100, ExcludePinned: true}, "[d9 d2 d3 d1]"},
		{"without pinned, limited", store.DialogQuery{Limit: 2, ExcludePinned: true}, "[d9 d2]"},
		{"pinned only", store.DialogQuery{Limit: 100, PinnedOnly: true}, "[d5 d4]"},
		{"pinned only, limited", store.DialogQuery{Limit: 1, PinnedOnly: true}, "[d5]"},
		{"after d2", store.DialogQuery{Limit: 100, OffsetDate: at(120), OffsetID: 12}, "[d3 d1]"},
		{"after d3", store.DialogQuery{Limit: 100, OffsetDate: at(120), OffsetID: 11}, "[d1]"},
		{"before a date", store.DialogQuery{Limit: 100, OffsetDate: at(120)}, "[d1]"},
		{"after a newer date", store.DialogQuery{Limit: 100, OffsetDate: at(121)}, "[d9 d2 d3 d1]"},
		{"after a newer date, limited", store.DialogQuery{Limit: 1, OffsetDate: at(121)}, "[d9]"},
		{"by id alone", store.DialogQuery{Limit: 100, OffsetID: 12}, "[d3 d1]"},
		{"after the last", store.DialogQuery{Limit: 100, OffsetDate: at(100), OffsetID: 10}, "[]"},
		{"pinned only, later page", store.DialogQuery{Limit: 100, PinnedOnly: true, OffsetDate: at(121)}, "[]"},
		{"archive", store.DialogQuery{Limit: 100, FolderID: 1}, "[d8 d7]"},
		{"archive without pinned", store.DialogQuery{Limit: 100, FolderID: 1, ExcludePinned: true}, "[d7]"},
		{"archive after d7", store.DialogQuery{Limit: 100, FolderID: 1, OffsetDate: at(130), OffsetID: 13}, "[]"},
		{"empty folder", store.DialogQuery{Limit: 100, FolderID: 5}, "[]"},
	} {
		ds, err := bx.Dialogs(ctx, a, c.q)
		got := make([]string, len(ds))
		for i, d := range ds {
			got[i] = names[d.Peer]
			if d.OwnerID != a {
				t.Errorf("%s: dialog of %d", c.name, d.OwnerID)
			}
		}
		if err != nil || fmt.Sprint(got) != c.want {
			t.Errorf("%s: dialogs = %v, %v; want %s", c.name, got, err, c.want)
		}
	}
	if ds, err := bx.Dialogs(ctx, a+1, store.DialogQuery{Limit: 10}); err != nil || len(ds) != 0 {
		t.Errorf("dialogs of a missing user = %v, %v", ds, err)
	}
	for name, q := range map[string]store.DialogQuery{
		"limit 0":            {},
		"negative limit":     {Limit: -1},
		"negative offset id": {Limit: 1, OffsetID: -1},
		"both pinned flags":  {Limit: 1, PinnedOnly: true, ExcludePinned: true},
	} {
		if _, err := bx.Dialogs(ctx, a, q); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("dialogs with %s: err = %v, want ErrInvalid", name, err)
		}
	}
}

// testDialogSequences: puts and deletes of one dialog in one transaction,
// and in transactions running together (one batch for stores that batch
// them), leave the last state, also after a failed call.
func testDialogSequences(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	ids := mustUsers(t, s, 3)
	a, b, c := ids[0], ids[1], ids[2]
	dlg := func(owner, peer int64, top int32) store.Dialog {
		return store.Dialog{OwnerID: owner, Peer: userPeer(peer), TopMessage: top, TopDate: at(int(top))}
	}
	// One transaction: put, put, delete, put.
	mustUpdate(t, s, func(tx store.BoxTx) error {
		for _, step := range []func() error{
			func() error { return tx.PutDialog(dlg(a, b, 1)) },
			func() error { return tx.PutDialog(dlg(a, b, 2)) },
			func() error { return tx.DeleteDialog(a, userPeer(b)) },
			func() error { return tx.PutDialog(dlg(a, b, 3)) },
		} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	if got, err := s.Boxes().Dialog(ctx, a, userPeer(b)); err != nil || got.TopMessage != 3 {
		t.Errorf("after put, put, delete, put: %+v, %v; want top 3", got, err)
	}
	// Calls running together: a kept put, a failed put, a kept delete of
	// another dialog, a put after it.
	mustUpdate(t, s, func(tx store.BoxTx) error { return tx.PutDialog(dlg(a, c, 1)) })
	errFail := fmt.Errorf("fail on purpose")
	steps := []func(tx store.BoxTx) error{
		func(tx store.BoxTx) error { return tx.PutDialog(dlg(a, b, 4)) },
		func(tx store.BoxTx) error {
			if err := tx.PutDialog(dlg(a, b, 99)); err != nil {
				return err
			}
			return errFail
		},
		func(tx store.BoxTx) error { return tx.DeleteDialog(a, userPeer(c)) },
		func(tx store.BoxTx) error { return tx.PutDialog(dlg(b, a, 5)) },
	}
	errs := make(chan error, len(steps))
	for _, f := range steps {
		go func() { errs <- s.Boxes().Update(ctx, f) }()
	}
	failed := 0
	for range steps {
		if err := <-errs; errors.Is(err, errFail) {
			failed++
		} else if err != nil {
			t.Fatalf("update: %v", err)
		}
	}
	if failed != 1 {
		t.Errorf("%d calls failed, want 1", failed)
	}
	if got, err := s.Boxes().Dialog(ctx, a, userPeer(b)); err != nil || got.TopMessage != 4 {
		t.Errorf("kept put beside a failed one: %+v, %v; want top 4", got, err)
	}
	if _, err := s.Boxes().Dialog(ctx, a, userPeer(c)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted dialog: err = %v, want ErrNotFound", err)
	}
	if got, err := s.Boxes().Dialog(ctx, b, userPeer(a)); err != nil || got.TopMessage != 5 {
		t.Errorf("other owner's dialog: %+v, %v; want top 5", got, err)
	}
}
