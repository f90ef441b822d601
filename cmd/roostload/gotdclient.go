package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gotd/log"
	"github.com/gotd/log/logslog"
	gotdsession "github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/transport"
)

// newKey creates an auth key on its own connection and closes it after
// one ping: the ping's answer also proves that the server has stored the
// key before the next connection starts (tgtest, see endpoint.serialKeys).
func newKey(ctx context.Context, e endpoint) (exchangeResult, error) {
	s, err := openSession(ctx, e, callPing, 0)
	if err != nil {
		return exchangeResult{}, err
	}
	defer s.fc.Close()
	return exchangeResult{Key: *s.cipher.Key(), Salt: s.salt}, nil
}

// gotdClient makes a gotd/td client for e that starts with key, so that
// setting up a thousand of them does not run gotd's own key exchange (see
// exchangeKey).
func gotdClient(ctx context.Context, e endpoint, key exchangeResult, apiID int, apiHash string) (*telegram.Client, error) {
	st := &gotdsession.StorageMemory{}
	id := key.Key.ID()
	if err := (&gotdsession.Loader{Storage: st}).Save(ctx, &gotdsession.Data{
		DC: 2, Addr: e.addr, AuthKey: key.Key[:], AuthKeyID: id[:], Salt: key.Salt,
	}); err != nil {
		return nil, err
	}
	host, port := splitHostPort(e.addr)
	var logger log.Logger
	if os.Getenv("ROOSTLOAD_GOTD_LOG") != "" { // diagnostics: gotd's debug log on stderr
		logger = logslog.New(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
	return telegram.NewClient(apiID, apiHash, telegram.Options{
		Logger:         logger,
		PublicKeys:     []telegram.PublicKey{{RSA: e.pub}},
		DC:             2,
		DCList:         dcs.List{Options: []tg.DCOption{{ID: 2, IPAddress: host, Port: port}}},
		Resolver:       dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate}),
		SessionStorage: st,
		NoUpdates:      true,
	}), nil
}

func gotdCall(ctx context.Context, cl *telegram.Client, c call) error {
	if c == callPing {
		return cl.Ping(ctx)
	}
	_, err := cl.API().HelpGetNearestDC(ctx)
	return err
}

// measureGotd runs n gotd/td clients against e, each calling one call
// after another, for d or until total calls reach limit.
func measureGotd(ctx context.Context, e endpoint, n int, rc rpcConfig, d time.Duration, limit int64, apiID int, apiHash string) (rpcResult, error) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		r        rpcResult
		trips    atomic.Int64
		failed   atomic.Int64
		firstErr atomic.Value
		mu       sync.Mutex
		ready    sync.WaitGroup
		done     sync.WaitGroup
		deadline time.Time
	)
	start := make(chan struct{})
	fail := func(err error) {
		failed.Add(1)
		firstErr.CompareAndSwap(nil, err)
	}
	// Keys first, in parallel; then the clients, each of which reports
	// ready after one call.
	keys := make([]exchangeResult, n)
	par := rc.setup
	if e.serialKeys {
		par = 1
	}
	if err := parallel(ctx, n, par, func(ctx context.Context, i int) (err error) {
		keys[i], err = newKey(ctx, e)
		return err
	}); err != nil {
		return r, err
	}
	for i := range n {
		cl, err := gotdClient(ctx, e, keys[i], apiID, apiHash)
		if err != nil {
			return r, err
		}
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			isReady := false
			err := cl.Run(runCtx, func(ctx context.Context) error {
				if err := gotdCall(ctx, cl, rc.call); err != nil {
					return err
				}
				isReady = true
				ready.Done()
				select {
				case <-start:
				case <-ctx.Done():
					return nil
				}
				lat := make([]time.Duration, 0, 256)
				defer func() {
					mu.Lock()
					r.lat = append(r.lat, lat...)
					mu.Unlock()
				}()
				for ctx.Err() == nil {
					t0 := time.Now()
					if !t0.Before(deadline) || (limit > 0 && trips.Add(1) > limit) {
						return nil
					}
					if err := gotdCall(ctx, cl, rc.call); err != nil {
						return err
					}
					lat = append(lat, time.Since(t0))
				}
				return nil
			})
			if !isReady {
				ready.Done()
			}
			if err != nil && runCtx.Err() == nil {
				fail(err)
			}
		}()
	}
	waitReady := make(chan struct{})
	go func() { ready.Wait(); close(waitReady) }()
	select {
	case <-waitReady:
	case <-time.After(2 * time.Minute):
		cancel()
		done.Wait()
		return r, fmt.Errorf("gotd clients not ready after 2 minutes")
	}
	if failed.Load() > 0 {
		cancel()
		done.Wait()
		return r, fmt.Errorf("%d gotd clients failed, the first: %v", failed.Load(), firstErr.Load())
	}
	srv, cli := startCPU(e.pid), startCPU(os.Getpid())
	t0 := time.Now()
	deadline = t0.Add(d)
	close(start)
	// Each client returns from Run after its last call.
	finished := make(chan struct{})
	go func() { done.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(d + time.Minute):
		cancel()
		<-finished
	}
	r.elapsed = time.Since(t0)
	r.serverCPU, r.clientCPU = srv.used(), cli.used()
	r.trips = int64(len(r.lat))
	if failed.Load() > 0 {
		return r, fmt.Errorf("%d gotd clients failed, the first: %v", failed.Load(), firstErr.Load())
	}
	return r, ctx.Err()
}
