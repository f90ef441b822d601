package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/roostchat/roost/store"
)

// PrivacyKey names what a privacy setting governs. The value is the key
// the rules are stored under.
type PrivacyKey string

// The privacy keys Roost keeps. Status and PhoneNumber (with AddedByPhone)
// are enforced; the others are stored and returned so that clients show
// and keep what the user chose, and are enforced by the features they
// govern as those arrive.
const (
	PrivacyStatus         PrivacyKey = "status"          // last seen and online
	PrivacyPhoneNumber    PrivacyKey = "phone_number"    // who sees the number
	PrivacyAddedByPhone   PrivacyKey = "added_by_phone"  // who finds the user by number
	PrivacyChatInvite     PrivacyKey = "chat_invite"     // who may add the user to chats
	PrivacyPhoneCall      PrivacyKey = "phone_call"      // who may call
	PrivacyPhoneP2P       PrivacyKey = "phone_p2p"       // peer-to-peer in calls
	PrivacyForwards       PrivacyKey = "forwards"        // link in forwarded messages
	PrivacyProfilePhoto   PrivacyKey = "profile_photo"   // who sees the photo
	PrivacyVoiceMessages  PrivacyKey = "voice_messages"  // who may send voice notes
	PrivacyAbout          PrivacyKey = "about"           // who sees the bio
	PrivacyBirthday       PrivacyKey = "birthday"        // who sees the birthday
	PrivacyGiftsAutoSave  PrivacyKey = "gifts_auto_save" // gifts shown on the profile
	PrivacyNoPaidMessages PrivacyKey = "no_paid_messages"
	PrivacySavedMusic     PrivacyKey = "saved_music" // music shown on the profile
)

// RuleKind is one kind of privacy rule.
type RuleKind uint8

// The kinds of privacy rules, as in Telegram's PrivacyRule.
const (
	AllowAll RuleKind = iota + 1
	AllowContacts
	AllowCloseFriends
	AllowPremium
	AllowBots
	AllowUsers
	AllowChatParticipants
	DisallowAll
	DisallowContacts
	DisallowBots
	DisallowUsers
	DisallowChatParticipants
)

var ruleNames = map[RuleKind]string{
	AllowAll: "allow_all", AllowContacts: "allow_contacts", AllowCloseFriends: "allow_close_friends",
	AllowPremium: "allow_premium", AllowBots: "allow_bots", AllowUsers: "allow_users",
	AllowChatParticipants: "allow_chats", DisallowAll: "disallow_all", DisallowContacts: "disallow_contacts",
	DisallowBots: "disallow_bots", DisallowUsers: "disallow_users", DisallowChatParticipants: "disallow_chats",
}

func (k RuleKind) String() string {
	if s, ok := ruleNames[k]; ok {
		return s
	}
	return fmt.Sprintf("RuleKind(%d)", uint8(k))
}

// PrivacyRule is one rule of a privacy setting. Users is set for
// AllowUsers and DisallowUsers, Chats for the chat-participant kinds.
type PrivacyRule struct {
	Kind  RuleKind
	Users []int64
	Chats []int64
}

// Allows reports whether the rule grants (rather than denies) when it
// matches.
func (r PrivacyRule) Allows() bool { return r.Kind >= AllowAll && r.Kind <= AllowChatParticipants }

// Audience is what rules know of the one asking: who they are and how
// they relate to the owner of the rules.
type Audience struct {
	UserID int64
	// Contact: the owner has the asker in their contacts.
	Contact bool
	Bot     bool
}

// matches reports whether rule r applies to a.
//
// Roost has no close friends, Premium or chats yet, so those rules match
// nobody: what they grant or deny is, for now, granted or denied by the
// rules after them.
func (r PrivacyRule) matches(a Audience) bool {
	switch r.Kind {
	case AllowAll, DisallowAll:
		return true
	case AllowContacts, DisallowContacts:
		return a.Contact
	case AllowBots, DisallowBots:
		return a.Bot
	case AllowUsers, DisallowUsers:
		return slices.Contains(r.Users, a.UserID)
	}
	return false
}

// Permits applies rules to a as Telegram does: the first rule that
// matches decides, and when none matches the action is not allowed.
func Permits(rules []PrivacyRule, a Audience) bool {
	for _, r := range rules {
		if r.matches(a) {
			return r.Allows()
		}
	}
	return false
}

