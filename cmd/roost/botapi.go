package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/roostchat/roost/botapi"
	"github.com/roostchat/roost/core"
)

// newCore builds the domain service both APIs share.
func newCore(env *Env) (*core.Core, error) {
	secret, err := loadOrCreateSecret(filepath.Join(env.Config.Data, secretFile))
	if err != nil {
		return nil, err
	}
	c := &core.Core{Store: env.Store, Secret: secret, Dev: env.Config.Dev, Log: env.Log}
	if env.Config.CodeWebhook != "" {
		c.Deliver = &core.Webhook{URL: env.Config.CodeWebhook}
	}
	if err := c.EnsureServiceUser(context.Background()); err != nil {
		return nil, fmt.Errorf("service account: %w", err)
	}
	return c, nil
}

// botAPIService serves the Bot API on the HTTP server at /bot<token>/…
// and /file/bot<token>/…, and delivers webhooks.
type botAPIService struct {
	srv *botapi.Server
}

func newBotAPIService(env *Env, c *core.Core) *botAPIService {
	srv := &botapi.Server{Core: c, Log: env.Log} // services() makes it a waker of c
	// Bot API paths start with /bot<token>, which no mux pattern can
	// name: the server takes every path the other services leave.
	env.Mux.Handle("/", srv)
	return &botAPIService{srv: srv}
}

func (s *botAPIService) Name() string { return "botapi" }

func (s *botAPIService) Start(ctx context.Context) error { return s.srv.Start(ctx) }

func (s *botAPIService) Shutdown(ctx context.Context) error { return s.srv.Shutdown(ctx) }
