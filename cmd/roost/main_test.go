package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// binary is the roost binary built by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "roost-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "roost")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	build := exec.Command(goTool, "build", "-o", binary, "-ldflags", "-X main.version=v0.0.0-test", ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build roost:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// roost runs the binary to completion with a clean environment plus env.
func roost(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{"HOME=" + t.TempDir()}, env...)
	cmd.Dir = t.TempDir()
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errOut.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("run roost %v: %v", args, err)
	}
	return out.String(), errOut.String(), 0
}

func TestBinaryHelp(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"serve", "key", "version"}},
		{[]string{"serve", "--help"}, []string{
			"--data", "--mtproto", "--http", "--rsa-key", "--dc", "--public-addr", "--dev", "--log-level", "--config",
			"ROOST_DATA", "ROOST_MTPROTO", "ROOST_HTTP", "ROOST_RSA_KEY", "ROOST_DC", "ROOST_PUBLIC_ADDR",
			"ROOST_DEV", "ROOST_LOG_LEVEL", "ROOST_CONFIG", "Config file", "/healthz", "/metrics",
		}},
		{[]string{"key", "--help"}, []string{"public"}},
		{[]string{"key", "public", "--help"}, []string{"--data", "--rsa-key", "--config", "PKCS#1", "fingerprint"}},
		{[]string{"version", "--help"}, []string{"version"}},
	} {
		out, errOut, code := roost(t, nil, c.args...)
		if code != 0 {
			t.Errorf("roost %v: exit %d: %s", c.args, code, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("roost %v: output lacks %q", c.args, w)
			}
		}
	}
}

func TestBinaryVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, _, code := roost(t, nil, args...)
		if code != 0 || !strings.HasPrefix(out, "roost v0.0.0-test ") || !strings.Contains(out, runtime.GOOS) {
			t.Errorf("roost %v = %q, exit %d", args, out, code)
		}
	}
}

func TestBinaryErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"serve", "--dc", "9"}, nil, "dc: 9 is out of range"},
		{[]string{"serve"}, []string{"ROOST_HTTP=nonsense"}, "http:"},
		{[]string{"serve", "--bogus"}, nil, "unknown flag"},
		{[]string{"serve", "extra"}, nil, "unknown command"},
		{[]string{"frobnicate"}, nil, "unknown command"},
		{[]string{"key", "public", "--data", "d"}, nil, "no such file or directory"},
	} {
		_, errOut, code := roost(t, c.env, c.args...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("roost %v: exit %d, stderr %q; want exit 1 mentioning %q", c.args, code, errOut, c.want)
		}
	}
}

// process is a running roost serve whose stderr is collected.
type process struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	log   strings.Builder
	lines chan string
	done  chan struct{}
}

