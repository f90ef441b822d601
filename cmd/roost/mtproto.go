package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/roostchat/roost/api"
	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/mtproto"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/mtproto/handshake"
	"github.com/roostchat/roost/mtproto/transport"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/tg"
)

// mtprotoService runs the MTProto listener (TCP) and mounts /apiws.
type mtprotoService struct {
	env  *Env
	core *core.Core
	srv  *mtproto.Server
	ln   net.Listener
}

func newMTProtoService(env *Env, c *core.Core) (*mtprotoService, error) {
	key, err := loadOrCreateKey(env.Config.RSAKey)
	if err != nil {
		return nil, fmt.Errorf("rsa key: %w", err)
	}
	m := env.Metrics
	srv := &mtproto.Server{
		Store: env.Store,
		Handshake: handshake.Config{
			Key: key, DH: crypto.DefaultDHGroup(), Keys: env.Store.AuthKeys(), DC: env.Config.DC,
		},
		Log: env.Log,
		Hooks: mtproto.Hooks{
			Conn: func(codec string, open bool) {
				if open {
					m.ConnOpened(codec)
				} else {
					m.ConnClosed(codec)
				}
			},
			Handshake: m.Handshake,
			Bytes: func(codec string, in bool, n int) {
				if in {
					m.Received(codec, n)
				} else {
					m.Sent(codec, n)
				}
			},
		},
	}
	ws, err := transport.WebSocketHandler(srv.Transport, srv.ServeConn)
	if err != nil {
		return nil, err
	}
	env.Mux.Handle("/apiws", ws)
	env.Mux.Handle("/apiws_test", ws)
	return &mtprotoService{env: env, core: c, srv: srv}, nil
}

func (s *mtprotoService) Name() string { return "mtproto" }

func (s *mtprotoService) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.env.Config.MTProto)
	if err != nil {
		return fmt.Errorf("listen mtproto: %w", err)
	}
	s.ln = ln
	addr, err := s.env.Config.AdvertisedAddr(ln.Addr().String())
	if err != nil {
		ln.Close()
		return err
	}
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		ln.Close()
		return err
	}
	port, _ := strconv.Atoi(portText)
	c := s.core
	cfg := api.Config{DC: s.env.Config.DC, Host: host, Port: port, Store: s.env.Store, Core: c}
	c.Notifier = &api.Pusher{Server: s.srv, Config: cfg}
	var handlers tg.Server
	api.Register(&handlers, cfg)
	s.srv.Invoker = &rpc.Invoker{Server: &handlers, Store: s.env.Store, CheckAPIID: c.CheckAPIID,
		Observe: func(method, errMessage string, _ time.Duration) { s.env.Metrics.RPC(method, errMessage) }}
	s.env.Log.Info("mtproto listening", "addr", ln.Addr().String(), "public", addr, "dc", s.env.Config.DC)
	go func() {
		if err := s.srv.Serve(ln); err != nil {
			s.env.Fatal(err)
		}
	}()
	return nil
}

func (s *mtprotoService) Shutdown(ctx context.Context) error {
	if s.ln != nil {
		s.ln.Close()
	}
	return s.srv.Shutdown(ctx)
}
