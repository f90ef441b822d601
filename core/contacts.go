package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/roostchat/roost/store"
)

// The errors of contacts, with the official strings.
var (
	ErrContactIDInvalid = bad("CONTACT_ID_INVALID")
	ErrContactNameEmpty = bad("CONTACT_NAME_EMPTY")
	ErrPhoneNotOccupied = bad("PHONE_NOT_OCCUPIED")
	ErrSearchQueryEmpty = bad("SEARCH_QUERY_EMPTY")
	ErrBotMethodInvalid = bad("BOT_METHOD_INVALID")
)

// Limits of contact lists.
const (
	// MaxContactsHashed is how many contact ids the contacts hash covers,
	// as the official algorithm says.
	MaxContactsHashed = 100000
	// DefaultPageSize is the page size of a limit of 0, and MaxPageSize
	// the largest page served.
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// PhoneContact is an entry of a client's address book to import.
type PhoneContact struct {
	// ClientID is the client's own id of the entry, echoed back.
	ClientID  int64
	Phone     string
	FirstName string
	LastName  string
}

// ImportedContact pairs an imported entry with the user it found.
type ImportedContact struct {
	ClientID int64
	UserID   int64
}

// ImportContacts adds the users with the phone numbers of in to owner's
// contacts, with the names given: contacts.importContacts. Entries whose
// number is invalid, unknown, or of a user who does not let owner find
// them by number are left out. It returns the imported entries and their
// users, each user once.
func (c *Core) ImportContacts(ctx context.Context, owner int64, in []PhoneContact) ([]ImportedContact, []store.User, error) {
	var (
		imported []ImportedContact
		users    []store.User
		seen     = make(map[int64]bool)
	)
	for _, pc := range in {
		phone, err := NormalizePhone(pc.Phone)
		if err != nil {
			continue
		}
		u, err := c.Store.Users().ByPhone(ctx, phone)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, nil, fmt.Errorf("import contacts: %w", err)
		}
		if ok, err := c.findableByPhone(ctx, u.ID, owner); err != nil {
			return nil, nil, err
		} else if !ok {
			continue
		}
		ct := store.Contact{OwnerID: owner, UserID: u.ID, FirstName: clip(pc.FirstName), LastName: clip(pc.LastName), CreatedAt: c.now()}
		if err := c.Store.Contacts().Put(ctx, ct); err != nil {
			return nil, nil, fmt.Errorf("import contacts: %w", err)
		}
		imported = append(imported, ImportedContact{ClientID: pc.ClientID, UserID: u.ID})
		if !seen[u.ID] {
			seen[u.ID] = true
			users = append(users, u)
		}
	}
	return imported, users, nil
}

// findableByPhone reports whether viewer may find user id by their
// number: when the number is visible to them, or when "who can find me by
// my number" lets them.
func (c *Core) findableByPhone(ctx context.Context, id, viewer int64) (bool, error) {
	if ok, err := c.Permits(ctx, id, viewer, PrivacyPhoneNumber); err != nil || ok {
		return ok, err
	}
	return c.Permits(ctx, id, viewer, PrivacyAddedByPhone)
}

// clip cuts a contact name to MaxNameLength characters.
func clip(name string) string {
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > MaxNameLength {
		return string(r[:MaxNameLength])
	}
	return name
}

// Contacts returns owner's contacts ordered by user id.
func (c *Core) Contacts(ctx context.Context, owner int64) ([]store.Contact, error) {
	list, err := c.Store.Contacts().List(ctx, owner)
	if err != nil {
		return nil, fmt.Errorf("contacts of user %d: %w", owner, err)
	}
	return list, nil
}

// IsContact reports whether owner has user in their contacts.
func (c *Core) IsContact(ctx context.Context, owner, user int64) (bool, error) {
	_, err := c.Store.Contacts().Get(ctx, owner, user)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	}
	return false, fmt.Errorf("contact %d of user %d: %w", user, owner, err)
}

// ContactsHash is the hash of contacts.getContacts: the pagination hash
// of savedCount, then of up to MaxContactsHashed contact user ids in
// ascending order.
func ContactsHash(savedCount int, contacts []store.Contact) int64 {
	ids := make([]int64, 0, len(contacts)+1)
	for _, ct := range contacts {
		ids = append(ids, ct.UserID)
	}
	slices.Sort(ids)
	if len(ids) > MaxContactsHashed {
		ids = ids[:MaxContactsHashed]
	}
	return PaginationHash(append([]int64{int64(savedCount)}, ids...)...)
}

