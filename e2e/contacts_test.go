package e2e

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/transport"
)

// person is a logged-in gotd client of a test user.
type person struct {
	api *tg.Client
	me  *tg.User
}

// people runs f with one logged-in client per phone (signing them up when
// needed), all connected at the same time. f runs outside the test's
// goroutine: it reports with t.Error and returns errors, never t.Fatal.
func (s *server) people(t *testing.T, phones []string, f func(ctx context.Context, ps []person) error) {
	t.Helper()
	var run func(ctx context.Context, done []person) error
	run = func(ctx context.Context, done []person) error {
		if len(done) == len(phones) {
			return f(ctx, done)
		}
		phone := phones[len(done)]
		c := s.client(dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate}), &session.StorageMemory{})
		return c.Run(ctx, func(ctx context.Context) error {
			if err := login(ctx, c, phone); err != nil {
				return fmt.Errorf("login %s: %w", phone, err)
			}
			me, err := c.Self(ctx)
			if err != nil {
				return err
			}
			return run(ctx, append(done, person{api: c.API(), me: me}))
		})
	}
	if err := run(ctxFor(t), nil); err != nil {
		t.Fatal(err)
	}
}

// find resolves phone as p sees it, through contacts.resolvePhone.
func (p person) find(ctx context.Context, phone string) (*tg.User, error) {
	res, err := p.api.ContactsResolvePhone(ctx, phone)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", phone, err)
	}
	return res.Users[0].(*tg.User), nil
}

// look returns u as p sees it now (users.getUsers).
func (p person) look(ctx context.Context, u *tg.User) (*tg.User, error) {
	res, err := p.api.UsersGetUsers(ctx, []tg.InputUserClass{u.AsInput()})
	if err != nil || len(res) != 1 {
		return nil, fmt.Errorf("get user %d: %v %w", u.ID, res, err)
	}
	return res[0].(*tg.User), nil
}

// contactsHash computes the hash of contacts.getContacts as the official
// documentation describes it, independently of the server.
func contactsHash(savedCount int, ids []int64) int64 {
	ids = slices.Clone(ids)
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var acc uint64
	for _, v := range append([]int64{int64(savedCount)}, ids...) {
		acc ^= acc >> 21
		acc ^= acc << 35
		acc ^= acc >> 4
		acc += uint64(v)
	}
	return int64(acc)
}

