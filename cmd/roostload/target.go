package main

import (
	"bufio"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/roostchat/roost/mtproto/crypto"
)

// targetFlags say which roost serve to load.
type targetFlags struct {
	addr     string
	rsaKey   string
	data     string
	spawn    bool
	roostBin string
	pid      int
	http     string
	apiID    int
	apiHash  string
}

func (f *targetFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8443", "MTProto address of a running server (loopback only)")
	fs.StringVar(&f.rsaKey, "rsa-key", "", "the server's RSA key file (PEM, private or public); default: rsa-key.pem in --data")
	fs.StringVar(&f.data, "data", "roost-data", "the server's data directory, to read rsa-key.pem")
	fs.BoolVar(&f.spawn, "spawn", false, "start roost serve on a temporary data directory on loopback, and stop it after")
	fs.StringVar(&f.roostBin, "roost-bin", "", "roost binary for --spawn; default: go build ./cmd/roost of the current module")
	fs.IntVar(&f.pid, "pid", 0, "process id of the running server, to measure its CPU and memory (--spawn knows it)")
	fs.StringVar(&f.http, "http", "", "HTTP address of the running server, to read /metrics (--spawn knows it)")
	fs.IntVar(&f.apiID, "api-id", 1, "api_id the gotd clients present (a registered app, or any with roost serve --dev, as --spawn runs it)")
	fs.StringVar(&f.apiHash, "api-hash", "roostload", "api_hash of --api-id")
}

// roostServer is the server under load.
type roostServer struct {
	addr string
	http string // "" when unknown
	pub  *rsa.PublicKey
	key  *crypto.ServerKey // nil when only the public key is known
	pid  int               // 0 when unknown
	stop func() error
	log  string // the spawned server's log file
	// bin and data run admin commands (roost bot create) on the server's
	// data directory.
	bin, data string
}

// open attaches to the server the flags name, or spawns one.
func (f *targetFlags) open(ctx context.Context) (*roostServer, error) {
	if f.spawn {
		return spawnRoost(ctx, f.roostBin)
	}
	if err := checkLoopback(f.addr); err != nil {
		return nil, err
	}
	if f.http != "" {
		if err := checkLoopback(f.http); err != nil {
			return nil, err
		}
	}
	path := f.rsaKey
	if path == "" {
		path = filepath.Join(f.data, "rsa-key.pem")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("server key: %w", err)
	}
	s := &roostServer{addr: f.addr, http: f.http, pid: f.pid, stop: func() error { return nil }, bin: f.roostBin, data: f.data}
	if k, err := crypto.ParseServerKeyPEM(b); err == nil {
		s.key, s.pub = k, k.Public()
	} else if pubs, perr := crypto.ParsePublicKeyPEM(b); perr == nil && len(pubs) > 0 {
		s.pub = pubs[0]
	} else {
		return nil, fmt.Errorf("server key %s: %w", path, err)
	}
	return s, nil
}

// checkLoopback refuses any address that is not on this machine's loopback.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("address %q is not a loopback address: roostload loads only servers on this machine", addr)
}

// freeAddr returns a loopback address with a port free at the moment.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// buildRoost builds ./cmd/roost of the module in the working directory.
func buildRoost(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "roost")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/roostchat/roost/cmd/roost").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build roost (run roostload inside the roost module or pass --roost-bin): %w\n%s", err, out)
	}
	return bin, nil
}

// spawnRoost starts roost serve on a temporary data directory and waits
// for /healthz.
func spawnRoost(ctx context.Context, bin string) (*roostServer, error) {
	dir, err := os.MkdirTemp("", "roostload")
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*roostServer, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if bin == "" {
		if bin, err = buildRoost(ctx, dir); err != nil {
			return fail(err)
		}
	}
	mt, err := freeAddr()
	if err != nil {
		return fail(err)
	}
	ht, err := freeAddr()
	if err != nil {
		return fail(err)
	}
	data := filepath.Join(dir, "data")
	logPath := filepath.Join(dir, "roost.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return fail(err)
	}
	// --dev accepts any api_id, which the gotd clients present; the log
	// level keeps logging off the measured path.
	cmd := exec.Command(bin, "serve", "--data", data, "--mtproto", mt, "--http", ht, "--dev", "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fail(fmt.Errorf("start roost serve: %w", err))
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); logf.Close() }()
	s := &roostServer{addr: mt, http: ht, pid: cmd.Process.Pid, log: logPath, bin: bin, data: data}
	s.stop = func() error {
		defer os.RemoveAll(dir)
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("roost serve exited: %w (log: %s)", err, tail(logPath))
			}
			return nil
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
			return errors.New("roost serve did not stop on SIGTERM")
		}
	}
	if err := waitHealthy(ctx, ht, done); err != nil {
		log := tail(logPath)
		s.stop()
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	b, err := os.ReadFile(filepath.Join(data, "rsa-key.pem"))
	if err == nil {
		s.key, err = crypto.ParseServerKeyPEM(b)
	}
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("spawned server key: %w", err)
	}
	s.pub = s.key.Public()
	return s, nil
}

func waitHealthy(ctx context.Context, httpAddr string, exited <-chan error) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("roost serve exited at start: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		resp, err := http.Get("http://" + httpAddr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("roost serve did not become healthy in 60 s")
}

// tail returns the last lines of a log file.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// metric reads one unlabelled value from the server's /metrics.
func (s *roostServer) metric(name string) (float64, bool) {
	if s.http == "" {
		return 0, false
	}
	resp, err := http.Get("http://" + s.http + "/metrics")
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(io.LimitReader(resp.Body, 16<<20))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == name {
			var v float64
			if _, err := fmt.Sscan(f[1], &v); err == nil {
				return v, true
			}
		}
	}
	return 0, false
}
