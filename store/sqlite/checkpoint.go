package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

const (
	// checkpointEvery is the least time between two checkpoints. Short,
	// so that little is left to copy when the WAL is rewound with the
	// writer held (below): at 50 ms the rewinds made the tail of sends
	// 20 % longer (docs/performance.md).
	checkpointEvery = 10 * time.Millisecond
	// restartFrames is the WAL size, in pages, past which the checkpointer
	// rewinds the WAL.
	restartFrames = 8192
	// walSizeLimit is the size SQLite truncates the WAL file to after it
	// rewinds it (PRAGMA journal_size_limit).
	walSizeLimit = 64 << 20
)

// checkpointer copies the WAL back into the database file in the
// background, on a connection of its own.
//
// By default SQLite checkpoints on the connection whose commit grows the
// WAL past 1000 pages: with the message writer, the writer, which then
// stalls on the copy and its fsyncs. Instead the writer's connection has
// automatic checkpoints off and wakes the checkpointer after its commits.
// The checkpointer runs PASSIVE checkpoints, at most every
// checkpointEvery, beside the writer (they neither wait for nor block it).
//
// A PASSIVE checkpoint cannot finish while the writer keeps appending, and
// SQLite rewinds the WAL to its start only after a finished one: left
// alone, the WAL would grow without end. So once it holds restartFrames
// pages, the checkpointer takes the write gate, so that no transaction
// runs, and checkpoints again: it copies the few pages the first pass
// left, and the next transaction writes the WAL from its start again
// (SQLite does so when no reader still reads the old frames; otherwise a
// later round does). That pass is PASSIVE too: it never waits for readers
// while it holds the writers back.
//
// Other connections keep SQLite's automatic checkpoints, for the rare case
// where they write much.
type checkpointer struct {
	s    *Store
	conn *sql.Conn
	wake chan struct{}
	stop chan struct{}
	done chan struct{}
}

func startCheckpointer(ctx context.Context, s *Store) (*checkpointer, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("checkpointer connection: %w", err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA journal_size_limit = %d`, walSizeLimit)); err != nil {
		return nil, errors.Join(fmt.Errorf("checkpointer connection: %w", err), conn.Close())
	}
	c := &checkpointer{s: s, conn: conn, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c, nil
}

// poke tells the checkpointer that the WAL grew.
func (c *checkpointer) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *checkpointer) loop() {
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		case <-c.wake:
		}
		// A failed checkpoint is retried at the next poke; SQLite keeps
		// the WAL consistent either way.
		if frames, err := c.checkpoint("PASSIVE"); err == nil && frames >= restartFrames {
			if c.s.lockWrite(context.Background()) == nil {
				_, _ = c.checkpoint("PASSIVE")
				c.s.unlockWrite()
			}
		}
		select {
		case <-c.stop:
			return
		case <-time.After(checkpointEvery):
		}
	}
}

// checkpoint runs a checkpoint of the given mode and returns the size of
// the WAL, in pages, it found.
func (c *checkpointer) checkpoint(mode string) (int, error) {
	var busy, frames, copied int
	err := c.conn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(`+mode+`)`).Scan(&busy, &frames, &copied)
	return frames, err
}

// close stops the checkpointer and releases its connection. Idempotent.
func (c *checkpointer) close() error {
	select {
	case <-c.stop:
		<-c.done
		return nil
	default:
	}
	close(c.stop)
	<-c.done
	return c.conn.Close()
}