func TestContactsImportListDelete(t *testing.T) {
	s := startServer(t)
	const bob, carol, ann = "9996622001", "9996622002", "9996622003"
	s.people(t, []string{bob, carol, ann}, func(ctx context.Context, ps []person) error {
		b, c, a := ps[0], ps[1], ps[2]
		imp, err := a.api.ContactsImportContacts(ctx, []tg.InputPhoneContact{
			{ClientID: 11, Phone: "+" + bob, FirstName: "Bobby", LastName: "Tables"},
			{ClientID: 12, Phone: "9996622999", FirstName: "Nobody"}, // no account
			{ClientID: 13, Phone: "not a phone", FirstName: "Bad"},
		})
		if err != nil {
			return err
		}
		if len(imp.Imported) != 1 || imp.Imported[0] != (tg.ImportedContact{UserID: b.me.ID, ClientID: 11}) ||
			len(imp.RetryContacts) != 0 || len(imp.PopularInvites) != 0 || len(imp.Users) != 1 {
			return fmt.Errorf("imported %+v", imp)
		}
		if u := imp.Users[0].(*tg.User); !u.Contact || u.MutualContact || u.FirstName != "Bobby" || u.LastName != "Tables" {
			t.Errorf("imported user %+v", u)
		}

		res, err := a.api.ContactsGetContacts(ctx, 0)
		if err != nil {
			return err
		}
		list, ok := res.(*tg.ContactsContacts)
		if !ok || len(list.Contacts) != 1 || list.Contacts[0].UserID != b.me.ID || list.Contacts[0].Mutual || len(list.Users) != 1 {
			return fmt.Errorf("contacts %+v", res)
		}
		hash := contactsHash(list.SavedCount, []int64{b.me.ID})
		if res, err := a.api.ContactsGetContacts(ctx, hash); err != nil {
			return err
		} else if _, ok := res.(*tg.ContactsContactsNotModified); !ok {
			t.Errorf("same hash: %T, want contacts.contactsNotModified", res)
		}

		// Bob saves Ann too: mutual.
		annAsBob, err := b.find(ctx, ann)
		if err != nil {
			return err
		}
		if _, err := b.api.ContactsAddContact(ctx, &tg.ContactsAddContactRequest{ID: annAsBob.AsInput(), FirstName: "Ann"}); err != nil {
			return err
		}
		// Ann adds Carol (found by number) by id.
		carolAsAnn, err := a.find(ctx, carol)
		if err != nil {
			return err
		}
		upd, err := a.api.ContactsAddContact(ctx, &tg.ContactsAddContactRequest{ID: carolAsAnn.AsInput(), FirstName: "Caz"})
		if err != nil {
			return err
		}
		if u := upd.(*tg.Updates).Users[0].(*tg.User); u.ID != c.me.ID || !u.Contact || u.FirstName != "Caz" {
			t.Errorf("added %+v", u)
		}
		res, err = a.api.ContactsGetContacts(ctx, hash)
		if err != nil {
			return err
		}
		list, ok = res.(*tg.ContactsContacts)
		if !ok || len(list.Contacts) != 2 {
			return fmt.Errorf("contacts after add with the old hash: %+v", res)
		}
		for _, ct := range list.Contacts {
			if want := ct.UserID == b.me.ID; ct.Mutual != want {
				t.Errorf("contact %d mutual %v", ct.UserID, ct.Mutual)
			}
		}

		// Bad input.
		_, err = a.api.ContactsAddContact(ctx, &tg.ContactsAddContactRequest{ID: carolAsAnn.AsInput()})
		wantErr(t, "add without a name", err, "CONTACT_NAME_EMPTY")
		_, err = a.api.ContactsAddContact(ctx, &tg.ContactsAddContactRequest{ID: &tg.InputUserSelf{}, FirstName: "Me"})
		wantErr(t, "add self", err, "CONTACT_ID_INVALID")
		_, err = a.api.ContactsDeleteContacts(ctx, []tg.InputUserClass{&tg.InputUser{UserID: b.me.ID, AccessHash: annAsBob.AccessHash}})
		wantErr(t, "delete with another's access hash", err, "CONTACT_ID_INVALID")

		// Delete Bob by id, Carol by phone.
		bobAsAnn := list.Users[slices.IndexFunc(list.Users, func(u tg.UserClass) bool { return u.GetID() == b.me.ID })].(*tg.User)
		upd, err = a.api.ContactsDeleteContacts(ctx, []tg.InputUserClass{bobAsAnn.AsInput()})
		if err != nil {
			return err
		}
		if u := upd.(*tg.Updates).Users[0].(*tg.User); u.ID != b.me.ID || u.Contact || u.FirstName != b.me.FirstName {
			t.Errorf("deleted contact now %+v", u)
		}
		if ok, err := a.api.ContactsDeleteByPhones(ctx, []string{carol, "12"}); err != nil || !ok {
			t.Errorf("delete by phones: %v %v", ok, err)
		}
		res, err = a.api.ContactsGetContacts(ctx, 0)
		if err != nil {
			return err
		}
		if list := res.(*tg.ContactsContacts); len(list.Contacts) != 0 {
			t.Errorf("contacts left: %+v", list.Contacts)
		}
		return nil
	})
}

