package core

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/roostchat/roost/store"
)

// Kinds of Bot API update a bot's queue holds (the Update field each
// fills).
const (
	BotMessage       = "message"
	BotEditedMessage = "edited_message"
	BotCallbackQuery = "callback_query"
	BotMyChatMember  = "my_chat_member"
)

// How long the queue keeps an update nobody read, as the official server
// does: a day for messages, 150 s for callback queries.
const (
	BotMessageTTL  = 24 * time.Hour
	BotCallbackTTL = 150 * time.Second
)

// BotEvent is what a queued Bot API update refers to; the Bot API edge
// reads the message from the bot's box when it delivers the update, so
// an update shows the message as it is then.
type BotEvent struct {
	// Peer and MsgID name a message in the bot's box.
	Peer  *store.Peer `json:"p,omitempty"`
	MsgID int32       `json:"m,omitempty"`
	// Callback is set on callback_query updates.
	Callback *CallbackQuery `json:"cb,omitempty"`
	// Member is set on my_chat_member updates.
	Member *MemberChange `json:"mc,omitempty"`
}

// MemberChange is a change of the bot's own membership of a chat.
type MemberChange struct {
	From int64     `json:"f"` // who made it
	Date time.Time `json:"d"`
	// Old and New are Bot API statuses: "left", "member", "kicked"...
	Old string `json:"o"`
	New string `json:"n"`
}

// EncodeBotEvent and DecodeBotEvent are the stored form of a BotEvent.
func EncodeBotEvent(e BotEvent) []byte {
	b, _ := json.Marshal(e)
	return b
}

// DecodeBotEvent reads a payload written by EncodeBotEvent.
func DecodeBotEvent(b []byte) (BotEvent, error) {
	var e BotEvent
	err := json.Unmarshal(b, &e)
	return e, err
}

// BotWaker is told after a commit that bots have new queued updates, so
// that waiting long polls and webhook senders look again.
type BotWaker interface {
	Wake(bot int64)
}

// userKinds caches whether a user is a bot: ids are never reused and a
// user never turns into a bot or back.
type userKinds struct{ m sync.Map } // int64 → bool

// IsBot reports whether id is a bot account (false for unknown ids).
func (c *Core) IsBot(ctx context.Context, id int64) bool {
	_, bot := c.userKind(ctx, id)
	return bot
}

// userKind reports whether id is a user and whether a bot. Only bots are
// ever deleted (DeleteBot forgets them here), so a cached user exists.
func (c *Core) userKind(ctx context.Context, id int64) (exists, bot bool) {
	if v, ok := c.kinds.m.Load(id); ok {
		return true, v.(bool)
	}
	u, err := c.Store.Users().Get(ctx, id)
	if err != nil {
		return false, false
	}
	c.kinds.m.Store(id, u.Bot)
	return true, u.Bot
}

// botUpdate queues a Bot API update for bot inside tx.
func (c *Core) botUpdate(tx store.BoxTx, bot int64, kind string, e BotEvent, now time.Time, ttl time.Duration) error {
	_, err := tx.AppendBotUpdate(store.BotUpdate{BotID: bot, ID: c.firstUpdateID(), Kind: kind,
		Payload: EncodeBotEvent(e), Date: now, Expires: now.Add(ttl)})
	return err
}

// firstUpdateID seeds a bot's update_id numbering, at random in
// [2,000,001, 1,000,000,000] as the official server does.
func (c *Core) firstUpdateID() int64 {
	var b [8]byte
	io.ReadFull(c.rand(), b[:])
	return 2_000_001 + int64(binary.LittleEndian.Uint64(b[:])%998_000_000)
}

// wake tells the waker that bot may have new updates. Every queued
// update but callback queries comes with a change in the bot's box, so
// notify wakes the bots it pushes to.
func (c *Core) wake(bot int64) {
	if c.Bots != nil && c.IsBot(context.Background(), bot) {
		c.Bots.Wake(bot)
	}
}

// botSees reports whether a bot in privacy mode gets a group message: it
// gets commands, replies to its messages, mentions of it and service
// messages; in private chats it gets everything.
func (c *Core) botSees(tx store.BoxTx, bot int64, m store.Message) bool {
	if m.Peer.Kind != store.PeerChat || m.Action != nil {
		return true
	}
	if strings.HasPrefix(m.Text, "/") {
		return true
	}
	if m.ReplyTo != 0 {
		if r, err := tx.Message(bot, m.ReplyTo); err == nil && r.FromID == bot {
			return true
		}
	}
	var username string
	for _, e := range DecodeEntities(m.Entities) {
		switch e.Type {
		case "text_mention":
			if e.UserID == bot {
				return true
			}
		case "mention":
			if username == "" {
				u, err := c.User(context.Background(), bot)
				if err != nil {
					return false
				}
				username = u.Username
			}
			if strings.EqualFold(utf16Slice(m.Text, e.Offset, e.Length), "@"+username) {
				return true
			}
		}
	}
	return false
}

