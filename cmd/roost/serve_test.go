package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roostchat/roost/internal/config"
)

// fakeService records its calls and can hold Start or Shutdown until the
// test releases it.
type fakeService struct {
	name      string
	startGate chan struct{} // nil: Start returns at once
	stopGate  chan struct{} // nil: Shutdown returns at once
	startErr  error
	calls     *callLog
}

type callLog struct {
	mu    sync.Mutex
	calls []string
}

func (l *callLog) add(s string) { l.mu.Lock(); l.calls = append(l.calls, s); l.mu.Unlock() }

func (l *callLog) get() []string { l.mu.Lock(); defer l.mu.Unlock(); return slices.Clone(l.calls) }

func (f *fakeService) Name() string { return f.name }

func (f *fakeService) Start(context.Context) error {
	f.calls.add("start " + f.name)
	if f.startGate != nil {
		<-f.startGate
	}
	return f.startErr
}

func (f *fakeService) Shutdown(context.Context) error {
	f.calls.add("shutdown " + f.name)
	if f.stopGate != nil {
		<-f.stopGate
	}
	return nil
}

func testConfig(t *testing.T) config.Serve {
	return config.Serve{
		Data: filepath.Join(t.TempDir(), "data"), MTProto: "127.0.0.1:0", HTTP: "127.0.0.1:0",
		RSAKey: "unused", DC: 2,
	}
}

// get fetches url and returns the status code and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

// waitStatus polls url until it answers code. It has no deadline of its
// own: the test's timeout ends a wait that never succeeds.
func waitStatus(t *testing.T, url string, code int) {
	t.Helper()
	for {
		if c, _ := get(t, url); c == code {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestServeLifecycle(t *testing.T) {
	calls := &callLog{}
	a := &fakeService{name: "a", calls: calls}
	b := &fakeService{name: "b", calls: calls, startGate: make(chan struct{}), stopGate: make(chan struct{})}
	addr := make(chan string, 1)
	build := func(env *Env) ([]Service, error) {
		env.Mux.HandleFunc("GET /apiws", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "mounted") })
		addr <- env.HTTPAddr
		return []Service{a, b}, nil
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, testConfig(t), slog.New(slog.NewTextHandler(&logs, nil)), build) }()

	base := "http://" + <-addr
	// b is still starting: not ready.
	if code, body := get(t, base+"/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("healthz while starting = %d %q, want 503", code, body)
	}
	close(b.startGate)
	waitStatus(t, base+"/healthz", http.StatusOK)
	if code, body := get(t, base+"/metrics"); code != http.StatusOK || !strings.Contains(body, "roost_build_info") {
		t.Errorf("metrics = %d, body without roost_build_info:\n%.500s", code, body)
	}
	if code, body := get(t, base+"/apiws"); code != http.StatusOK || body != "mounted" {
		t.Errorf("mounted handler = %d %q", code, body)
	}

	cancel()
	// b's Shutdown is held: the server must already say it is not ready.
	waitStatus(t, base+"/healthz", http.StatusServiceUnavailable)
	close(b.stopGate)
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, logs.String())
	}
	want := []string{"start a", "start b", "shutdown b", "shutdown a"}
	if got := calls.get(); !slices.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("HTTP server still answers after serve returned")
	}
}

func TestServeStartFailure(t *testing.T) {
	calls := &callLog{}
	boom := errors.New("boom")
	build := func(*Env) ([]Service, error) {
		return []Service{
			&fakeService{name: "a", calls: calls},
			&fakeService{name: "b", calls: calls, startErr: boom},
			&fakeService{name: "c", calls: calls},
		}, nil
	}
	err := serve(t.Context(), testConfig(t), slog.New(slog.DiscardHandler), build)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "start b") {
		t.Fatalf("serve = %v, want start b: boom", err)
	}
	want := []string{"start a", "start b", "shutdown a"}
	if got := calls.get(); !slices.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
}

func TestServeFatal(t *testing.T) {
	calls := &callLog{}
	boom := errors.New("listener died")
	build := func(env *Env) ([]Service, error) {
		env.Fatal(boom) // as a service would from its accept loop
		env.Fatal(errors.New("second error is dropped, not blocking"))
		return []Service{&fakeService{name: "a", calls: calls}}, nil
	}
	err := serve(t.Context(), testConfig(t), slog.New(slog.DiscardHandler), build)
	if !errors.Is(err, boom) {
		t.Fatalf("serve = %v, want %v", err, boom)
	}
	if got := calls.get(); !slices.Equal(got, []string{"start a", "shutdown a"}) {
		t.Errorf("calls = %v", got)
	}
}

func TestServeBuildError(t *testing.T) {
	boom := errors.New("bad wiring")
	build := func(*Env) ([]Service, error) { return nil, boom }
	if err := serve(t.Context(), testConfig(t), slog.New(slog.DiscardHandler), build); !errors.Is(err, boom) {
		t.Fatalf("serve = %v, want %v", err, boom)
	}
}

func TestServeHTTPAddrInUse(t *testing.T) {
	cfg := testConfig(t)
	addr := make(chan string, 1)
	hold := make(chan struct{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, slog.New(slog.DiscardHandler), func(env *Env) ([]Service, error) {
			addr <- env.HTTPAddr
			<-hold
			return nil, nil
		})
	}()
	second := testConfig(t)
	second.HTTP = <-addr
	if err := serve(t.Context(), second, slog.New(slog.DiscardHandler), services); err == nil || !strings.Contains(err.Error(), "http listen") {
		t.Errorf("second server on the same port: %v", err)
	}
	close(hold)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
