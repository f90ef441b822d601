package e2e

import (
	"context"
	"log/slog"
	"net"
	"strconv"
	"testing"

	"github.com/gotd/log/logslog"
	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/transport"
)

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// client makes a gotd/td client for s over the given resolver.
func (s *server) client(r dcs.Resolver, st telegram.SessionStorage) *telegram.Client {
	appID, appHash := s.app()
	return telegram.NewClient(appID, appHash, s.options(r, st, nil))
}

// app returns what clients present: the registered app, or a dummy one
// (any app is accepted with --dev).
func (s *server) app() (int, string) {
	if s.appID == 0 {
		return 1, "roost"
	}
	return s.appID, s.appHash
}

// options are a client's settings for s; with h nil the client asks for
// no updates.
func (s *server) options(r dcs.Resolver, st telegram.SessionStorage, h telegram.UpdateHandler) telegram.Options {
	host, portText, _ := net.SplitHostPort(s.mtproto)
	port, _ := strconv.Atoi(portText)
	return telegram.Options{
		PublicKeys: []telegram.PublicKey{{RSA: s.publicKey()}},
		DC:         2,
		DCList: dcs.List{
			Options: []tg.DCOption{{ID: 2, IPAddress: host, Port: port}},
			Domains: map[int]string{2: "ws://" + s.http + "/apiws"},
		},
		Resolver:       r,
		SessionStorage: st,
		NoUpdates:      h == nil,
		UpdateHandler:  h,
		Logger:         logslog.New(slog.New(slog.NewTextHandler(testWriter{s.t}, &slog.HandlerOptions{Level: slog.LevelWarn}))),
	}
}

func checkConfig(t *testing.T, s *server, cfg *tg.Config) {
	t.Helper()
	host, portText, _ := net.SplitHostPort(s.mtproto)
	if cfg.ThisDC != 2 || len(cfg.DCOptions) != 1 || cfg.DCOptions[0].IPAddress != host ||
		strconv.Itoa(cfg.DCOptions[0].Port) != portText {
		t.Errorf("config: this_dc=%d dc_options=%+v, want this server", cfg.ThisDC, cfg.DCOptions)
	}
}

// Every transport gotd offers: key creation, help.getConfig and ping.
func TestTransports(t *testing.T) {
	s := startServer(t)
	cases := []struct {
		name string
		r    dcs.Resolver
	}{
		{"abridged", dcs.Plain(dcs.PlainOptions{Protocol: transport.Abridged})},
		{"intermediate", dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate})},
		{"padded", dcs.Plain(dcs.PlainOptions{Protocol: transport.PaddedIntermediate})},
		{"full", dcs.Plain(dcs.PlainOptions{Protocol: transport.Full})},
		{"obfuscated-abridged", dcs.Plain(dcs.PlainOptions{Protocol: transport.Abridged, Obfuscated: true})},
		{"obfuscated-intermediate", dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate, Obfuscated: true})},
		{"websocket", dcs.Websocket(dcs.WebsocketOptions{})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := ctxFor(t)
			cl := s.client(c.r, &session.StorageMemory{})
			err := cl.Run(ctx, func(ctx context.Context) error {
				cfg, err := cl.API().HelpGetConfig(ctx)
				if err != nil {
					return err
				}
				checkConfig(t, s, cfg)
				if err := cl.Ping(ctx); err != nil {
					return err
				}
				_, err = cl.API().UsersGetUsers(ctx, []tg.InputUserClass{&tg.InputUserSelf{}})
				if !tgerr.Is(err, "AUTH_KEY_UNREGISTERED") {
					t.Errorf("users.getUsers before login: %v, want AUTH_KEY_UNREGISTERED", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// After a restart the client resumes with its stored key: no handshake.
func TestResumeAfterRestart(t *testing.T) {
	s := startServer(t)
	st := &session.StorageMemory{}
	r := dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate})
	run := func() {
		ctx := ctxFor(t)
		cl := s.client(r, st)
		if err := cl.Run(ctx, func(ctx context.Context) error {
			cfg, err := cl.API().HelpGetConfig(ctx)
			if err == nil {
				checkConfig(t, s, cfg)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	run()
	if got := s.metric(`roost_mtproto_handshakes_total{result="ok"}`); got != "1" {
		t.Fatalf("handshakes before restart = %q, want 1", got)
	}
	s.restart()
	run()
	if got := s.metric(`roost_mtproto_handshakes_total{result="ok"}`); got != "" && got != "0" {
		t.Fatalf("handshakes after restart = %q, want none: the stored key must be reused", got)
	}
}
