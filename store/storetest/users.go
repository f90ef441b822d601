package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

// mustUser creates u and returns it with its id.
func mustUser(t *testing.T, s store.Store, u store.User) store.User {
	t.Helper()
	if u.CreatedAt.IsZero() {
		u.CreatedAt = base
	}
	got, err := s.Users().Create(t.Context(), u)
	if err != nil {
		t.Fatalf("create user %+v: %v", u, err)
	}
	return got
}

// person returns a user that is not a bot, with a phone made from n.
func person(n int) store.User {
	return store.User{Phone: fmt.Sprintf("1555%07d", n), FirstName: fmt.Sprint("User ", n), CreatedAt: base}
}

func testUsers(t *testing.T, open Open) {
	t.Run("CreateGet", func(t *testing.T) {
		s, ctx := openT(t, open)
		us := s.Users()
		in := store.User{
			Phone: "15550001", FirstName: "Ada", LastName: "Lovelace", Username: "Ada_L", About: "math",
			CreatedAt:  base.Add(900 * time.Millisecond).In(time.FixedZone("X", -7200)),
			LastSeenAt: at(30),
		}
		a, err := us.Create(ctx, in)
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		want := in
		want.ID = store.FirstUserID
		want.CreatedAt = base // truncated to the second, in UTC
		if a != want {
			t.Errorf("create returned %+v, want %+v", a, want)
		}
		if got, err := us.Get(ctx, a.ID); err != nil || got != want {
			t.Errorf("get = %+v, %v; want %+v", got, err, want)
		}

		// Ids count up; an explicit id is kept, and one above the
		// sequence moves it.
		b := mustUser(t, s, person(2))
		if b.ID != store.FirstUserID+1 {
			t.Errorf("second id = %d, want %d", b.ID, store.FirstUserID+1)
		}
		service := mustUser(t, s, store.User{ID: 777000, Phone: "42777", FirstName: "Telegram"})
		if service.ID != 777000 {
			t.Errorf("explicit id 777000 became %d", service.ID)
		}
		if c := mustUser(t, s, person(3)); c.ID != store.FirstUserID+2 {
			t.Errorf("id after an explicit small one = %d, want %d", c.ID, store.FirstUserID+2)
		}
		high := mustUser(t, s, store.User{ID: 5_000_000, Phone: "15559999"})
		if high.ID != 5_000_000 {
			t.Errorf("explicit id 5000000 became %d", high.ID)
		}
		if d := mustUser(t, s, person(4)); d.ID != 5_000_001 {
			t.Errorf("id after an explicit large one = %d, want 5000001", d.ID)
		}

		// A bot: no phone, an owner; bots never collide on their empty
		// phone, nor users on an empty username.
		bot := mustUser(t, s, store.User{FirstName: "Helper", Username: "HelperBot", Bot: true, BotOwnerID: a.ID})
		bot2 := mustUser(t, s, store.User{FirstName: "Other", Username: "other_bot", Bot: true})
		if got, err := us.Get(ctx, bot.ID); err != nil || got != bot || !got.Bot || got.BotOwnerID != a.ID || got.Phone != "" {
			t.Errorf("get bot = %+v, %v; want %+v", got, err, bot)
		}
		if got, _ := us.Get(ctx, bot2.ID); got.BotOwnerID != 0 {
			t.Errorf("bot without owner has owner %d", got.BotOwnerID)
		}
		mustUser(t, s, person(5))
		mustUser(t, s, person(6))

		if _, err := us.Get(ctx, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("get missing: err = %v, want ErrNotFound", err)
		}
	})
	t.Run("CreateErrors", func(t *testing.T) {
		s, ctx := openT(t, open)
		us := s.Users()
		a := mustUser(t, s, store.User{Phone: "15550001", Username: "Alice"})
		for _, c := range []struct {
			name string
			u    store.User
			want error
		}{
			{"same id", store.User{ID: a.ID, Phone: "15550002"}, store.ErrExists},
			{"same phone", store.User{Phone: "15550001"}, store.ErrExists},
			{"same username", store.User{Phone: "15550003", Username: "Alice"}, store.ErrExists},
			{"same username in other case", store.User{Phone: "15550004", Username: "aLICE"}, store.ErrExists},
			{"bot with a username in other case", store.User{Username: "ALICE", Bot: true}, store.ErrExists},
			{"negative id", store.User{ID: -5, Phone: "15550005"}, store.ErrInvalid},
			{"bot with a phone", store.User{Phone: "15550006", Bot: true}, store.ErrInvalid},
			{"owner of a person", store.User{Phone: "15550007", BotOwnerID: a.ID}, store.ErrInvalid},
			{"missing bot owner", store.User{Bot: true, BotOwnerID: 99}, store.ErrNotFound},
		} {
			if _, err := us.Create(ctx, c.u); !errors.Is(err, c.want) {
				t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
			}
		}
		// Failed creates leave nothing behind: their phones are free, and
		// they used no id.
		for _, p := range []string{"15550002", "15550003", "15550004", "15550005", "15550006", "15550007"} {
			if _, err := us.ByPhone(ctx, p); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("phone %s of a failed create: err = %v, want ErrNotFound", p, err)
			}
		}
		if b := mustUser(t, s, store.User{Phone: "15550003"}); b.ID != a.ID+1 {
			t.Errorf("id after failed creates = %d, want %d", b.ID, a.ID+1)
		}
	})
	t.Run("GetMany", func(t *testing.T) {
		s, ctx := openT(t, open)
		var ids []int64
		for i := range 5 {
			ids = append(ids, mustUser(t, s, person(i)).ID)
		}
		got, err := s.Users().GetMany(ctx, []int64{ids[3], 42, ids[0], ids[3], ids[4], -1, ids[0]})
		if err != nil {
			t.Fatalf("get many: %v", err)
		}
		if gotIDs := userIDs(got); !slices.Equal(gotIDs, []int64{ids[3], ids[0], ids[4]}) {
			t.Errorf("get many = %v, want %v", gotIDs, []int64{ids[3], ids[0], ids[4]})
		}
		if got[0].Phone != person(3).Phone {
			t.Errorf("get many returned %+v for %d", got[0], ids[3])
		}
		for _, in := range [][]int64{nil, {}, {7, 8}} {
			if got, err := s.Users().GetMany(ctx, in); err != nil || len(got) != 0 {
				t.Errorf("get many %v = %v, %v; want none", in, got, err)
			}
		}

		// Many ids at once, most missing, in reverse order.
		var many []int64
		for id := ids[4] + 2000; id >= ids[0]-2000; id-- {
			many = append(many, id)
		}
		got, err = s.Users().GetMany(ctx, many)
		want := slices.Clone(ids)
		slices.Reverse(want)
		if err != nil || !slices.Equal(userIDs(got), want) {
			t.Errorf("get many of %d ids = %v, %v; want %v", len(many), userIDs(got), err, want)
		}
	})
	t.Run("ByPhoneByUsername", func(t *testing.T) {
		s, ctx := openT(t, open)
		us := s.Users()
		a := mustUser(t, s, store.User{Phone: "15550001", Username: "MixedCase"})
		mustUser(t, s, store.User{Phone: "15550002"})
		bot := mustUser(t, s, store.User{Username: "some_bot", Bot: true})
		if got, err := us.ByPhone(ctx, "15550001"); err != nil || got != a {
			t.Errorf("by phone = %+v, %v; want %+v", got, err, a)
		}
		for _, name := range []string{"MixedCase", "mixedcase", "MIXEDCASE"} {
			if got, err := us.ByUsername(ctx, name); err != nil || got != a {
				t.Errorf("by username %q = %+v, %v; want %+v", name, got, err, a)
			}
		}
		if got, err := us.ByUsername(ctx, "Some_Bot"); err != nil || got.ID != bot.ID {
			t.Errorf("bot by username = %+v, %v", got, err)
		}
		for _, c := range []struct{ phone, username string }{{"", ""}, {"15550003", "nobody"}, {"+15550001", "MixedCas"}} {
			if _, err := us.ByPhone(ctx, c.phone); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("by phone %q: err = %v, want ErrNotFound", c.phone, err)
			}
			if _, err := us.ByUsername(ctx, c.username); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("by username %q: err = %v, want ErrNotFound", c.username, err)
			}
		}
	})
	t.Run("Update", func(t *testing.T) {
		s, ctx := openT(t, open)
		us := s.Users()
		a := mustUser(t, s, store.User{Phone: "15550001", FirstName: "A", Username: "alpha", LastSeenAt: at(1)})
		b := mustUser(t, s, store.User{Phone: "15550002", FirstName: "B", Username: "Beta"})

		if err := us.UpdateProfile(ctx, a.ID, "Anna", "Smith", "hello"); err != nil {
			t.Fatalf("update profile: %v", err)
		}
		want := a
		want.FirstName, want.LastName, want.About = "Anna", "Smith", "hello"
		if got, _ := us.Get(ctx, a.ID); got != want {
			t.Errorf("after update profile = %+v, want %+v", got, want)
		}
		if err := us.UpdateProfile(ctx, a.ID, "Anna", "Smith", "hello"); err != nil {
			t.Errorf("update profile to the same values: %v", err)
		}

		if err := us.SetLastSeen(ctx, a.ID, at(100).Add(300*time.Millisecond)); err != nil {
			t.Fatalf("set last seen: %v", err)
		}
		want.LastSeenAt = at(100)
		if got, _ := us.Get(ctx, a.ID); got != want {
			t.Errorf("after set last seen = %+v, want %+v", got, want)
		}

		// Usernames: taken in any case, free once released; the owner may
		// change its case.
		if err := us.SetUsername(ctx, a.ID, "BETA"); !errors.Is(err, store.ErrExists) {
			t.Errorf("take another's username: err = %v, want ErrExists", err)
		}
		if err := us.SetUsername(ctx, b.ID, "BeTa"); err != nil {
			t.Errorf("change case of own username: %v", err)
		}
		if got, _ := us.ByUsername(ctx, "beta"); got.Username != "BeTa" {
			t.Errorf("username after case change = %q, want BeTa", got.Username)
		}
		if err := us.SetUsername(ctx, b.ID, "gamma"); err != nil {
			t.Fatalf("rename: %v", err)
		}
		if _, err := us.ByUsername(ctx, "beta"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old username still found: err = %v", err)
		}
		if err := us.SetUsername(ctx, a.ID, "Beta"); err != nil {
			t.Errorf("take a released username: %v", err)
		}
		if err := us.SetUsername(ctx, a.ID, ""); err != nil {
			t.Fatalf("clear username: %v", err)
		}
		if err := us.SetUsername(ctx, b.ID, ""); err != nil {
			t.Fatalf("clear a second username: %v", err)
		}
		if got, _ := us.Get(ctx, a.ID); got.Username != "" {
			t.Errorf("username after clear = %q", got.Username)
		}
		if _, err := us.ByUsername(ctx, "beta"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("cleared username still found: err = %v", err)
		}
		if err := us.SetUsername(ctx, b.ID, "Alpha"); err != nil {
			t.Errorf("take a username cleared by its owner: %v", err)
		}
		if got, _ := us.Get(ctx, b.ID); got.FirstName != "B" || got.Phone != "15550002" {
			t.Errorf("set username changed other fields: %+v", got)
		}

		for name, err := range map[string]error{
			"update profile": us.UpdateProfile(ctx, 99, "x", "", ""),
			"set username":   us.SetUsername(ctx, 99, "free"),
			"set last seen":  us.SetLastSeen(ctx, 99, at(0)),
		} {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s of a missing user: err = %v, want ErrNotFound", name, err)
			}
		}
		if _, err := us.ByUsername(ctx, "free"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("set username of a missing user took it: err = %v", err)
		}
	})
}

