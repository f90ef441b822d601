package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/clock"
	gotdcrypto "github.com/gotd/td/crypto"
	"github.com/gotd/td/exchange"
	"github.com/spf13/cobra"

	"github.com/roostchat/roost/mtproto/crypto"
)

// handshakeConfig is the handshakes scenario.
type handshakeConfig struct {
	concurrency []int
	floorN      int
	exchange    string // "lean" or "gotd"
	tgtest      bool
}

func newHandshakesCmd() *cobra.Command {
	var (
		c    common
		hc   handshakeConfig
		conc string
	)
	cmd := &cobra.Command{
		Use:   "handshakes",
		Short: "Auth-key creations per second and server CPU per key, beside the crypto floor",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if hc.concurrency, err = parseInts(conc); err != nil {
				return fmt.Errorf("--concurrency: %w", err)
			}
			if err := c.validate(); err != nil {
				return err
			}
			if hc.exchange != "lean" && hc.exchange != "gotd" {
				return fmt.Errorf("--exchange %q: want lean or gotd", hc.exchange)
			}
			ctx, stop := signalContext()
			defer stop()
			return withServer(ctx, &c, func(s *roostServer) error {
				tables, err := runHandshakes(ctx, &c, hc, s)
				if err != nil {
					return err
				}
				return c.output(cmd.OutOrStdout(), tables)
			})
		},
	}
	c.register(cmd, 10*time.Second, "how long to measure each concurrency")
	cmd.Flags().StringVar(&conc, "concurrency", "1,2,4", "handshakes in flight, comma-separated: one measurement each")
	cmd.Flags().IntVar(&hc.floorN, "floor-n", 200, "iterations of each crypto operation measured alone")
	cmd.Flags().StringVar(&hc.exchange, "exchange", "lean", "client key exchange: lean (this package) or gotd (gotd/td exchange, checks the DH prime on every key)")
	cmd.Flags().BoolVar(&hc.tgtest, "tgtest", false, "also measure gotd/td's tgtest server")
	return cmd
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// endpoint is a server to load: its MTProto address, key and process.
type endpoint struct {
	name string
	addr string
	pub  *rsa.PublicKey
	pid  int
	// serialKeys: the server must not create keys concurrently. tgtest
	// of gotd/td v0.162.0 reads its key map under the wrong mutex
	// (users.getSession locks connsMux, addSession sessionsMux), and a
	// key created while another connection looks one up crashes it with
	// "concurrent map read and map write".
	serialKeys bool
}

func runHandshakes(ctx context.Context, c *common, hc handshakeConfig, s *roostServer) ([]*table, error) {
	floor, err := measureFloor(s.key, hc.floorN)
	if err != nil {
		return nil, err
	}
	targets := []endpoint{{name: "roost", addr: s.addr, pub: s.pub, pid: s.pid}}
	if hc.tgtest {
		tg, pub, err := startTgtest()
		if err != nil {
			return nil, err
		}
		defer tg.stop()
		targets = append(targets, endpoint{name: "tgtest", addr: tg.addr, pub: pub, pid: tg.pid, serialKeys: true})
	}
	t := &table{
		title:  fmt.Sprintf("Handshakes (%s client exchange, %v per row)", hc.exchange, c.duration),
		header: []string{"server", "in flight", "keys", "keys/s", "server CPU/key", "client CPU/key", "p50", "p99", "errors"},
	}
	for _, e := range targets {
		for _, conc := range hc.concurrency {
			if e.serialKeys && conc > 1 {
				continue
			}
			r, err := measureHandshakes(ctx, e, conc, c.duration, c.n, hc.exchange)
			if err != nil {
				return nil, fmt.Errorf("%s, %d in flight: %w", e.name, conc, err)
			}
			t.add(e.name, strconv.Itoa(conc), strconv.FormatInt(r.keys, 10), fmtRate(r.keys, r.elapsed),
				fmtDur(perOp(r.serverCPU, r.keys)), fmtDur(perOp(r.clientCPU, r.keys)),
				fmtDur(percentile(r.lat, 0.50)), fmtDur(percentile(r.lat, 0.99)), strconv.FormatInt(r.errors, 10))
		}
	}
	if hc.tgtest {
		t.note("tgtest runs one handshake at a time only: gotd/td v0.162.0 tgtest crashes on concurrent key creation (users.getSession reads the key map under the wrong mutex)")
	}
	if s.pid == 0 {
		t.note("server CPU is unknown: pass --pid of the server, or --spawn")
	}
	t.note("server CPU/key: the server process's CPU time (/proc/<pid>/stat) over the keys made; client CPU/key: this process's")
	return []*table{floor, t}, nil
}

// hsResult is one handshake measurement.
type hsResult struct {
	keys, errors         int64
	elapsed              time.Duration
	serverCPU, clientCPU time.Duration
	lat                  []time.Duration
}

