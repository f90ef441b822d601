-- Messaging: each user's common message box (messages, dialogs, update log
-- and counters) and basic groups (chats, members, invite links).
--
-- Portable as 0001 and 0002 are, with two SQLite-only constructs:
--
--   - WITHOUT ROWID keeps a table in the B-tree of its primary key instead
--     of a rowid B-tree plus a primary key index, which halves the writes
--     of the small, hot rows of dialogs and update logs; PostgreSQL has no
--     such clause and drops it. Messages keep a rowid: their rows can be
--     large (text up to 4096 characters, media), which WITHOUT ROWID tables
--     store poorly.
--   - The tables written by every message (boxes, messages, dialogs,
--     updates) have no foreign keys: enforcing them costed 40% of the
--     write path in BenchmarkSend. The store checks that an owner is a
--     user when it creates the owner's box or dialog row, and the trigger
--     users_delete_box below removes a user's rows with the user, as ON
--     DELETE CASCADE would. PostgreSQL would use a trigger function or the
--     foreign keys.
--
-- Partial indexes (CREATE INDEX ... WHERE) exist in both dialects. Zero
-- random and global ids are NULL, so the partial indexes skip them.
-- Messages stay when their peer goes.

-- Counters of each user's box. pts and last_id only grow.
CREATE TABLE boxes (
	owner_id INTEGER PRIMARY KEY,
	last_id INTEGER NOT NULL DEFAULT 0, -- highest message id handed out
	pts INTEGER NOT NULL DEFAULT 0,
	seq INTEGER NOT NULL DEFAULT 0      -- update containers pushed
);

-- One row per copy: a private message is stored in both boxes.
CREATE TABLE messages (
	owner_id BIGINT NOT NULL,
	id INTEGER NOT NULL,                -- the owner's message id
	peer_kind SMALLINT NOT NULL,        -- 1 user, 2 chat
	peer_id BIGINT NOT NULL,
	from_id BIGINT NOT NULL DEFAULT 0,
	outgoing BOOLEAN NOT NULL DEFAULT FALSE,
	date BIGINT NOT NULL,
	edit_date BIGINT NOT NULL DEFAULT 0,
	text TEXT NOT NULL DEFAULT '',
	entities BLOB,                      -- the blobs are core's encodings,
	media BLOB,                         -- NULL when empty
	fwd_from BLOB,
	action BLOB,                        -- set on service messages
	reply_to INTEGER NOT NULL DEFAULT 0,
	random_id BIGINT,                   -- the sender's copy only
	global_id BIGINT,                   -- links the copies of a message
	silent BOOLEAN NOT NULL DEFAULT FALSE,
	no_forwards BOOLEAN NOT NULL DEFAULT FALSE,
	mentioned BOOLEAN NOT NULL DEFAULT FALSE,
	media_unread BOOLEAN NOT NULL DEFAULT FALSE,
	pinned BOOLEAN NOT NULL DEFAULT FALSE,
	PRIMARY KEY (owner_id, id)
);
-- History of one dialog, in id order.
CREATE INDEX messages_history ON messages (owner_id, peer_kind, peer_id, id);
-- Unread mentions of one dialog (messages.getUnreadMentions).
CREATE INDEX messages_unread_mentions ON messages (owner_id, peer_kind, peer_id, id)
	WHERE mentioned AND media_unread;
-- A box holds one message per random_id (resent requests find the first).
CREATE UNIQUE INDEX messages_random_id ON messages (owner_id, random_id) WHERE random_id IS NOT NULL;
CREATE INDEX messages_global_id ON messages (global_id) WHERE global_id IS NOT NULL;

CREATE TABLE dialogs (
	owner_id BIGINT NOT NULL,
	peer_kind SMALLINT NOT NULL,
	peer_id BIGINT NOT NULL,
	top_message INTEGER NOT NULL DEFAULT 0, -- 0: empty history
	top_date BIGINT NOT NULL DEFAULT 0,
	read_inbox_max_id INTEGER NOT NULL DEFAULT 0,
	read_outbox_max_id INTEGER NOT NULL DEFAULT 0,
	unread_count INTEGER NOT NULL DEFAULT 0,
	unread_mentions INTEGER NOT NULL DEFAULT 0,
	pinned_order INTEGER NOT NULL DEFAULT 0, -- > 0: pinned, higher first
	folder_id INTEGER NOT NULL DEFAULT 0,
	draft BLOB,
	PRIMARY KEY (owner_id, peer_kind, peer_id)
) WITHOUT ROWID;
-- The dialog list: per folder, pinned ones by pinned_order, the others
-- (pinned_order 0) newest first.
CREATE INDEX dialogs_order ON dialogs (owner_id, folder_id, pinned_order, top_date, top_message);

-- The update log. An entry that moved pts has ord 0 and is the only one
-- at its pts; entries that did not (pts_count 0) share the pts of the box
-- and are numbered 1, 2, ... in the order appended.
CREATE TABLE updates (
	owner_id BIGINT NOT NULL,
	pts INTEGER NOT NULL,
	ord INTEGER NOT NULL DEFAULT 0,
	pts_count INTEGER NOT NULL,
	date BIGINT NOT NULL,
	payload BLOB,                       -- core's encoding of the event
	PRIMARY KEY (owner_id, pts, ord)
) WITHOUT ROWID;

-- What belongs to a user goes with the user (see the foreign keys note).
CREATE TRIGGER users_delete_box AFTER DELETE ON users
BEGIN
	DELETE FROM boxes WHERE owner_id = old.id;
	DELETE FROM messages WHERE owner_id = old.id;
	DELETE FROM dialogs WHERE owner_id = old.id;
	DELETE FROM updates WHERE owner_id = old.id;
END;

INSERT INTO id_sequences (name, last_id) VALUES ('chats', 0);

CREATE TABLE chats (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL DEFAULT '',
	creator_id BIGINT NOT NULL,         -- no foreign key: the chat outlives its creator
	date BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 0,
	deactivated BOOLEAN NOT NULL DEFAULT FALSE,
	about TEXT NOT NULL DEFAULT '',
	default_banned_rights BLOB          -- core's encoding; NULL for none
);

CREATE TABLE chat_members (
	chat_id BIGINT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	inviter_id BIGINT NOT NULL DEFAULT 0,
	date BIGINT NOT NULL,
	admin BOOLEAN NOT NULL DEFAULT FALSE,
	PRIMARY KEY (chat_id, user_id)
);
CREATE INDEX chat_members_user_id ON chat_members (user_id);

CREATE TABLE chat_invites (
	hash TEXT PRIMARY KEY,              -- after t.me/+
	chat_id BIGINT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
	admin_id BIGINT NOT NULL,
	date BIGINT NOT NULL,
	expire_date BIGINT NOT NULL DEFAULT 0, -- 0: never
	usage_limit INTEGER NOT NULL DEFAULT 0, -- 0: unlimited
	usage INTEGER NOT NULL DEFAULT 0,
	revoked BOOLEAN NOT NULL DEFAULT FALSE,
	permanent BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX chat_invites_chat_id ON chat_invites (chat_id, date);
