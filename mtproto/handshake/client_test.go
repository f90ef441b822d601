package handshake

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"sync"
	"testing"

	gcrypto "github.com/gotd/td/crypto"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/memory"
	"github.com/roostchat/roost/tl"
)

var (
	serverKeyOnce sync.Once
	serverKey     *crypto.ServerKey
)

// testKey returns one RSA key for the whole package: generating a
// 2048-bit key takes a noticeable moment.
func testKey(t testing.TB) *crypto.ServerKey {
	t.Helper()
	serverKeyOnce.Do(func() {
		k, err := crypto.GenerateServerKey()
		if err != nil {
			panic(err)
		}
		serverKey = k
	})
	return serverKey
}

// testConfig is a handshake configuration over a memory store.
func testConfig(t testing.TB) *Config {
	t.Helper()
	st := memory.New()
	t.Cleanup(func() { st.Close() })
	return &Config{Key: testKey(t), DH: crypto.DefaultDHGroup(), Keys: st.AuthKeys(), DC: 2}
}

// seeded returns a deterministic random source.
func seeded(seed byte) io.Reader {
	var s [32]byte
	s[0] = seed
	return mrand.NewChaCha8(s)
}

// dhClient is the client side of the key exchange, written from the
// protocol description to drive Handshake step by step.
type dhClient struct {
	t        testing.TB
	h        *Handshake
	cfg      *Config
	nonce    tl.Int128
	newNonce tl.Int256
	res      *mt.ResPQ
	b        *big.Int
	gA       *big.Int
}

func newDHClient(t testing.TB, cfg *Config) *dhClient {
	c := &dhClient{t: t, h: New(cfg), cfg: cfg}
	rand.Read(c.nonce[:])
	rand.Read(c.newNonce[:])
	return c
}

func (c *dhClient) handle(o tl.Object) (tl.Object, *Result, error) {
	c.t.Helper()
	b, err := tl.Encode(o)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.h.Handle(context.Background(), b)
}

// reqPQ runs step 1 and keeps resPQ.
func (c *dhClient) reqPQ() *mt.ResPQ {
	c.t.Helper()
	a, _, err := c.handle(&mt.ReqPQMultiRequest{Nonce: c.nonce})
	if err != nil {
		c.t.Fatal(err)
	}
	res, ok := a.(*mt.ResPQ)
	if !ok {
		c.t.Fatalf("req_pq_multi answered %T", a)
	}
	c.res = res
	return res
}

// factors returns p and q of the exchange as big-endian bytes.
func (c *dhClient) factors() (p, q []byte) {
	n := binary.BigEndian.Uint64(append(make([]byte, 8-len(c.res.PQ)), c.res.PQ...))
	// pq is small: trial division by odd numbers from its square root
	// down would be slow, so use Pollard's rho through math/big.
	f := rho(new(big.Int).SetUint64(n))
	g := new(big.Int).Div(new(big.Int).SetUint64(n), f)
	if f.Cmp(g) > 0 {
		f, g = g, f
	}
	return f.Bytes(), g.Bytes()
}

// rho finds a nontrivial factor of n (a product of two primes).
func rho(n *big.Int) *big.Int {
	one := big.NewInt(1)
	for c := int64(1); ; c++ {
		x, y, d := big.NewInt(2), big.NewInt(2), big.NewInt(1)
		f := func(v *big.Int) *big.Int {
			v.Mul(v, v).Add(v, big.NewInt(c)).Mod(v, n)
			return v
		}
		for d.Cmp(one) == 0 {
			x = f(x)
			y = f(f(y))
			d.GCD(nil, nil, new(big.Int).Abs(new(big.Int).Sub(x, y)), n)
		}
		if d.Cmp(n) != 0 {
			return d
		}
	}
}

// inner returns p_q_inner_data_dc of this exchange.
func (c *dhClient) inner() *mt.PQInnerDataDC {
	p, q := c.factors()
	return &mt.PQInnerDataDC{PQ: c.res.PQ, P: p, Q: q, Nonce: c.nonce, ServerNonce: c.res.ServerNonce, NewNonce: c.newNonce, DC: 2}
}

