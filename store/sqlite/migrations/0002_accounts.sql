-- Accounts: users, login codes, two-step passwords, contacts and block
-- lists, privacy rules, registered apps and bot tokens.
--
-- Portable as 0001 is (INTEGER PRIMARY KEY is BIGINT PRIMARY KEY in
-- PostgreSQL, BLOB is BYTEA). Uniqueness that ignores case is a unique
-- index on a column the store fills with the lower-cased value, not an
-- expression or a collation, which differ between dialects. Rows that
-- belong to a user go with the user (ON DELETE CASCADE).

-- The highest id each sequence gave out or saw given explicitly; the store
-- assigns the next one above it (and above its first id), so an id is never
-- used twice, even after its row was deleted.
CREATE TABLE id_sequences (
	name TEXT PRIMARY KEY,
	last_id BIGINT NOT NULL
);
INSERT INTO id_sequences (name, last_id) VALUES ('users', 0);
INSERT INTO id_sequences (name, last_id) VALUES ('apps', 0);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	phone TEXT,                        -- digits only; NULL when none (bots)
	first_name TEXT NOT NULL DEFAULT '',
	last_name TEXT NOT NULL DEFAULT '',
	username TEXT NOT NULL DEFAULT '', -- with the case its owner chose
	username_lower TEXT,               -- lower-cased username; NULL when unset
	about TEXT NOT NULL DEFAULT '',
	bot BOOLEAN NOT NULL DEFAULT FALSE,
	bot_owner_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL DEFAULT 0
);
-- NULLs are distinct in both dialects: users without a phone or a username
-- never collide.
CREATE UNIQUE INDEX users_phone ON users (phone);
CREATE UNIQUE INDEX users_username_lower ON users (username_lower);
CREATE INDEX users_bot_owner_id ON users (bot_owner_id);

-- Not tied to auth_keys by a foreign key: the key that asked may be a
-- temporary one, which lives in memory only.
CREATE TABLE login_codes (
	hash TEXT PRIMARY KEY,             -- phone_code_hash
	phone TEXT NOT NULL,
	code TEXT NOT NULL,
	auth_key_id BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	verified BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX login_codes_expires_at ON login_codes (expires_at);

-- Every code sent, kept after the code is gone, for flood limits.
CREATE TABLE login_code_sends (
	phone TEXT NOT NULL,
	sent_at BIGINT NOT NULL
);
CREATE INDEX login_code_sends_phone_sent_at ON login_code_sends (phone, sent_at);
CREATE INDEX login_code_sends_sent_at ON login_code_sends (sent_at);

CREATE TABLE passwords (
	user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	salt1 BLOB NOT NULL,
	salt2 BLOB NOT NULL,
	verifier BLOB NOT NULL,
	hint TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	email_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
	updated_at BIGINT NOT NULL
);

CREATE TABLE contacts (
	owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	first_name TEXT NOT NULL DEFAULT '',
	last_name TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	PRIMARY KEY (owner_id, user_id)
);
CREATE INDEX contacts_user_id ON contacts (user_id);

CREATE TABLE blocked_users (
	owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	blocked_at BIGINT NOT NULL,
	PRIMARY KEY (owner_id, user_id)
);
CREATE INDEX blocked_users_owner_id_blocked_at ON blocked_users (owner_id, blocked_at, user_id);
CREATE INDEX blocked_users_user_id ON blocked_users (user_id);

CREATE TABLE privacy_rules (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	rule_key TEXT NOT NULL,
	rules BLOB NOT NULL,               -- opaque, encoded by core
	PRIMARY KEY (user_id, rule_key)
);

CREATE TABLE apps (
	id INTEGER PRIMARY KEY,            -- api_id
	hash TEXT NOT NULL,                -- api_hash
	title TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);

CREATE TABLE bot_tokens (
	bot_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	secret_hash BLOB NOT NULL          -- SHA-256 of the token's secret half
);
