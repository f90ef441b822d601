// Package sqlite is the embedded store.Store: one SQLite database file,
// zero set-up, through the pure-Go driver modernc.org/sqlite.
//
// Open configures every connection for a server: WAL journal (readers do
// not block the writer), a busy timeout instead of immediate "database is
// locked" errors, foreign keys on, synchronous=NORMAL (safe against process
// crashes; a power loss may drop the last commits but never corrupts the
// file), and BEGIN IMMEDIATE transactions so that a transaction takes the
// write lock up front instead of failing when it upgrades. It then runs the
// embedded migrations (migrations/NNNN_*.sql) that the database lacks.
//
// Queries use standard SQL (INSERT … ON CONFLICT … DO UPDATE, no
// SQLite-only functions) so that a PostgreSQL implementation can share them
// with only the placeholders changed.
package sqlite
