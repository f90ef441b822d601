package handshake

import (
	"context"
	"encoding/binary"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/tl"
)

// The whole exchange with every check a client makes: resPQ with the
// server key's fingerprint, server_DH_inner_data with the group,
// dh_gen_ok with new_nonce_hash1, the key stored and the first salt.
func TestExchange(t *testing.T) {
	cfg := testConfig(t)
	c := newDHClient(t, cfg)
	res := c.reqPQ()
	if res.Nonce != c.nonce || len(res.ServerPublicKeyFingerprints) != 1 || res.ServerPublicKeyFingerprints[0] != cfg.Key.Fingerprint() {
		t.Fatalf("resPQ %+v", res)
	}
	a, _, err := c.handle(c.reqDH(c.inner()))
	if err != nil {
		t.Fatal(err)
	}
	c.serverDH(a)
	a, r, err := c.handle(c.setClientDH(c.gB(), 0))
	if err != nil {
		t.Fatal(err)
	}
	key := c.key()
	ok, isOK := a.(*mt.DHGenOk)
	if !isOK {
		t.Fatalf("set_client_DH_params answered %T", a)
	}
	if want := crypto.NewNonceHash(c.newNonce, 1, key.AuxHash()); ok.NewNonceHash1 != want {
		t.Error("new_nonce_hash1 does not match the client's key")
	}
	if r == nil || r.Key.ID != key.IntID() || r.Key.Key != key || r.Key.Temporary() {
		t.Fatalf("result %+v, want the permanent key %v", r, key)
	}
	if r.Salt != crypto.ServerSalt(c.newNonce, c.res.ServerNonce) {
		t.Error("first salt is not new_nonce[0:8] xor server_nonce[0:8]")
	}
	stored, err := cfg.Keys.Get(context.Background(), key.IntID())
	if err != nil || stored.Key != key {
		t.Fatalf("stored key: %v", err)
	}
	// Done: a new req_pq on this exchange is refused.
	if _, _, err := c.handle(&mt.ReqPQMultiRequest{Nonce: c.nonce}); !errors.Is(err, ErrProtocol) {
		t.Errorf("req_pq after completion: %v, want ErrProtocol", err)
	}
}

// A temporary key gets its lifetime; one asking for too long or for no
// time at all is refused.
func TestTemporaryKey(t *testing.T) {
	cfg := testConfig(t)
	now := time.Unix(1700000000, 0)
	cfg.Now = func() time.Time { return now }
	temp := func(expires int32) func(in *mt.PQInnerDataDC) tl.Object {
		return func(in *mt.PQInnerDataDC) tl.Object {
			return &mt.PQInnerDataTempDC{PQ: in.PQ, P: in.P, Q: in.Q, Nonce: in.Nonce, ServerNonce: in.ServerNonce,
				NewNonce: in.NewNonce, DC: in.DC, ExpiresIn: expires}
		}
	}
	c := newDHClient(t, cfg)
	c.upToDH(temp(3600))
	_, r, err := c.handle(c.setClientDH(c.gB(), 0))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Key.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Errorf("expires at %v, want %v", r.Key.ExpiresAt, now.Add(time.Hour))
	}
	for _, expires := range []int32{0, -1, int32(MaxTempKeyLifetime/time.Second) + 1} {
		c := newDHClient(t, cfg)
		c.reqPQ()
		if _, _, err := c.handle(c.reqDH(temp(expires)(c.inner()))); !errors.Is(err, ErrProtocol) {
			t.Errorf("expires_in %d: %v, want ErrProtocol", expires, err)
		}
	}
}

