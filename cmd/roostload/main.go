package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// maxDuration bounds every run, whatever the flags say.
const maxDuration = 30 * time.Minute

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "roostload:", err)
		os.Exit(1)
	}
}

// common are the flags every scenario shares.
type common struct {
	target   targetFlags
	duration time.Duration
	n        int64
	markdown string
}

func (c *common) register(cmd *cobra.Command, duration time.Duration, durationHelp string) {
	c.target.register(cmd.Flags())
	cmd.Flags().DurationVar(&c.duration, "duration", duration, durationHelp)
	cmd.Flags().Int64Var(&c.n, "n", 0, "stop a measurement after this many operations (0: only --duration bounds it)")
	cmd.Flags().StringVar(&c.markdown, "markdown", "", "also append the tables as markdown to this file (- for standard output)")
}

func (c *common) validate() error {
	if c.duration <= 0 || c.duration > maxDuration {
		return fmt.Errorf("--duration %v: want more than 0 and at most %v", c.duration, maxDuration)
	}
	if c.n < 0 {
		return fmt.Errorf("--n %d: want 0 or more", c.n)
	}
	return nil
}

// output prints the tables and appends them to --markdown.
func (c *common) output(w io.Writer, tables []*table) error {
	for _, t := range tables {
		t.text(w)
	}
	if c.markdown == "" {
		return nil
	}
	mw := w
	if c.markdown != "-" {
		f, err := os.OpenFile(c.markdown, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("markdown: %w", err)
		}
		defer f.Close()
		mw = f
	} else {
		fmt.Fprintln(w)
	}
	for _, t := range tables {
		t.markdown(mw)
	}
	return nil
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "roostload",
		Short: "Load generator for the Roost MTProto server (loopback only)",
		Long: `roostload loads a roost serve on this machine and prints what it measured.

Point it at a running server with --addr and --data (or --rsa-key), and
give --pid to measure the server's CPU and memory; or let it start one on
a temporary data directory with --spawn. Every run is bounded by
--duration and --n and stops by itself.`,
		SilenceUsage: true,
	}
	root.AddCommand(newHandshakesCmd(), newRPCCmd(), newIdleCmd(), newMessagesCmd(), newBotAPICmd(), newEchoServerCmd(), newJSONServerCmd(), newTgtestServerCmd())
	return root
}

// signalContext ends on SIGINT or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// withServer opens the target, runs f and stops a spawned server.
func withServer(ctx context.Context, c *common, f func(*roostServer) error) (err error) {
	s, err := c.target.open(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if serr := s.stop(); serr != nil {
			err = errors.Join(err, serr)
		}
	}()
	return f(s)
}

func newEchoServerCmd() *cobra.Command {
	var listen string
	cmd := &cobra.Command{
		Use:    "echo-server",
		Short:  "Run the plain TCP echo baseline (started by roostload rpc)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ln, err := listenChild(listen)
			if err != nil {
				return err
			}
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
			return serveUntilSignal(ln, sig, serveEcho)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:0", "loopback address to listen on")
	return cmd
}

func newTgtestServerCmd() *cobra.Command {
	var listen, key string
	cmd := &cobra.Command{
		Use:    "tgtest-server",
		Short:  "Run gotd/td's tgtest server (started by roostload)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ln, err := listenChild(listen)
			if err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			sig := make(chan os.Signal, 1)
			go func() { <-ctx.Done(); sig <- os.Interrupt }()
			return serveUntilSignal(ln, sig, func(ln net.Listener) error { return serveTgtest(ctx, ln, key) })
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:0", "loopback address to listen on")
	cmd.Flags().StringVar(&key, "key", "", "RSA private key file (PEM)")
	return cmd
}
