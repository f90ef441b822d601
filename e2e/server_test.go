package e2e

import (
	"bufio"
	"context"
	"crypto/rsa"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/roostchat/roost/mtproto/crypto"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "roost-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "roost")
	out, err := exec.Command("go", "build", "-o", binary, "../cmd/roost").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build roost: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running roost serve.
type server struct {
	t        *testing.T
	data     string
	mtproto  string
	http     string
	cmd      *exec.Cmd
	exited   chan error // gets the exit of cmd
	logLines chan string
	// args are extra flags of roost serve; startServer adds --dev.
	args []string
	// appID and appHash are what clients present; 0 means a dummy app.
	appID   int
	appHash string
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs roost serve --dev on a fresh data directory.
func startServer(t *testing.T) *server { return startServerWith(t, "--dev") }

// startServerWith runs roost serve with extra flags on a fresh data
// directory.
func startServerWith(t *testing.T, args ...string) *server {
	s := &server{t: t, data: t.TempDir(), args: args}
	t.Cleanup(s.stop)
	t.Cleanup(s.dumpLog)
	// A port freeAddr found free may be taken by another test process
	// before the server binds it; then the server exits and another pair
	// is tried.
	for range 3 {
		s.mtproto, s.http = freeAddr(t), freeAddr(t)
		if s.launch() {
			return s
		}
	}
	t.Fatal("roost serve did not start on three pairs of ports")
	return nil
}

// start runs the server on its addresses and waits until it is healthy.
func (s *server) start() {
	s.t.Helper()
	if !s.launch() {
		s.t.Fatal("roost serve exited at start")
	}
}

// launch starts the server and waits for /healthz; false if the server
// exited first (its log says why).
func (s *server) launch() bool {
	t := s.t
	t.Helper()
	s.cmd = exec.Command(binary, append([]string{"serve", "--data", s.data, "--mtproto", s.mtproto, "--http", s.http}, s.args...)...)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.logLines = make(chan string, 1024)
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			select {
			case s.logLines <- sc.Text():
			default:
			}
		}
	}()
	s.exited = make(chan error, 1)
	go func() {
		<-logged // Wait closes the pipe: read it to the end first
		s.exited <- s.cmd.Wait()
	}()
	// Generous: the first start generates an RSA key, and CI runs other
	// packages' tests beside these.
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.exited:
			t.Logf("roost serve exited at start: %v", err)
			s.dumpLines()
			s.cmd = nil
			return false
		default:
		}
		resp, err := http.Get("http://" + s.http + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("roost serve did not become healthy")
	return false
}

// stop sends SIGTERM and waits for a clean exit.
func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		if err != nil {
			s.t.Errorf("roost serve exited: %v", err)
		}
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		s.t.Error("roost serve did not stop on SIGTERM")
	}
	s.cmd = nil
}

func (s *server) restart() {
	s.stop()
	s.start()
}

// publicKey reads the key the server generated on first start.
func (s *server) publicKey() *rsa.PublicKey {
	b, err := os.ReadFile(filepath.Join(s.data, "rsa-key.pem"))
	if err != nil {
		s.t.Fatal(err)
	}
	k, err := crypto.ParseServerKeyPEM(b)
	if err != nil {
		s.t.Fatal(err)
	}
	return k.Public()
}

// metric returns the value of the first /metrics line starting with prefix.
func (s *server) metric(prefix string) string {
	resp, err := http.Get("http://" + s.http + "/metrics")
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), prefix) {
			f := strings.Fields(sc.Text())
			return f[len(f)-1]
		}
	}
	return ""
}

// dumpLog prints what the server logged when the test failed.
func (s *server) dumpLog() {
	if s.t.Failed() {
		s.dumpLines()
	}
}

// dumpLines logs the server's lines not logged yet.
func (s *server) dumpLines() {
	for {
		select {
		case l := <-s.logLines:
			s.t.Log("server: " + l)
		default:
			return
		}
	}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}