// DefaultPrivacy returns the rules of a key its owner never set, the
// defaults of Telegram: the phone number is visible to contacts, the
// birthday to contacts, peer-to-peer calls to contacts; everything else
// (last seen included) is open to everybody. ok is false for an unknown
// key.
func DefaultPrivacy(key PrivacyKey) (rules []PrivacyRule, ok bool) {
	switch key {
	case PrivacyPhoneNumber, PrivacyBirthday, PrivacyPhoneP2P:
		return []PrivacyRule{{Kind: AllowContacts}}, true
	case PrivacyStatus, PrivacyAddedByPhone, PrivacyChatInvite, PrivacyPhoneCall, PrivacyForwards,
		PrivacyProfilePhoto, PrivacyVoiceMessages, PrivacyAbout, PrivacyGiftsAutoSave, PrivacySavedMusic:
		return []PrivacyRule{{Kind: AllowAll}}, true
	case PrivacyNoPaidMessages:
		// Nobody is exempt from paid messages until the user says so.
		return []PrivacyRule{{Kind: DisallowAll}}, true
	}
	return nil, false
}

// MaxPrivacyEntries bounds a setting: its rules plus the users and chats
// they list (PRIVACY_TOO_LONG above it).
const MaxPrivacyEntries = 1000

// The errors of privacy settings, with the official strings.
var (
	ErrPrivacyKeyInvalid   = bad("PRIVACY_KEY_INVALID")
	ErrPrivacyTooLong      = bad("PRIVACY_TOO_LONG")
	ErrPrivacyValueInvalid = bad("PRIVACY_VALUE_INVALID")
)

// Privacy returns the rules of key set by user userID, or the default.
func (c *Core) Privacy(ctx context.Context, userID int64, key PrivacyKey) ([]PrivacyRule, error) {
	def, ok := DefaultPrivacy(key)
	if !ok {
		return nil, ErrPrivacyKeyInvalid
	}
	b, err := c.Store.Privacy().Get(ctx, userID, string(key))
	if errors.Is(err, store.ErrNotFound) {
		return def, nil
	} else if err != nil {
		return nil, fmt.Errorf("privacy %s of user %d: %w", key, userID, err)
	}
	rules, err := DecodePrivacy(b)
	if err != nil {
		return nil, fmt.Errorf("privacy %s of user %d: %w", key, userID, err)
	}
	return rules, nil
}

// SetPrivacy replaces the rules of key for user userID and returns them
// as stored: users lists without the owner, duplicates or unknown users,
// empty user and chat rules dropped.
func (c *Core) SetPrivacy(ctx context.Context, userID int64, key PrivacyKey, rules []PrivacyRule) ([]PrivacyRule, error) {
	if _, ok := DefaultPrivacy(key); !ok {
		return nil, ErrPrivacyKeyInvalid
	}
	n := len(rules)
	for _, r := range rules {
		n += len(r.Users) + len(r.Chats)
	}
	if n > MaxPrivacyEntries {
		return nil, ErrPrivacyTooLong
	}
	out := make([]PrivacyRule, 0, len(rules))
	for _, r := range rules {
		if _, ok := ruleNames[r.Kind]; !ok {
			return nil, ErrPrivacyValueInvalid
		}
		switch r.Kind {
		case AllowUsers, DisallowUsers:
			if len(r.Chats) != 0 {
				return nil, ErrPrivacyValueInvalid
			}
			ids, err := c.ruleUsers(ctx, userID, r.Users)
			if err != nil {
				return nil, err
			}
			if len(ids) == 0 {
				continue
			}
			r = PrivacyRule{Kind: r.Kind, Users: ids}
		case AllowChatParticipants, DisallowChatParticipants:
			if len(r.Users) != 0 {
				return nil, ErrPrivacyValueInvalid
			}
			ids := uniqueIDs(r.Chats)
			if len(ids) == 0 {
				continue
			}
			r = PrivacyRule{Kind: r.Kind, Chats: ids}
		default:
			if len(r.Users) != 0 || len(r.Chats) != 0 {
				return nil, ErrPrivacyValueInvalid
			}
			r = PrivacyRule{Kind: r.Kind}
		}
		out = append(out, r)
	}
	b, err := EncodePrivacy(out)
	if err != nil {
		return nil, err
	}
	if err := c.Store.Privacy().Set(ctx, userID, string(key), b); err != nil {
		return nil, fmt.Errorf("set privacy %s of user %d: %w", key, userID, err)
	}
	return out, nil
}

