package core

import (
	"context"
	"errors"

	"github.com/roostchat/roost/store"
)

// EnsureServiceUser creates the service account 777000 ("Telegram"), which
// sends login codes and notices, if the store lacks it.
func (c *Core) EnsureServiceUser(ctx context.Context) error {
	if _, err := c.Store.Users().Get(ctx, ServiceUserID); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	_, err := c.Store.Users().Create(ctx, store.User{ID: ServiceUserID, Phone: "42777", FirstName: "Telegram", CreatedAt: c.now()})
	if errors.Is(err, store.ErrExists) {
		return nil
	}
	return err
}

// serviceMessage sends text from the service account to user.
func (c *Core) serviceMessage(ctx context.Context, user int64, text string) error {
	if err := c.EnsureServiceUser(ctx); err != nil {
		return err
	}
	_, err := c.SendMessage(ctx, Send{From: ServiceUserID, To: store.Peer{Kind: store.PeerUser, ID: user}, Text: text,
		Entities: []Entity{{Type: "bold", Offset: 12, Length: CodeLength}}})
	return err
}
