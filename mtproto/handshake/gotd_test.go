package handshake

import (
	"context"
	"crypto/rand"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/gotd/td/exchange"
	gtransport "github.com/gotd/td/transport"

	"github.com/roostchat/roost/mtproto/transport"
	"github.com/roostchat/roost/tl"
)

// serveHandshake answers unencrypted messages on one connection until the
// handshake ends, and returns its result.
func serveHandshake(cfg *Config, nc net.Conn) (*Result, error) {
	tc, err := transport.Accept(nc, transport.Options{})
	if err != nil {
		return nil, err
	}
	defer tc.Close()
	h := New(cfg)
	for {
		frame, _, err := tc.ReadFrame()
		if err != nil {
			return nil, err
		}
		p, err := ParsePlain(frame)
		if err != nil {
			return nil, err
		}
		answer, res, err := h.Handle(context.Background(), p.Body)
		if err != nil {
			tc.WriteError(-404)
			return nil, err
		}
		body, err := tl.Encode(answer)
		if err != nil {
			return nil, err
		}
		msgID := time.Now().Unix()<<32 | 1
		if err := tc.WriteFrame(AppendPlain(nil, msgID, body)); err != nil {
			return nil, err
		}
		if res != nil {
			return res, nil
		}
	}
}

// outcome is what both sides of an exchange ended with.
type outcome struct {
	client    exchange.ClientExchangeResult
	server    *Result
	clientErr error
	serverErr error
}

// gotdExchange runs gotd/td's client side of the exchange against
// serveHandshake over a pipe.
func gotdExchange(t *testing.T, cfg *Config, tempFor time.Duration) outcome {
	t.Helper()
	srvEnd, cliEnd := net.Pipe()
	type out struct {
		res *Result
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := serveHandshake(cfg, srvEnd)
		srvEnd.Close()
		done <- out{res, err}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := gtransport.Intermediate.Handshake(cliEnd)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ex := exchange.NewExchanger(conn, 2).WithRand(rand.Reader)
	if tempFor > 0 {
		ex = ex.WithTempMode(int(tempFor / time.Second))
	}
	cres, cerr := ex.Client([]exchange.PublicKey{{RSA: cfg.Key.Public()}}).Run(ctx)
	cliEnd.Close()
	o := <-done
	return outcome{client: cres, server: o.res, clientErr: cerr, serverErr: o.err}
}

// gotd/td's client creates the same permanent key the server stores.
func TestGotdPermanentKey(t *testing.T) {
	cfg := testConfig(t)
	o := gotdExchange(t, cfg, 0)
	if o.clientErr != nil || o.serverErr != nil {
		t.Fatalf("client: %v, server: %v", o.clientErr, o.serverErr)
	}
	cres, res := o.client, o.server
	if res.Key.Key != cres.AuthKey.Value || res.Key.ID != cres.AuthKey.IntID() {
		t.Fatal("keys differ")
	}
	if res.Salt != cres.ServerSalt || res.Key.Temporary() {
		t.Errorf("salt %x (client %x), temporary %v", res.Salt, cres.ServerSalt, res.Key.Temporary())
	}
}

// gotd/td's temporary mode (p_q_inner_data_temp_dc) makes a key that
// expires when the client asked.
func TestGotdTemporaryKey(t *testing.T) {
	cfg := testConfig(t)
	before := time.Now()
	o := gotdExchange(t, cfg, time.Hour)
	if o.clientErr != nil || o.serverErr != nil {
		t.Fatalf("client: %v, server: %v", o.clientErr, o.serverErr)
	}
	cres, res := o.client, o.server
	if res.Key.Key != cres.AuthKey.Value {
		t.Fatal("keys differ")
	}
	if exp := res.Key.ExpiresAt; exp.Before(before.Add(time.Hour)) || exp.After(time.Now().Add(time.Hour)) {
		t.Errorf("expires at %v, want an hour from now", exp)
	}
	// Longer than MaxTempKeyLifetime: the server refuses.
	o = gotdExchange(t, cfg, MaxTempKeyLifetime+time.Hour)
	if !errors.Is(o.serverErr, ErrProtocol) || o.clientErr == nil {
		t.Errorf("too long a lifetime: client %v, server %v", o.clientErr, o.serverErr)
	}
}
