package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
)

// idleConfig is the idle scenario.
type idleConfig struct {
	conns  int
	setup  int
	settle time.Duration
	hold   time.Duration
}

func newIdleCmd() *cobra.Command {
	var (
		c  common
		ic idleConfig
	)
	cmd := &cobra.Command{
		Use:   "idle",
		Short: "Server memory per idle connection (after key exchange and one ping)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := c.validate(); err != nil {
				return err
			}
			if ic.conns <= 0 || ic.setup <= 0 {
				return fmt.Errorf("--conns and --setup must be positive")
			}
			limit, err := raiseFileLimit()
			if err != nil {
				return err
			}
			if uint64(ic.conns)+64 > limit {
				return fmt.Errorf("--conns %d does not fit the open-file limit %d (raise ulimit -n)", ic.conns, limit)
			}
			ctx, stop := signalContext()
			defer stop()
			return withServer(ctx, &c, func(s *roostServer) error {
				tables, err := runIdle(ctx, &c, ic, s)
				if err != nil {
					return err
				}
				return c.output(cmd.OutOrStdout(), tables)
			})
		},
	}
	c.register(cmd, 4*time.Minute, "the longest the connections may take to open (the server closes a connection idle for 5 minutes)")
	cmd.Flags().IntVar(&ic.conns, "conns", 10000, "idle connections to open")
	cmd.Flags().IntVar(&ic.setup, "setup", 4, "connections set up (key exchange) in parallel")
	cmd.Flags().DurationVar(&ic.settle, "settle", 3*time.Second, "wait after the last connection opens before reading the server's memory")
	cmd.Flags().DurationVar(&ic.hold, "hold", 0, "keep the connections open this much longer after measuring")
	return cmd
}

// memSample is the server's memory at one moment.
type memSample struct {
	rss                  int64
	heap, stack, gorouts float64 // from /metrics; -1 when unknown
}

func sampleMem(s *roostServer) (memSample, error) {
	rss, err := procRSS(s.pid)
	if err != nil {
		return memSample{}, err
	}
	m := memSample{rss: rss, heap: -1, stack: -1, gorouts: -1}
	if v, ok := s.metric("go_memstats_heap_inuse_bytes"); ok {
		m.heap = v
	}
	if v, ok := s.metric("go_memstats_stack_inuse_bytes"); ok {
		m.stack = v
	}
	if v, ok := s.metric("go_goroutines"); ok {
		m.gorouts = v
	}
	return m, nil
}

// runIdle opens the connections, each with its own key and one ping (an
// established session: a connection that only made a key is closed by the
// server after the 30-second handshake timeout), leaves them silent and
// reads the server's memory before and after.
func runIdle(ctx context.Context, c *common, ic idleConfig, s *roostServer) ([]*table, error) {
	if s.pid == 0 {
		return nil, fmt.Errorf("idle needs the server's process: pass --pid, or --spawn")
	}
	e := endpoint{name: "roost", addr: s.addr, pub: s.pub, pid: s.pid}
	// Warm up: the first connections grow pools and caches that are not
	// per connection.
	warm, err := openSessions(ctx, e, 8, ic.setup, callPing, 0)
	if err != nil {
		return nil, fmt.Errorf("warm-up: %w", err)
	}
	closeSessions(warm)
	time.Sleep(time.Second)
	before, err := sampleMem(s)
	if err != nil {
		return nil, err
	}
	setupCtx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	n := ic.conns
	if c.n > 0 {
		n = int(min(int64(n), c.n))
	}
	sessions := make([]*session, n)
	var opened atomic.Int64
	start := time.Now()
	err = parallel(setupCtx, n, ic.setup, func(ctx context.Context, i int) error {
		ss, err := openSession(ctx, e, callPing, 0)
		if err != nil {
			return fmt.Errorf("connection %d: %w", i, err)
		}
		sessions[i] = ss
		opened.Add(1)
		return nil
	})
	setup := time.Since(start)
	defer closeSessions(sessions)
	if err != nil {
		return nil, fmt.Errorf("opened %d of %d connections in %v: %w", opened.Load(), n, setup, err)
	}
	time.Sleep(ic.settle)
	after, err := sampleMem(s)
	if err != nil {
		return nil, err
	}
	count := float64(opened.Load())
	per := func(a, b float64) string {
		if a < 0 || b < 0 {
			return "-"
		}
		return fmtBytes((b - a) / count)
	}
	t := &table{
		title:  fmt.Sprintf("Idle connections: %d, each after a key exchange and one ping", opened.Load()),
		header: []string{"measure", "before", "after", "per connection"},
	}
	t.add("VmRSS", fmtBytes(float64(before.rss)), fmtBytes(float64(after.rss)), per(float64(before.rss), float64(after.rss)))
	t.add("Go heap in use", fmtBytes(before.heap), fmtBytes(after.heap), per(before.heap, after.heap))
	t.add("goroutine stacks", fmtBytes(before.stack), fmtBytes(after.stack), per(before.stack, after.stack))
	gor := func(v float64) string {
		if v < 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f", v)
	}
	t.add("goroutines", gor(before.gorouts), gor(after.gorouts), per2(before.gorouts, after.gorouts, count))
	t.note("opened in %v (%.0f connections/s with %d in parallel); memory read %v after the last", setup.Round(time.Millisecond),
		count/setup.Seconds(), ic.setup, ic.settle)
	t.note("goal: at most 16 KiB of VmRSS per idle connection")
	if ic.hold > 0 {
		select {
		case <-time.After(ic.hold):
		case <-ctx.Done():
		}
	}
	return []*table{t}, nil
}

func per2(a, b, n float64) string {
	if a < 0 || b < 0 || n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", (b-a)/n)
}