// utf16Slice cuts s at UTF-16 offsets.
func utf16Slice(s string, off, n int32) string {
	var pos int32
	start, end := -1, len(s)
	for i, r := range s {
		if pos == off {
			start = i
		}
		if pos == off+n {
			end = i
			break
		}
		if r >= 0x10000 {
			pos += 2
		} else {
			pos++
		}
	}
	if start < 0 {
		return ""
	}
	return s[start:end]
}

// queueMessage queues kind (a new or an edited message) for the owner of
// m, a copy in its box, when the owner is a bot that should see it.
func (c *Core) queueMessage(tx store.BoxTx, kind string, m store.Message, now time.Time) error {
	if m.Out || !c.IsBot(context.Background(), m.OwnerID) || !c.botSees(tx, m.OwnerID, m) {
		return nil
	}
	return c.botUpdate(tx, m.OwnerID, kind, BotEvent{Peer: &m.Peer, MsgID: m.ID}, now, BotMessageTTL)
}

// Errors of bots writing, with the official strings.
var (
	ErrUserIsBot     = bad("USER_IS_BOT")
	ErrUserIsBlocked = &Error{403, "USER_IS_BLOCKED"}
	ErrBotNotStarted = &Error{403, "BOT_NOT_STARTED"} // Bot API: bot can't initiate conversation with a user
)

// checkBotSend applies the rules of messages a bot sends: only bots
// attach reply markup; a bot writes to no bot and to no user who has not
// written to it first.
func (c *Core) checkBotSend(ctx context.Context, s *Send) error {
	if !c.IsBot(ctx, s.From) {
		s.ReplyMarkup = nil
		return nil
	}
	if s.ReplyMarkup != nil {
		if err := s.ReplyMarkup.Check(); err != nil {
			return err
		}
	}
	if s.To.Kind != store.PeerUser {
		return nil
	}
	if c.IsBot(ctx, s.To.ID) {
		return ErrUserIsBot
	}
	if blocked, err := c.Store.Contacts().IsBlocked(ctx, s.To.ID, s.From); err != nil {
		return err
	} else if blocked {
		return ErrUserIsBlocked
	}
	if _, err := c.Store.Boxes().Dialog(ctx, s.From, s.To); err != nil {
		if _, err := c.User(ctx, s.To.ID); err != nil {
			return ErrPeerIDInvalid
		}
		return ErrBotNotStarted
	}
	return nil
}

// BotWakers tells several wakers (the Bot API edge, in-process bots).
type BotWakers []BotWaker

// Wake implements BotWaker.
func (ws BotWakers) Wake(bot int64) {
	for _, w := range ws {
		w.Wake(bot)
	}
}

// queueMemberChange queues my_chat_member for owner, a bot, when a
// group's service message a is about the bot joining or leaving.
func (c *Core) queueMemberChange(tx store.BoxTx, owner, from int64, peer store.Peer, a Action, now time.Time) error {
	if !c.IsBot(context.Background(), owner) {
		return nil
	}
	var old, next string
	switch a.Type {
	case ActionChatCreate, ActionChatAddUser:
		if slices.Contains(a.Users, owner) {
			old, next = "left", "member"
		}
	case ActionChatJoinedByLink:
		if from == owner {
			old, next = "left", "member"
		}
	case ActionChatDeleteUser:
		if a.UserID == owner {
			old, next = "member", "left"
		}
	}
	if next == "" {
		return nil
	}
	e := BotEvent{Peer: &peer, Member: &MemberChange{From: from, Date: now, Old: old, New: next}}
	return c.botUpdate(tx, owner, BotMyChatMember, e, now, BotMessageTTL)
}

// tellBlocked queues my_chat_member for bot when user blocked it (its
// status in their private chat becomes "kicked", as the official server
// reports) or unblocked it ("member" again). Nothing for users who are
// not bots.
func (c *Core) tellBlocked(ctx context.Context, user, bot int64, blocked bool) error {
	if !c.IsBot(ctx, bot) {
		return nil
	}
	old, next := "member", "kicked"
	if !blocked {
		old, next = "kicked", "member"
	}
	now := c.now().Truncate(time.Second)
	peer := store.Peer{Kind: store.PeerUser, ID: user}
	e := BotEvent{Peer: &peer, Member: &MemberChange{From: user, Date: now, Old: old, New: next}}
	err := c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		return c.botUpdate(tx, bot, BotMyChatMember, e, now, BotMessageTTL)
	})
	if err != nil {
		return fmt.Errorf("tell bot %d of a block: %w", bot, err)
	}
	c.wake(bot)
	return nil
}
