package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/roostchat/roost/internal/config"
	"github.com/roostchat/roost/internal/ops"
	"github.com/roostchat/roost/store/sqlite"
)

// dbFile is the database file in the data directory.
const dbFile = "roost.db"

// shutdownTimeout bounds a graceful shutdown.
const shutdownTimeout = 30 * time.Second

// serve runs the server until ctx is done or a service reports a fatal
// error. build makes the services once the store and the HTTP server are
// up. It returns nil after a clean shutdown.
func serve(ctx context.Context, cfg config.Serve, log *slog.Logger, build func(*Env) ([]Service, error)) (err error) {
	log.Info("starting roost", "version", version, "data", cfg.Data, "mtproto", cfg.MTProto,
		"http", cfg.HTTP, "dc", cfg.DC, "public_addr", cfg.PublicAddr, "dev", cfg.Dev,
		"log_level", cfg.LogLevel.String(), "config_file", cfg.File, "rsa_key_file", cfg.RSAKey)

	if err := makeDataDir(cfg.Data, log); err != nil {
		return err
	}
	st, err := sqlite.Open(ctx, filepath.Join(cfg.Data, dbFile))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close store: %w", cerr))
		}
	}()
	log.Info("store open", "path", filepath.Join(cfg.Data, dbFile), "schema_version", st.SchemaVersion())

	reg := ops.NewRegistry(version)
	var health ops.Health
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", &health)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		Registry: reg,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError),
	}))

	// The HTTP server comes up first, so that /healthz answers 503 while
	// the rest starts.
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.HTTP)
	if err != nil {
		return fmt.Errorf("http listen: %w", err)
	}
	env := &Env{
		Config: cfg, Log: log, Store: st, Metrics: ops.NewMetrics(reg), Registry: reg,
		Mux: mux, HTTPAddr: ln.Addr().String(), fatal: make(chan error, 1),
	}
	httpSrv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := httpSrv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			env.Fatal(fmt.Errorf("http server: %w", err))
		}
	}()
	log.Info("http listening", "addr", env.HTTPAddr)
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
		defer cancel()
		if herr := httpSrv.Shutdown(sctx); herr != nil {
			err = errors.Join(err, fmt.Errorf("http shutdown: %w", herr))
		}
	}()

	svcs, err := build(env)
	if err != nil {
		return fmt.Errorf("build services: %w", err)
	}
	if len(svcs) == 0 {
		log.Warn("no MTProto server is wired into this build: only the HTTP endpoints run")
	}
	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	var started []Service
	defer func() {
		cancelRun()
		err = errors.Join(err, shutdown(ctx, started, log))
	}()
	for _, s := range svcs {
		if err := ctx.Err(); err != nil {
			return nil // a signal arrived while starting: shut down cleanly
		}
		if err := s.Start(runCtx); err != nil {
			return fmt.Errorf("start %s: %w", s.Name(), err)
		}
		started = append(started, s)
		log.Info("service started", "service", s.Name())
	}

	health.SetReady(true)
	log.Info("roost ready")
	select {
	case <-ctx.Done():
		log.Info("shutting down", "reason", context.Cause(ctx))
	case err = <-env.fatal:
		log.Error("shutting down after a fatal error", "err", err)
	}
	health.SetReady(false)
	return err
}

// shutdown stops the started services in reverse order.
func shutdown(ctx context.Context, started []Service, log *slog.Logger) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	var errs []error
	for i := len(started) - 1; i >= 0; i-- {
		s := started[i]
		if err := s.Shutdown(sctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown %s: %w", s.Name(), err))
			continue
		}
		log.Info("service stopped", "service", s.Name())
	}
	return errors.Join(errs...)
}

// makeDataDir creates the data directory with mode 0700, and warns if an
// existing one is open to other users.
func makeDataDir(dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("data directory %s: %w", dir, fs.ErrExist)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		log.Warn("data directory is accessible to other users; it holds keys: chmod 700 it",
			"path", dir, "mode", fi.Mode().Perm().String())
	}
	return nil
}
