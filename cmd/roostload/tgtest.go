package main

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgtest"
	"github.com/gotd/td/transport"
)

// The tgtest comparison: gotd/td's own test server (github.com/gotd/td/
// tgtest) answering the same calls: ping in its engine, help.getNearestDc
// and help.getConfig (which gotd's client asks on connect) through a
// dispatcher behind its invokeWithLayer/initConnection unwrapping.

// serveTgtest runs tgtest on ln with the RSA key in keyFile until ctx ends.
func serveTgtest(ctx context.Context, ln net.Listener, keyFile string) error {
	key, err := readRSAPrivate(keyFile)
	if err != nil {
		return err
	}
	d := tgtest.NewDispatcher()
	d.HandleFunc(tg.HelpGetNearestDCRequestTypeID, func(srv *tgtest.Server, req *tgtest.Request) error {
		return srv.SendResult(req, &tg.NearestDC{ThisDC: 2, NearestDC: 2})
	})
	host, port := splitHostPort(ln.Addr().String())
	d.HandleFunc(tg.HelpGetConfigRequestTypeID, func(srv *tgtest.Server, req *tgtest.Request) error {
		return srv.SendResult(req, &tg.Config{ThisDC: 2, DCOptions: []tg.DCOption{{ID: 2, IPAddress: host, Port: port}}})
	})
	srv := tgtest.NewServer(tgtest.NewPrivateKey(key), tgtest.UnpackInvoke(d), tgtest.ServerOptions{DC: 2})
	err = srv.Serve(ctx, transport.Listen(ln))
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func splitHostPort(addr string) (string, int) {
	host, portText, _ := net.SplitHostPort(addr)
	var port int
	fmt.Sscan(portText, &port)
	return host, port
}

// readRSAPrivate reads a PKCS#1 or PKCS#8 RSA private key.
func readRSAPrivate(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tgtest key: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("tgtest key %s: no PEM block", path)
	}
	if k, err := x509.ParsePKCS1PrivateKey(blk.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("tgtest key %s: %w", path, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("tgtest key %s: not an RSA key", path)
	}
	return rk, nil
}
