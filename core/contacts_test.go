package core

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/roostchat/roost/store"
)

func userIDs(us []store.User) []int64 {
	out := make([]int64, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return out
}

func TestImportContacts(t *testing.T) {
	p := newRoster(t)
	me, b, c := p.user("100001", "Me", ""), p.user("100002", "B", ""), p.user("100003", "C", "")
	long := strings.Repeat("ж", MaxNameLength+10)
	imported, users, err := p.c.ImportContacts(p.ctx, me.ID, []PhoneContact{
		{ClientID: 1, Phone: "+100002", FirstName: " Bee ", LastName: long},
		{ClientID: 2, Phone: "999999"}, // nobody
		{ClientID: 3, Phone: "12ab"},   // invalid
		{ClientID: 4, Phone: "100003", FirstName: "Cee"},
		{ClientID: 5, Phone: "1 0000 3", FirstName: "Cee again"},
	})
	p.must(err)
	want := []ImportedContact{{1, b.ID}, {4, c.ID}, {5, c.ID}}
	if !slices.Equal(imported, want) {
		t.Errorf("imported %v, want %v", imported, want)
	}
	if got := userIDs(users); !slices.Equal(got, []int64{b.ID, c.ID}) {
		t.Errorf("users %v", got)
	}
	ct, err := p.c.Store.Contacts().Get(p.ctx, me.ID, b.ID)
	p.must(err)
	if ct.FirstName != "Bee" || len([]rune(ct.LastName)) != MaxNameLength {
		t.Errorf("saved names %q %q", ct.FirstName, ct.LastName)
	}
	if ct, _ := p.c.Store.Contacts().Get(p.ctx, me.ID, c.ID); ct.FirstName != "Cee again" {
		t.Errorf("renamed contact %q", ct.FirstName)
	}

	// Who hides the number and is found only by contacts is not imported
	// by others.
	d := p.user("100004", "D", "")
	p.setPrivacy(d.ID, PrivacyPhoneNumber, PrivacyRule{Kind: DisallowAll})
	p.setPrivacy(d.ID, PrivacyAddedByPhone, PrivacyRule{Kind: AllowContacts})
	imported, _, err = p.c.ImportContacts(p.ctx, me.ID, []PhoneContact{{ClientID: 6, Phone: d.Phone, FirstName: "D"}})
	p.must(err)
	if len(imported) != 0 {
		t.Errorf("imported a hidden user: %v", imported)
	}
	p.addContact(d.ID, me.ID, "Me")
	imported, _, err = p.c.ImportContacts(p.ctx, me.ID, []PhoneContact{{ClientID: 6, Phone: d.Phone, FirstName: "D"}})
	p.must(err)
	if len(imported) != 1 {
		t.Errorf("a contact of d could not import d: %v", imported)
	}
}

func TestContactsListAndHash(t *testing.T) {
	p := newRoster(t)
	me, b, c := p.user("100001", "Me", ""), p.user("100002", "B", ""), p.user("100003", "C", "")
	empty, err := p.c.Contacts(p.ctx, me.ID)
	p.must(err)
	if h := ContactsHash(0, empty); h != 0 {
		t.Errorf("hash of no contacts %d, want 0 (the client's no-cache)", h)
	}
	p.addContact(me.ID, c.ID, "C")
	p.addContact(me.ID, b.ID, "B")
	list, err := p.c.Contacts(p.ctx, me.ID)
	p.must(err)
	if len(list) != 2 || list[0].UserID != b.ID || list[1].UserID != c.ID {
		t.Fatalf("list %+v", list)
	}
	h := ContactsHash(0, list)
	if h2 := ContactsHash(0, []store.Contact{list[1], list[0]}); h2 != h {
		t.Error("the hash depends on the order of the list")
	}
	if want := PaginationHash(0, b.ID, c.ID); h != want {
		t.Errorf("hash %d, want %d", h, want)
	}
	p.must(p.c.DeleteContacts(p.ctx, me.ID, []int64{c.ID, 424242}))
	list, err = p.c.Contacts(p.ctx, me.ID)
	p.must(err)
	if len(list) != 1 || ContactsHash(0, list) == h {
		t.Errorf("after delete: %+v", list)
	}
}

func TestPaginationHash(t *testing.T) {
	// Values worked by hand from the algorithm of core.telegram.org/api/offsets.
	for _, tt := range []struct {
		in   []int64
		want int64
	}{
		{nil, 0},
		{[]int64{0, 1, 2}, 36507222019},
		{[]int64{0, 1000000, 1000001}, 35381322111187109},
		{[]int64{5, 1 << 40, -1}, 21967222939959620},
	} {
		if got := PaginationHash(tt.in...); got != tt.want {
			t.Errorf("PaginationHash(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestAddContact(t *testing.T) {
	p := newRoster(t)
	me, b := p.user("100001", "Me", ""), p.user("100002", "B", "")
	for _, tt := range []struct {
		name        string
		id          int64
		first, last string
		want        error
	}{
		{"no name", b.ID, " ", "", ErrContactNameEmpty},
		{"self", me.ID, "Me", "", ErrContactIDInvalid},
		{"nobody", 424242, "X", "", ErrContactIDInvalid},
	} {
		if _, err := p.c.AddContact(p.ctx, me.ID, tt.id, tt.first, tt.last, false); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if v := p.view(b.ID, me.ID); v.User.Phone != "" {
		t.Fatal("b sees my phone before the exception")
	}
	u, err := p.c.AddContact(p.ctx, me.ID, b.ID, "", "Bee", true)
	p.must(err)
	if u.ID != b.ID {
		t.Errorf("added %d", u.ID)
	}
	if v := p.view(b.ID, me.ID); v.User.Phone != me.Phone {
		t.Error("add_phone_privacy_exception did not share my phone with b")
	}
}

func TestDeleteByPhones(t *testing.T) {
	p := newRoster(t)
	me, b, c := p.user("100001", "Me", ""), p.user("100002", "B", ""), p.user("100003", "C", "")
	p.addContact(me.ID, b.ID, "B")
	p.addContact(me.ID, c.ID, "C")
	p.must(p.c.DeleteByPhones(p.ctx, me.ID, []string{"+100002", "bad", "5555555"}))
	list, err := p.c.Contacts(p.ctx, me.ID)
	p.must(err)
	if len(list) != 1 || list[0].UserID != c.ID {
		t.Errorf("left %+v", list)
	}
	p.must(p.c.DeleteByPhones(p.ctx, me.ID, nil))
}

func TestBlockList(t *testing.T) {
	p := newRoster(t)
	me := p.user("100001", "Me", "")
	if err := p.c.Block(p.ctx, me.ID, me.ID); !errors.Is(err, ErrContactIDInvalid) {
		t.Errorf("block self: %v", err)
	}
	if err := p.c.Unblock(p.ctx, me.ID, 424242); !errors.Is(err, ErrContactIDInvalid) {
		t.Errorf("unblock nobody: %v", err)
	}
	var blocked []int64
	for i := range 5 {
		u := p.user(string(rune('2'+i))+"00000", "U", "")
		p.must(p.c.Block(p.ctx, me.ID, u.ID))
		p.must(p.c.Block(p.ctx, me.ID, u.ID)) // again: no error
		blocked = append(blocked, u.ID)
		p.now = p.now.Add(1e9)
	}
	slices.Reverse(blocked) // newest first
	page, total, err := p.c.Blocked(p.ctx, me.ID, 0, 2)
	p.must(err)
	if total != 5 || !slices.Equal(userIDs(page), blocked[:2]) {
		t.Errorf("first page %v of %d", userIDs(page), total)
	}
	page, _, err = p.c.Blocked(p.ctx, me.ID, 4, 2)
	p.must(err)
	if !slices.Equal(userIDs(page), blocked[4:]) {
		t.Errorf("last page %v", userIDs(page))
	}
	page, _, err = p.c.Blocked(p.ctx, me.ID, -3, 0) // defaults
	p.must(err)
	if !slices.Equal(userIDs(page), blocked) {
		t.Errorf("default page %v", userIDs(page))
	}
	p.must(p.c.Unblock(p.ctx, me.ID, blocked[0]))
	if ok, _ := p.c.IsBlocked(p.ctx, me.ID, blocked[0]); ok {
		t.Error("still blocked")
	}
	if _, total, _ := p.c.Blocked(p.ctx, me.ID, 0, 10); total != 4 {
		t.Errorf("%d blocked after unblock", total)
	}
}

func TestPageSize(t *testing.T) {
	for in, want := range map[int]int{-1: DefaultPageSize, 0: DefaultPageSize, 7: 7, MaxPageSize: MaxPageSize, 1000: MaxPageSize} {
		if got := PageSize(in); got != want {
			t.Errorf("PageSize(%d) = %d, want %d", in, got, want)
		}
	}
}

func TestSearchUsers(t *testing.T) {
	p := newRoster(t)
	me := p.user("100001", "Me", "")
	alice := p.user("100002", "Alice", "Liddell")
	bob := p.user("100003", "Robert", "Smith")
	carol := p.user("100004", "Carol", "")
	_, err := p.c.SetUsername(p.ctx, carol.ID, "carol_roost")
	p.must(err)
	_, err = p.c.SetUsername(p.ctx, alice.ID, "alice_wonder")
	p.must(err)
	p.addContact(me.ID, alice.ID, "Al")
	p.addContact(me.ID, bob.ID, "Bob")

	for _, tt := range []struct {
		q            string
		mine, global []int64
	}{
		{"bo", []int64{bob.ID}, nil},        // the saved name
		{"rob", []int64{bob.ID}, nil},       // the user's own name
		{"LIDD al", []int64{alice.ID}, nil}, // every word a prefix, any case
		{"@alice", []int64{alice.ID}, nil},  // username words
		{"carol_roost", nil, []int64{carol.ID}},
		{"caro", nil, []int64{carol.ID}},         // a public username by its beginning
		{"car", nil, nil},                        // too short to search everyone
		{"alice_wonder", []int64{alice.ID}, nil}, // found among contacts once
		{"zed", nil, nil},
	} {
		mine, global, err := p.c.SearchUsers(p.ctx, me.ID, tt.q, 0)
		p.must(err)
		if !slices.Equal(userIDs(mine), tt.mine) || !slices.Equal(userIDs(global), tt.global) {
			t.Errorf("search %q: mine %v global %v, want %v %v", tt.q, userIDs(mine), userIDs(global), tt.mine, tt.global)
		}
	}
	mine, _, err := p.c.SearchUsers(p.ctx, me.ID, "a", 1)
	p.must(err)
	if len(mine) != 1 {
		t.Errorf("limit 1: %v", userIDs(mine))
	}
	for _, q := range []string{"", "  ", "@", "--"} {
		if _, _, err := p.c.SearchUsers(p.ctx, me.ID, q, 10); !errors.Is(err, ErrSearchQueryEmpty) {
			t.Errorf("search %q: %v", q, err)
		}
	}
}

func TestResolvePhone(t *testing.T) {
	p := newRoster(t)
	me, b := p.user("100001", "Me", ""), p.user("100002", "B", "")
	u, err := p.c.ResolvePhone(p.ctx, me.ID, "+1 000 02")
	p.must(err)
	if u.ID != b.ID {
		t.Errorf("resolved %d", u.ID)
	}
	for _, phone := range []string{"5555555", "nope", ""} {
		if _, err := p.c.ResolvePhone(p.ctx, me.ID, phone); !errors.Is(err, ErrPhoneNotOccupied) {
			t.Errorf("resolve %q: %v", phone, err)
		}
	}
	// Hidden number, found by contacts only: a stranger gets nothing, a
	// contact finds the user, the user finds themself.
	p.setPrivacy(b.ID, PrivacyPhoneNumber, PrivacyRule{Kind: DisallowAll})
	p.setPrivacy(b.ID, PrivacyAddedByPhone, PrivacyRule{Kind: AllowContacts})
	if _, err := p.c.ResolvePhone(p.ctx, me.ID, b.Phone); !errors.Is(err, ErrPhoneNotOccupied) {
		t.Errorf("resolve a hidden number: %v", err)
	}
	p.addContact(b.ID, me.ID, "Me")
	if _, err := p.c.ResolvePhone(p.ctx, me.ID, b.Phone); err != nil {
		t.Errorf("a contact resolving: %v", err)
	}
	if _, err := p.c.ResolvePhone(p.ctx, b.ID, b.Phone); err != nil {
		t.Errorf("resolving self: %v", err)
	}
}
