package storetest

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

func testChats(t *testing.T, open Open) {
	t.Run("CreateGet", func(t *testing.T) { testChatCreate(t, open) })
	t.Run("Members", func(t *testing.T) { testChatMembers(t, open) })
	t.Run("Invites", func(t *testing.T) { testChatInvites(t, open) })
	t.Run("InBoxTx", func(t *testing.T) { testChatTx(t, open) })
	t.Run("UseInvite", func(t *testing.T) { testUseInvite(t, open) })
}

func testChatCreate(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	cs := s.Chats()
	ids := mustUsers(t, s, 3)
	in := store.Chat{Title: "Group", CreatorID: ids[0], Date: at(1).Add(400 * time.Millisecond), Version: 1,
		About: "about", DefaultBannedRights: []byte{1, 2}}
	members := []store.ChatMember{
		{UserID: ids[0], Date: at(1), Admin: true},
		{UserID: ids[1], InviterID: ids[0], Date: at(1)},
	}
	c, err := cs.Create(ctx, in, members)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	want := in
	want.ID, want.Date, want.DefaultBannedRights = store.FirstChatID, at(1), []byte{1, 2}
	in.DefaultBannedRights[0] = 9 // the store has its own copy
	if !reflect.DeepEqual(c, want) {
		t.Errorf("created = %+v, want %+v", c, want)
	}
	if got, err := cs.Get(ctx, c.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("get = %+v, %v; want %+v", got, err, want)
	}
	if ms, err := cs.Members(ctx, c.ID); err != nil || len(ms) != 2 || ms[0].ChatID != c.ID || !ms[0].Admin {
		t.Errorf("members = %+v, %v", ms, err)
	}

	// Ids count up from FirstChatID, above explicit ones, never reused.
	next := func(want int64) {
		t.Helper()
		c, err := cs.Create(ctx, store.Chat{Title: "x", CreatorID: ids[0], Date: at(2)}, nil)
		if err != nil || c.ID != want {
			t.Errorf("next chat = %d, %v; want %d", c.ID, err, want)
		}
	}
	next(store.FirstChatID + 1)
	if c, err := cs.Create(ctx, store.Chat{ID: 5, Title: "explicit", CreatorID: ids[0]}, nil); err != nil || c.ID != 5 {
		t.Errorf("explicit id = %d, %v", c.ID, err)
	}
	next(store.FirstChatID + 2)
	if _, err := cs.Create(ctx, store.Chat{ID: store.FirstChatID + 50, CreatorID: ids[0]}, nil); err != nil {
		t.Fatal(err)
	}
	next(store.FirstChatID + 51)

	for name, c := range map[string]struct {
		chat    store.Chat
		members []store.ChatMember
		want    error
	}{
		"taken id":          {store.Chat{ID: 5, CreatorID: ids[0]}, nil, store.ErrExists},
		"negative id":       {store.Chat{ID: -1, CreatorID: ids[0]}, nil, store.ErrInvalid},
		"missing creator":   {store.Chat{CreatorID: 99}, nil, store.ErrNotFound},
		"missing member":    {store.Chat{CreatorID: ids[0]}, []store.ChatMember{{UserID: ids[0]}, {UserID: 99}}, store.ErrNotFound},
		"member twice":      {store.Chat{CreatorID: ids[0]}, []store.ChatMember{{UserID: ids[1]}, {UserID: ids[1]}}, store.ErrInvalid},
		"member of another": {store.Chat{CreatorID: ids[0]}, []store.ChatMember{{ChatID: 7, UserID: ids[1]}}, store.ErrInvalid},
	} {
		if _, err := cs.Create(ctx, c.chat, c.members); !errors.Is(err, c.want) {
			t.Errorf("create with %s: err = %v, want %v", name, err, c.want)
		}
	}
	if chats, err := cs.ChatsOf(ctx, ids[0]); err != nil || len(chats) != 1 {
		t.Errorf("a failed create left memberships: %v, %v", chats, err)
	}
	if _, err := cs.Get(ctx, 6); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("get missing: err = %v, want ErrNotFound", err)
	}

	got, err := cs.GetMany(ctx, []int64{store.FirstChatID + 1, 99, 5, store.FirstChatID + 1, store.FirstChatID})
	var gotIDs []int64
	for _, c := range got {
		gotIDs = append(gotIDs, c.ID)
	}
	if wantIDs := []int64{store.FirstChatID + 1, 5, store.FirstChatID}; err != nil || !slices.Equal(gotIDs, wantIDs) {
		t.Errorf("get many = %v, %v; want %v", gotIDs, err, wantIDs)
	}
	if got, err := cs.GetMany(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("get none = %v, %v", got, err)
	}

	// Update replaces what changes and keeps the creator and the date.
	upd := store.Chat{ID: c.ID, Title: "Renamed", CreatorID: ids[2], Date: at(99), Version: 2, Deactivated: true,
		About: "new", DefaultBannedRights: []byte{}}
	if err := cs.Update(ctx, upd); err != nil {
		t.Fatalf("update: %v", err)
	}
	want.Title, want.Version, want.Deactivated, want.About, want.DefaultBannedRights = "Renamed", 2, true, "new", nil
	if got, err := cs.Get(ctx, c.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after update = %+v, %v; want %+v", got, err, want)
	}
	if err := cs.Update(ctx, store.Chat{ID: 6, Title: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update missing: err = %v, want ErrNotFound", err)
	}
}