// ruleUsers checks the users of a rule: the owner and duplicates are
// dropped, a user that does not exist is USER_ID_INVALID.
func (c *Core) ruleUsers(ctx context.Context, owner int64, ids []int64) ([]int64, error) {
	ids = slices.DeleteFunc(uniqueIDs(ids), func(id int64) bool { return id == owner })
	if len(ids) == 0 {
		return nil, nil
	}
	found, err := c.Store.Users().GetMany(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("users of a privacy rule: %w", err)
	}
	if len(found) != len(ids) {
		return nil, ErrUserIDInvalid
	}
	return ids, nil
}

func uniqueIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// AddPrivacyException lets user other past the rules of key of owner (an
// allow-users rule put first), as contacts.addContact does with
// add_phone_privacy_exception.
func (c *Core) AddPrivacyException(ctx context.Context, owner int64, key PrivacyKey, other int64) error {
	rules, err := c.Privacy(ctx, owner, key)
	if err != nil {
		return err
	}
	// Take other out of every users rule, then allow it before all
	// (merged with a leading allow-users rule).
	out := []PrivacyRule{{Kind: AllowUsers, Users: []int64{other}}}
	for i, r := range rules {
		if r.Kind == AllowUsers || r.Kind == DisallowUsers {
			r.Users = slices.DeleteFunc(slices.Clone(r.Users), func(id int64) bool { return id == other })
		}
		if i == 0 && r.Kind == AllowUsers {
			out[0].Users = append(out[0].Users, r.Users...)
			continue
		}
		out = append(out, r)
	}
	_, err = c.SetPrivacy(ctx, owner, key, out)
	return err
}

// Permits reports whether viewer passes the rules of key of user owner.
// An owner always sees their own.
func (c *Core) Permits(ctx context.Context, owner, viewer int64, key PrivacyKey) (bool, error) {
	if owner == viewer {
		return true, nil
	}
	rules, err := c.Privacy(ctx, owner, key)
	if err != nil {
		return false, err
	}
	a, err := c.audience(ctx, owner, viewer)
	if err != nil {
		return false, err
	}
	return Permits(rules, a), nil
}

// audience describes viewer to the rules of owner.
func (c *Core) audience(ctx context.Context, owner, viewer int64) (Audience, error) {
	a := Audience{UserID: viewer}
	var err error
	if a.Contact, err = c.IsContact(ctx, owner, viewer); err != nil {
		return a, err
	}
	v, err := c.Store.Users().Get(ctx, viewer)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return a, fmt.Errorf("viewer %d: %w", viewer, err)
	}
	a.Bot = v.Bot
	return a, nil
}

// privacyVersion is the version of the stored form of rules.
const privacyVersion = 1

// storedRules is the stored form of a setting: JSON, small and readable
// in a database shell, versioned so that it can change.
type storedRules struct {
	V     int          `json:"v"`
	Rules []storedRule `json:"r"`
}

type storedRule struct {
	Kind  string  `json:"k"`
	Users []int64 `json:"u,omitempty"`
	Chats []int64 `json:"c,omitempty"`
}

// EncodePrivacy returns the stored form of rules.
func EncodePrivacy(rules []PrivacyRule) ([]byte, error) {
	s := storedRules{V: privacyVersion, Rules: make([]storedRule, 0, len(rules))}
	for _, r := range rules {
		name, ok := ruleNames[r.Kind]
		if !ok {
			return nil, fmt.Errorf("encode privacy: unknown rule kind %d", r.Kind)
		}
		s.Rules = append(s.Rules, storedRule{Kind: name, Users: r.Users, Chats: r.Chats})
	}
	return json.Marshal(s)
}

