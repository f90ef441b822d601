package core

import (
	"context"
	"errors"

	"github.com/roostchat/roost/store"
)

// chatAudience returns the members of basic group chatID that receive a
// message from a member; a non-member cannot write there.
func (c *Core) chatAudience(ctx context.Context, from, chatID int64) ([]int64, error) {
	chat, err := c.Store.Chats().Get(ctx, chatID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrChatIDInvalid
	} else if err != nil {
		return nil, err
	}
	if chat.Deactivated {
		return nil, ErrChatWriteForbidden
	}
	members, err := c.Store.Chats().Members(ctx, chatID)
	if err != nil {
		return nil, err
	}
	out := make([]int64, 0, len(members))
	var self *store.ChatMember
	for i, m := range members {
		out = append(out, m.UserID)
		if m.UserID == from {
			self = &members[i]
		}
	}
	if self == nil {
		return nil, ErrChatWriteForbidden
	}
	// The default rights bind members who are neither admin nor creator.
	if !self.Admin && chat.CreatorID != from && DecodeRights(chat.DefaultBannedRights).SendMessages {
		return nil, ErrChatWriteForbidden
	}
	// The sender's copy first: its result is the first log entry.
	for i, u := range out {
		if u == from {
			out[0], out[i] = out[i], out[0]
		}
	}
	return out, nil
}
