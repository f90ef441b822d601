package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/migrate"
)

//go:embed migrations/*.sql
var migrations embed.FS

// BusyTimeout is how long a statement waits for a lock held by another
// connection before it fails with "database is locked".
const BusyTimeout = 10 * time.Second

// Store is a store.Store in one SQLite database file.
type Store struct {
	db      *sql.DB
	version int
	getKey  *sql.Stmt // the hot path: every encrypted packet looks up its key
	gate    chan struct{}
	stmts   *[numStmts]*sql.Stmt // messaging statements, see boxsql.go
	writer  *writer              // runs Boxes.Update calls
	reads   cached               // hot lookups with prepared statements
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path and migrates it
// to the newest schema. The file's directory must exist.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open sqlite store %q: path must be non-empty and must not contain '?'", path)
	}
	if strings.HasPrefix(path, "file:") {
		path = "./" + path // a plain file name, not an SQLite URI
	}
	// The file holds auth keys: create it readable by its owner only.
	// SQLite gives the -wal and -shm files the same mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(BusyTimeout.Milliseconds()))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}
	// Readers run in parallel under WAL; writers queue at the write gate
	// (gate.go). Idle connections are kept so that their pragmas and page
	// caches stay. Two more connections belong to the message writer and
	// its checkpointer.
	conns := max(4, 2*runtime.GOMAXPROCS(0)) + 2
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)

	s, err := setUp(ctx, db)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite store %s: %w", path, err), db.Close())
	}
	return s, nil
}

func setUp(ctx context.Context, db *sql.DB) (*Store, error) {
	var mode string
	if err := db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return nil, fmt.Errorf("read journal mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return nil, fmt.Errorf("journal mode is %q, want wal (is the file on a network file system?)", mode)
	}
	ms, err := migrate.Load(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	v, err := migrate.Apply(ctx, db, ms, migrate.Question)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	s := &Store{db: db, version: v, gate: make(chan struct{}, 1)}
	s.reads.db = db
	if s.getKey, err = db.PrepareContext(ctx, selectAuthKey+` WHERE id = ?`); err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if s.stmts, err = prepare(ctx, db); err != nil {
		return nil, errors.Join(err, s.getKey.Close())
	}
	if s.writer, err = startWriter(ctx, s); err != nil {
		return nil, errors.Join(err, s.getKey.Close(), closeStmts(s.stmts[:]))
	}
	return s, nil
}

// SchemaVersion returns the schema version the database was migrated to.
func (s *Store) SchemaVersion() int { return s.version }

// AuthKeys implements store.Store.
func (s *Store) AuthKeys() store.AuthKeys { return authKeys{s} }

// Salts implements store.Store.
func (s *Store) Salts() store.Salts { return salts{s} }

// Sessions implements store.Store.
func (s *Store) Sessions() store.Sessions { return sessions{s} }

// Users implements store.Store.
func (s *Store) Users() store.Users { return users{s} }

// LoginCodes implements store.Store.
func (s *Store) LoginCodes() store.LoginCodes { return loginCodes{s} }

// Passwords implements store.Store.
func (s *Store) Passwords() store.Passwords { return passwords{s} }

// Contacts implements store.Store.
func (s *Store) Contacts() store.Contacts { return contacts{s} }

// Privacy implements store.Store.
func (s *Store) Privacy() store.Privacy { return privacy{s} }

// Apps implements store.Store.
func (s *Store) Apps() store.Apps { return apps{s} }

// Bots implements store.Store.
func (s *Store) Bots() store.Bots { return bots{s} }

// Boxes implements store.Store.
func (s *Store) Boxes() store.Boxes { return boxes{s} }

// Chats implements store.Store.
func (s *Store) Chats() store.Chats { return chats{s} }

// Close closes the database; it waits for running queries and for the
// Boxes.Update calls already accepted to finish.
func (s *Store) Close() error {
	s.reads.close()
	return errors.Join(s.writer.close(), s.getKey.Close(), closeStmts(s.stmts[:]), s.db.Close())
}

// cachedReads returns the querier of the hot lookups.
func (s *Store) cachedReads() querier { return &s.reads }

// inTx runs f in a write transaction, committing if f returns nil.
// Constraint violations that f's checks did not catch come back as
// store errors (see constraintErr).
func (s *Store) inTx(ctx context.Context, f func(tx *sql.Tx) error) (err error) {
	if err := s.lockWrite(ctx); err != nil {
		return err
	}
	defer s.unlockWrite()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback() // the panic is the error to report
			panic(r)
		}
	}()
	if err := f(tx); err != nil {
		err = constraintErr(err)
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", constraintErr(err))
	}
	return nil
}

// SQLite's extended result codes of constraint violations.
const (
	codeForeignKey = 787  // SQLITE_CONSTRAINT_FOREIGNKEY
	codePrimaryKey = 1555 // SQLITE_CONSTRAINT_PRIMARYKEY
	codeUnique     = 2067 // SQLITE_CONSTRAINT_UNIQUE
)

// constraintErr wraps a unique or primary key violation with
// store.ErrExists and a foreign key violation with store.ErrNotFound. The
// methods check these cases first, in the same transaction, to name what
// collided; this is the safety net under those checks.
func constraintErr(err error) error {
	var coder interface{ Code() int }
	if errors.Is(err, store.ErrExists) || errors.Is(err, store.ErrNotFound) || !errors.As(err, &coder) {
		return err
	}
	switch coder.Code() {
	case codePrimaryKey, codeUnique:
		return fmt.Errorf("%w: %w", store.ErrExists, err)
	case codeForeignKey:
		return fmt.Errorf("%w: %w", store.ErrNotFound, err)
	}
	return err
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// exists reports whether query, a SELECT COUNT(*), counts any row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// keyExists reports whether the auth key id exists.
func keyExists(ctx context.Context, tx *sql.Tx, id int64) (bool, error) {
	return exists(ctx, tx, `SELECT COUNT(*) FROM auth_keys WHERE id = ?`, id)
}

// userExists reports whether the user id exists.
func userExists(ctx context.Context, q querier, id int64) (bool, error) {
	return exists(ctx, q, `SELECT COUNT(*) FROM users WHERE id = ?`, id)
}

// mustUser fails with store.ErrNotFound if the user id does not exist.
func mustUser(ctx context.Context, q querier, id int64) error {
	ok, err := userExists(ctx, q, id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("user %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// changedOne fails with store.ErrNotFound if an UPDATE or DELETE changed
// no row.
func changedOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := affected(res)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// nonNil returns b, or an empty slice for nil: NOT NULL BLOB columns must
// not receive NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// affected returns the number of rows a statement changed.
func affected(res sql.Result) (int, error) {
	n, err := res.RowsAffected()
	return int(n), err
}

// unix stores a time as Unix seconds; the zero time is 0.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// fromUnix is the inverse of unix.
func fromUnix(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// nullUnix stores a time as nullable Unix seconds; the zero time is NULL.
func nullUnix(t time.Time) sql.NullInt64 {
	return sql.NullInt64{Int64: t.Unix(), Valid: !t.IsZero()}
}

// nullID stores an id as a nullable integer; 0 is NULL.
func nullID(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}
