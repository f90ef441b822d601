package memory

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/rules"
)

// The basic group writes of a box transaction (store.BoxTx). They are
// staged on a copy of the chats they touch (chatView) and recorded; the
// commit replays them, under the store's lock, on a fresh copy of the
// committed chats and applies the result together with the boxes, or
// fails the whole call if one of them no longer holds (a concurrent
// Chats write took the chat id, say).

// chatView is a copy of the chats a transaction touched, with its writes
// applied. Its methods run with Store.mu held (read or write).
type chatView struct {
	s       *Store
	chats   map[int64]*store.Chat // nil: no such chat
	members map[int64]map[int64]store.ChatMember
	invites map[string]*store.ChatInvite // nil: no such link
	last    int64                        // lastChatID, when lastSet
	lastSet bool
}

func newChatView(s *Store) *chatView {
	return &chatView{s: s, chats: map[int64]*store.Chat{}, members: map[int64]map[int64]store.ChatMember{},
		invites: map[string]*store.ChatInvite{}}
}

// useInvite counts one more use of an invite link in the view.
func (v *chatView) useInvite(hash string) (store.ChatInvite, error) {
	inv, ok := v.invites[hash]
	if !ok {
		if committed, found := v.s.invites[hash]; found {
			inv = &committed
		}
		v.invites[hash] = inv
	}
	if inv == nil {
		return store.ChatInvite{}, fmt.Errorf("use chat invite: %w", store.ErrNotFound)
	}
	inv.Usage++
	return *inv, nil
}

// chat brings chat id into the view and returns it (nil: missing).
func (v *chatView) chat(id int64) *store.Chat {
	if c, ok := v.chats[id]; ok {
		return c
	}
	c, ok := v.s.chats[id]
	if !ok {
		v.chats[id] = nil
		return nil
	}
	c = cloneChat(c)
	v.chats[id] = &c
	byUser := make(map[int64]store.ChatMember, len(v.s.members[id]))
	for u, mb := range v.s.members[id] {
		byUser[u] = mb
	}
	v.members[id] = byUser
	return &c
}

func (v *chatView) create(c store.Chat, members []store.ChatMember) (store.Chat, error) {
	if err := rules.NewChat(c, members); err != nil {
		return store.Chat{}, err
	}
	if !v.lastSet {
		v.last, v.lastSet = v.s.lastChatID, true
	}
	c = cloneChat(c)
	if c.ID == 0 {
		if v.last == math.MaxInt64 {
			return store.Chat{}, fmt.Errorf("create chat: chat ids are exhausted")
		}
		c.ID = max(v.last+1, store.FirstChatID)
	}
	if v.chat(c.ID) != nil {
		return store.Chat{}, fmt.Errorf("create chat %d: id: %w", c.ID, store.ErrExists)
	}
	if err := v.s.mustUser(c.CreatorID); err != nil {
		return store.Chat{}, fmt.Errorf("create chat %d: creator: %w", c.ID, err)
	}
	byUser := make(map[int64]store.ChatMember, len(members))
	for _, mb := range members {
		if err := v.s.mustUser(mb.UserID); err != nil {
			return store.Chat{}, fmt.Errorf("create chat %d: member: %w", c.ID, err)
		}
		mb.ChatID, mb.Date = c.ID, second(mb.Date)
		byUser[mb.UserID] = mb
	}
	stored := c
	v.chats[c.ID], v.members[c.ID] = &stored, byUser
	v.last = max(v.last, c.ID)
	return cloneChat(c), nil
}

func (v *chatView) addMember(mb store.ChatMember) error {
	if v.chat(mb.ChatID) == nil {
		return fmt.Errorf("add member %d to chat %d: chat: %w", mb.UserID, mb.ChatID, store.ErrNotFound)
	}
	if err := v.s.mustUser(mb.UserID); err != nil {
		return fmt.Errorf("add member %d to chat %d: %w", mb.UserID, mb.ChatID, err)
	}
	byUser := v.members[mb.ChatID]
	if _, ok := byUser[mb.UserID]; ok {
		return fmt.Errorf("add member %d to chat %d: %w", mb.UserID, mb.ChatID, store.ErrExists)
	}
	mb.Date = second(mb.Date)
	byUser[mb.UserID] = mb
	return nil
}

// member applies f to a membership.
func (v *chatView) member(what string, chatID, userID int64, f func(byUser map[int64]store.ChatMember, mb store.ChatMember)) error {
	v.chat(chatID)
	byUser := v.members[chatID]
	mb, ok := byUser[userID]
	if !ok {
		return fmt.Errorf("%s %d of chat %d: %w", what, userID, chatID, store.ErrNotFound)
	}
	f(byUser, mb)
	return nil
}