// Each message out of order or not matching the exchange is a protocol
// error.
func TestProtocolErrors(t *testing.T) {
	cfg := testConfig(t)
	cases := []struct {
		name string
		run  func(c *dhClient) error
	}{
		{"garbage", func(c *dhClient) error {
			_, _, err := c.h.Handle(context.Background(), []byte{1, 2, 3, 4, 5, 6, 7, 8})
			return err
		}},
		{"empty", func(c *dhClient) error {
			_, _, err := c.h.Handle(context.Background(), nil)
			return err
		}},
		{"not a handshake message", func(c *dhClient) error {
			_, _, err := c.handle(&mt.PingRequest{PingID: 1})
			return err
		}},
		{"req_DH_params first", func(c *dhClient) error {
			_, _, err := c.handle(&mt.ReqDHParamsRequest{Nonce: c.nonce})
			return err
		}},
		{"set_client_DH_params first", func(c *dhClient) error {
			_, _, err := c.handle(&mt.SetClientDHParamsRequest{Nonce: c.nonce})
			return err
		}},
		{"wrong nonce", func(c *dhClient) error {
			c.reqPQ()
			r := c.reqDH(c.inner())
			r.Nonce[0] ^= 1
			_, _, err := c.handle(r)
			return err
		}},
		{"wrong server nonce", func(c *dhClient) error {
			c.reqPQ()
			r := c.reqDH(c.inner())
			r.ServerNonce[0] ^= 1
			_, _, err := c.handle(r)
			return err
		}},
		{"unknown fingerprint", func(c *dhClient) error {
			c.reqPQ()
			r := c.reqDH(c.inner())
			r.PublicKeyFingerprint++
			_, _, err := c.handle(r)
			return err
		}},
		{"wrong factors", func(c *dhClient) error {
			c.reqPQ()
			r := c.reqDH(c.inner())
			r.P, r.Q = r.Q, r.P
			_, _, err := c.handle(r)
			return err
		}},
		{"factors of 1", func(c *dhClient) error {
			c.reqPQ()
			r := c.reqDH(c.inner())
			r.P, r.Q = []byte{1}, c.res.PQ
			_, _, err := c.handle(r)
			return err
		}},
		{"undecryptable inner data", func(c *dhClient) error {
			c.reqPQ()
			r := c.reqDH(c.inner())
			r.EncryptedData[100] ^= 1
			_, _, err := c.handle(r)
			return err
		}},
		{"inner data nonce", func(c *dhClient) error {
			c.reqPQ()
			in := c.inner()
			in.Nonce[1] ^= 1
			_, _, err := c.handle(c.reqDH(in))
			return err
		}},
		{"inner data pq", func(c *dhClient) error {
			c.reqPQ()
			in := c.inner()
			in.PQ = append([]byte{0}, in.PQ...)
			_, _, err := c.handle(c.reqDH(in))
			return err
		}},
		{"inner data of another type", func(c *dhClient) error {
			c.reqPQ()
			_, _, err := c.handle(c.reqDH(&mt.PingRequest{PingID: 5}))
			return err
		}},
		{"req_DH_params twice", func(c *dhClient) error {
			c.upToDH(nil)
			_, _, err := c.handle(c.reqDH(c.inner()))
			return err
		}},
		{"set_client_DH_params nonces", func(c *dhClient) error {
			c.upToDH(nil)
			r := c.setClientDH(c.gB(), 0)
			r.ServerNonce[3] ^= 1
			_, _, err := c.handle(r)
			return err
		}},
		{"set_client_DH_params undecryptable", func(c *dhClient) error {
			c.upToDH(nil)
			r := c.setClientDH(c.gB(), 0)
			r.EncryptedData[20] ^= 1
			_, _, err := c.handle(r)
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newDHClient(t, cfg)
			err := tc.run(c)
			if !errors.Is(err, ErrProtocol) {
				t.Fatalf("%v, want ErrProtocol", err)
			}
		})
	}
}

// A client may start over with req_pq before finishing.
func TestRestart(t *testing.T) {
	cfg := testConfig(t)
	c := newDHClient(t, cfg)
	c.upToDH(nil)
	c.upToDH(nil)
	if _, r, err := c.handle(c.setClientDH(c.gB(), 0)); err != nil || r == nil || r.Key.Key != c.key() {
		t.Fatalf("after a restart: %v", err)
	}
}

