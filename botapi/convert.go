package botapi

import (
	"context"
	"strconv"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

// view converts core's data to Bot API objects for one bot, loading each
// user once.
type view struct {
	ctx   context.Context
	core  *core.Core
	bot   int64
	users map[int64]*User
	chats map[int64]*store.Chat
}

func newView(c *call) *view {
	v := &view{ctx: c.ctx, core: c.s.Core, bot: c.bot.ID, users: map[int64]*User{}, chats: map[int64]*store.Chat{}}
	if c.bot.FirstName != "" {
		u := userJSON(c.bot)
		v.users[c.bot.ID] = &u
	}
	for id, u := range c.known {
		j := userJSON(u)
		v.users[id] = &j
	}
	return v
}

func userJSON(u store.User) User {
	return User{ID: u.ID, IsBot: u.Bot, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username}
}

// user returns a user, or nil when it is gone.
func (v *view) user(id int64) *User {
	if u, ok := v.users[id]; ok {
		return u
	}
	var out *User
	if u, err := v.core.User(v.ctx, id); err == nil {
		j := userJSON(u)
		out = &j
	}
	v.users[id] = out
	return out
}

// chatID is the Bot API id of a dialog peer: the user id of a private
// chat, minus the id of a basic group.
func chatID(p store.Peer) int64 {
	if p.Kind == store.PeerChat {
		return -p.ID
	}
	return p.ID
}

func (v *view) chat(p store.Peer) Chat {
	if p.Kind == store.PeerChat {
		c := Chat{ID: -p.ID, Type: "group"}
		if g := v.group(p.ID); g != nil {
			c.Title = g.Title
		}
		return c
	}
	c := Chat{ID: p.ID, Type: "private"}
	if u := v.user(p.ID); u != nil {
		c.FirstName, c.LastName, c.Username = u.FirstName, u.LastName, u.Username
	}
	return c
}

func (v *view) group(id int64) *store.Chat {
	if g, ok := v.chats[id]; ok {
		return g
	}
	var out *store.Chat
	if g, err := v.core.Store.Chats().Get(v.ctx, id); err == nil {
		out = &g
	}
	v.chats[id] = out
	return out
}

// message converts a message of the bot's box; depth limits the reply
// chain to one level, as the Bot API does.
func (v *view) message(m store.Message, depth int) *Message {
	out := &Message{MessageID: m.ID, Date: m.Date.Unix(), Chat: v.chat(m.Peer), Text: m.Text,
		HasProtected: m.NoForwards}
	if m.FromID != 0 {
		out.From = v.user(m.FromID)
	}
	if !m.EditDate.IsZero() {
		out.EditDate = m.EditDate.Unix()
	}
	out.Entities = v.entities(core.DecodeEntities(m.Entities))
	if h, ok := core.DecodeFwdHeader(m.FwdFrom); ok {
		out.ForwardOrigin = &MessageOrigin{Type: "user", Date: h.Date.Unix(), SenderUser: v.user(h.FromID)}
		if out.ForwardOrigin.SenderUser == nil {
			out.ForwardOrigin = &MessageOrigin{Type: "hidden_user", Date: h.Date.Unix(), SenderUserName: "Deleted Account"}
		}
	}
	if m.ReplyTo != 0 && depth == 0 {
		if r, err := v.core.Store.Boxes().Message(v.ctx, v.bot, m.ReplyTo); err == nil {
			out.ReplyToMessage = v.message(r, depth+1)
		}
	}
	out.ReplyMarkup = inlineMarkupJSON(core.DecodeMarkup(m.ReplyMarkup))
	if m.Action != nil {
		v.action(out, m)
	}
	return out
}

func (v *view) action(out *Message, m store.Message) {
	a, err := core.DecodeAction(m.Action)
	if err != nil {
		return
	}
	switch a.Type {
	case core.ActionChatCreate:
		out.GroupChatCreate = true
	case core.ActionChatAddUser:
		for _, id := range a.Users {
			if u := v.user(id); u != nil {
				out.NewChatMembers = append(out.NewChatMembers, *u)
			}
		}
	case core.ActionChatJoinedByLink:
		if u := v.user(m.FromID); u != nil {
			out.NewChatMembers = append(out.NewChatMembers, *u)
		}
	case core.ActionChatDeleteUser:
		out.LeftChatMember = v.user(a.UserID)
	case core.ActionChatEditTitle:
		out.NewChatTitle = a.Title
	}
}

func (v *view) entities(es []core.Entity) []MessageEntity {
	if len(es) == 0 {
		return nil
	}
	out := make([]MessageEntity, 0, len(es))
	for _, e := range es {
		j := MessageEntity{Type: e.Type, Offset: e.Offset, Length: e.Length, URL: e.URL, Language: e.Language}
		switch e.Type {
		case "text_mention":
			j.User = v.user(e.UserID)
			if j.User == nil {
				continue
			}
		case "custom_emoji":
			j.CustomEmojiID = strconv.FormatInt(e.EmojiID, 10)
		}
		out = append(out, j)
	}
	return out
}

// inlineMarkupJSON is the reply_markup a Message shows: inline
// keyboards only.
func inlineMarkupJSON(m *core.ReplyMarkup) *InlineKeyboardMarkup {
	if m == nil || m.Kind != core.MarkupInline {
		return nil
	}
	out := &InlineKeyboardMarkup{InlineKeyboard: make([][]InlineKeyboardButton, 0, len(m.Rows))}
	for _, row := range m.Rows {
		r := make([]InlineKeyboardButton, 0, len(row))
		for _, b := range row {
			j := InlineKeyboardButton{Text: b.Text}
			switch b.Kind {
			case core.ButtonCallback:
				j.CallbackData = string(b.Data)
			case core.ButtonURL:
				j.URL = b.URL
			case core.ButtonSwitchInline:
				q := b.Query
				j.SwitchInlineQuery = &q
			case core.ButtonSwitchInlineSame:
				q := b.Query
				j.SwitchInlineQueryCurrentChat = &q
			case core.ButtonCopyText:
				j.CopyText = &CopyTextData{Text: b.Query}
			}
			r = append(r, j)
		}
		out.InlineKeyboard = append(out.InlineKeyboard, r)
	}
	return out
}

// update converts a queued update; ok is false when what it refers to
// is gone (a message deleted since), and the update is skipped.
func (v *view) update(u store.BotUpdate) (Update, bool) {
	e, err := core.DecodeBotEvent(u.Payload)
	if err != nil || e.Peer == nil {
		return Update{}, false
	}
	if u.Kind == core.BotMyChatMember {
		return v.memberUpdate(u.ID, *e.Peer, e.Member)
	}
	m, err := v.core.Store.Boxes().Message(v.ctx, v.bot, e.MsgID)
	if err != nil || m.Peer != *e.Peer {
		return Update{}, false
	}
	out := Update{UpdateID: u.ID}
	switch u.Kind {
	case core.BotMessage:
		out.Message = v.message(m, 0)
	case core.BotEditedMessage:
		out.EditedMessage = v.message(m, 0)
	case core.BotCallbackQuery:
		q := e.Callback
		if q == nil {
			return Update{}, false
		}
		from := v.user(q.From)
		if from == nil {
			return Update{}, false
		}
		out.CallbackQuery = &CallbackQuery{ID: strconv.FormatInt(q.ID, 10), From: *from, Message: v.message(m, 0),
			ChatInstance: strconv.FormatInt(q.ChatInstance, 10), Data: string(q.Data)}
	default:
		return Update{}, false
	}
	return out, true
}

// memberUpdate is a my_chat_member update: the bot's own status changed.
func (v *view) memberUpdate(id int64, peer store.Peer, mc *core.MemberChange) (Update, bool) {
	if mc == nil {
		return Update{}, false
	}
	from, bot := v.user(mc.From), v.user(v.bot)
	if from == nil || bot == nil {
		return Update{}, false
	}
	return Update{UpdateID: id, MyChatMember: &ChatMemberUpdated{Chat: v.chat(peer), From: *from,
		Date: mc.Date.Unix(), OldChatMember: ChatMember{Status: mc.Old, User: *bot},
		NewChatMember: ChatMember{Status: mc.New, User: *bot}}}, true
}
