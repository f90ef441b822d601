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
// Writers of one Store queue for the database in Go, at a write gate
// (gate.go), rather than in SQLite's busy handler, which polls with sleeps.
//
// Messages take a path of their own, built for the rate of a chat server:
//
//   - One goroutine runs every Boxes.Update call on a connection of its own
//     with prepared statements, and commits the calls that queued while a
//     transaction ran together, each in a savepoint (group commit, see
//     writer.go): a call is kept or dropped as a whole, and SQLite writes
//     the pages a batch shares once.
//   - It caches box counters and dialogs (cache.go), valid until another
//     connection commits (PRAGMA data_version), so that a send reads
//     neither and writes each box's counters and each dialog once per
//     batch.
//   - A checkpointer copies the WAL back into the database beside it
//     (checkpoint.go), instead of stalling a commit on the copy.
//   - The tables every message writes have no foreign keys, whose checks
//     cost 40% of the path; see migrations/0003_messaging.sql.
//
// BenchmarkSend measures the path: one private message (two copies, two
// dialogs, two log entries and the counters) per Boxes.Update, from 100
// pairs of users at once.
//
// Queries use standard SQL (INSERT … ON CONFLICT … DO UPDATE, no
// SQLite-only functions but roost_fold, see fold.go) so that a PostgreSQL
// implementation can share them with only the placeholders changed.
package sqlite
