package core

import (
	"context"
	"errors"
	"time"

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

// chatChange makes a change of a basic group and posts the service
// message that announces it in one box transaction, so that neither is
// kept without the other. change writes the chat through tx and returns
// it as changed with the users who get the message (one copy each, from
// `from`, logged and pushed as a new message).
func (c *Core) chatChange(ctx context.Context, from int64, a Action, o Origin,
	change func(tx store.BoxTx) (store.Chat, []int64, error)) (ChatChange, error) {
	now := c.now().Truncate(time.Second)
	col := newCollector(o)
	enc := EncodeAction(a)
	var ch ChatChange
	err := c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		chat, owners, err := change(tx)
		if err != nil {
			return err
		}
		ch = ChatChange{Chat: chat}
		peer := store.Peer{Kind: store.PeerChat, ID: chat.ID}
		g := c.globalID()
		for _, owner := range owners {
			id, err := tx.NextID(owner)
			if err != nil {
				return err
			}
			m := store.Message{OwnerID: owner, ID: id, Peer: peer, FromID: from, Out: owner == from, Date: now,
				Action: enc, GlobalID: g}
			if err := tx.PutMessage(m); err != nil {
				return err
			}
			if err := bumpDialog(tx, m, false); err != nil {
				return err
			}
			col.message(m)
			if err := c.queueMemberChange(tx, owner, from, peer, a, now); err != nil {
				return err
			}
			if err := c.queueMessage(tx, BotMessage, m, now); err != nil {
				return err
			}
			pts, err := col.log(tx, owner, 1, now, Event{Kind: EventNewMessage, Peer: &m.Peer, IDs: []int32{id}})
			if err != nil {
				return err
			}
			if owner == from {
				ch.Message, ch.Pts, ch.PtsCount = m, pts, 1
			}
		}
		return nil
	})
	if err != nil {
		return ChatChange{}, err
	}
	c.notify(col.pushes())
	return ch, nil
}

// txChat reads a chat and its members' ids inside a box transaction; a
// missing chat is CHAT_ID_INVALID.
func txChat(tx store.BoxTx, chatID int64) (store.Chat, []int64, error) {
	chat, err := tx.Chat(chatID)
	if errors.Is(err, store.ErrNotFound) {
		return chat, nil, ErrChatIDInvalid
	} else if err != nil {
		return chat, nil, err
	}
	ms, err := tx.ChatMembers(chatID)
	if err != nil {
		return chat, nil, err
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.UserID
	}
	return chat, ids, nil
}

// ChatUpdate is a change of a basic group that its members learn live and
// that moves no pts, so it is not in their logs: a member's admin rights
// (Member set: updateChatParticipantAdmin) or the default rights
// (updateChatDefaultBannedRights). Chat is the chat after the change, with
// its new Version.
type ChatUpdate struct {
	// UserID is the member told.
	UserID int64
	Chat   store.Chat
	Member int64
	Admin  bool
	Origin Origin
}

// ChatNotifier is a Notifier that also carries ChatUpdates.
type ChatNotifier interface {
	ChatUpdate(u ChatUpdate)
}

// notifyChat tells each member of a chat about u, if the notifier can.
func (c *Core) notifyChat(members []int64, u ChatUpdate) {
	n, ok := c.Notifier.(ChatNotifier)
	if !ok {
		return
	}
	for _, m := range members {
		u.UserID = m
		n.ChatUpdate(u)
	}
}
