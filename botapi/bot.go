package botapi

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

// closeGrace is how long after launch close refuses with 429, as the
// official server does.
const closeGrace = 10 * time.Minute

func getMe(c *call) (any, error) {
	u := userJSON(c.bot)
	t, f := true, false
	u.CanJoinGroups, u.CanReadAllGroupMessages, u.SupportsInlineQueries = &t, &f, &f
	u.CanConnectToBusiness, u.HasMainWebApp = &f, &f
	return u, nil
}

// logOut ends the bot's session on this server: polls end and the
// webhook stops; the next request starts a new one.
func logOut(c *call) (any, error) {
	c.state.stopPoll(&Error{Code: 500, Description: "Internal Server Error: restart"})
	c.s.stopWebhook(c.state)
	c.s.forget(c.bot.ID)
	return true, nil
}

// close stops the bot instance, refused in its first ten minutes.
func closeBot(c *call) (any, error) {
	if wait := closeGrace - time.Since(c.state.launched); wait > 0 {
		n := int(wait.Seconds()) + 1
		return nil, &Error{Code: 429, Description: "Too Many Requests: retry after " + strconv.Itoa(n), RetryAfter: n}
	}
	return logOut(c)
}

func (s *Server) forget(bot int64) {
	s.mu.Lock()
	delete(s.bots, bot)
	s.mu.Unlock()
}

// commandScope reads the scope parameter into the store's scope name.
func (c *call) commandScope() (string, error) {
	raw := c.p.get("scope")
	if raw == "" {
		return core.ScopeDefault, nil
	}
	var sc struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}
	if err := json.Unmarshal([]byte(raw), &sc); err != nil {
		return "", badRequest("can't parse BotCommandScope JSON object")
	}
	switch sc.Type {
	case core.ScopeDefault, core.ScopeAllPrivateChats, core.ScopeAllGroupChats, core.ScopeAllChatAdmins:
		return sc.Type, nil
	case core.ScopeChat, core.ScopeChatAdmins, core.ScopeChatMember:
		c.p.add("scope.chat_id", strings.Trim(string(sc.ChatID), `"`))
		peer, err := c.peer("scope.chat_id")
		if err != nil {
			return "", err
		}
		if sc.Type == core.ScopeChatMember && sc.UserID <= 0 {
			return "", errInvalidUserID
		}
		return core.CommandScope(sc.Type, chatID(peer), sc.UserID), nil
	}
	return "", badRequest("unsupported bot command scope type specified")
}

func setMyCommands(c *call) (any, error) {
	var in []BotCommand
	if err := json.Unmarshal([]byte(c.p.get("commands")), &in); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	scope, err := c.commandScope()
	if err != nil {
		return nil, err
	}
	cmds := make([]store.BotCommand, len(in))
	for i, cmd := range in {
		cmds[i] = store.BotCommand{Command: strings.TrimPrefix(cmd.Command, "/"), Description: cmd.Description}
	}
	if err := c.s.Core.SetBotCommands(c.ctx, c.bot.ID, scope, c.p.get("language_code"), cmds); err != nil {
		return nil, err
	}
	return true, nil
}

func getMyCommands(c *call) (any, error) {
	scope, err := c.commandScope()
	if err != nil {
		return nil, err
	}
	cmds, err := c.s.Core.BotCommands(c.ctx, c.bot.ID, scope, c.p.get("language_code"))
	if err != nil {
		return nil, err
	}
	out := make([]BotCommand, len(cmds))
	for i, cmd := range cmds {
		out[i] = BotCommand{cmd.Command, cmd.Description}
	}
	return out, nil
}

func deleteMyCommands(c *call) (any, error) {
	scope, err := c.commandScope()
	if err != nil {
		return nil, err
	}
	if err := c.s.Core.SetBotCommands(c.ctx, c.bot.ID, scope, c.p.get("language_code"), nil); err != nil {
		return nil, err
	}
	return true, nil
}

// setText makes the setters of a bot's name and descriptions.
func setText(kind, param string) handler {
	return func(c *call) (any, error) {
		lang := c.p.get("language_code")
		text := c.p.get(param)
		if err := c.s.Core.SetBotText(c.ctx, c.bot.ID, kind, lang, text); err != nil {
			return nil, err
		}
		if kind == core.TextName && lang == "" && text != "" {
			if _, err := c.s.Core.UpdateProfile(c.ctx, c.bot.ID, &text, nil, nil); err != nil {
				return nil, err
			}
		}
		return true, nil
	}
}

func getMyName(c *call) (any, error) {
	t, err := c.s.Core.BotText(c.ctx, c.bot.ID, core.TextName, c.p.get("language_code"))
	if t == "" && err == nil {
		t = c.bot.FirstName
	}
	return BotName{t}, err
}

func getMyDescription(c *call) (any, error) {
	t, err := c.s.Core.BotText(c.ctx, c.bot.ID, core.TextDescription, c.p.get("language_code"))
	return BotDescription{t}, err
}

func getMyShortDescription(c *call) (any, error) {
	t, err := c.s.Core.BotText(c.ctx, c.bot.ID, core.TextShortDescription, c.p.get("language_code"))
	return BotShortDescription{t}, err
}

func answerCallbackQuery(c *call) (any, error) {
	id, err := strconv.ParseInt(c.p.get("callback_query_id"), 10, 64)
	if err != nil {
		return nil, errQueryInvalid
	}
	a := core.CallbackAnswer{Text: c.p.get("text"), Alert: c.p.bool("show_alert"), URL: c.p.get("url"),
		CacheTime: int32(c.p.clamped("cache_time", 0, 0, 1<<31-1))}
	if err := c.s.Core.AnswerCallback(c.bot.ID, id, a); err != nil {
		return nil, err
	}
	return true, nil
}

func parseInt(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
