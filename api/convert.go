package api

import (
	"context"
	"log/slog"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// userFor converts u as viewer sees it (core.View): self, access hash,
// contact flags, the names the viewer saved, and the phone number and
// status as u's privacy allows.
func userFor(ctx context.Context, c *core.Core, viewer int64, u store.User) (*tg.User, error) {
	v, err := c.View(ctx, viewer, u)
	if err != nil {
		return nil, err
	}
	return viewed(c, viewer, v), nil
}

// usersFor is userFor for many users.
func usersFor(ctx context.Context, c *core.Core, viewer int64, us ...store.User) ([]tg.UserClass, error) {
	vs, err := c.ViewMany(ctx, viewer, us)
	if err != nil {
		return nil, err
	}
	out := make([]tg.UserClass, len(vs))
	for i, v := range vs {
		out[i] = viewed(c, viewer, v)
	}
	return out, nil
}

// user is userFor for callers without a context or an error path. When
// the view cannot be read it falls back to what privacy never hides: the
// user without phone number and status (self excepted).
//
// Prefer userFor, which passes the request's context and its errors.
func user(c *core.Core, viewer int64, u store.User) *tg.User {
	t, err := userFor(context.Background(), c, viewer, u)
	if err == nil {
		return t
	}
	log := c.Log
	if log == nil {
		log = slog.Default()
	}
	log.Error("view user", "user", u.ID, "viewer", viewer, "err", err)
	v := core.UserView{User: u}
	if u.ID != viewer {
		v.User.Phone = "" // and the zero Status: nothing shown
	}
	return viewed(c, viewer, v)
}

func users(c *core.Core, viewer int64, us ...store.User) []tg.UserClass {
	out := make([]tg.UserClass, len(us))
	for i, u := range us {
		out[i] = user(c, viewer, u)
	}
	return out
}

// viewed converts a view to tg.User.
func viewed(c *core.Core, viewer int64, v core.UserView) *tg.User {
	u := v.User
	t := &tg.User{
		ID:            u.ID,
		AccessHash:    c.AccessHash("user", viewer, u.ID),
		FirstName:     u.FirstName,
		LastName:      u.LastName,
		Username:      u.Username,
		Phone:         u.Phone,
		Self:          u.ID == viewer,
		Contact:       v.Contact,
		MutualContact: v.Mutual,
		Bot:           u.Bot,
	}
	if u.Bot {
		t.BotNochats = false
		t.BotInfoVersion = 1
	} else {
		t.Status = status(v.Status)
	}
	if u.ID == core.ServiceUserID {
		t.Verified, t.Support = true, true
	}
	return t
}

// status converts a status as seen by a viewer.
func status(s core.Status) tg.UserStatusClass {
	switch s.Kind {
	case core.StatusOnline:
		return &tg.UserStatusOnline{Expires: int32(s.Expires.Unix())}
	case core.StatusOffline:
		return &tg.UserStatusOffline{WasOnline: int32(s.WasOnline.Unix())}
	case core.StatusRecently:
		return &tg.UserStatusRecently{ByMe: s.ByMe}
	case core.StatusLastWeek:
		return &tg.UserStatusLastWeek{ByMe: s.ByMe}
	case core.StatusLastMonth:
		return &tg.UserStatusLastMonth{ByMe: s.ByMe}
	}
	return &tg.UserStatusEmpty{}
}