// g_b outside (1, p-1) or too close to the ends: dh_gen_fail with
// new_nonce_hash3, no key, and the exchange is over.
func TestDHGenFail(t *testing.T) {
	cfg := testConfig(t)
	p := cfg.DH.P()
	for name, gB := range map[string][]byte{
		"one":   {1},
		"p-1":   new(big.Int).Sub(p, big.NewInt(1)).Bytes(),
		"p":     p.Bytes(),
		"small": new(big.Int).Lsh(big.NewInt(1), 2048-64-1).Bytes(),
	} {
		t.Run(name, func(t *testing.T) {
			c := newDHClient(t, cfg)
			c.upToDH(nil)
			a, r, err := c.handle(c.setClientDH(gB, 0))
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := a.(*mt.DHGenFail); !ok || r != nil {
				t.Fatalf("answered %T with result %v, want dh_gen_fail and none", a, r)
			}
			if _, _, err := c.handle(c.setClientDH(c.gB(), 0)); !errors.Is(err, ErrProtocol) {
				t.Errorf("set_client_DH_params after dh_gen_fail: %v", err)
			}
		})
	}
}

// A key id collision is answered dh_gen_retry with new_nonce_hash2; the
// client retries with a new g_b and gets its key; more than MaxRetries
// collisions end the exchange.
func TestDHGenRetry(t *testing.T) {
	cfg := testConfig(t)
	keys := &flakyKeys{AuthKeys: cfg.Keys, n: 1}
	cfg.Keys = keys
	c := newDHClient(t, cfg)
	c.upToDH(nil)
	a, r, err := c.handle(c.setClientDH(c.gB(), 0))
	if err != nil {
		t.Fatal(err)
	}
	retry, ok := a.(*mt.DHGenRetry)
	if !ok || r != nil {
		t.Fatalf("answered %T, want dh_gen_retry", a)
	}
	first := c.key()
	if want := crypto.NewNonceHash(c.newNonce, 2, first.AuxHash()); retry.NewNonceHash2 != want {
		t.Error("new_nonce_hash2 does not match")
	}
	// retry_id is the aux hash of the key that collided.
	aux := first.AuxHash()
	a, r, err = c.handle(c.setClientDH(c.gB(), int64(binary.LittleEndian.Uint64(aux[:]))))
	if _, ok := a.(*mt.DHGenOk); err != nil || !ok || r == nil || r.Key.Key != c.key() {
		t.Fatalf("retry: %T, %v", a, err)
	}

	keys.n = MaxRetries + 1
	c = newDHClient(t, cfg)
	c.upToDH(nil)
	for i := range MaxRetries {
		if a, _, err := c.handle(c.setClientDH(c.gB(), int64(i))); err != nil {
			t.Fatalf("retry %d: %v", i, err)
		} else if _, ok := a.(*mt.DHGenRetry); !ok {
			t.Fatalf("retry %d: %T", i, a)
		}
	}
	if _, _, err := c.handle(c.setClientDH(c.gB(), 9)); !errors.Is(err, ErrProtocol) {
		t.Errorf("retry beyond MaxRetries: %v, want ErrProtocol", err)
	}
}

// ParsePlain splits what AppendPlain joins and refuses the rest.
func TestParsePlain(t *testing.T) {
	body := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	b := AppendPlain(nil, 0x1234, body)
	p, err := ParsePlain(b)
	if err != nil || p.MsgID != 0x1234 || string(p.Body) != string(body) {
		t.Fatalf("ParsePlain = %+v, %v", p, err)
	}
	bad := [][]byte{
		nil,
		b[:19],
		b[:len(b)-1],
		append(append([]byte(nil), b...), 0),
		append([]byte{1}, b[1:]...),
	}
	for i, x := range bad {
		if _, err := ParsePlain(x); !errors.Is(err, ErrPlain) {
			t.Errorf("case %d: %v, want ErrPlain", i, err)
		}
	}
}