// PaginationHash is Telegram's hash of a list for caching (the "hash"
// parameter of many methods): the values folded, in order, into a 64-bit
// accumulator with xorshift steps (core.telegram.org/api/offsets).
func PaginationHash(values ...int64) int64 {
	var acc uint64
	for _, v := range values {
		acc ^= acc >> 21
		acc ^= acc << 35
		acc ^= acc >> 4
		acc += uint64(v)
	}
	return int64(acc)
}

// AddContact adds (or renames) user id in owner's contacts:
// contacts.addContact. With sharePhone, id may then see owner's number
// (an exception in owner's phone number privacy).
func (c *Core) AddContact(ctx context.Context, owner, id int64, firstName, lastName string, sharePhone bool) (store.User, error) {
	firstName, lastName = clip(firstName), clip(lastName)
	if firstName == "" && lastName == "" {
		return store.User{}, ErrContactNameEmpty
	}
	if id == owner {
		return store.User{}, ErrContactIDInvalid
	}
	u, err := c.Store.Users().Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return u, ErrContactIDInvalid
	} else if err != nil {
		return u, fmt.Errorf("add contact: %w", err)
	}
	ct := store.Contact{OwnerID: owner, UserID: id, FirstName: firstName, LastName: lastName, CreatedAt: c.now()}
	if err := c.Store.Contacts().Put(ctx, ct); err != nil {
		return u, fmt.Errorf("add contact: %w", err)
	}
	if sharePhone {
		if err := c.AddPrivacyException(ctx, owner, PrivacyPhoneNumber, id); err != nil {
			return u, fmt.Errorf("add contact: share phone: %w", err)
		}
	}
	return u, nil
}

// DeleteContacts removes users from owner's contacts; ids that are not
// contacts are ignored.
func (c *Core) DeleteContacts(ctx context.Context, owner int64, ids []int64) error {
	if err := c.Store.Contacts().Delete(ctx, owner, ids); err != nil {
		return fmt.Errorf("delete contacts of user %d: %w", owner, err)
	}
	return nil
}

