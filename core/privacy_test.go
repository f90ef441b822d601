package core

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/memory"
)

// roster is a core on a memory store with users and a clock the test
// moves.
type roster struct {
	t   *testing.T
	ctx context.Context
	c   *Core
	now time.Time
}

func newRoster(t *testing.T) *roster {
	p := &roster{t: t, ctx: context.Background(), now: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)}
	p.c = &Core{Store: memory.New(), Secret: []byte("0123456789abcdef0123456789abcdef"),
		Now: func() time.Time { return p.now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return p
}

// user creates a user with a phone (a bot without one when phone is "").
func (p *roster) user(phone, first, last string) store.User {
	p.t.Helper()
	u, err := p.c.Store.Users().Create(p.ctx, store.User{Phone: phone, FirstName: first, LastName: last, Bot: phone == "", CreatedAt: p.now})
	if err != nil {
		p.t.Fatal(err)
	}
	return u
}

func (p *roster) must(err error) {
	p.t.Helper()
	if err != nil {
		p.t.Fatal(err)
	}
}

// addContact makes owner save u under first/last.
func (p *roster) addContact(owner, u int64, first string) {
	p.t.Helper()
	_, err := p.c.AddContact(p.ctx, owner, u, first, "", false)
	p.must(err)
}

func (p *roster) setPrivacy(owner int64, key PrivacyKey, rules ...PrivacyRule) {
	p.t.Helper()
	_, err := p.c.SetPrivacy(p.ctx, owner, key, rules)
	p.must(err)
}

// view returns u (re-read from the store) as viewer sees it.
func (p *roster) view(viewer, id int64) UserView {
	p.t.Helper()
	u, err := p.c.User(p.ctx, id)
	p.must(err)
	v, err := p.c.View(p.ctx, viewer, u)
	p.must(err)
	return v
}

func TestPermitsFirstMatchDecides(t *testing.T) {
	stranger := Audience{UserID: 5}
	contact := Audience{UserID: 6, Contact: true}
	bot := Audience{UserID: 7, Bot: true}
	tests := []struct {
		name  string
		rules []PrivacyRule
		a     Audience
		want  bool
	}{
		{"no rules deny", nil, contact, false},
		{"everybody", []PrivacyRule{{Kind: AllowAll}}, stranger, true},
		{"nobody", []PrivacyRule{{Kind: DisallowAll}}, contact, false},
		{"contacts: contact", []PrivacyRule{{Kind: AllowContacts}}, contact, true},
		{"contacts: stranger", []PrivacyRule{{Kind: AllowContacts}}, stranger, false},
		{"everybody but a user", []PrivacyRule{{Kind: DisallowUsers, Users: []int64{5}}, {Kind: AllowAll}}, stranger, false},
		{"everybody but a user: other", []PrivacyRule{{Kind: DisallowUsers, Users: []int64{5}}, {Kind: AllowAll}}, contact, true},
		{"nobody but a user", []PrivacyRule{{Kind: AllowUsers, Users: []int64{5}}, {Kind: DisallowAll}}, stranger, true},
		{"contacts but one", []PrivacyRule{{Kind: DisallowUsers, Users: []int64{6}}, {Kind: AllowContacts}}, contact, false},
		{"everybody but contacts", []PrivacyRule{{Kind: DisallowContacts}, {Kind: AllowAll}}, contact, false},
		{"no bots", []PrivacyRule{{Kind: DisallowBots}, {Kind: AllowAll}}, bot, false},
		{"bots only", []PrivacyRule{{Kind: AllowBots}}, bot, true},
		{"close friends match nobody", []PrivacyRule{{Kind: AllowCloseFriends}}, contact, false},
		{"premium matches nobody", []PrivacyRule{{Kind: AllowPremium}, {Kind: DisallowAll}}, contact, false},
		{"chats match nobody yet", []PrivacyRule{{Kind: DisallowChatParticipants, Chats: []int64{1}}, {Kind: AllowAll}}, contact, true},
	}
	for _, tt := range tests {
		if got := Permits(tt.rules, tt.a); got != tt.want {
			t.Errorf("%s: Permits = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDefaultPrivacy(t *testing.T) {
	for key, want := range map[PrivacyKey]RuleKind{
		PrivacyStatus: AllowAll, PrivacyPhoneNumber: AllowContacts, PrivacyAddedByPhone: AllowAll,
		PrivacyBirthday: AllowContacts, PrivacyProfilePhoto: AllowAll,
	} {
		rules, ok := DefaultPrivacy(key)
		if !ok || len(rules) != 1 || rules[0].Kind != want {
			t.Errorf("default of %s: %v %v, want [%s]", key, rules, ok, want)
		}
	}
	if _, ok := DefaultPrivacy("nope"); ok {
		t.Error("an unknown key has a default")
	}
}

func TestSetPrivacy(t *testing.T) {
	p := newRoster(t)
	a, b := p.user("100001", "A", ""), p.user("100002", "B", "")
	got, err := p.c.Privacy(p.ctx, a.ID, PrivacyPhoneNumber)
	p.must(err)
	if want := []PrivacyRule{{Kind: AllowContacts}}; !reflect.DeepEqual(got, want) {
		t.Errorf("unset phone privacy: %v, want %v", got, want)
	}
	// The owner, duplicates and empty lists are dropped; order is kept.
	set := []PrivacyRule{{Kind: AllowUsers, Users: []int64{b.ID, a.ID, b.ID}}, {Kind: DisallowUsers, Users: []int64{a.ID}},
		{Kind: AllowChatParticipants, Chats: []int64{7, 7}}, {Kind: DisallowAll}}
	stored, err := p.c.SetPrivacy(p.ctx, a.ID, PrivacyStatus, set)
	p.must(err)
	want := []PrivacyRule{{Kind: AllowUsers, Users: []int64{b.ID}}, {Kind: AllowChatParticipants, Chats: []int64{7}}, {Kind: DisallowAll}}
	if !reflect.DeepEqual(stored, want) {
		t.Errorf("stored %v, want %v", stored, want)
	}
	got, err = p.c.Privacy(p.ctx, a.ID, PrivacyStatus)
	p.must(err)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %v, want %v", got, want)
	}
	// Empty rules are kept as such (nobody), not the default.
	p.setPrivacy(a.ID, PrivacyAbout)
	if got, _ := p.c.Privacy(p.ctx, a.ID, PrivacyAbout); len(got) != 0 {
		t.Errorf("empty rules read back as %v", got)
	}

	bad := []struct {
		name  string
		key   PrivacyKey
		rules []PrivacyRule
		want  error
	}{
		{"unknown key", "nope", nil, ErrPrivacyKeyInvalid},
		{"unknown kind", PrivacyStatus, []PrivacyRule{{Kind: 99}}, ErrPrivacyValueInvalid},
		{"users on allow all", PrivacyStatus, []PrivacyRule{{Kind: AllowAll, Users: []int64{b.ID}}}, ErrPrivacyValueInvalid},
		{"chats on users", PrivacyStatus, []PrivacyRule{{Kind: AllowUsers, Users: []int64{b.ID}, Chats: []int64{1}}}, ErrPrivacyValueInvalid},
		{"unknown user", PrivacyStatus, []PrivacyRule{{Kind: AllowUsers, Users: []int64{424242}}}, ErrUserIDInvalid},
		{"too long", PrivacyStatus, []PrivacyRule{{Kind: AllowChatParticipants, Chats: make([]int64, MaxPrivacyEntries)}}, ErrPrivacyTooLong},
	}
	for _, tt := range bad {
		if _, err := p.c.SetPrivacy(p.ctx, a.ID, tt.key, tt.rules); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := p.c.Privacy(p.ctx, a.ID, "nope"); !errors.Is(err, ErrPrivacyKeyInvalid) {
		t.Errorf("get unknown key: %v", err)
	}
}

func TestAddPrivacyException(t *testing.T) {
	p := newRoster(t)
	a, b, c := p.user("100001", "A", ""), p.user("100002", "B", ""), p.user("100003", "C", "")
	p.setPrivacy(a.ID, PrivacyPhoneNumber, PrivacyRule{Kind: AllowUsers, Users: []int64{c.ID}},
		PrivacyRule{Kind: DisallowUsers, Users: []int64{b.ID, c.ID}}, PrivacyRule{Kind: DisallowAll})
	p.must(p.c.AddPrivacyException(p.ctx, a.ID, PrivacyPhoneNumber, b.ID))
	got, err := p.c.Privacy(p.ctx, a.ID, PrivacyPhoneNumber)
	p.must(err)
	want := []PrivacyRule{{Kind: AllowUsers, Users: []int64{b.ID, c.ID}}, {Kind: DisallowUsers, Users: []int64{c.ID}}, {Kind: DisallowAll}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rules %v, want %v", got, want)
	}
	if ok, _ := p.c.Permits(p.ctx, a.ID, b.ID, PrivacyPhoneNumber); !ok {
		t.Error("the exception does not let b see the phone")
	}
}

func TestViewPhoneNumber(t *testing.T) {
	p := newRoster(t)
	owner, friend, stranger := p.user("100001", "Owner", ""), p.user("100002", "Friend", ""), p.user("100003", "Stranger", "")
	p.addContact(owner.ID, friend.ID, "My friend")
	if v := p.view(owner.ID, owner.ID); v.User.Phone != owner.Phone {
		t.Errorf("own phone %q", v.User.Phone)
	}
	// The default: contacts of the owner see it.
	if v := p.view(friend.ID, owner.ID); v.User.Phone != owner.Phone {
		t.Errorf("a contact sees phone %q", v.User.Phone)
	}
	if v := p.view(stranger.ID, owner.ID); v.User.Phone != "" {
		t.Errorf("a stranger sees phone %q", v.User.Phone)
	}
	// Saving the owner as a contact gives the stranger nothing.
	p.addContact(stranger.ID, owner.ID, "Them")
	if v := p.view(stranger.ID, owner.ID); v.User.Phone != "" {
		t.Errorf("a one-sided contact sees phone %q", v.User.Phone)
	}
	p.setPrivacy(owner.ID, PrivacyPhoneNumber, PrivacyRule{Kind: AllowAll})
	if v := p.view(stranger.ID, owner.ID); v.User.Phone != owner.Phone {
		t.Errorf("everybody: stranger sees %q", v.User.Phone)
	}
	p.setPrivacy(owner.ID, PrivacyPhoneNumber, PrivacyRule{Kind: DisallowAll})
	if v := p.view(friend.ID, owner.ID); v.User.Phone != "" {
		t.Errorf("nobody: contact sees %q", v.User.Phone)
	}
}

func TestViewNamesAndContactFlags(t *testing.T) {
	p := newRoster(t)
	a, b := p.user("100001", "Alice", "A"), p.user("100002", "Bob", "B")
	v := p.view(a.ID, b.ID)
	if v.Contact || v.Mutual || v.User.FirstName != "Bob" || v.User.LastName != "B" {
		t.Errorf("stranger view %+v", v)
	}
	p.addContact(a.ID, b.ID, "Bobby")
	v = p.view(a.ID, b.ID)
	if !v.Contact || v.Mutual || v.User.FirstName != "Bobby" || v.User.LastName != "" {
		t.Errorf("contact view %+v", v)
	}
	if v := p.view(b.ID, a.ID); v.Contact || v.Mutual || v.User.FirstName != "Alice" {
		t.Errorf("the other side %+v", v)
	}
	p.addContact(b.ID, a.ID, "Al")
	if v := p.view(a.ID, b.ID); !v.Contact || !v.Mutual {
		t.Errorf("mutual view %+v", v)
	}
	// A contact imported without names keeps the user's own.
	_, _, err := p.c.ImportContacts(p.ctx, a.ID, []PhoneContact{{Phone: b.Phone}})
	p.must(err)
	if v := p.view(a.ID, b.ID); v.User.FirstName != "Bob" || v.User.LastName != "B" {
		t.Errorf("nameless contact shows %q %q", v.User.FirstName, v.User.LastName)
	}
}

func TestEncodePrivacyRoundTrip(t *testing.T) {
	rules := []PrivacyRule{{Kind: AllowUsers, Users: []int64{1, 2}}, {Kind: DisallowChatParticipants, Chats: []int64{3}}, {Kind: DisallowAll}}
	b, err := EncodePrivacy(rules)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodePrivacy(b)
	if err != nil || !reflect.DeepEqual(got, rules) {
		t.Errorf("round trip: %v %v", got, err)
	}
	if _, err := EncodePrivacy([]PrivacyRule{{Kind: 0}}); err == nil {
		t.Error("encoded an unknown kind")
	}
	for _, s := range []string{``, `{}`, `{"v":2,"r":[]}`, `{"v":1,"r":[{"k":"nope"}]}`,
		`{"v":1,"r":[{"k":"allow_all","u":[1]}]}`, `{"v":1,"r":[{"k":"allow_users","c":[1]}]}`, `[1]`} {
		if _, err := DecodePrivacy([]byte(s)); err == nil {
			t.Errorf("decoded %q", s)
		}
	}
}

func FuzzDecodePrivacy(f *testing.F) {
	f.Add([]byte(`{"v":1,"r":[{"k":"allow_users","u":[1,2]},{"k":"disallow_all"}]}`))
	f.Add([]byte(`{"v":1,"r":[]}`))
	f.Add([]byte(`{"v":1,"r":[{"k":"allow_chats","c":[-5]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rules, err := DecodePrivacy(b)
		if err != nil {
			return
		}
		// What decodes encodes and decodes to the same rules.
		again, err := EncodePrivacy(rules)
		if err != nil {
			t.Fatalf("re-encode %v: %v", rules, err)
		}
		back, err := DecodePrivacy(again)
		if err != nil || !reflect.DeepEqual(back, rules) {
			t.Fatalf("round trip of %q: %v %v", b, back, err)
		}
	})
}