func userIDs(us []store.User) []int64 {
	ids := make([]int64, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	return ids
}

// testUsernamePrefix: users by the beginning of their username, without
// regard to case, in username order, limited.
func testUsernamePrefix(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	us := s.Users()
	for i, name := range []string{"alice_one", "Alice_Two", "alina", "bob_alice", "aliceX"} {
		u, err := us.Create(ctx, store.User{Phone: fmt.Sprintf("1555000%02d", i), FirstName: name})
		if err != nil {
			t.Fatal(err)
		}
		if err := us.SetUsername(ctx, u.ID, name); err != nil {
			t.Fatal(err)
		}
	}
	names := func(us []store.User) string {
		var out []string
		for _, u := range us {
			out = append(out, u.Username)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct {
		prefix string
		limit  int
		want   string
	}{
		{"alice", 10, "alice_one,Alice_Two,aliceX"},
		{"ALI", 10, "alice_one,Alice_Two,aliceX,alina"},
		{"ali", 2, "alice_one,Alice_Two"},
		{"bob_alice", 10, "bob_alice"},
		{"carol", 10, ""},
	} {
		got, err := us.ByUsernamePrefix(ctx, c.prefix, c.limit)
		if err != nil || names(got) != c.want {
			t.Errorf("prefix %q limit %d = %q, %v; want %q", c.prefix, c.limit, names(got), err, c.want)
		}
	}
	if _, err := us.ByUsernamePrefix(ctx, "", 10); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty prefix: err = %v, want ErrInvalid", err)
	}
	if _, err := us.ByUsernamePrefix(ctx, "a", 0); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("limit 0: err = %v, want ErrInvalid", err)
	}
}