func TestBlockList(t *testing.T) {
	s := startServer(t)
	phones := []string{"9996622011", "9996622012", "9996622013", "9996622014"}
	s.people(t, phones, func(ctx context.Context, ps []person) error {
		me := ps[0]
		var others []*tg.User
		for _, p := range ps[1:] {
			u, err := me.find(ctx, p.me.Phone)
			if err != nil {
				return err
			}
			if ok, err := me.api.ContactsBlock(ctx, &tg.ContactsBlockRequest{ID: &tg.InputPeerUser{UserID: u.ID, AccessHash: u.AccessHash}}); err != nil || !ok {
				return fmt.Errorf("block %d: %v %w", u.ID, ok, err)
			}
			others = append(others, u)
		}
		page := func(offset, limit int) tg.ContactsBlockedClass {
			res, err := me.api.ContactsGetBlocked(ctx, &tg.ContactsGetBlockedRequest{Offset: offset, Limit: limit})
			if err != nil {
				t.Errorf("get blocked %d,%d: %v", offset, limit, err)
			}
			return res
		}
		ids := func(bs []tg.PeerBlocked) (out []int64) {
			for _, b := range bs {
				out = append(out, b.PeerID.(*tg.PeerUser).UserID)
			}
			return out
		}
		// Newest first, in slices with the total count.
		first, ok := page(0, 2).(*tg.ContactsBlockedSlice)
		if !ok || first.Count != 3 || !slices.Equal(ids(first.Blocked), []int64{others[2].ID, others[1].ID}) || len(first.Users) != 2 {
			t.Errorf("first page %+v", first)
		}
		last, ok := page(2, 2).(*tg.ContactsBlockedSlice)
		if !ok || last.Count != 3 || !slices.Equal(ids(last.Blocked), []int64{others[0].ID}) {
			t.Errorf("last page %+v", last)
		}
		all, ok := page(0, 10).(*tg.ContactsBlocked)
		if !ok || len(all.Blocked) != 3 || len(all.Users) != 3 {
			t.Errorf("whole list %+v", all)
		}
		for _, b := range all.Blocked {
			if age := time.Since(time.Unix(int64(b.Date), 0)); age < 0 || age > time.Hour {
				t.Errorf("blocked %+v: date %d is not when it was blocked", b.PeerID, b.Date)
			}
		}
		if ok, err := me.api.ContactsUnblock(ctx, &tg.ContactsUnblockRequest{ID: &tg.InputPeerUser{UserID: others[1].ID, AccessHash: others[1].AccessHash}}); err != nil || !ok {
			t.Errorf("unblock: %v %v", ok, err)
		}
		if all, ok := page(0, 0).(*tg.ContactsBlocked); !ok || !slices.Equal(ids(all.Blocked), []int64{others[2].ID, others[0].ID}) {
			t.Errorf("after unblock %+v", all)
		}

		// A blocked user sees "last seen a long time ago".
		blocked := ps[3]
		if _, err := me.api.AccountUpdateStatus(ctx, false); err != nil {
			return err
		}
		meAsBlocked, err := blocked.find(ctx, phones[0])
		if err != nil {
			return err
		}
		if _, ok := meAsBlocked.Status.(*tg.UserStatusEmpty); !ok {
			t.Errorf("a blocked user sees status %T", meAsBlocked.Status)
		}

		// Bad input.
		_, err = me.api.ContactsBlock(ctx, &tg.ContactsBlockRequest{ID: &tg.InputPeerSelf{}})
		wantErr(t, "block self", err, "CONTACT_ID_INVALID")
		_, err = me.api.ContactsBlock(ctx, &tg.ContactsBlockRequest{ID: &tg.InputPeerUser{UserID: others[0].ID, AccessHash: others[0].AccessHash + 1}})
		wantErr(t, "block with a wrong access hash", err, "CONTACT_ID_INVALID")
		_, err = me.api.ContactsBlock(ctx, &tg.ContactsBlockRequest{ID: &tg.InputPeerChat{ChatID: 5}})
		wantErr(t, "block a chat", err, "PEER_ID_INVALID")
		_, err = me.api.ContactsUnblock(ctx, &tg.ContactsUnblockRequest{ID: &tg.InputPeerEmpty{}})
		wantErr(t, "unblock nothing", err, "PEER_ID_INVALID")
		return nil
	})
}

