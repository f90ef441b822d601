package e2e

import (
	"crypto/rand"
	"net"
	"testing"

	"github.com/gotd/td/clock"
	"github.com/gotd/td/exchange"
	"github.com/gotd/td/transport"
)

// The bare key exchange with gotd's client side, without the rest of the
// client, so that a failure names the step.
func TestKeyExchange(t *testing.T) {
	s := startServer(t)
	ctx := ctxFor(t)
	nc, err := net.Dial("tcp", s.mtproto)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := transport.Intermediate.Handshake(nc)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	res, err := exchange.NewExchanger(conn, 2).WithRand(rand.Reader).WithClock(clock.System).
		Client([]exchange.PublicKey{{RSA: s.publicKey()}}).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.AuthKey.Zero() {
		t.Fatal("zero auth key")
	}
}
