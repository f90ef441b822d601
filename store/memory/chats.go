package memory

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/rules"
)

// chatData is the part of Store that holds basic groups. The Store's lock
// guards it, with the users its members are.
type chatData struct {
	chats      map[int64]store.Chat
	members    map[int64]map[int64]store.ChatMember // chat → user → member
	invites    map[string]store.ChatInvite
	lastChatID int64 // highest chat id given or assigned
}

func newChatData() chatData {
	return chatData{
		chats:   make(map[int64]store.Chat),
		members: make(map[int64]map[int64]store.ChatMember),
		invites: make(map[string]store.ChatInvite),
	}
}

type chats struct{ s *Store }

// cloneChat copies c's byte slice and drops the sub-second part of its date.
func cloneChat(c store.Chat) store.Chat {
	c.DefaultBannedRights = rules.Bytes(c.DefaultBannedRights)
	c.Date = second(c.Date)
	return c
}

func (m chats) Create(_ context.Context, c store.Chat, members []store.ChatMember) (store.Chat, error) {
	if err := rules.NewChat(c, members); err != nil {
		return store.Chat{}, err
	}
	c = cloneChat(c)
	err := m.s.write(func() error {
		if c.ID == 0 {
			if m.s.lastChatID == math.MaxInt64 {
				return fmt.Errorf("create chat: chat ids are exhausted")
			}
			c.ID = max(m.s.lastChatID+1, store.FirstChatID)
		}
		if _, ok := m.s.chats[c.ID]; ok {
			return fmt.Errorf("create chat %d: id: %w", c.ID, store.ErrExists)
		}
		if err := m.s.mustUser(c.CreatorID); err != nil {
			return fmt.Errorf("create chat %d: creator: %w", c.ID, err)
		}
		for _, mb := range members {
			if err := m.s.mustUser(mb.UserID); err != nil {
				return fmt.Errorf("create chat %d: member: %w", c.ID, err)
			}
		}
		m.s.chats[c.ID] = c
		byUser := make(map[int64]store.ChatMember, len(members))
		for _, mb := range members {
			mb.ChatID, mb.Date = c.ID, second(mb.Date)
			byUser[mb.UserID] = mb
		}
		m.s.members[c.ID] = byUser
		m.s.lastChatID = max(m.s.lastChatID, c.ID)
		return nil
	})
	if err != nil {
		return store.Chat{}, err
	}
	return cloneChat(c), nil
}

func (m chats) Get(_ context.Context, id int64) (store.Chat, error) {
	var c store.Chat
	err := m.s.read(func() error {
		var ok bool
		if c, ok = m.s.chats[id]; !ok {
			return fmt.Errorf("get chat %d: %w", id, store.ErrNotFound)
		}
		c = cloneChat(c)
		return nil
	})
	return c, err
}

