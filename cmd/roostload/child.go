package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// childEnv marks a process started by startChild: a test binary standing
// in for roostload runs main instead of its tests when it is set.
const childEnv = "ROOSTLOAD_CHILD"

// child is a comparison server (echo, tgtest) that runs as a separate
// process of this binary, so that its CPU time is its own and it does not
// share a heap or scheduler with the load.
type child struct {
	addr string
	pid  int
	stop func() error
}

// startChild runs `roostload <name> --listen 127.0.0.1:0 args...` and
// waits for the address it prints.
func startChild(name string, args ...string) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	cmd := exec.Command(exe, append([]string{name, "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		io.Copy(io.Discard, out)
	}()
	done := make(chan error, 1)
	go func() {
		<-line // Wait closes the pipe: read the address first
		done <- cmd.Wait()
	}()
	c := &child{pid: cmd.Process.Pid}
	c.stop = func() error {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
			return nil
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
			return fmt.Errorf("%s did not stop on SIGTERM", name)
		}
	}
	select {
	case l, ok := <-line:
		addr, found := strings.CutPrefix(l, "listening ")
		if !ok || !found {
			c.stop()
			return nil, fmt.Errorf("%s printed %q, want its address", name, l)
		}
		c.addr = addr
		return c, nil
	case <-time.After(30 * time.Second):
		c.stop()
		return nil, fmt.Errorf("%s did not start in 30 s", name)
	}
}

// listenChild binds a child server's listener on loopback and prints its
// address for startChild.
func listenChild(addr string) (net.Listener, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	fmt.Printf("listening %s\n", ln.Addr())
	return ln, nil
}

// serveUntilSignal serves ln with serve until SIGTERM or SIGINT.
func serveUntilSignal(ln net.Listener, sig <-chan os.Signal, serve func(net.Listener) error) error {
	errc := make(chan error, 1)
	go func() { errc <- serve(ln) }()
	select {
	case <-sig:
		ln.Close()
		return nil
	case err := <-errc:
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		return err
	}
}
