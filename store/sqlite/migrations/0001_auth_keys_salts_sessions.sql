-- MTProto state: auth keys, their server salts and their sessions.
--
-- Kept close to portable SQL so that a PostgreSQL schema can mirror it:
-- there, "INTEGER PRIMARY KEY" becomes "BIGINT PRIMARY KEY" (SQLite keeps
-- INTEGER so that the id is the rowid and a lookup is one B-tree search; its
-- INTEGER is 64-bit) and BLOB becomes BYTEA. Times are Unix seconds.

CREATE TABLE auth_keys (
	id INTEGER PRIMARY KEY,            -- auth_key_id
	auth_key BLOB NOT NULL,            -- 256 bytes
	created_at BIGINT NOT NULL,
	expires_at BIGINT,                 -- NULL for permanent keys
	perm_key_id BIGINT REFERENCES auth_keys (id) ON DELETE CASCADE,
	user_id BIGINT                     -- NULL until sign-in
);
-- One temporary key per permanent key (NULLs are distinct in both dialects).
CREATE UNIQUE INDEX auth_keys_perm_key_id ON auth_keys (perm_key_id);
CREATE INDEX auth_keys_expires_at ON auth_keys (expires_at);
CREATE INDEX auth_keys_user_id ON auth_keys (user_id);

CREATE TABLE server_salts (
	auth_key_id BIGINT NOT NULL REFERENCES auth_keys (id) ON DELETE CASCADE,
	salt BIGINT NOT NULL,
	valid_since BIGINT NOT NULL,
	valid_until BIGINT NOT NULL,
	PRIMARY KEY (auth_key_id, salt)
);
CREATE INDEX server_salts_valid_until ON server_salts (valid_until);

CREATE TABLE sessions (
	auth_key_id BIGINT NOT NULL REFERENCES auth_keys (id) ON DELETE CASCADE,
	id BIGINT NOT NULL,                -- session_id chosen by the client
	layer INTEGER NOT NULL DEFAULT 0,
	api_id INTEGER NOT NULL DEFAULT 0,
	device_model TEXT NOT NULL DEFAULT '',
	system_version TEXT NOT NULL DEFAULT '',
	app_version TEXT NOT NULL DEFAULT '',
	system_lang_code TEXT NOT NULL DEFAULT '',
	lang_pack TEXT NOT NULL DEFAULT '',
	lang_code TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	last_used_at BIGINT NOT NULL,
	PRIMARY KEY (auth_key_id, id)
);
CREATE INDEX sessions_last_used_at ON sessions (last_used_at);