func testChatMembers(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	cs := s.Chats()
	ids := mustUsers(t, s, 5)
	c, err := cs.Create(ctx, store.Chat{Title: "g", CreatorID: ids[0], Date: at(0)},
		[]store.ChatMember{{UserID: ids[0], Date: at(0), Admin: true}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := cs.Create(ctx, store.Chat{Title: "h", CreatorID: ids[1], Date: at(0)},
		[]store.ChatMember{{UserID: ids[1], Date: at(0)}, {UserID: ids[2], Date: at(0)}})
	if err != nil {
		t.Fatal(err)
	}
	add := func(m store.ChatMember) {
		t.Helper()
		if err := cs.AddMember(ctx, m); err != nil {
			t.Fatalf("add %+v: %v", m, err)
		}
	}
	add(store.ChatMember{ChatID: c.ID, UserID: ids[3], InviterID: ids[0], Date: at(5).Add(time.Millisecond)})
	add(store.ChatMember{ChatID: c.ID, UserID: ids[2], InviterID: ids[0], Date: at(5)})
	add(store.ChatMember{ChatID: c.ID, UserID: ids[1], InviterID: ids[3], Date: at(3)})
	ms, err := cs.Members(ctx, c.ID)
	var order []int64
	for _, m := range ms {
		order = append(order, m.UserID)
	}
	if want := []int64{ids[0], ids[1], ids[2], ids[3]}; err != nil || !slices.Equal(order, want) {
		t.Errorf("members = %v, %v; want %v (by date, then user id)", order, err, want)
	}
	wantMember := store.ChatMember{ChatID: c.ID, UserID: ids[3], InviterID: ids[0], Date: at(5)}
	if m, err := cs.Member(ctx, c.ID, ids[3]); err != nil || m != wantMember {
		t.Errorf("member = %+v, %v; want %+v", m, err, wantMember)
	}
	for name, c := range map[string]struct {
		m    store.ChatMember
		want error
	}{
		"member again": {store.ChatMember{ChatID: c.ID, UserID: ids[1]}, store.ErrExists},
		"missing chat": {store.ChatMember{ChatID: 1, UserID: ids[1]}, store.ErrNotFound},
		"missing user": {store.ChatMember{ChatID: c.ID, UserID: 99}, store.ErrNotFound},
	} {
		if err := cs.AddMember(ctx, c.m); !errors.Is(err, c.want) {
			t.Errorf("add %s: err = %v, want %v", name, err, c.want)
		}
	}

	if err := cs.SetAdmin(ctx, c.ID, ids[2], true); err != nil {
		t.Fatal(err)
	}
	if m, err := cs.Member(ctx, c.ID, ids[2]); err != nil || !m.Admin {
		t.Errorf("after set admin = %+v, %v", m, err)
	}
	if err := cs.SetAdmin(ctx, c.ID, ids[2], false); err != nil {
		t.Fatal(err)
	}
	if m, err := cs.Member(ctx, c.ID, ids[2]); err != nil || m.Admin {
		t.Errorf("after revoking admin = %+v, %v", m, err)
	}
	if err := cs.SetAdmin(ctx, c.ID, ids[4], true); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("set admin of a non-member: err = %v, want ErrNotFound", err)
	}

	if chats, err := cs.ChatsOf(ctx, ids[2]); err != nil || !slices.Equal(chats, []int64{c.ID, other.ID}) {
		t.Errorf("chats of a member of both = %v, %v", chats, err)
	}
	if err := cs.RemoveMember(ctx, c.ID, ids[2]); err != nil {
		t.Fatal(err)
	}
	if err := cs.RemoveMember(ctx, c.ID, ids[2]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("remove again: err = %v, want ErrNotFound", err)
	}
	if _, err := cs.Member(ctx, c.ID, ids[2]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removed member: err = %v, want ErrNotFound", err)
	}
	if chats, err := cs.ChatsOf(ctx, ids[2]); err != nil || !slices.Equal(chats, []int64{other.ID}) {
		t.Errorf("chats after removal = %v, %v", chats, err)
	}
	if chats, err := cs.ChatsOf(ctx, ids[4]); err != nil || len(chats) != 0 {
		t.Errorf("chats of a non-member = %v, %v", chats, err)
	}
	if ms, err := cs.Members(ctx, 1); err != nil || len(ms) != 0 {
		t.Errorf("members of a missing chat = %v, %v", ms, err)
	}
}

func testChatInvites(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	cs := s.Chats()
	ids := mustUsers(t, s, 1)
	c, err := cs.Create(ctx, store.Chat{Title: "g", CreatorID: ids[0], Date: at(0)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := cs.Create(ctx, store.Chat{Title: "h", CreatorID: ids[0], Date: at(0)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	put := func(inv store.ChatInvite) {
		t.Helper()
		if err := cs.PutInvite(ctx, inv); err != nil {
			t.Fatalf("put %+v: %v", inv, err)
		}
	}
	perm := store.ChatInvite{Hash: "AAAA", ChatID: c.ID, AdminID: ids[0], Date: at(1).Add(time.Millisecond),
		Permanent: true}
	put(perm)
	perm.Date = at(1)
	limited := store.ChatInvite{Hash: "BBBB", ChatID: c.ID, AdminID: ids[0], Date: at(5), ExpireDate: at(100),
		UsageLimit: 10, Usage: 2}
	put(limited)
	put(store.ChatInvite{Hash: "CCCC", ChatID: c.ID, AdminID: ids[0], Date: at(5)}) // same date: by hash
	put(store.ChatInvite{Hash: "DDDD", ChatID: other.ID, AdminID: ids[0], Date: at(9)})

	if got, err := cs.Invite(ctx, "AAAA"); err != nil || got != perm {
		t.Errorf("invite = %+v, %v; want %+v", got, err, perm)
	}
	invs, err := cs.Invites(ctx, c.ID)
	var hashes []string
	for _, inv := range invs {
		hashes = append(hashes, inv.Hash)
	}
	if want := []string{"BBBB", "CCCC", "AAAA"}; err != nil || !slices.Equal(hashes, want) {
		t.Errorf("invites = %v, %v; want %v", hashes, err, want)
	}
	if invs, err := cs.Invites(ctx, 1); err != nil || len(invs) != 0 {
		t.Errorf("invites of a missing chat = %v, %v", invs, err)
	}

	// Replace: usage counted, then revoked.
	limited.Usage, limited.Revoked = 3, true
	put(limited)
	if got, err := cs.Invite(ctx, "BBBB"); err != nil || got != limited {
		t.Errorf("replaced invite = %+v, %v; want %+v", got, err, limited)
	}
	for name, c := range map[string]struct {
		inv  store.ChatInvite
		want error
	}{
		"empty hash":         {store.ChatInvite{ChatID: c.ID}, store.ErrInvalid},
		"missing chat":       {store.ChatInvite{Hash: "EEEE", ChatID: 1}, store.ErrNotFound},
		"hash of other chat": {store.ChatInvite{Hash: "DDDD", ChatID: c.ID}, store.ErrExists},
	} {
		if err := cs.PutInvite(ctx, c.inv); !errors.Is(err, c.want) {
			t.Errorf("put invite with %s: err = %v, want %v", name, err, c.want)
		}
	}
	for _, h := range []string{"", "ZZZZ", "aaaa"} {
		if _, err := cs.Invite(ctx, h); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("invite %q: err = %v, want ErrNotFound", h, err)
		}
	}
}

// testUseInvite: BoxTx.UseInvite counts a use in the transaction; a
// failed call counts none; a missing link is ErrNotFound.
func testUseInvite(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	ids := mustUsers(t, s, 1)
	c, err := s.Chats().Create(ctx, store.Chat{Title: "g", CreatorID: ids[0], Date: at(0)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Chats().PutInvite(ctx, store.ChatInvite{Hash: "USES", ChatID: c.ID, AdminID: ids[0], Date: at(1),
		UsageLimit: 3, Usage: 1}); err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, s, func(tx store.BoxTx) error {
		inv, err := tx.UseInvite("USES")
		if err != nil || inv.Usage != 2 || inv.UsageLimit != 3 || inv.ChatID != c.ID {
			t.Errorf("use: %+v, %v; want usage 2 of 3", inv, err)
		}
		if _, err := tx.UseInvite("NONE"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing link: err = %v, want ErrNotFound", err)
		}
		return nil
	})
	errFail := errors.New("fail on purpose")
	if err := s.Boxes().Update(ctx, func(tx store.BoxTx) error {
		if _, err := tx.UseInvite("USES"); err != nil {
			return err
		}
		return errFail
	}); !errors.Is(err, errFail) {
		t.Fatalf("failed call: %v", err)
	}
	if inv, err := s.Chats().Invite(ctx, "USES"); err != nil || inv.Usage != 2 {
		t.Errorf("after a kept and a failed use: %+v, %v; want usage 2", inv, err)
	}
}
