package store

import (
	"context"
	"time"
)

// BotUpdate is one entry of a bot's Bot API update queue. getUpdates and
// the webhook read the same queue; an entry stays until the bot confirms
// it or it expires. Times are kept to the second and read back in UTC.
type BotUpdate struct {
	BotID int64
	// ID is the update_id: consecutive per bot. BoxTx.AppendBotUpdate
	// assigns it; on a bot's first update ever the caller's ID seeds the
	// numbering (the official server starts at a random number).
	ID int64
	// Kind is the Update field the entry fills: "message",
	// "edited_message", "callback_query", "my_chat_member", ...
	Kind string
	// Payload is core's encoding of what happened (an empty one reads
	// back as nil).
	Payload []byte
	Date    time.Time
	// Expires is when the entry is dropped unread (24 hours for messages,
	// minutes for callback queries).
	Expires time.Time
}

// BotSettings is what a bot set through the Bot API about how it gets
// its updates.
type BotSettings struct {
	BotID int64
	// WebhookURL is "" while the bot polls with getUpdates.
	WebhookURL     string
	SecretToken    string
	IPAddress      string
	MaxConnections int
	// AllowedUpdates is nil for the default set; an empty list reads
	// back as nil.
	AllowedUpdates []string
	// LastErrorDate and LastErrorMessage describe the last failed webhook
	// delivery; zero when none.
	LastErrorDate    time.Time
	LastErrorMessage string
}

// BotCommand is one entry of a bot's command list.
type BotCommand struct {
	Command     string
	Description string
}

// BotAPI persists the state of bots' Bot API: update queues, webhook
// settings, command lists and texts (name, description...) by language.
// BoxTx.AppendBotUpdate fills the queues. Reading or dropping entries of a
// bot without a queue finds none and is no error; Bots.Delete removes all
// of a bot's state.
type BotAPI interface {
	// Updates returns up to limit entries of bot's queue with ID ≥ from
	// that expire after now, in ID order. ErrInvalid unless limit is
	// positive.
	Updates(ctx context.Context, bot, from int64, limit int, now time.Time) ([]BotUpdate, error)
	// Confirm drops the entries of bot with ID < below.
	Confirm(ctx context.Context, bot, below int64) error
	// KeepLast drops all but the newest n entries of bot, expired or not.
	// ErrInvalid if n is negative.
	KeepLast(ctx context.Context, bot int64, n int) error
	// Pending counts the entries of bot that expire after now.
	Pending(ctx context.Context, bot int64, now time.Time) (int, error)
	// Expire drops every entry of every bot that expires at or before now
	// and reports how many it dropped.
	Expire(ctx context.Context, now time.Time) (int, error)
	// Settings returns a bot's settings; zero ones (with BotID set) when
	// it never set any.
	Settings(ctx context.Context, bot int64) (BotSettings, error)
	// Webhooks returns the settings of every bot with a webhook set, in
	// BotID order (to resume delivery after a restart).
	Webhooks(ctx context.Context) ([]BotSettings, error)
	// SetSettings stores s. ErrNotFound if s.BotID is not a user.
	SetSettings(ctx context.Context, s BotSettings) error
	// SetCommands replaces the command list of a scope ("default",
	// "all_private_chats", "chat:<id>"...) and language code ("" for
	// all); an empty list deletes it. The list is stored as given (order
	// kept). ErrNotFound if bot is not a user; ErrInvalid if scope is "".
	SetCommands(ctx context.Context, bot int64, scope, lang string, cmds []BotCommand) error
	// Commands returns the list of a scope and language, or nil. It does
	// not fall back to other scopes or languages: the caller does.
	Commands(ctx context.Context, bot int64, scope, lang string) ([]BotCommand, error)
	// SetText sets a text of the bot ("name", "description",
	// "short_description") for a language code ("" for all); "" deletes
	// it. ErrNotFound if bot is not a user; ErrInvalid if kind is "".
	SetText(ctx context.Context, bot int64, kind, lang, text string) error
	// Text returns a text, "" when unset.
	Text(ctx context.Context, bot int64, kind, lang string) (string, error)
}
