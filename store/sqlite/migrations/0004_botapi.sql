-- Bot API: each bot's update queue (getUpdates and the webhook read the
-- same one), webhook settings, command lists by scope and language, and
-- texts (name, description, short description) by language; and the reply
-- markup (a bot's keyboard) of messages.
--
-- Portable as 0001 to 0003 are, with the SQLite-only constructs noted in
-- 0003:
--
--   - bot_queues and bot_updates are written with every message a bot
--     gets, in the transaction of its box (BoxTx.AppendBotUpdate), so like
--     the box tables they have no foreign keys: the store checks that the
--     bot is a user when it creates its queue, and the trigger
--     users_delete_bot_queue removes both with the user. The other tables
--     are written rarely and keep ON DELETE CASCADE.
--   - bot_queues is a WITHOUT ROWID table (small, hot rows). bot_updates
--     keeps a rowid for the reason messages do: its payload holds a whole
--     message, which WITHOUT ROWID tables store poorly.
--
-- Times are Unix seconds. Lists (allowed updates, commands) are JSON text,
-- which both dialects store and PostgreSQL could read as jsonb.

-- The highest update_id each bot's queue handed out. The row stays when
-- the queue is emptied (confirmed, expired), so numbering goes on.
CREATE TABLE bot_queues (
	bot_id BIGINT PRIMARY KEY,
	last_id BIGINT NOT NULL
) WITHOUT ROWID;

CREATE TABLE bot_updates (
	bot_id BIGINT NOT NULL,
	update_id BIGINT NOT NULL,
	kind TEXT NOT NULL,                 -- the Update field it fills: message, callback_query, ...
	payload BLOB,                       -- core's encoding; NULL when empty
	date BIGINT NOT NULL,
	expires BIGINT NOT NULL,            -- dropped unread at or after this
	PRIMARY KEY (bot_id, update_id)
);
-- Expire drops old entries of every bot.
CREATE INDEX bot_updates_expires ON bot_updates (expires);

CREATE TRIGGER users_delete_bot_queue AFTER DELETE ON users
BEGIN
	DELETE FROM bot_queues WHERE bot_id = old.id;
	DELETE FROM bot_updates WHERE bot_id = old.id;
END;

-- No row until the bot sets something (setWebhook, ...).
CREATE TABLE bot_settings (
	bot_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	webhook_url TEXT NOT NULL DEFAULT '', -- '' while the bot polls
	secret_token TEXT NOT NULL DEFAULT '',
	ip_address TEXT NOT NULL DEFAULT '',
	max_connections INTEGER NOT NULL DEFAULT 0,
	allowed_updates TEXT,               -- JSON array of strings; NULL for the default set
	last_error_date BIGINT NOT NULL DEFAULT 0, -- 0: no failed delivery
	last_error_message TEXT NOT NULL DEFAULT ''
);

-- One command list per scope ('default', 'all_private_chats',
-- 'chat:<id>', ...) and language code ('' for all).
CREATE TABLE bot_commands (
	bot_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	scope TEXT NOT NULL,
	lang TEXT NOT NULL DEFAULT '',
	commands TEXT NOT NULL,             -- JSON array of {"command", "description"}
	PRIMARY KEY (bot_id, scope, lang)
);

-- Texts of a bot ('name', 'description', 'short_description') by
-- language code ('' for all); no row for an unset text.
CREATE TABLE bot_texts (
	bot_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	lang TEXT NOT NULL DEFAULT '',
	text TEXT NOT NULL,
	PRIMARY KEY (bot_id, kind, lang)
);

-- Core's encoding of the keyboard a bot sent with a message; NULL for
-- none.
ALTER TABLE messages ADD COLUMN reply_markup BLOB;