// DeleteByPhones removes the users with the given numbers from owner's
// contacts: contacts.deleteByPhones. Invalid and unknown numbers are
// ignored.
func (c *Core) DeleteByPhones(ctx context.Context, owner int64, phones []string) error {
	var ids []int64
	for _, p := range phones {
		phone, err := NormalizePhone(p)
		if err != nil {
			continue
		}
		u, err := c.Store.Users().ByPhone(ctx, phone)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return fmt.Errorf("delete contacts by phone: %w", err)
		}
		ids = append(ids, u.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	return c.DeleteContacts(ctx, owner, ids)
}

// blockable checks that owner may put id on (or off) their block list.
func (c *Core) blockable(ctx context.Context, owner, id int64) error {
	if id == owner {
		return ErrContactIDInvalid
	}
	if _, err := c.Store.Users().Get(ctx, id); errors.Is(err, store.ErrNotFound) {
		return ErrContactIDInvalid
	} else if err != nil {
		return fmt.Errorf("block: %w", err)
	}
	return nil
}

// Block adds id to owner's block list (no error if it is there).
func (c *Core) Block(ctx context.Context, owner, id int64) error {
	if err := c.blockable(ctx, owner, id); err != nil {
		return err
	}
	was, err := c.Store.Contacts().IsBlocked(ctx, owner, id)
	if err != nil {
		return fmt.Errorf("block user %d for user %d: %w", id, owner, err)
	}
	if err := c.Store.Contacts().Block(ctx, owner, id, c.now()); err != nil {
		return fmt.Errorf("block user %d for user %d: %w", id, owner, err)
	}
	if !was {
		return c.tellBlocked(ctx, owner, id, true)
	}
	return nil
}

// Unblock removes id from owner's block list (no error if absent).
func (c *Core) Unblock(ctx context.Context, owner, id int64) error {
	if err := c.blockable(ctx, owner, id); err != nil {
		return err
	}
	was, err := c.Store.Contacts().IsBlocked(ctx, owner, id)
	if err != nil {
		return fmt.Errorf("unblock user %d for user %d: %w", id, owner, err)
	}
	if err := c.Store.Contacts().Unblock(ctx, owner, id); err != nil {
		return fmt.Errorf("unblock user %d for user %d: %w", id, owner, err)
	}
	if was {
		return c.tellBlocked(ctx, owner, id, false)
	}
	return nil
}

// PageSize turns a client's limit into the size of a page: 0 or less is
// DefaultPageSize, above MaxPageSize is MaxPageSize.
func PageSize(limit int) int {
	switch {
	case limit <= 0:
		return DefaultPageSize
	case limit > MaxPageSize:
		return MaxPageSize
	}
	return limit
}

// Blocked returns a page of owner's block list, newest first, skipping
// offset entries, at most PageSize(limit) users, and the size of the
// whole list. A negative offset counts as 0.
func (c *Core) Blocked(ctx context.Context, owner int64, offset, limit int) ([]store.User, int, error) {
	ids, total, err := c.Store.Contacts().Blocked(ctx, owner, max(offset, 0), PageSize(limit))
	if err != nil {
		return nil, 0, fmt.Errorf("blocked users of user %d: %w", owner, err)
	}
	users, err := c.Store.Users().GetMany(ctx, ids)
	if err != nil {
		return nil, 0, fmt.Errorf("blocked users of user %d: %w", owner, err)
	}
	return users, total, nil
}

// BlockedAt returns when owner blocked each of users (those still
// blocked).
func (c *Core) BlockedAt(ctx context.Context, owner int64, users []store.User) (map[int64]time.Time, error) {
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	at, err := c.Store.Contacts().BlockedAt(ctx, owner, ids)
	if err != nil {
		return nil, fmt.Errorf("block dates of user %d: %w", owner, err)
	}
	return at, nil
}

// IsBlocked reports whether owner blocked id.
func (c *Core) IsBlocked(ctx context.Context, owner, id int64) (bool, error) {
	ok, err := c.Store.Contacts().IsBlocked(ctx, owner, id)
	if err != nil {
		return false, fmt.Errorf("is user %d blocked by %d: %w", id, owner, err)
	}
	return ok, nil
}

// SearchUsers finds users for owner by q: contacts.search. Mine are
// owner's contacts whose names (as saved or as set by the user) or
// username have words starting with the words of q; Global are the other
// users whose username is q (without "@"). Each list has at most
// PageSize(limit) users.
func (c *Core) SearchUsers(ctx context.Context, owner int64, q string, limit int) (mine, global []store.User, err error) {
	q = strings.TrimPrefix(strings.TrimSpace(q), "@")
	words := nameWords(q)
	if len(words) == 0 {
		return nil, nil, ErrSearchQueryEmpty
	}
	limit = PageSize(limit)
	list, err := c.Contacts(ctx, owner)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(list))
	for i, ct := range list {
		ids[i] = ct.UserID
	}
	users, err := c.Store.Users().GetMany(ctx, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("search contacts: %w", err)
	}
	byID := make(map[int64]store.User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	found := make(map[int64]bool)
	for _, ct := range list {
		u, ok := byID[ct.UserID]
		if !ok || len(mine) == limit {
			continue
		}
		have := nameWords(strings.Join([]string{ct.FirstName, ct.LastName, u.FirstName, u.LastName, u.Username}, " "))
		if prefixesAll(words, have) {
			mine = append(mine, u)
			found[u.ID] = true
		}
	}
	if usernamePrefix(q) {
		// Public usernames are found by their beginning, as Telegram's
		// global search finds them.
		us, err := c.Store.Users().ByUsernamePrefix(ctx, q, limit)
		if err != nil {
			return nil, nil, fmt.Errorf("search users: %w", err)
		}
		for _, u := range us {
			if !found[u.ID] {
				global = append(global, u)
			}
		}
	}
	return mine, global, nil
}

// MinUsernameSearch is the shortest query contacts.search looks up among
// all public usernames.
const MinUsernameSearch = 4

// usernamePrefix reports whether q can begin a username and is long
// enough to search all users by.
func usernamePrefix(q string) bool {
	if len(q) < MinUsernameSearch || len(q) > 32 {
		return false
	}
	for i, r := range q {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '_'):
		default:
			return false
		}
	}
	return true
}

// nameWords splits s into lower-case words at anything that is not a
// letter or digit.
func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// prefixesAll reports whether every word of q begins some word of have.
func prefixesAll(q, have []string) bool {
	for _, w := range q {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.HasPrefix(h, w) }) {
			return false
		}
	}
	return true
}

// ResolvePhone finds the user with the number phone for viewer:
// contacts.resolvePhone. A number that is invalid, unknown, or of a user
// who does not let viewer find them by number is PHONE_NOT_OCCUPIED.
func (c *Core) ResolvePhone(ctx context.Context, viewer int64, phone string) (store.User, error) {
	phone, err := NormalizePhone(phone)
	if err != nil {
		return store.User{}, ErrPhoneNotOccupied
	}
	u, err := c.Store.Users().ByPhone(ctx, phone)
	if errors.Is(err, store.ErrNotFound) {
		return u, ErrPhoneNotOccupied
	} else if err != nil {
		return u, fmt.Errorf("resolve phone: %w", err)
	}
	if ok, err := c.findableByPhone(ctx, u.ID, viewer); err != nil {
		return store.User{}, err
	} else if !ok {
		return store.User{}, ErrPhoneNotOccupied
	}
	return u, nil
}