// encryptInner RSA_PAD-encrypts inner data with the server key, as a
// client does (gotd's implementation, a test dependency).
func (c *dhClient) encryptInner(o tl.Object) []byte {
	c.t.Helper()
	b, err := tl.Encode(o)
	if err != nil {
		c.t.Fatal(err)
	}
	enc, err := gcrypto.RSAPad(b, c.cfg.Key.Public(), rand.Reader)
	if err != nil {
		c.t.Fatal(err)
	}
	return enc
}

// reqDH returns a valid req_DH_params carrying inner.
func (c *dhClient) reqDH(inner tl.Object) *mt.ReqDHParamsRequest {
	p, q := c.factors()
	return &mt.ReqDHParamsRequest{Nonce: c.nonce, ServerNonce: c.res.ServerNonce, P: p, Q: q,
		PublicKeyFingerprint: c.cfg.Key.Fingerprint(), EncryptedData: c.encryptInner(inner)}
}

// serverDH checks server_DH_params_ok and keeps g_a.
func (c *dhClient) serverDH(a tl.Object) {
	c.t.Helper()
	ok, isOK := a.(*mt.ServerDHParamsOk)
	if !isOK {
		c.t.Fatalf("req_DH_params answered %T", a)
	}
	if ok.Nonce != c.nonce || ok.ServerNonce != c.res.ServerNonce {
		c.t.Fatal("server_DH_params_ok with other nonces")
	}
	plain, err := crypto.NewExchangeKey(c.newNonce, c.res.ServerNonce).Decrypt(ok.EncryptedAnswer)
	if err != nil {
		c.t.Fatal(err)
	}
	d := tl.NewDecoder(plain, mt.New)
	in, isInner := d.Object().(*mt.ServerDHInnerData)
	if !isInner || d.Err() != nil {
		c.t.Fatalf("encrypted_answer: %v", d.Err())
	}
	if in.Nonce != c.nonce || in.ServerNonce != c.res.ServerNonce || int(in.G) != c.cfg.DH.G() ||
		new(big.Int).SetBytes(in.DHPrime).Cmp(c.cfg.DH.P()) != 0 {
		c.t.Fatal("server_DH_inner_data does not match")
	}
	c.gA = new(big.Int).SetBytes(in.GA)
}

// gB returns a fresh g_b and remembers b.
func (c *dhClient) gB() []byte {
	var buf [256]byte
	rand.Read(buf[:])
	c.b = new(big.Int).SetBytes(buf[:])
	return new(big.Int).Exp(big.NewInt(int64(c.cfg.DH.G())), c.b, c.cfg.DH.P()).Bytes()
}

// key returns the auth key the client computes.
func (c *dhClient) key() crypto.AuthKey {
	var k crypto.AuthKey
	new(big.Int).Exp(c.gA, c.b, c.cfg.DH.P()).FillBytes(k[:])
	return k
}

// setClientDH returns set_client_DH_params carrying g_b.
func (c *dhClient) setClientDH(gB []byte, retry int64) *mt.SetClientDHParamsRequest {
	c.t.Helper()
	b, err := tl.Encode(&mt.ClientDHInnerData{Nonce: c.nonce, ServerNonce: c.res.ServerNonce, RetryID: retry, GB: gB})
	if err != nil {
		c.t.Fatal(err)
	}
	enc, err := crypto.NewExchangeKey(c.newNonce, c.res.ServerNonce).Encrypt(b, rand.Reader)
	if err != nil {
		c.t.Fatal(err)
	}
	return &mt.SetClientDHParamsRequest{Nonce: c.nonce, ServerNonce: c.res.ServerNonce, EncryptedData: enc}
}

// upToDH runs steps 1 and 2 with inner data from mutate.
func (c *dhClient) upToDH(mutate func(*mt.PQInnerDataDC) tl.Object) {
	c.t.Helper()
	c.reqPQ()
	in := c.inner()
	var o tl.Object = in
	if mutate != nil {
		o = mutate(in)
	}
	a, _, err := c.handle(c.reqDH(o))
	if err != nil {
		c.t.Fatal(err)
	}
	c.serverDH(a)
}

// flakyKeys fails Create with ErrExists n times, as a key id collision
// would.
type flakyKeys struct {
	store.AuthKeys
	n int
}

func (k *flakyKeys) Create(ctx context.Context, key store.AuthKey) error {
	if k.n > 0 {
		k.n--
		return store.ErrExists
	}
	return k.AuthKeys.Create(ctx, key)
}
