package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/roostchat/roost/api"
	"github.com/roostchat/roost/mtproto"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/mtproto/handshake"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/memory"
	"github.com/roostchat/roost/store/sqlite"
	"github.com/roostchat/roost/tg"
)

// The benchmarks run mtproto.Server in this process, wired as roost serve
// wires it, so that `go test -bench Server -cpuprofile` profiles the
// server (and, beside it, the lean client) without an HTTP pprof endpoint:
//
//	go test -run '^$' -bench 'ServerRPC/sqlite' -cpuprofile cpu.out ./cmd/roostload
//	go tool pprof -top -focus 'roost/(mtproto|rpc|tl|api)' cpu.out

var benchKey = sync.OnceValues(crypto.GenerateServerKey)

// afterAll holds the clean-ups of fixtures that outlive one benchmark
// run; TestMain runs them.
var afterAll struct {
	sync.Mutex
	f []func()
}

func atExit(f func()) {
	afterAll.Lock()
	afterAll.f = append(afterAll.f, f)
	afterAll.Unlock()
}

func runAtExit() {
	afterAll.Lock()
	defer afterAll.Unlock()
	for i := len(afterAll.f) - 1; i >= 0; i-- {
		afterAll.f[i]()
	}
}

// inProcess starts an MTProto server on loopback over st; it runs until
// the test binary ends.
func inProcess(b *testing.B, st store.Store) endpoint {
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
	var handlers tg.Server
	api.Register(&handlers, api.Config{DC: 2, Host: host, Port: port, Store: st})
	srv := &mtproto.Server{
		Store:     st,
		Handshake: handshake.Config{Key: key, DH: crypto.DefaultDHGroup(), Keys: st.AuthKeys(), DC: 2},
		Invoker:   &rpc.Invoker{Server: &handlers, Store: st},
	}
	go srv.Serve(ln)
	atExit(func() {
		ln.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return endpoint{name: "roost", addr: ln.Addr().String(), pub: key.Public()}
}

func stores(b *testing.B) map[string]func() store.Store {
	return map[string]func() store.Store{
		"memory": func() store.Store { return memory.New() },
		"sqlite": func() store.Store {
			dir, err := os.MkdirTemp("", "roostload-bench")
			if err != nil {
				b.Fatal(err)
			}
			st, err := sqlite.Open(context.Background(), filepath.Join(dir, "roost.db"))
			if err != nil {
				os.RemoveAll(dir)
				b.Fatal(err)
			}
			atExit(func() { st.Close(); os.RemoveAll(dir) })
			return st
		},
	}
}

// rpcFixtures keeps one server and its sessions per benchmark across the
// runs that size b.N, so that a profile shows round trips, not the key
// exchanges of the set-up.
var rpcFixtures sync.Map // name → []*session

// BenchmarkServerRPC is help.getNearestDc and ping round trips over 100
// connections; one op is one round trip.
func BenchmarkServerRPC(b *testing.B) {
	for name, open := range stores(b) {
		for _, c := range []call{callNearestDc, callPing} {
			b.Run(name+"/"+c.String(), func(b *testing.B) {
				id := name + "/" + c.String()
				v, ok := rpcFixtures.Load(id)
				if !ok {
					e := inProcess(b, open())
					ss, err := openSessions(context.Background(), e, 100, 4, c, 0)
					if err != nil {
						b.Fatal(err)
					}
					v = ss
					rpcFixtures.Store(id, v)
				}
				ss := v.([]*session)
				work := make(chan struct{}, 1024)
				var wg sync.WaitGroup
				errs := make(chan error, len(ss))
				b.ResetTimer()
				for _, s := range ss {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for range work {
							if err := s.roundTrip(c); err != nil {
								errs <- err
								return
							}
						}
					}()
				}
				for range b.N {
					work <- struct{}{}
				}
				close(work)
				wg.Wait()
				select {
				case err := <-errs:
					b.Fatal(err)
				default:
				}
			})
		}
	}
}

// BenchmarkServerHandshake is key creation with 4 in flight; one op is
// one key.
func BenchmarkServerHandshake(b *testing.B) {
	for name, open := range stores(b) {
		b.Run(name, func(b *testing.B) {
			e := inProcess(b, open())
			b.ResetTimer()
			err := parallel(context.Background(), b.N, 4, func(ctx context.Context, i int) error {
				return oneHandshake(ctx, e, "lean")
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	}
}
