package main

import (
	"context"
	"crypto/rand"
	"net"
	"testing"
	"time"

	"github.com/roostchat/roost/api"
	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/mtproto"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/mtproto/handshake"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// The messages benchmark runs the whole messaging path in this process,
// wired as cmd/roost/mtproto.go wires roost serve --dev (core with test
// numbers, the Pusher carrying pushes to sessions), so that a CPU profile
// shows where a delivered message goes:
//
//	go test -run '^$' -bench 'ServerMessages/sqlite' -benchtime 20000x -cpuprofile cpu.out ./cmd/roostload
//	go tool pprof -top cpu.out

// inProcessCore starts an MTProto server with core and the Pusher on
// loopback over st; it runs until the test binary ends.
func inProcessCore(b *testing.B, st store.Store) endpoint {
	b.Helper()
	key, err := benchKey()
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	host, port := splitHostPort(ln.Addr().String())
	secret := make([]byte, 32)
	rand.Read(secret)
	srv := &mtproto.Server{
		Store:     st,
		Handshake: handshake.Config{Key: key, DH: crypto.DefaultDHGroup(), Keys: st.AuthKeys(), DC: 2},
	}
	c := &core.Core{Store: st, Secret: secret, Dev: true}
	cfg := api.Config{DC: 2, Host: host, Port: port, Store: st, Core: c}
	c.Notifier = &api.Pusher{Server: srv, Config: cfg}
	var handlers tg.Server
	api.Register(&handlers, cfg)
	srv.Invoker = &rpc.Invoker{Server: &handlers, Store: st, CheckAPIID: c.CheckAPIID}
	go srv.Serve(ln)
	atExit(func() {
		ln.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return endpoint{name: "roost", addr: ln.Addr().String(), pub: key.Public()}
}

// msgFixtures keeps the signed-up pairs of each store across the runs
// that size b.N, so that the profile shows messages, not sign-ups.
var msgFixtures = map[string][]*chatter{}

// BenchmarkServerMessages is 100 pairs of users sending each other
// private messages, one in flight per client; one op is one message
// sent (and delivered: the run fails on any error).
func BenchmarkServerMessages(b *testing.B) {
	for name, open := range stores(b) {
		b.Run(name, func(b *testing.B) {
			cs, ok := msgFixtures[name]
			if !ok {
				var err error
				cs, err = openPairs(context.Background(), inProcessCore(b, open()), 100, 4)
				if err != nil {
					b.Fatal(err)
				}
				msgFixtures[name] = cs
				atExit(func() { closeChatters(cs) })
			}
			b.ResetTimer()
			r, err := exchangeMessages(context.Background(), cs, 0, time.Hour, int64(b.N))
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if r.delivered != r.sent {
				b.Fatalf("delivered %d of %d", r.delivered, r.sent)
			}
			b.ReportMetric(float64(r.delivered)/r.elapsed.Seconds(), "delivered/s")
			b.ReportMetric(float64(percentile(r.lat, 0.99).Microseconds())/1000, "p99-ms")
		})
	}
}
