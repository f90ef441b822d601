package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
)

// rpcConfig is the rpc scenario.
type rpcConfig struct {
	conns   []int
	targets []string // roost, tgtest, echo
	call    call
	client  string // raw or gotd
	setup   int    // connections set up in parallel
}

func newRPCCmd() *cobra.Command {
	var (
		c                    common
		rc                   rpcConfig
		conns, targets, kind string
	)
	cmd := &cobra.Command{
		Use:   "rpc",
		Short: "Encrypted round trips per second at 1, 100 and 1,000 connections, beside echo and tgtest",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if rc.conns, err = parseInts(conns); err != nil {
				return fmt.Errorf("--conns: %w", err)
			}
			if rc.call, err = parseCall(kind); err != nil {
				return fmt.Errorf("--call: %w", err)
			}
			rc.targets = strings.Split(targets, ",")
			for _, t := range rc.targets {
				if t != "roost" && t != "tgtest" && t != "echo" {
					return fmt.Errorf("--targets: unknown %q (want roost, tgtest, echo)", t)
				}
			}
			if rc.client != "raw" && rc.client != "gotd" {
				return fmt.Errorf("--client %q: want raw or gotd", rc.client)
			}
			if err := c.validate(); err != nil {
				return err
			}
			if _, err := raiseFileLimit(); err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			return withServer(ctx, &c, func(s *roostServer) error {
				tables, err := runRPC(ctx, &c, rc, s)
				if err != nil {
					return err
				}
				return c.output(cmd.OutOrStdout(), tables)
			})
		},
	}
	c.register(cmd, 5*time.Second, "how long to measure each server and connection count")
	cmd.Flags().StringVar(&conns, "conns", "1,100,1000", "concurrent connections, comma-separated: one measurement each")
	cmd.Flags().StringVar(&targets, "targets", "roost,tgtest,echo", "servers to measure: roost, tgtest (gotd/td's test server), echo (plain TCP)")
	cmd.Flags().StringVar(&kind, "call", "nearest", "the call: nearest (help.getNearestDc, an API query) or ping (answered by the session engine)")
	cmd.Flags().StringVar(&rc.client, "client", "raw", "raw (this package's lean client) or gotd (one gotd/td telegram.Client per connection; no echo)")
	cmd.Flags().IntVar(&rc.setup, "setup", 4, "connections set up (key exchange) in parallel")
	return cmd
}

// rpcResult is one cell: a server at a connection count.
type rpcResult struct {
	trips, errors        int64
	elapsed              time.Duration
	serverCPU, clientCPU time.Duration
	lat                  []time.Duration
	reqSize, ansSize     float64 // mean frame payload sizes
	frames               float64 // frames read per round trip
}

func runRPC(ctx context.Context, c *common, rc rpcConfig, s *roostServer) ([]*table, error) {
	t := &table{
		title: fmt.Sprintf("RPC round trips: %s, %s client, %v per row", rc.call, rc.client, c.duration),
		header: []string{"server", "conns", "round trips", "trips/s", "vs echo", "server CPU/trip", "client CPU/trip",
			"p50", "p99", "req B", "answer B", "frames/trip"},
	}
	rates := map[string]map[int]float64{}
	ansSize := 0.0
	for _, name := range rc.targets {
		if name == "echo" && rc.client == "gotd" {
			t.note("echo: skipped with --client gotd (a gotd client cannot talk to an echo server)")
			continue
		}
		e, stop, err := startTarget(name, s)
		if err != nil {
			return nil, err
		}
		rates[name] = map[int]float64{}
		for _, n := range rc.conns {
			var r rpcResult
			if rc.client == "gotd" {
				r, err = measureGotd(ctx, e, n, rc, c.duration, c.n, c.target.apiID, c.target.apiHash)
			} else {
				r, err = measureRaw(ctx, e, n, rc, c.duration, c.n, ansSize)
			}
			if err != nil {
				stop()
				return nil, fmt.Errorf("%s, %d connections: %w", name, n, err)
			}
			if name == "roost" && r.ansSize > 0 && ansSize == 0 {
				ansSize = r.ansSize
			}
			rate := float64(r.trips) / r.elapsed.Seconds()
			rates[name][n] = rate
			t.add(name, strconv.Itoa(n), strconv.FormatInt(r.trips, 10), fmt.Sprintf("%.0f", rate), "",
				fmtDur(perOp(r.serverCPU, r.trips)), fmtDur(perOp(r.clientCPU, r.trips)),
				fmtDur(percentile(r.lat, 0.50)), fmtDur(percentile(r.lat, 0.99)),
				fmtSize(r.reqSize), fmtSize(r.ansSize), fmtFrames(r.frames))
		}
		if err := stop(); err != nil {
			return nil, err
		}
	}
	// The echo column: each server's rate over the echo's at the same count.
	if echo := rates["echo"]; echo != nil {
		for _, row := range t.rows {
			n, _ := strconv.Atoi(row[1])
			r := rates[row[0]][n]
			if e := echo[n]; e > 0 {
				row[4] = fmt.Sprintf("%.2f", r/e)
			}
		}
	}
	if s.pid == 0 && contains(rc.targets, "roost") {
		t.note("roost server CPU is unknown: pass --pid of the server, or --spawn")
	}
	t.note("server CPU/trip: the server process's CPU time over the round trips; client CPU/trip: this process's (the %s client's)", rc.client)
	if contains(rc.targets, "tgtest") {
		t.note("tgtest's connections are set up one at a time (it crashes on concurrent key creation); the measurement itself is concurrent")
	}
	t.note("echo answers every frame with one frame of roost's mean answer size, without cryptography; its client still encrypts each request and decrypts each answer")
	return []*table{t}, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func fmtSize(b float64) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", b)
}