func (m chats) GetMany(_ context.Context, ids []int64) ([]store.Chat, error) {
	out := make([]store.Chat, 0, len(ids))
	err := m.s.read(func() error {
		seen := make(map[int64]bool, len(ids))
		for _, id := range ids {
			if c, ok := m.s.chats[id]; ok && !seen[id] {
				seen[id] = true
				out = append(out, cloneChat(c))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (m chats) Update(_ context.Context, c store.Chat) error {
	return m.s.write(func() error {
		old, ok := m.s.chats[c.ID]
		if !ok {
			return fmt.Errorf("update chat %d: %w", c.ID, store.ErrNotFound)
		}
		old.Title, old.Version, old.About, old.Deactivated = c.Title, c.Version, c.About, c.Deactivated
		old.DefaultBannedRights = rules.Bytes(c.DefaultBannedRights)
		m.s.chats[c.ID] = old
		return nil
	})
}

func (m chats) Members(_ context.Context, chatID int64) ([]store.ChatMember, error) {
	var out []store.ChatMember
	err := m.s.read(func() error {
		for _, mb := range m.s.members[chatID] {
			out = append(out, mb)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b store.ChatMember) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.UserID, b.UserID)
	})
	return out, nil
}

func (m chats) Member(_ context.Context, chatID, userID int64) (store.ChatMember, error) {
	var mb store.ChatMember
	err := m.s.read(func() error {
		var ok bool
		if mb, ok = m.s.members[chatID][userID]; !ok {
			return fmt.Errorf("member %d of chat %d: %w", userID, chatID, store.ErrNotFound)
		}
		return nil
	})
	return mb, err
}

func (m chats) AddMember(_ context.Context, mb store.ChatMember) error {
	return m.s.write(func() error {
		byUser, ok := m.s.members[mb.ChatID]
		if !ok {
			return fmt.Errorf("add member %d to chat %d: chat: %w", mb.UserID, mb.ChatID, store.ErrNotFound)
		}
		if err := m.s.mustUser(mb.UserID); err != nil {
			return fmt.Errorf("add member %d to chat %d: %w", mb.UserID, mb.ChatID, err)
		}
		if _, ok := byUser[mb.UserID]; ok {
			return fmt.Errorf("add member %d to chat %d: %w", mb.UserID, mb.ChatID, store.ErrExists)
		}
		mb.Date = second(mb.Date)
		byUser[mb.UserID] = mb
		return nil
	})
}

// member applies f to a membership under the write lock.
func (m chats) member(what string, chatID, userID int64, f func(byUser map[int64]store.ChatMember, mb store.ChatMember)) error {
	return m.s.write(func() error {
		byUser := m.s.members[chatID]
		mb, ok := byUser[userID]
		if !ok {
			return fmt.Errorf("%s %d of chat %d: %w", what, userID, chatID, store.ErrNotFound)
		}
		f(byUser, mb)
		return nil
	})
}

func (m chats) RemoveMember(_ context.Context, chatID, userID int64) error {
	return m.member("remove member", chatID, userID, func(byUser map[int64]store.ChatMember, _ store.ChatMember) {
		delete(byUser, userID)
	})
}

func (m chats) SetAdmin(_ context.Context, chatID, userID int64, admin bool) error {
	return m.member("set admin", chatID, userID, func(byUser map[int64]store.ChatMember, mb store.ChatMember) {
		mb.Admin = admin
		byUser[userID] = mb
	})
}

func (m chats) ChatsOf(_ context.Context, userID int64) ([]int64, error) {
	var ids []int64
	err := m.s.read(func() error {
		for chatID, byUser := range m.s.members {
			if _, ok := byUser[userID]; ok {
				ids = append(ids, chatID)
			}
		}
		return nil
	})
	slices.Sort(ids)
	return ids, err
}

func (m chats) PutInvite(_ context.Context, inv store.ChatInvite) error {
	if inv.Hash == "" {
		return fmt.Errorf("put chat invite: empty hash: %w", store.ErrInvalid)
	}
	inv.Date, inv.ExpireDate = second(inv.Date), second(inv.ExpireDate)
	return m.s.write(func() error {
		if _, ok := m.s.chats[inv.ChatID]; !ok {
			return fmt.Errorf("put invite of chat %d: chat: %w", inv.ChatID, store.ErrNotFound)
		}
		if old, ok := m.s.invites[inv.Hash]; ok && old.ChatID != inv.ChatID {
			return fmt.Errorf("put invite of chat %d: hash of another chat: %w", inv.ChatID, store.ErrExists)
		}
		m.s.invites[inv.Hash] = inv
		return nil
	})
}

func (m chats) Invite(_ context.Context, hash string) (store.ChatInvite, error) {
	var inv store.ChatInvite
	err := m.s.read(func() error {
		var ok bool
		if inv, ok = m.s.invites[hash]; !ok {
			return fmt.Errorf("chat invite: %w", store.ErrNotFound)
		}
		return nil
	})
	return inv, err
}

func (m chats) Invites(_ context.Context, chatID int64) ([]store.ChatInvite, error) {
	var out []store.ChatInvite
	err := m.s.read(func() error {
		for _, inv := range m.s.invites {
			if inv.ChatID == chatID {
				out = append(out, inv)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b store.ChatInvite) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Hash, b.Hash)
	})
	return out, nil
}
