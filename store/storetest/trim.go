package storetest

import (
	"errors"
	"testing"

	"github.com/roostchat/roost/store"
)

// appendN appends n entries of one pts each to owner's log, in
// transactions of at most per entries.
func appendN(t *testing.T, s store.Store, owner int64, n, per int) {
	t.Helper()
	for n > 0 {
		k := min(n, per)
		mustUpdate(t, s, func(tx store.BoxTx) error {
			for range k {
				if _, err := tx.AppendUpdate(owner, 1, at(1), []byte("e")); err != nil {
					return err
				}
			}
			return nil
		})
		n -= k
	}
}

// firstKept returns the first entry of owner's log and how many it holds.
func firstKept(t *testing.T, s store.Store, owner int64) (store.Update, int) {
	t.Helper()
	ups, err := s.Boxes().Updates(t.Context(), owner, 0, 3*store.UpdateLogKeep)
	if err != nil || len(ups) == 0 {
		t.Fatalf("log of %d: %d entries, %v", owner, len(ups), err)
	}
	return ups[0], len(ups)
}

// testUpdateLogTrim: appends that pass a multiple of UpdateLogTrimEvery
// drop the entries UpdateLogKeep pts behind, in their own transaction,
// and nothing else.
func testUpdateLogTrim(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	ids := mustUsers(t, s, 2)
	a, b := ids[0], ids[1]
	// A zero-count entry at pts 3 goes with pts 3.
	appendN(t, s, a, 3, 10)
	mustUpdate(t, s, func(tx store.BoxTx) error {
		_, err := tx.AppendUpdate(a, 0, at(2), []byte("zero"))
		return err
	})
	appendN(t, s, b, 5, 10)
	last := int32(store.UpdateLogKeep + store.UpdateLogTrimEvery + 50)
	appendN(t, s, a, int(last)-3, 500)
	// The last trim was at the last multiple of UpdateLogTrimEvery.
	cut := last/store.UpdateLogTrimEvery*store.UpdateLogTrimEvery - store.UpdateLogKeep
	first, n := firstKept(t, s, a)
	if first.Pts != cut+1 || first.PtsCount != 1 || n != int(last-cut) {
		t.Errorf("log of a starts at pts %d (count %d) with %d entries; want %d and %d entries", first.Pts,
			first.PtsCount, n, cut+1, last-cut)
	}
	if first.Pts-first.PtsCount <= 0 {
		t.Error("a reader from pts 0 cannot tell the log was trimmed")
	}
	if ups, err := s.Boxes().Updates(ctx, a, cut, 1); err != nil || len(ups) != 1 || ups[0].Pts != cut+1 {
		t.Errorf("updates after the cut: %+v, %v", ups, err)
	}
	if st, err := s.Boxes().State(ctx, a); err != nil || st.Pts != last {
		t.Errorf("state %+v, %v; want pts %d", st, err, last)
	}
	if first, n := firstKept(t, s, b); first.Pts != 1 || n != 5 {
		t.Errorf("another box was trimmed: first %+v, %d entries", first, n)
	}

	// A call that trims and fails keeps the log as it was.
	boom := errors.New("boom")
	err := s.Boxes().Update(ctx, func(tx store.BoxTx) error {
		for range store.UpdateLogTrimEvery {
			if _, err := tx.AppendUpdate(a, 1, at(3), nil); err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("failed call: %v", err)
	}
	if again, n2 := firstKept(t, s, a); again.Pts != first.Pts || n2 != n {
		t.Errorf("after a failed call the log starts at %+v with %d entries; want %+v, %d", again, n2, first, n)
	}

	// A multi-pts entry that passes a multiple trims too, up to its pts
	// less UpdateLogKeep.
	mustUpdate(t, s, func(tx store.BoxTx) error {
		_, err := tx.AppendUpdate(a, store.UpdateLogTrimEvery, at(4), nil)
		return err
	})
	next := last + store.UpdateLogTrimEvery
	if first, _ := firstKept(t, s, a); first.Pts != next-store.UpdateLogKeep+1 {
		t.Errorf("after a jump to pts %d the log starts at %d", next, first.Pts)
	}
}

// testChatTx: the basic group writes of a box transaction are kept or
// dropped with the rest of the call, and the transaction reads its own.
func testChatTx(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	ids := mustUsers(t, s, 3)
	a, b, c := ids[0], ids[1], ids[2]
	post := func(tx store.BoxTx, owner, chatID int64) error {
		id, err := tx.NextID(owner)
		if err == nil {
			err = tx.PutMessage(store.Message{OwnerID: owner, ID: id, Peer: chatPeer(chatID), FromID: a, Date: at(1),
				Action: []byte("service")})
		}
		return err
	}
	var chat store.Chat
	mustUpdate(t, s, func(tx store.BoxTx) error {
		var err error
		chat, err = tx.CreateChat(store.Chat{Title: "G", CreatorID: a, Date: at(1), Version: 1},
			[]store.ChatMember{{UserID: a, Date: at(1), Admin: true}, {UserID: b, InviterID: a, Date: at(1)}})
		if err != nil {
			return err
		}
		if chat.ID < store.FirstChatID {
			t.Errorf("chat id %d", chat.ID)
		}
		if got, err := tx.Chat(chat.ID); err != nil || got.Title != "G" {
			t.Errorf("the transaction reads its chat: %+v, %v", got, err)
		}
		for _, u := range []int64{a, b} {
			if err := post(tx, u, chat.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if got, err := s.Chats().Get(ctx, chat.ID); err != nil || got.Title != "G" || got.Version != 1 {
		t.Errorf("created chat: %+v, %v", got, err)
	}
	if ms, err := s.Chats().Members(ctx, chat.ID); err != nil || len(ms) != 2 {
		t.Errorf("members: %+v, %v", ms, err)
	}

	// A failed call keeps neither the membership nor the message.
	boom := errors.New("boom")
	err := s.Boxes().Update(ctx, func(tx store.BoxTx) error {
		if err := tx.AddChatMember(store.ChatMember{ChatID: chat.ID, UserID: c, InviterID: a, Date: at(2)}); err != nil {
			return err
		}
		if ms, err := tx.ChatMembers(chat.ID); err != nil || len(ms) != 3 || ms[2].UserID != c {
			t.Errorf("the transaction reads its members: %+v, %v", ms, err)
		}
		chat.Version = 2
		if err := tx.UpdateChat(chat); err != nil {
			return err
		}
		if err := post(tx, c, chat.ID); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("failed call: %v", err)
	}
	if _, err := s.Chats().Member(ctx, chat.ID, c); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("member of a failed call: %v", err)
	}
	if got, _ := s.Chats().Get(ctx, chat.ID); got.Version != 1 {
		t.Errorf("chat of a failed call: %+v", got)
	}
	if st, _ := s.Boxes().State(ctx, c); st.LastID != 0 {
		t.Errorf("message of a failed call: %+v", st)
	}
	// And a failed creation leaves no chat.
	var lost store.Chat
	err = s.Boxes().Update(ctx, func(tx store.BoxTx) error {
		var err error
		lost, err = tx.CreateChat(store.Chat{Title: "lost", CreatorID: c, Date: at(3)}, nil)
		if err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("failed creation: %v", err)
	}
	if _, err := s.Chats().Get(ctx, lost.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("chat of a failed creation: %v", err)
	}

	// Errors are those of Chats, and do not end the transaction.
	mustUpdate(t, s, func(tx store.BoxTx) error {
		for what, err := range map[string]error{
			"add a member again": tx.AddChatMember(store.ChatMember{ChatID: chat.ID, UserID: b, Date: at(4)}),
		} {
			if !errors.Is(err, store.ErrExists) {
				t.Errorf("%s: %v, want ErrExists", what, err)
			}
		}
		_, errCreate := tx.CreateChat(store.Chat{CreatorID: 999_999, Date: at(4)}, nil)
		for what, err := range map[string]error{
			"remove a non-member":       tx.RemoveChatMember(chat.ID, c),
			"admin of a non-member":     tx.SetChatAdmin(chat.ID, c, true),
			"update a missing chat":     tx.UpdateChat(store.Chat{ID: 1, Title: "x"}),
			"add to a missing chat":     tx.AddChatMember(store.ChatMember{ChatID: 1, UserID: c, Date: at(4)}),
			"add a missing user":        tx.AddChatMember(store.ChatMember{ChatID: chat.ID, UserID: 999_999, Date: at(4)}),
			"create for a missing user": errCreate,
		} {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: %v, want ErrNotFound", what, err)
			}
		}
		if _, err := tx.Chat(1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing chat: %v", err)
		}
		if err := tx.SetChatAdmin(chat.ID, b, true); err != nil {
			return err
		}
		if err := tx.RemoveChatMember(chat.ID, a); err != nil {
			return err
		}
		chat.Title, chat.Version = "H", 3
		return tx.UpdateChat(chat)
	})
	ms, err := s.Chats().Members(ctx, chat.ID)
	if err != nil || len(ms) != 1 || ms[0].UserID != b || !ms[0].Admin {
		t.Errorf("members after the writes: %+v, %v", ms, err)
	}
	if got, _ := s.Chats().Get(ctx, chat.ID); got.Title != "H" || got.Version != 3 {
		t.Errorf("chat after the writes: %+v", got)
	}
	// A chat created outside is seen inside.
	out, err := s.Chats().Create(ctx, store.Chat{Title: "out", CreatorID: c, Date: at(5)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, s, func(tx store.BoxTx) error {
		next, err := tx.CreateChat(store.Chat{Title: "next", CreatorID: c, Date: at(5)}, nil)
		if err == nil && next.ID <= out.ID {
			t.Errorf("chat id %d after %d", next.ID, out.ID)
		}
		return err
	})
}