func TestSearchAndResolvePhone(t *testing.T) {
	s := startServer(t)
	const ann, bob, carol = "9996622021", "9996622022", "9996622023"
	s.people(t, []string{ann, bob, carol}, func(ctx context.Context, ps []person) error {
		a, b, c := ps[0], ps[1], ps[2]
		if _, err := c.api.AccountUpdateUsername(ctx, "carol_contacts"); err != nil {
			return err
		}
		if _, err := a.api.ContactsImportContacts(ctx, []tg.InputPhoneContact{{Phone: bob, FirstName: "Robert", LastName: "Builder"}}); err != nil {
			return err
		}
		found, err := a.api.ContactsSearch(ctx, &tg.ContactsSearchRequest{Q: "bui rob", Limit: 10})
		if err != nil {
			return err
		}
		if len(found.MyResults) != 1 || found.MyResults[0].(*tg.PeerUser).UserID != b.me.ID || len(found.Results) != 0 {
			t.Errorf("search by saved name: %+v", found)
		}
		found, err = a.api.ContactsSearch(ctx, &tg.ContactsSearchRequest{Q: "@carol_contacts", Limit: 10})
		if err != nil {
			return err
		}
		if len(found.MyResults) != 0 || len(found.Results) != 1 || found.Results[0].(*tg.PeerUser).UserID != c.me.ID || len(found.Users) != 1 {
			t.Errorf("search by username: %+v", found)
		}
		_, err = a.api.ContactsSearch(ctx, &tg.ContactsSearchRequest{Q: " ", Limit: 10})
		wantErr(t, "empty search", err, "SEARCH_QUERY_EMPTY")

		_, err = a.api.ContactsResolvePhone(ctx, "9996622999")
		wantErr(t, "resolve an unknown number", err, "PHONE_NOT_OCCUPIED")
		// Carol hides her number and lets only contacts find her by it.
		if _, err := c.api.AccountSetPrivacy(ctx, &tg.AccountSetPrivacyRequest{Key: &tg.InputPrivacyKeyPhoneNumber{},
			Rules: []tg.InputPrivacyRuleClass{&tg.InputPrivacyValueDisallowAll{}}}); err != nil {
			return err
		}
		if _, err := c.api.AccountSetPrivacy(ctx, &tg.AccountSetPrivacyRequest{Key: &tg.InputPrivacyKeyAddedByPhone{},
			Rules: []tg.InputPrivacyRuleClass{&tg.InputPrivacyValueAllowContacts{}}}); err != nil {
			return err
		}
		_, err = a.api.ContactsResolvePhone(ctx, carol)
		wantErr(t, "resolve a hidden number", err, "PHONE_NOT_OCCUPIED")
		imp, err := a.api.ContactsImportContacts(ctx, []tg.InputPhoneContact{{Phone: carol, FirstName: "C"}})
		if err != nil || len(imp.Imported) != 0 {
			t.Errorf("import of a hidden number: %+v %v", imp, err)
		}
		return nil
	})
}

