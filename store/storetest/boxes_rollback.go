package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/roostchat/roost/store"
)

// boxSnapshot renders everything the read methods show of owners' boxes.
func boxSnapshot(t *testing.T, s store.Store, owners ...int64) string {
	t.Helper()
	ctx := t.Context()
	var b strings.Builder
	for _, owner := range owners {
		st, err := s.Boxes().State(ctx, owner)
		fmt.Fprintf(&b, "state %d: %+v %v\n", owner, st, err)
		ms, err := s.Boxes().Messages(ctx, owner, []int32{1, 2, 3, 4, 5, 6, 7, 8})
		fmt.Fprintf(&b, "messages: %+v %v\n", ms, err)
		for _, p := range []store.Peer{userPeer(owners[0]), userPeer(owners[1]), chatPeer(9)} {
			d, err := s.Boxes().Dialog(ctx, owner, p)
			fmt.Fprintf(&b, "dialog %v: %+v %v\n", p, d, err)
		}
		us, err := s.Boxes().Updates(ctx, owner, 0, 100)
		fmt.Fprintf(&b, "updates: %+v %v\n", us, err)
	}
	return b.String()
}

func testBoxRollback(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	ids := mustUsers(t, s, 2)
	a, b := ids[0], ids[1]
	kept := putMessage(t, s, store.Message{OwnerID: a, Peer: userPeer(b), Date: at(1), Text: "kept", RandomID: 1, GlobalID: 1})
	mustUpdate(t, s, func(tx store.BoxTx) error {
		if err := tx.PutDialog(store.Dialog{OwnerID: a, Peer: userPeer(b), TopMessage: kept.ID, TopDate: at(1)}); err != nil {
			return err
		}
		if _, err := tx.NextSeq(a); err != nil {
			return err
		}
		_, err := tx.AppendUpdate(a, 1, at(1), []byte("kept"))
		return err
	})
	before := boxSnapshot(t, s, a, b)

	// work changes everything a transaction can change.
	work := func(tx store.BoxTx) error {
		for _, owner := range []int64{a, b} {
			id, err := tx.NextID(owner)
			if err != nil {
				return err
			}
			if err := tx.PutMessage(store.Message{OwnerID: owner, ID: id, Peer: chatPeer(9), Date: at(2),
				RandomID: 2, GlobalID: 2}); err != nil {
				return err
			}
			if err := tx.PutDialog(store.Dialog{OwnerID: owner, Peer: chatPeer(9), TopMessage: id}); err != nil {
				return err
			}
			for _, n := range []int32{1, 0, 2} {
				if _, err := tx.AppendUpdate(owner, n, at(2), []byte("lost")); err != nil {
					return err
				}
			}
			if _, err := tx.NextSeq(owner); err != nil {
				return err
			}
		}
		edited := kept
		edited.Text, edited.RandomID = "lost", 3
		if err := tx.UpdateMessage(edited); err != nil {
			return err
		}
		if err := tx.PutDialog(store.Dialog{OwnerID: a, Peer: userPeer(b), TopMessage: 99, UnreadCount: 5}); err != nil {
			return err
		}
		if err := tx.DeleteDialog(a, userPeer(b)); err != nil {
			return err
		}
		return tx.DeleteMessages(a, []int32{kept.ID})
	}

	errBoom := errors.New("boom")
	err := s.Boxes().Update(ctx, func(tx store.BoxTx) error {
		if err := work(tx); err != nil {
			return fmt.Errorf("work: %w", err)
		}
		return errBoom
	})
	if err != errBoom { //nolint:errorlint // Update returns f's error as it is
		t.Fatalf("update = %v, want f's error as it is", err)
	}
	if after := boxSnapshot(t, s, a, b); after != before {
		t.Errorf("a failed update left changes:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want the panic of f", r)
			}
		}()
		_ = s.Boxes().Update(ctx, func(tx store.BoxTx) error {
			if err := work(tx); err != nil {
				t.Errorf("work: %v", err)
			}
			panic("boom")
		})
		t.Error("the panic of f did not reach the caller")
	}()
	if after := boxSnapshot(t, s, a, b); after != before {
		t.Errorf("a panicking update left changes:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// Nothing of the failed calls is left: ids, pts and random ids go on
	// as if they never ran.
	mustUpdate(t, s, func(tx store.BoxTx) error {
		if _, err := tx.ByRandomID(a, 2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("random id of a dropped message: err = %v, want ErrNotFound", err)
		}
		if ms, err := tx.ByGlobalID(2); err != nil || len(ms) != 0 {
			t.Errorf("global id of dropped messages finds %v, %v", msgIDs(ms), err)
		}
		if id, err := tx.NextID(a); err != nil || id != kept.ID+1 {
			t.Errorf("next id after rollbacks = %d, %v; want %d", id, err, kept.ID+1)
		}
		if id, err := tx.NextID(b); err != nil || id != 1 {
			t.Errorf("first id of b after rollbacks = %d, %v; want 1", id, err)
		}
		if pts, err := tx.AppendUpdate(a, 1, at(3), nil); err != nil || pts != 2 {
			t.Errorf("pts after rollbacks = %d, %v; want 2", pts, err)
		}
		if seq, err := tx.NextSeq(a); err != nil || seq != 2 {
			t.Errorf("seq after rollbacks = %d, %v; want 2", seq, err)
		}
		return nil
	})
}
