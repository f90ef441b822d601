package botfather

import (
	"context"
	"errors"
	"fmt"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

// BotFather's account, with Telegram's id and username so that clients
// and habits that know them work.
const (
	ID       int64 = 93372553
	Username       = "BotFather"
	Name           = "BotFather"
)

// commands are BotFather's command list, as its users see it when they
// type "/".
var commands = []store.BotCommand{
	{Command: "newbot", Description: "create a new bot"},
	{Command: "mybots", Description: "edit your bots"},
	{Command: "setname", Description: "change a bot's name"},
	{Command: "setdescription", Description: "change bot description"},
	{Command: "setabouttext", Description: "change bot about info"},
	{Command: "setcommands", Description: "change the list of commands"},
	{Command: "deletebot", Description: "delete a bot"},
	{Command: "token", Description: "generate authorization token"},
	{Command: "revoke", Description: "revoke bot access token"},
	{Command: "cancel", Description: "cancel the current operation"},
}

// Ensure creates BotFather's account if the store lacks it, as
// core.EnsureServiceUser does for 777000, and gives it its command list
// and texts where they are unset. Ids count up from the highest one ever
// given, so users created after BotFather get ids above 93372553.
//
// If another account took the username "BotFather" first, BotFather is
// created without one (users then cannot find it by name) and Ensure
// says so in its error only when it cannot create the account at all.
func Ensure(ctx context.Context, c *core.Core) error {
	u, err := c.Store.Users().Get(ctx, ID)
	switch {
	case err == nil:
		if !u.Bot {
			return fmt.Errorf("botfather: user %d exists and is not a bot", ID)
		}
	case errors.Is(err, store.ErrNotFound):
		bf := store.User{ID: ID, Bot: true, Username: Username, FirstName: Name, CreatedAt: c.Time()}
		_, err = c.Store.Users().Create(ctx, bf)
		if errors.Is(err, store.ErrExists) {
			if _, taken := c.Store.Users().Get(ctx, ID); taken == nil {
				break // created meanwhile by another process
			}
			bf.Username = "" // the username is someone else's
			_, err = c.Store.Users().Create(ctx, bf)
		}
		if err != nil {
			return fmt.Errorf("botfather: create account: %w", err)
		}
	default:
		return fmt.Errorf("botfather: %w", err)
	}
	if cmds, err := c.BotCommands(ctx, ID, core.ScopeDefault, ""); err != nil {
		return fmt.Errorf("botfather: %w", err)
	} else if len(cmds) == 0 {
		if err := c.SetBotCommands(ctx, ID, core.ScopeDefault, "", commands); err != nil {
			return fmt.Errorf("botfather: set commands: %w", err)
		}
	}
	for _, kind := range []string{core.TextDescription, core.TextShortDescription} {
		if t, err := c.BotText(ctx, ID, kind, ""); err != nil {
			return fmt.Errorf("botfather: %w", err)
		} else if t == "" {
			if err := c.SetBotText(ctx, ID, kind, "", textAboutSelf); err != nil {
				return fmt.Errorf("botfather: set %s: %w", kind, err)
			}
		}
	}
	return nil
}