func (v *chatView) update(c store.Chat) error {
	old := v.chat(c.ID)
	if old == nil {
		return fmt.Errorf("update chat %d: %w", c.ID, store.ErrNotFound)
	}
	old.Title, old.Version, old.About, old.Deactivated = c.Title, c.Version, c.About, c.Deactivated
	old.DefaultBannedRights = rules.Bytes(c.DefaultBannedRights)
	return nil
}

// chatTx is the chat part of a box transaction.
type chatTx struct {
	view *chatView
	ops  []func(*chatView) error // the writes that succeeded, in order
}

// chatOp runs a chat read or write on the transaction's view; a write
// that succeeds is recorded for the commit.
func (t *boxTx) chatOp(write bool, f func(*chatView) error) error {
	if t.done {
		return errTxDone
	}
	if t.chats == nil {
		t.chats = &chatTx{view: newChatView(t.s)}
	}
	err := t.s.read(func() error { return f(t.chats.view) })
	if err == nil && write {
		t.chats.ops = append(t.chats.ops, f)
	}
	return err
}

func (t *boxTx) CreateChat(c store.Chat, members []store.ChatMember) (store.Chat, error) {
	var out store.Chat
	err := t.chatOp(false, func(v *chatView) error {
		var err error
		out, err = v.create(c, members)
		return err
	})
	if err != nil {
		return store.Chat{}, err
	}
	// The commit creates the chat with the id it got here.
	c.ID = out.ID
	t.chats.ops = append(t.chats.ops, func(v *chatView) error {
		_, err := v.create(c, members)
		return err
	})
	return out, nil
}

func (t *boxTx) Chat(id int64) (store.Chat, error) {
	var out store.Chat
	err := t.chatOp(false, func(v *chatView) error {
		c := v.chat(id)
		if c == nil {
			return fmt.Errorf("get chat %d: %w", id, store.ErrNotFound)
		}
		out = cloneChat(*c)
		return nil
	})
	return out, err
}

func (t *boxTx) ChatMembers(chatID int64) ([]store.ChatMember, error) {
	var out []store.ChatMember
	err := t.chatOp(false, func(v *chatView) error {
		v.chat(chatID)
		for _, mb := range v.members[chatID] {
			out = append(out, mb)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b store.ChatMember) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.UserID, b.UserID)
	})
	return out, err
}

func (t *boxTx) AddChatMember(mb store.ChatMember) error {
	return t.chatOp(true, func(v *chatView) error { return v.addMember(mb) })
}

func (t *boxTx) RemoveChatMember(chatID, userID int64) error {
	return t.chatOp(true, func(v *chatView) error {
		return v.member("remove member", chatID, userID, func(byUser map[int64]store.ChatMember, _ store.ChatMember) {
			delete(byUser, userID)
		})
	})
}

func (t *boxTx) SetChatAdmin(chatID, userID int64, admin bool) error {
	return t.chatOp(true, func(v *chatView) error {
		return v.member("set admin", chatID, userID, func(byUser map[int64]store.ChatMember, mb store.ChatMember) {
			mb.Admin = admin
			byUser[userID] = mb
		})
	})
}

func (t *boxTx) UseInvite(hash string) (store.ChatInvite, error) {
	var out store.ChatInvite
	err := t.chatOp(false, func(v *chatView) error {
		var err error
		out, err = v.useInvite(hash)
		return err
	})
	if err != nil {
		return store.ChatInvite{}, err
	}
	// The commit counts the use again on the committed link.
	t.chats.ops = append(t.chats.ops, func(v *chatView) error {
		_, err := v.useInvite(hash)
		return err
	})
	return out, nil
}

func (t *boxTx) UpdateChat(c store.Chat) error {
	return t.chatOp(true, func(v *chatView) error { return v.update(c) })
}

// lockChats starts the chat part of the commit: with chat writes staged,
// it takes the store's lock and replays them on the committed chats. apply
// then stores the result; unlock releases the lock. Lock order: mu, then
// boxMu.
func (t *boxTx) lockChats() (apply, unlock func(), err error) {
	if t.chats == nil || len(t.chats.ops) == 0 {
		return func() {}, func() {}, nil
	}
	t.s.mu.Lock()
	unlock = t.s.mu.Unlock
	if t.s.closed {
		unlock()
		return nil, nil, errClosed
	}
	v := newChatView(t.s)
	for _, op := range t.chats.ops {
		if err := op(v); err != nil {
			unlock()
			return nil, nil, fmt.Errorf("commit chat writes: %w", err)
		}
	}
	apply = func() {
		for id, c := range v.chats {
			if c != nil {
				t.s.chats[id] = *c
				t.s.members[id] = v.members[id]
			}
		}
		if v.lastSet {
			t.s.lastChatID = max(t.s.lastChatID, v.last)
		}
		for hash, inv := range v.invites {
			if inv != nil {
				t.s.invites[hash] = *inv
			}
		}
	}
	return apply, unlock, nil
}
