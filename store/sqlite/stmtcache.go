package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// cached runs read queries through statements prepared once per query
// text: database/sql keeps no such cache, and re-parsing the SQL of the
// lookups every message makes (users.Get, IsBlocked) showed in profiles.
// A *sql.Stmt of a *sql.DB is safe for concurrent use.
type cached struct {
	db    *sql.DB
	stmts sync.Map // query text → *sql.Stmt
}

// QueryRowContext implements querier with a prepared statement; when
// preparing fails it falls back to the plain query.
func (c *cached) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st, ok := c.stmts.Load(query); ok {
		return st.(*sql.Stmt).QueryRowContext(ctx, args...)
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return c.db.QueryRowContext(ctx, query, args...)
	}
	if prev, loaded := c.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		st = prev.(*sql.Stmt)
	}
	return st.QueryRowContext(ctx, args...)
}

// close closes the prepared statements.
func (c *cached) close() {
	c.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
}
