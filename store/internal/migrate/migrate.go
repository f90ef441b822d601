package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Migration is one schema change.
type Migration struct {
	Version int
	Name    string // file name, for messages
	SQL     string
}

// ParseName returns the version in a migration file name of the form
// NNNN_description.sql (NNNN: one or more decimal digits, greater than 0).
func ParseName(name string) (int, error) {
	base, ok := strings.CutSuffix(name, ".sql")
	if !ok {
		return 0, fmt.Errorf("migration %q: name must end in .sql", name)
	}
	digits, desc, ok := strings.Cut(base, "_")
	if !ok || desc == "" {
		return 0, fmt.Errorf("migration %q: name must be NNNN_description.sql", name)
	}
	if digits == "" || strings.Trim(digits, "0123456789") != "" || len(digits) > 9 {
		return 0, fmt.Errorf("migration %q: version %q is not a number", name, digits)
	}
	v, err := strconv.Atoi(digits)
	if err != nil {
		return 0, fmt.Errorf("migration %q: %w", name, err)
	}
	if v <= 0 {
		return 0, fmt.Errorf("migration %q: version must be positive", name)
	}
	return v, nil
}

// Load reads the *.sql files of dir in fsys and returns them ordered by
// version. Versions must run 1, 2, 3, … without gaps or duplicates.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		v, err := ParseName(e.Name())
		if err != nil {
			return nil, err
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		out = append(out, Migration{Version: v, Name: e.Name(), SQL: string(data)})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d (versions must run 1, 2, 3, … without gaps or duplicates)", m.Name, i+1)
		}
	}
	return out, nil
}

// Placeholder returns the n-th (1-based) bind parameter of a dialect:
// "?" for SQLite, "$1", "$2", … for PostgreSQL.
type Placeholder func(n int) string

// Question is the Placeholder of SQLite.
func Question(int) string { return "?" }

// Apply brings the database to the newest of ms (as returned by Load) and
// returns the schema version it ended at. It is idempotent, and safe when
// several processes start at once: each migration's transaction checks
// again that the version is still missing. The dialect's transactions must
// take the write lock before the check (SQLite: BEGIN IMMEDIATE).
//
// A database that has a version ms does not know was migrated by a newer
// Roost; Apply refuses it rather than run against an unknown schema.
func Apply(ctx context.Context, db *sql.DB, ms []Migration, ph Placeholder) (int, error) {
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at BIGINT NOT NULL
)`
	if _, err := db.ExecContext(ctx, create); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	current, err := version(ctx, db)
	if err != nil {
		return 0, err
	}
	if current > len(ms) {
		return 0, fmt.Errorf("database schema version %d is newer than this binary knows (%d): upgrade Roost", current, len(ms))
	}
	for _, m := range ms[current:] {
		if err := applyOne(ctx, db, m, ph); err != nil {
			return 0, err
		}
	}
	return version(ctx, db)
}

// version returns the highest applied version, 0 for a new database.
func version(ctx context.Context, db *sql.DB) (int, error) {
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v.Int64), nil
}

func applyOne(ctx context.Context, db *sql.DB, m Migration, ph Placeholder) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: begin: %w", m.Name, err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, ignoreDone(tx.Rollback()))
		}
	}()
	var n int
	q := `SELECT COUNT(*) FROM schema_migrations WHERE version = ` + ph(1)
	if err := tx.QueryRowContext(ctx, q, m.Version).Scan(&n); err != nil {
		return fmt.Errorf("migration %s: check: %w", m.Name, err)
	}
	if n > 0 {
		return tx.Commit() // another process applied it meanwhile
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	q = `INSERT INTO schema_migrations (version, name, applied_at) VALUES (` + ph(1) + `, ` + ph(2) + `, ` + ph(3) + `)`
	if _, err := tx.ExecContext(ctx, q, m.Version, m.Name, time.Now().Unix()); err != nil {
		return fmt.Errorf("migration %s: record: %w", m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.Name, err)
	}
	return nil
}

// ignoreDone drops the error of rolling back a finished transaction.
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}