func measureHandshakes(ctx context.Context, e endpoint, conc int, d time.Duration, n int64, exch string) (hsResult, error) {
	var (
		r        hsResult
		keys     atomic.Int64
		errs     atomic.Int64
		firstErr atomic.Value
		mu       sync.Mutex
		wg       sync.WaitGroup
	)
	srv, cli := startCPU(e.pid), startCPU(os.Getpid())
	start := time.Now()
	deadline := start.Add(d)
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			for time.Now().Before(deadline) && ctx.Err() == nil {
				if n > 0 && keys.Add(1) > n {
					break
				}
				t0 := time.Now()
				err := oneHandshake(ctx, e, exch)
				if err != nil {
					if n > 0 {
						keys.Add(-1)
					}
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err)
					if errs.Load() > 10 {
						break
					}
					continue
				}
				if n == 0 {
					keys.Add(1)
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			r.lat = append(r.lat, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	r.serverCPU, r.clientCPU = srv.used(), cli.used()
	r.keys = int64(len(r.lat))
	r.errors = errs.Load()
	if r.errors > 10 || (r.keys == 0 && r.errors > 0) {
		return r, fmt.Errorf("%d handshakes failed, the first: %v", r.errors, firstErr.Load())
	}
	return r, ctx.Err()
}

// handshakeTimeout bounds one key exchange.
const handshakeTimeout = 30 * time.Second

func oneHandshake(ctx context.Context, e endpoint, exch string) error {
	fc, err := dialFrame(ctx, e.addr)
	if err != nil {
		return err
	}
	defer fc.Close()
	fc.setDeadline(time.Now().Add(handshakeTimeout))
	if exch == "gotd" {
		_, err = exchange.NewExchanger(gotdConn{fc}, 2).WithRand(rand.Reader).WithClock(clock.System).
			Client([]exchange.PublicKey{{RSA: e.pub}}).Run(ctx)
		return err
	}
	_, err = exchangeKey(fc, e.pub, 2)
	return err
}

// gotdConn lets gotd/td's exchanger run over a frameConn.
type gotdConn struct{ fc *frameConn }

func (g gotdConn) Send(_ context.Context, b *bin.Buffer) error { return g.fc.writeFrame(b.Buf) }

func (g gotdConn) Recv(_ context.Context, b *bin.Buffer) error {
	f, err := g.fc.readFrame(nil)
	if err != nil {
		return err
	}
	b.ResetTo(f)
	return nil
}

func (g gotdConn) Close() error { return g.fc.Close() }

// startTgtest starts the tgtest child with a fresh 2048-bit key.
func startTgtest() (*child, *rsa.PublicKey, error) {
	key, err := crypto.GenerateServerKey()
	if err != nil {
		return nil, nil, err
	}
	pemBytes, err := key.PrivatePEM()
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "roostload-tgtest")
	if err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	ch, err := startChild("tgtest-server", "--key", path)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	stop := ch.stop
	ch.stop = func() error { defer os.RemoveAll(dir); return stop() }
	return ch, key.Public(), nil
}

// measureFloor times, alone and on one core, the cryptography the server
// must do for every key: RSA_PAD decryption of req_DH_params, drawing a
// and g_a, and computing auth_key from g_b (with pq generation beside).
func measureFloor(key *crypto.ServerKey, n int) (*table, error) {
	t := &table{
		title:  fmt.Sprintf("Handshake crypto floor (mtproto/crypto alone, one core, %d iterations each)", n),
		header: []string{"operation", "time/op"},
	}
	if key == nil {
		var err error
		if key, err = crypto.GenerateServerKey(); err != nil {
			return nil, err
		}
		t.note("the server's private key is unknown: measured with a fresh 2048-bit key")
	}
	data := make([]byte, 96) // p_q_inner_data_dc is about this long
	rand.Read(data)
	enc, err := gotdcrypto.RSAPad(data, key.Public(), rand.Reader)
	if err != nil {
		return nil, err
	}
	grp := crypto.DefaultDHGroup()
	other, err := grp.NewSecret(nil)
	if err != nil {
		return nil, err
	}
	gB := other.GA()
	secret, err := grp.NewSecret(nil)
	if err != nil {
		return nil, err
	}
	ops := []struct {
		name string
		f    func() error
	}{
		{"RSA_PAD decrypt (req_DH_params)", func() error { _, err := key.DecryptRSAPad(enc); return err }},
		{"DH NewSecret (a, g_a)", func() error { _, err := grp.NewSecret(nil); return err }},
		{"DH AuthKey (g_b^a)", func() error { _, err := secret.AuthKey(gB); return err }},
		{"GeneratePQ (resPQ)", func() error { _, err := crypto.GeneratePQ(nil); return err }},
	}
	var floor time.Duration
	for i, op := range ops {
		start := time.Now()
		for range n {
			if err := op.f(); err != nil {
				return nil, fmt.Errorf("%s: %w", op.name, err)
			}
		}
		per := time.Since(start) / time.Duration(n)
		if i < 3 {
			floor += per
		}
		t.add(op.name, fmtDur(per))
	}
	t.add("floor: RSA_PAD + NewSecret + AuthKey", fmtDur(floor))
	t.note("floor = %s per key: at most %.0f keys/s per core of server CPU", fmtDur(floor), float64(time.Second)/float64(floor))
	return t, nil
}

// percentile returns the p-quantile of lat (sorted in place); -1 if empty.
func percentile(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return -1
	}
	slices.Sort(lat)
	i := int(float64(len(lat)-1) * p)
	return lat[i]
}