func TestStatusAndPhonePrivacy(t *testing.T) {
	s := startServer(t)
	const owner, friend, stranger = "9996622031", "9996622032", "9996622033"
	s.people(t, []string{owner, friend, stranger}, func(ctx context.Context, ps []person) error {
		o, f, x := ps[0], ps[1], ps[2]
		friendAsOwner, err := o.find(ctx, friend)
		if err != nil {
			return err
		}
		if _, err := o.api.ContactsAddContact(ctx, &tg.ContactsAddContactRequest{ID: friendAsOwner.AsInput(), FirstName: "Friend"}); err != nil {
			return err
		}
		ownerAsFriend, err := f.find(ctx, owner)
		if err != nil {
			return err
		}
		ownerAsStranger, err := x.find(ctx, owner)
		if err != nil {
			return err
		}
		// statuses returns the owner's status as the friend and the
		// stranger see it.
		statuses := func() (asFriend, asStranger tg.UserStatusClass, err error) {
			u, err := f.look(ctx, ownerAsFriend)
			if err != nil {
				return nil, nil, err
			}
			v, err := x.look(ctx, ownerAsStranger)
			if err != nil {
				return nil, nil, err
			}
			return u.Status, v.Status, nil
		}

		// The defaults: the number to the owner's contacts, last seen to
		// everybody.
		rules, err := o.api.AccountGetPrivacy(ctx, &tg.InputPrivacyKeyPhoneNumber{})
		if err != nil {
			return err
		}
		if len(rules.Rules) != 1 {
			t.Errorf("default phone rules %+v", rules.Rules)
		} else if _, ok := rules.Rules[0].(*tg.PrivacyValueAllowContacts); !ok {
			t.Errorf("default phone rules %+v", rules.Rules)
		}
		if ownerAsFriend.Phone != owner || ownerAsStranger.Phone != "" {
			t.Errorf("phone seen by the contact %q, by the stranger %q", ownerAsFriend.Phone, ownerAsStranger.Phone)
		}

		// Last seen: contacts only.
		res, err := o.api.AccountSetPrivacy(ctx, &tg.AccountSetPrivacyRequest{Key: &tg.InputPrivacyKeyStatusTimestamp{},
			Rules: []tg.InputPrivacyRuleClass{
				&tg.InputPrivacyValueDisallowUsers{Users: []tg.InputUserClass{friendAsOwner.AsInput()}},
				&tg.InputPrivacyValueAllowContacts{},
			}})
		if err != nil {
			return err
		}
		if len(res.Rules) != 2 || len(res.Users) != 1 || res.Users[0].GetID() != f.me.ID {
			t.Errorf("set rules answered %+v", res)
		}
		// ...then without the exception for the friend.
		if _, err := o.api.AccountSetPrivacy(ctx, &tg.AccountSetPrivacyRequest{Key: &tg.InputPrivacyKeyStatusTimestamp{},
			Rules: []tg.InputPrivacyRuleClass{&tg.InputPrivacyValueAllowContacts{}}}); err != nil {
			return err
		}

		if _, err := o.api.AccountUpdateStatus(ctx, false); err != nil {
			return err
		}
		asFriend, asStranger, err := statuses()
		if err != nil {
			return err
		}
		if st, ok := asFriend.(*tg.UserStatusOnline); !ok || st.Expires == 0 {
			t.Errorf("the contact sees %+v, want online", asFriend)
		}
		if st, ok := asStranger.(*tg.UserStatusRecently); !ok || st.ByMe {
			t.Errorf("the stranger sees %+v, want recently", asStranger)
		}
		if _, err := o.api.AccountUpdateStatus(ctx, true); err != nil {
			return err
		}
		if asFriend, asStranger, err = statuses(); err != nil {
			return err
		}
		if st, ok := asFriend.(*tg.UserStatusOffline); !ok || st.WasOnline == 0 {
			t.Errorf("the contact sees %+v, want offline", asFriend)
		}
		if _, ok := asStranger.(*tg.UserStatusRecently); !ok {
			t.Errorf("the stranger sees %+v, want recently", asStranger)
		}
		// contacts.getStatuses of the friend's contacts.
		if _, err := f.api.ContactsAddContact(ctx, &tg.ContactsAddContactRequest{ID: ownerAsFriend.AsInput(), FirstName: "O"}); err != nil {
			return err
		}
		sts, err := f.api.ContactsGetStatuses(ctx)
		if err != nil {
			return err
		}
		if len(sts) != 1 || sts[0].UserID != o.me.ID {
			t.Errorf("statuses %+v", sts)
		} else if _, ok := sts[0].Status.(*tg.UserStatusOffline); !ok {
			t.Errorf("status of the contact %T", sts[0].Status)
		}

		// The number to everybody.
		if _, err := o.api.AccountSetPrivacy(ctx, &tg.AccountSetPrivacyRequest{Key: &tg.InputPrivacyKeyPhoneNumber{},
			Rules: []tg.InputPrivacyRuleClass{&tg.InputPrivacyValueAllowAll{}}}); err != nil {
			return err
		}
		if u, err := x.look(ctx, ownerAsStranger); err != nil {
			return err
		} else if u.Phone != owner {
			t.Errorf("with everybody the stranger sees phone %q", u.Phone)
		}

		// Bad input: a user with a wrong access hash in a rule.
		_, err = o.api.AccountSetPrivacy(ctx, &tg.AccountSetPrivacyRequest{Key: &tg.InputPrivacyKeyStatusTimestamp{},
			Rules: []tg.InputPrivacyRuleClass{&tg.InputPrivacyValueAllowUsers{Users: []tg.InputUserClass{
				&tg.InputUser{UserID: x.me.ID, AccessHash: 12345}}}}})
		wantErr(t, "rule with a wrong access hash", err, "USER_ID_INVALID")
		return nil
	})
}
