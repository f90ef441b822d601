package api

import (
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// onlineFor is how long a user counts as online after activity, as the
// official server reports with userStatusOnline.expires.
const onlineFor = 5 * time.Minute

// user converts u as viewer sees it: self, access hash, and what the
// privacy defaults show (the phone number to the user alone and to
// contacts, the last-seen time to everyone).
func user(c *core.Core, viewer int64, u store.User) *tg.User {
	t := &tg.User{
		ID:         u.ID,
		AccessHash: c.AccessHash("user", viewer, u.ID),
		FirstName:  u.FirstName,
		LastName:   u.LastName,
		Username:   u.Username,
		Self:       u.ID == viewer,
		Bot:        u.Bot,
	}
	if t.Self {
		t.Phone = u.Phone
	}
	if u.Bot {
		t.BotNochats = false
		t.BotInfoVersion = 1
	} else {
		t.Status = status(u)
	}
	if u.ID == core.ServiceUserID {
		t.Verified, t.Support = true, true
	}
	return t
}

func status(u store.User) tg.UserStatusClass {
	if u.LastSeenAt.IsZero() {
		return &tg.UserStatusEmpty{}
	}
	if until := u.LastSeenAt.Add(onlineFor); time.Now().Before(until) {
		return &tg.UserStatusOnline{Expires: int32(until.Unix())}
	}
	return &tg.UserStatusOffline{WasOnline: int32(u.LastSeenAt.Unix())}
}

func users(c *core.Core, viewer int64, us ...store.User) []tg.UserClass {
	out := make([]tg.UserClass, len(us))
	for i, u := range us {
		out[i] = user(c, viewer, u)
	}
	return out
}
