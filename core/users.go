package core

import (
	"context"
	"errors"
	"strings"

	"github.com/roostchat/roost/store"
)

// ServiceUserID is Telegram's service notifications account, which sends
// login codes to a user's other sessions.
const ServiceUserID = 777000

// User returns one user, or USER_ID_INVALID.
func (c *Core) User(ctx context.Context, id int64) (store.User, error) {
	u, err := c.Store.Users().Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return u, ErrUserIDInvalid
	}
	return u, err
}

// ResolveUser checks that viewer may address user id with hash (an
// InputUser) and returns the user.
func (c *Core) ResolveUser(ctx context.Context, viewer, id, hash int64) (store.User, error) {
	if id != viewer && !c.CheckAccessHash("user", viewer, id, hash) {
		return store.User{}, ErrUserIDInvalid
	}
	return c.User(ctx, id)
}

// UpdateProfile changes the names and bio of a user; empty arguments
// that are not given (nil) keep their value.
func (c *Core) UpdateProfile(ctx context.Context, id int64, firstName, lastName, about *string) (store.User, error) {
	u, err := c.User(ctx, id)
	if err != nil {
		return u, err
	}
	if firstName != nil {
		if *firstName == "" || len([]rune(*firstName)) > MaxNameLength {
			return u, ErrFirstNameInvalid
		}
		u.FirstName = *firstName
	}
	if lastName != nil {
		if len([]rune(*lastName)) > MaxNameLength {
			return u, ErrLastNameInvalid
		}
		u.LastName = *lastName
	}
	if about != nil {
		if len([]rune(*about)) > MaxAboutLength {
			return u, ErrAboutTooLong
		}
		u.About = *about
	}
	if err := c.Store.Users().UpdateProfile(ctx, id, u.FirstName, u.LastName, u.About); err != nil {
		return u, err
	}
	if u.Bot {
		c.tokens.forget(id) // getMe shows the new name at once
	}
	return u, nil
}

// ValidUsername applies Telegram's username rules: 5 to 32 characters of
// a-z, 0-9 and underscores, starting with a letter, not ending with an
// underscore and without two underscores in a row.
func ValidUsername(s string) bool {
	if len(s) < 5 || len(s) > 32 || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '_'):
		default:
			return false
		}
	}
	return true
}

// CheckUsername reports whether user id could take username.
func (c *Core) CheckUsername(ctx context.Context, id int64, username string) (bool, error) {
	if !ValidUsername(username) {
		return false, ErrUsernameInvalid
	}
	other, err := c.Store.Users().ByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	} else if err != nil {
		return false, err
	}
	return other.ID == id, nil
}

// SetUsername sets (or with "" removes) the username of user id.
func (c *Core) SetUsername(ctx context.Context, id int64, username string) (store.User, error) {
	u, err := c.User(ctx, id)
	if err != nil {
		return u, err
	}
	if username != "" && !ValidUsername(username) {
		return u, ErrUsernameInvalid
	}
	if username == u.Username {
		return u, ErrUsernameNotModified
	}
	if u.Bot && username != "" && !strings.HasSuffix(strings.ToLower(username), "bot") {
		return u, ErrUsernameInvalid
	}
	if err := c.Store.Users().SetUsername(ctx, id, username); errors.Is(err, store.ErrExists) {
		return u, ErrUsernameOccupied
	} else if err != nil {
		return u, err
	}
	u.Username = username
	if u.Bot {
		c.tokens.forget(id)
	}
	return u, nil
}

// ResolveUsername finds the user with username ("@" allowed).
func (c *Core) ResolveUsername(ctx context.Context, username string) (store.User, error) {
	username = strings.TrimPrefix(username, "@")
	if !ValidUsername(username) {
		return store.User{}, ErrUsernameInvalid
	}
	u, err := c.Store.Users().ByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return u, ErrUsernameNotOccupied
	}
	return u, err
}