// DecodePrivacy reads what EncodePrivacy wrote. It rejects unknown
// versions and kinds, and lists on kinds that take none.
func DecodePrivacy(b []byte) ([]PrivacyRule, error) {
	var s storedRules
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("decode privacy: %w", err)
	}
	if s.V != privacyVersion {
		return nil, fmt.Errorf("decode privacy: version %d", s.V)
	}
	rules := make([]PrivacyRule, 0, len(s.Rules))
	for i, sr := range s.Rules {
		kind, ok := ruleKind(sr.Kind)
		if !ok {
			return nil, fmt.Errorf("decode privacy: rule %d: unknown kind %q", i, sr.Kind)
		}
		r := PrivacyRule{Kind: kind}
		if len(sr.Users) != 0 {
			r.Users = sr.Users
		}
		if len(sr.Chats) != 0 {
			r.Chats = sr.Chats
		}
		users := kind == AllowUsers || kind == DisallowUsers
		chats := kind == AllowChatParticipants || kind == DisallowChatParticipants
		if len(r.Users) != 0 && !users || len(r.Chats) != 0 && !chats {
			return nil, fmt.Errorf("decode privacy: rule %d (%s): unexpected list", i, kind)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func ruleKind(name string) (RuleKind, bool) {
	for k, n := range ruleNames {
		if n == name {
			return k, true
		}
	}
	return 0, false
}

// UserView is a user as one viewer may see them.
type UserView struct {
	// User carries the names the viewer saved for a contact (when they
	// saved any), and an empty Phone when the user's privacy hides it.
	User store.User
	// Contact: the viewer has the user in their contacts; Mutual: and the
	// user has the viewer.
	Contact bool
	Mutual  bool
	// Status is what the viewer may know of when the user was online.
	Status Status
}

// View returns u as viewer may see them: names from the viewer's contact
// entry, the phone number and last-seen time as u's privacy allows.
func (c *Core) View(ctx context.Context, viewer int64, u store.User) (UserView, error) {
	vs, err := c.ViewMany(ctx, viewer, []store.User{u})
	if err != nil {
		return UserView{}, err
	}
	return vs[0], nil
}

// ViewMany is View for many users.
func (c *Core) ViewMany(ctx context.Context, viewer int64, us []store.User) ([]UserView, error) {
	me, err := c.Store.Users().Get(ctx, viewer)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("view users: viewer %d: %w", viewer, err)
	}
	me.ID = viewer
	var myStatus []PrivacyRule // the viewer's own last-seen rules, loaded once
	if !me.Bot {
		if myStatus, err = c.Privacy(ctx, viewer, PrivacyStatus); err != nil {
			return nil, err
		}
	}
	now := c.now()
	out := make([]UserView, len(us))
	for i, u := range us {
		v, err := c.view(ctx, me, myStatus, u, now)
		if err != nil {
			return nil, fmt.Errorf("view user %d for %d: %w", u.ID, viewer, err)
		}
		out[i] = v
	}
	return out, nil
}

func (c *Core) view(ctx context.Context, me store.User, myStatus []PrivacyRule, u store.User, now time.Time) (UserView, error) {
	v := UserView{User: u}
	mine, err := c.Store.Contacts().Get(ctx, me.ID, u.ID)
	switch {
	case err == nil:
		v.Contact = true
	case !errors.Is(err, store.ErrNotFound):
		return v, err
	}
	if u.ID == me.ID {
		v.Mutual = v.Contact
		v.Status = exactStatus(u.LastSeenAt, now)
		return v, nil
	}
	theirs, err := c.IsContact(ctx, u.ID, me.ID)
	if err != nil {
		return v, err
	}
	v.Mutual = v.Contact && theirs
	if v.Contact && (mine.FirstName != "" || mine.LastName != "") {
		v.User.FirstName, v.User.LastName = mine.FirstName, mine.LastName
	}
	a := Audience{UserID: me.ID, Contact: theirs, Bot: me.Bot}
	phone, err := c.Privacy(ctx, u.ID, PrivacyPhoneNumber)
	if err != nil {
		return v, err
	}
	if !Permits(phone, a) {
		v.User.Phone = ""
	}
	if u.Bot {
		return v, nil
	}
	v.Status, err = c.statusFor(ctx, a, myStatus, u, v.Contact, now)
	return v, err
}

// statusFor is the status of u seen by a: nothing for users u blocked,
// the approximate time when u's rules hide the exact one, or when the
// viewer hides theirs from u (by_me), the exact time otherwise.
func (c *Core) statusFor(ctx context.Context, a Audience, myStatus []PrivacyRule, u store.User, uIsMyContact bool, now time.Time) (Status, error) {
	if blocked, err := c.IsBlocked(ctx, u.ID, a.UserID); err != nil {
		return Status{}, err
	} else if blocked {
		return Status{Kind: StatusEmpty}, nil
	}
	rules, err := c.Privacy(ctx, u.ID, PrivacyStatus)
	if err != nil {
		return Status{}, err
	}
	if !Permits(rules, a) {
		return approximateStatus(u.LastSeenAt, now, false), nil
	}
	if !a.Bot && !Permits(myStatus, Audience{UserID: u.ID, Contact: uIsMyContact, Bot: u.Bot}) {
		return approximateStatus(u.LastSeenAt, now, true), nil
	}
	return exactStatus(u.LastSeenAt, now), nil
}
