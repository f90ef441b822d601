package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The write gate lets one writer of a Store at a time at the database.
// SQLite has one write lock per file anyway; queueing for it in Go instead
// of in SQLite's busy handler (which polls with sleeps of up to 100 ms)
// keeps writers in order (a channel's waiters are served first come, first
// served) and never starves the account writes behind the stream of
// message transactions. Writers of other processes still meet at the file
// lock, under BusyTimeout.

// lockWrite waits for the gate, for at most BusyTimeout, as SQLite would
// have waited for its lock.
func (s *Store) lockWrite(ctx context.Context) error {
	select {
	case s.gate <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(BusyTimeout)
	defer t.Stop()
	select {
	case s.gate <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return fmt.Errorf("database is locked: waited %v for other writers", BusyTimeout)
	}
}

// unlockWrite opens the gate for the next writer.
func (s *Store) unlockWrite() { <-s.gate }

// exec runs one writing statement outside a transaction, through the gate.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := s.lockWrite(ctx); err != nil {
		return nil, err
	}
	defer s.unlockWrite()
	return s.db.ExecContext(ctx, query, args...)
}
