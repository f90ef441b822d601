-- A copy of each bot token's secret half, sealed (AES-GCM) by core with a
-- key derived from the server secret, so that BotFather's /token can
-- show the token again while only its hash serves to check it. NULL for
-- tokens set without one (before this migration, or by Bots.SetToken).
-- It lives and dies with the row of the hash, so a revoked token's copy
-- goes with it.
ALTER TABLE bot_tokens ADD COLUMN secret_sealed BLOB;
