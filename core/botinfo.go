package core

import (
	"context"
	"strconv"
	"unicode/utf8"

	"github.com/roostchat/roost/store"
)

// Limits of a bot's commands and texts, as the official server has them.
const (
	MaxBotCommands         = 100
	MaxCommandLength       = 32
	MaxCommandDescription  = 256
	MaxBotName             = 64
	MaxBotDescription      = 512
	MaxBotShortDescription = 120
)

// Texts of a bot, set per language (store.BotAPI.SetText kinds).
const (
	TextName             = "name"
	TextDescription      = "description"
	TextShortDescription = "short_description"
)

// Errors of bot settings, with the official strings.
var (
	ErrBotCommandInvalid     = bad("BOT_COMMAND_INVALID")
	ErrBotCommandDescInvalid = bad("BOT_COMMAND_DESCRIPTION_INVALID")
	ErrLangCodeInvalid       = bad("LANG_CODE_INVALID")
	ErrBotTextTooLong        = bad("BOT_DESCRIPTION_INVALID")
)

// Scopes of bot commands, with the chat or user they name encoded by
// CommandScope.
const (
	ScopeDefault          = "default"
	ScopeAllPrivateChats  = "all_private_chats"
	ScopeAllGroupChats    = "all_group_chats"
	ScopeAllChatAdmins    = "all_chat_administrators"
	ScopeChat             = "chat"
	ScopeChatAdmins       = "chat_administrators"
	ScopeChatMember       = "chat_member"
	scopeSeparator        = ":"
	maxLanguageCodeLength = 2
)

// CommandScope names a scope for the store: kind, plus the chat and user
// of the chat scopes.
func CommandScope(kind string, chat, user int64) string {
	switch kind {
	case ScopeChat, ScopeChatAdmins:
		return kind + scopeSeparator + strconv.FormatInt(chat, 10)
	case ScopeChatMember:
		return kind + scopeSeparator + strconv.FormatInt(chat, 10) + scopeSeparator + strconv.FormatInt(user, 10)
	}
	return kind
}

func checkLang(lang string) error {
	if lang == "" {
		return nil
	}
	if len(lang) != maxLanguageCodeLength || lang[0] < 'a' || lang[0] > 'z' || lang[1] < 'a' || lang[1] > 'z' {
		return ErrLangCodeInvalid
	}
	return nil
}

// SetBotCommands replaces the commands of bot for a scope and language;
// an empty list deletes them.
func (c *Core) SetBotCommands(ctx context.Context, bot int64, scope, lang string, cmds []store.BotCommand) error {
	if err := checkLang(lang); err != nil {
		return err
	}
	if len(cmds) > MaxBotCommands {
		return ErrBotCommandInvalid
	}
	for _, cmd := range cmds {
		if !validCommand(cmd.Command) {
			return ErrBotCommandInvalid
		}
		if n := utf8.RuneCountInString(cmd.Description); n == 0 || n > MaxCommandDescription {
			return ErrBotCommandDescInvalid
		}
	}
	return c.Store.BotAPI().SetCommands(ctx, bot, scope, lang, cmds)
}

// validCommand: 1-32 characters of lowercase letters, digits and "_".
func validCommand(s string) bool {
	if s == "" || len(s) > MaxCommandLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !('a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' || ch == '_') {
			return false
		}
	}
	return true
}

// BotCommands returns the commands of exactly one scope and language.
func (c *Core) BotCommands(ctx context.Context, bot int64, scope, lang string) ([]store.BotCommand, error) {
	if err := checkLang(lang); err != nil {
		return nil, err
	}
	return c.Store.BotAPI().Commands(ctx, bot, scope, lang)
}

// VisibleCommands returns the commands a user sees in a private chat with
// the bot: the first non-empty list among the user's language and all
// languages, for all private chats, then the default scope.
func (c *Core) VisibleCommands(ctx context.Context, bot int64, lang string) ([]store.BotCommand, error) {
	for _, scope := range []string{ScopeAllPrivateChats, ScopeDefault} {
		for _, l := range []string{lang, ""} {
			if l != "" && checkLang(l) != nil {
				continue
			}
			cmds, err := c.Store.BotAPI().Commands(ctx, bot, scope, l)
			if err != nil || len(cmds) > 0 {
				return cmds, err
			}
		}
	}
	return nil, nil
}

// SetBotText sets the name, description or short description of a bot
// for a language ("" for all).
func (c *Core) SetBotText(ctx context.Context, bot int64, kind, lang, text string) error {
	if err := checkLang(lang); err != nil {
		return err
	}
	max := map[string]int{TextName: MaxBotName, TextDescription: MaxBotDescription,
		TextShortDescription: MaxBotShortDescription}[kind]
	if max == 0 {
		return ErrBotTextTooLong
	}
	if utf8.RuneCountInString(text) > max {
		return ErrBotTextTooLong
	}
	return c.Store.BotAPI().SetText(ctx, bot, kind, lang, text)
}

// BotText returns a text of the bot for lang, falling back to the text
// for all languages.
func (c *Core) BotText(ctx context.Context, bot int64, kind, lang string) (string, error) {
	if lang != "" {
		if t, err := c.Store.BotAPI().Text(ctx, bot, kind, lang); err != nil || t != "" {
			return t, err
		}
	}
	return c.Store.BotAPI().Text(ctx, bot, kind, "")
}