func startServe(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(binary, append([]string{"serve"}, args...)...), lines: make(chan string, 100), done: make(chan struct{})}
	p.cmd.Env = append([]string{"HOME=" + t.TempDir()}, env...)
	p.cmd.Dir = t.TempDir()
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	go func() {
		defer close(p.done)
		defer close(p.lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.log.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	return p
}

func (p *process) logText() string { p.mu.Lock(); defer p.mu.Unlock(); return p.log.String() }

// waitLine returns the first submatch of re in a log line; it fails if the
// process ends first.
func (p *process) waitLine(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	for line := range p.lines {
		if m := re.FindStringSubmatch(line); m != nil {
			return m[1]
		}
	}
	t.Fatalf("roost exited before logging %v:\n%s", re, p.logText())
	return ""
}

// stop sends SIGTERM and returns the exit code.
func (p *process) stop(t *testing.T) int {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-p.done
	err := p.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

var httpListening = regexp.MustCompile(`msg="http listening" addr=(\S+)`)

func TestBinaryServe(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGTERM")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	// The three sources at once: the file sets log-level and dc, the
	// environment overrides dc and sets http, the flag overrides dc again.
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	conf := "# test\nlog-level = warn\ndc = 3\nhttp = 127.0.0.1:1\n"
	if err := os.WriteFile(filepath.Join(data, "roost.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"ROOST_DATA=" + data, "ROOST_DC=4", "ROOST_HTTP=127.0.0.1:0", "ROOST_MTPROTO=127.0.0.1:0"}

	for run := range 2 { // the second run reopens the same data directory
		p := startServe(t, env, "--dc", "5", "--log-level", "info")
		start := p.waitLine(t, regexp.MustCompile(`(msg="starting roost".*)`))
		for _, w := range []string{"dc=5", "http=127.0.0.1:0", "log_level=INFO", "config_file=" + filepath.Join(data, "roost.conf")} {
			if !strings.Contains(start, w) {
				t.Errorf("run %d: start line lacks %q: %s", run, w, start)
			}
		}
		base := "http://" + p.waitLine(t, httpListening)
		waitStatus(t, base+"/healthz", 200)
		if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
			t.Errorf("healthz = %d %q", code, body)
		}
		code, body := get(t, base+"/metrics")
		if code != 200 || !strings.Contains(body, `roost_build_info{go_version="`+runtime.Version()+`",version="v0.0.0-test"} 1`) ||
			!strings.Contains(body, "go_goroutines") {
			t.Errorf("metrics = %d:\n%.1000s", code, body)
		}
		if code := p.stop(t); code != 0 {
			t.Fatalf("run %d: exit code %d after SIGTERM:\n%s", run, code, p.logText())
		}
		log := p.logText()
		for _, w := range []string{`msg="roost ready"`, `msg="shutting down"`, `msg="roost stopped"`, "schema_version="} {
			if !strings.Contains(log, w) {
				t.Errorf("run %d: log lacks %q:\n%s", run, w, log)
			}
		}
		if strings.Contains(log, "level=ERROR") {
			t.Errorf("run %d: errors logged:\n%s", run, log)
		}
	}
	for _, name := range []string{"data", "data/roost.db"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s mode %v is open to other users", name, fi.Mode().Perm())
		}
	}
}

func TestBinaryServeCreatesDataDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses SIGTERM")
	}
	data := filepath.Join(t.TempDir(), "new", "data")
	p := startServe(t, nil, "--data", data, "--http", "127.0.0.1:0", "--mtproto", "127.0.0.1:0", "--dev")
	base := "http://" + p.waitLine(t, httpListening)
	waitStatus(t, base+"/healthz", 200)
	if code := p.stop(t); code != 0 {
		t.Fatalf("exit code %d:\n%s", code, p.logText())
	}
	fi, err := os.Stat(data)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode = %v, want 0700", fi.Mode().Perm())
	}
	if log := p.logText(); !strings.Contains(log, "level=DEBUG") && !strings.Contains(log, "log_level=DEBUG") {
		t.Errorf("--dev did not switch to debug logging:\n%s", log)
	}
	// serve generated the RSA key (0600); key public prints its public half.
	if fi, err := os.Stat(filepath.Join(data, "rsa-key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("rsa-key.pem: %v %v, want mode 0600", fi, err)
	}
	out, errOut, code := roost(t, nil, "key", "public", "--data", data)
	if code != 0 || !strings.Contains(out, "-----BEGIN RSA PUBLIC KEY-----") || !strings.Contains(out, "fingerprint: ") {
		t.Errorf("key public: exit %d, out %q, err %q", code, out, errOut)
	}
	if strings.Contains(out, "PRIVATE") {
		t.Error("key public printed the private key")
	}
}

func TestBinaryAppAndBotCreate(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	out, errOut, code := roost(t, nil, "app", "create", "--title", "Desk", "--data", data)
	if code != 0 || !strings.Contains(out, "api_id: ") || !strings.Contains(out, "api_hash: ") {
		t.Fatalf("app create: exit %d, out %q, err %q", code, out, errOut)
	}
	out, errOut, code = roost(t, nil, "bot", "create", "--username", "desk_bot", "--data", data)
	if id, secret, ok := strings.Cut(strings.TrimSpace(out), ":"); code != 0 || !ok || id == "" || len(secret) != 35 {
		t.Fatalf("bot create: exit %d, out %q, err %q", code, out, errOut)
	}
	_, errOut, code = roost(t, nil, "bot", "create", "--username", "desk_bot", "--data", data)
	if code != 1 || !strings.Contains(errOut, "USERNAME_OCCUPIED") {
		t.Errorf("duplicate bot: exit %d, err %q", code, errOut)
	}
}
