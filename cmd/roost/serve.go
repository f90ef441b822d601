package main

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/internal/config"
	"github.com/roostchat/roost/internal/ops"
	"github.com/roostchat/roost/store"
)

// Service is a long-running part of roost serve, such as the MTProto
// listener. The server starts services in order once the store is open and
// the HTTP server is up, marks itself ready when all have started, and
// shuts them down in reverse order.
type Service interface {
	// Name names the service in logs.
	Name() string
	// Start binds the service's listeners and returns once it accepts work;
	// it must not block for the service's lifetime. ctx is cancelled when
	// shutdown begins, so the service may derive its work from it.
	Start(ctx context.Context) error
	// Shutdown stops accepting work and finishes or aborts what is running
	// before ctx's deadline.
	Shutdown(ctx context.Context) error
}

// Env is what services are built from.
type Env struct {
	Config   config.Serve
	Log      *slog.Logger
	Store    store.Store
	Metrics  *ops.Metrics
	Registry *prometheus.Registry
	// Mux is the HTTP server's mux: services mount their handlers here
	// (such as /apiws). /healthz and /metrics are taken.
	Mux *http.ServeMux
	// HTTPAddr is the address the HTTP server is bound to.
	HTTPAddr string

	fatal chan error
}

// Fatal reports an error that a running service cannot recover from; the
// server shuts down and exits with an error.
func (e *Env) Fatal(err error) {
	select {
	case e.fatal <- err:
	default: // a fatal error is already pending
	}
}

// services builds the services of roost serve, in start order.
func services(env *Env) ([]Service, error) {
	c, err := newCore(env)
	if err != nil {
		return nil, err
	}
	m, err := newMTProtoService(env, c)
	if err != nil {
		return nil, err
	}
	bf, err := newBotFatherService(env, c)
	if err != nil {
		return nil, err
	}
	api := newBotAPIService(env, c)
	c.Bots = core.BotWakers{api.srv, bf.bf}
	return []Service{m, api, bf}, nil
}

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Roost server",
		Long: `Run the Roost server until SIGINT or SIGTERM.

At start, serve creates the data directory (mode 0700), opens the database
(roost.db in the data directory) and migrates it, and starts the HTTP server
and the MTProto server. The HTTP server answers:

  /healthz   200 "ok" once every listener is up; 503 before and during shutdown
  /metrics   Prometheus metrics

On SIGINT or SIGTERM it stops taking work and shuts down gracefully; a second
signal exits at once. Logs go to stderr as text lines.

Each flag can also be set with the environment variable named in its help,
or in a config file. Precedence: flag > environment > config file > default.
An empty environment variable counts as unset.

` + config.FileFormat,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(cmd.Flags(), os.LookupEnv)
			if err != nil {
				return err
			}
			if err := cfg.Validate(); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			go func() {
				<-ctx.Done()
				stop() // from now on a second signal kills the process
			}()
			log := ops.NewLogger(cmd.ErrOrStderr(), cfg.LogLevel, cfg.Dev)
			if err := serve(ctx, cfg, log, services); err != nil {
				return err
			}
			log.Info("roost stopped")
			return nil
		},
	}
	config.AddServeFlags(cmd.Flags())
	cmd.Flags().SortFlags = false
	return cmd
}