func fmtFrames(f float64) string {
	if f <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", f)
}

// startTarget makes an endpoint of a server name, starting tgtest and echo
// as child processes.
func startTarget(name string, s *roostServer) (endpoint, func() error, error) {
	switch name {
	case "roost":
		return endpoint{name: name, addr: s.addr, pub: s.pub, pid: s.pid}, func() error { return nil }, nil
	case "tgtest":
		ch, pub, err := startTgtest()
		if err != nil {
			return endpoint{}, nil, err
		}
		return endpoint{name: name, addr: ch.addr, pub: pub, pid: ch.pid, serialKeys: true}, ch.stop, nil
	case "echo":
		ch, err := startChild("echo-server")
		if err != nil {
			return endpoint{}, nil, err
		}
		return endpoint{name: name, addr: ch.addr, pid: ch.pid}, ch.stop, nil
	}
	return endpoint{}, nil, fmt.Errorf("unknown server %q", name)
}

// openSession connects to e and makes a session ready for calls: a fresh
// key (or, for echo, a local key and the answer to replay) and one round
// trip, which creates the server's session.
func openSession(ctx context.Context, e endpoint, c call, ansSize float64) (*session, error) {
	if e.name == "echo" {
		s, err := startEchoSession(ctx, e.addr, c, int(ansSize))
		if err != nil {
			return nil, err
		}
		if err := s.roundTrip(c); err != nil {
			s.fc.Close()
			return nil, err
		}
		return s, nil
	}
	fc, err := dialFrame(ctx, e.addr)
	if err != nil {
		return nil, err
	}
	fc.setDeadline(time.Now().Add(handshakeTimeout))
	res, err := exchangeKey(fc, e.pub, 2)
	if err == nil {
		s := newSession(fc, res.Key, res.Salt)
		if err = s.roundTrip(c); err == nil {
			fc.setDeadline(time.Time{})
			return s, nil
		}
	}
	fc.Close()
	return nil, err
}

// openSessions opens n sessions, parallel at most par.
func openSessions(ctx context.Context, e endpoint, n, par int, c call, ansSize float64) ([]*session, error) {
	if e.serialKeys {
		par = 1
	}
	out := make([]*session, n)
	err := parallel(ctx, n, par, func(ctx context.Context, i int) error {
		s, err := openSession(ctx, e, c, ansSize)
		if err != nil {
			return fmt.Errorf("open connection %d: %w", i, err)
		}
		out[i] = s
		return nil
	})
	if err != nil {
		closeSessions(out)
		return nil, err
	}
	return out, nil
}

// parallel runs f(0..n-1), at most par at once, and stops starting new
// calls after the first error, which it returns.
func parallel(ctx context.Context, n, par int, f func(context.Context, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, max(par, 1))
	var wg sync.WaitGroup
	for i := 0; i < n && ctx.Err() == nil; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if ctx.Err() != nil {
				return
			}
			if err := f(ctx, i); err != nil {
				cancel(err)
			}
		}()
	}
	wg.Wait()
	return context.Cause(ctx)
}

func closeSessions(ss []*session) {
	for _, s := range ss {
		if s != nil {
			s.fc.Close()
		}
	}
}

// measureRaw runs n lean sessions against e, each doing round trips one
// after another, for d or until total round trips reach limit.
func measureRaw(ctx context.Context, e endpoint, n int, rc rpcConfig, d time.Duration, limit int64, ansSize float64) (rpcResult, error) {
	sessions, err := openSessions(ctx, e, n, rc.setup, rc.call, ansSize)
	if err != nil {
		return rpcResult{}, err
	}
	defer closeSessions(sessions)
	var (
		r                        rpcResult
		trips, errs              atomic.Int64
		reqBytes, ansBytes, frms atomic.Int64
		firstErr                 atomic.Value
		mu                       sync.Mutex
		wg                       sync.WaitGroup
	)
	srv, cli := startCPU(e.pid), startCPU(os.Getpid())
	start := time.Now()
	deadline := start.Add(d)
	for _, s := range sessions {
		s.fc.setDeadline(deadline.Add(10 * time.Second))
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 256)
			var req, ans, fr int64
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(deadline) || (limit > 0 && trips.Add(1) > limit) {
					break
				}
				if err := s.roundTrip(rc.call); err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err)
					break
				}
				if limit == 0 {
					trips.Add(1)
				}
				lat = append(lat, time.Since(t0))
				req, ans, fr = req+int64(s.reqSize), ans+int64(s.ansSize), fr+int64(s.frames)
			}
			reqBytes.Add(req)
			ansBytes.Add(ans)
			frms.Add(fr)
			mu.Lock()
			r.lat = append(r.lat, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	r.serverCPU, r.clientCPU = srv.used(), cli.used()
	r.trips = int64(len(r.lat))
	r.errors = errs.Load()
	if r.trips > 0 {
		r.reqSize = float64(reqBytes.Load()) / float64(r.trips)
		r.ansSize = float64(ansBytes.Load()) / float64(r.trips)
		r.frames = float64(frms.Load()) / float64(r.trips)
	}
	if r.errors > 0 {
		err, _ := firstErr.Load().(error)
		return r, fmt.Errorf("%d connections failed, the first: %w", r.errors, err)
	}
	return r, ctx.Err()
}
