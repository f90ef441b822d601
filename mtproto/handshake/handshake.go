package handshake

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tl"
)

// MaxTempKeyLifetime bounds expires_in of a temporary key (PFS): the
// official clients ask for a day at most.
const MaxTempKeyLifetime = 7 * 24 * time.Hour

// MaxRetries bounds dh_gen_retry answers on one connection.
const MaxRetries = 5

// Config is what every handshake of a server shares.
type Config struct {
	Key  *crypto.ServerKey
	DH   *crypto.DHGroup
	Keys store.AuthKeys
	// DC is this server's data-center id; inner data naming another DC is
	// accepted (clients differ; test DCs add 10000) but noted in Result.
	DC   int
	Rand io.Reader
	Now  func() time.Time
}

// Result is a completed handshake.
type Result struct {
	Key  store.AuthKey
	Salt int64
}

// ErrProtocol reports a handshake message out of order or with values
// that do not match the exchange; the connection should be closed.
var ErrProtocol = errors.New("handshake protocol violation")

type stage int

const (
	stageStart stage = iota
	stagePQ
	stageDH
	stageDone
)

// Handshake is the state of one key exchange. It is not safe for
// concurrent use; a connection owns one.
type Handshake struct {
	cfg         *Config
	stage       stage
	nonce       tl.Int128
	serverNonce tl.Int128
	newNonce    tl.Int256
	pq          crypto.PQ
	secret      *crypto.DHSecret
	expiresIn   time.Duration
	retries     int
}

// New starts a handshake.
func New(cfg *Config) *Handshake { return &Handshake{cfg: cfg} }

func (h *Handshake) rand() io.Reader {
	if h.cfg.Rand != nil {
		return h.cfg.Rand
	}
	return rand.Reader
}

func (h *Handshake) now() time.Time {
	if h.cfg.Now != nil {
		return h.cfg.Now()
	}
	return time.Now()
}

// Handle answers one unencrypted message body. A non-nil Result means a
// key was created and stored.
func (h *Handshake) Handle(ctx context.Context, body []byte) (tl.Object, *Result, error) {
	req, err := tl.Decode(body, mt.New)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	switch r := req.(type) {
	case *mt.ReqPQMultiRequest:
		return h.reqPQ(r.Nonce)
	case *mt.ReqPQRequest:
		return h.reqPQ(r.Nonce)
	case *mt.ReqDHParamsRequest:
		a, err := h.reqDH(r)
		return a, nil, err
	case *mt.SetClientDHParamsRequest:
		return h.setClientDH(ctx, r)
	}
	return nil, nil, fmt.Errorf("%w: unexpected %T", ErrProtocol, req)
}

func (h *Handshake) reqPQ(nonce tl.Int128) (tl.Object, *Result, error) {
	// A client may start over (req_pq again) before finishing.
	if h.stage == stageDone {
		return nil, nil, fmt.Errorf("%w: req_pq after completion", ErrProtocol)
	}
	pq, err := crypto.GeneratePQ(h.rand())
	if err != nil {
		return nil, nil, err
	}
	h.nonce, h.pq, h.stage = nonce, pq, stagePQ
	if _, err := io.ReadFull(h.rand(), h.serverNonce[:]); err != nil {
		return nil, nil, err
	}
	return &mt.ResPQ{
		Nonce:                       h.nonce,
		ServerNonce:                 h.serverNonce,
		PQ:                          pq.Bytes(),
		ServerPublicKeyFingerprints: []int64{h.cfg.Key.Fingerprint()},
	}, nil, nil
}

func (h *Handshake) reqDH(r *mt.ReqDHParamsRequest) (tl.Object, error) {
	if h.stage != stagePQ || r.Nonce != h.nonce || r.ServerNonce != h.serverNonce {
		return nil, fmt.Errorf("%w: req_DH_params out of order or with wrong nonces", ErrProtocol)
	}
	if r.PublicKeyFingerprint != h.cfg.Key.Fingerprint() {
		return nil, fmt.Errorf("%w: unknown key fingerprint %x", ErrProtocol, uint64(r.PublicKeyFingerprint))
	}
	if err := h.pq.Verify(r.P, r.Q); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	data, _, err := h.cfg.Key.DecryptInnerData(r.EncryptedData)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	if err := h.inner(data); err != nil {
		return nil, err
	}
	secret, err := h.cfg.DH.NewSecret(h.rand())
	if err != nil {
		return nil, err
	}
	h.secret, h.stage = secret, stageDH
	answer, err := tl.Encode(&mt.ServerDHInnerData{
		Nonce:       h.nonce,
		ServerNonce: h.serverNonce,
		G:           int32(h.cfg.DH.G()),
		DHPrime:     h.cfg.DH.PrimeBytes(),
		GA:          secret.GA(),
		ServerTime:  int32(h.now().Unix()),
	})
	if err != nil {
		return nil, err
	}
	enc, err := crypto.NewExchangeKey(h.newNonce, h.serverNonce).Encrypt(answer, h.rand())
	if err != nil {
		return nil, err
	}
	return &mt.ServerDHParamsOk{Nonce: h.nonce, ServerNonce: h.serverNonce, EncryptedAnswer: enc}, nil
}

// inner checks p_q_inner_data in any of its forms against the exchange.
func (h *Handshake) inner(data []byte) error {
	d := tl.NewDecoder(data, mt.New)
	o := d.Object() // the RSA_PAD padding after the object is ignored
	if d.Err() != nil {
		return fmt.Errorf("%w: inner data: %w", ErrProtocol, d.Err())
	}
	var pq, p, q string // p_q_inner_data_temp types them string, the others bytes
	var nonce, serverNonce tl.Int128
	var expires int32
	switch v := o.(type) {
	case *mt.PQInnerData:
		pq, p, q, nonce, serverNonce, h.newNonce = string(v.PQ), string(v.P), string(v.Q), v.Nonce, v.ServerNonce, v.NewNonce
	case *mt.PQInnerDataDC:
		pq, p, q, nonce, serverNonce, h.newNonce = string(v.PQ), string(v.P), string(v.Q), v.Nonce, v.ServerNonce, v.NewNonce
	case *mt.PQInnerDataTemp:
		pq, p, q, nonce, serverNonce, h.newNonce, expires = string(v.PQ), string(v.P), string(v.Q), v.Nonce, v.ServerNonce, v.NewNonce, v.ExpiresIn
	case *mt.PQInnerDataTempDC:
		pq, p, q, nonce, serverNonce, h.newNonce, expires = string(v.PQ), string(v.P), string(v.Q), v.Nonce, v.ServerNonce, v.NewNonce, v.ExpiresIn
	default:
		return fmt.Errorf("%w: inner data is %T", ErrProtocol, o)
	}
	if nonce != h.nonce || serverNonce != h.serverNonce || pq != string(h.pq.Bytes()) || h.pq.Verify([]byte(p), []byte(q)) != nil {
		return fmt.Errorf("%w: inner data does not match the exchange", ErrProtocol)
	}
	switch o.(type) {
	case *mt.PQInnerDataTemp, *mt.PQInnerDataTempDC:
		if expires <= 0 || time.Duration(expires)*time.Second > MaxTempKeyLifetime {
			return fmt.Errorf("%w: temporary key lifetime %d s", ErrProtocol, expires)
		}
	}
	h.expiresIn = time.Duration(expires) * time.Second
	return nil
}

func (h *Handshake) setClientDH(ctx context.Context, r *mt.SetClientDHParamsRequest) (tl.Object, *Result, error) {
	if h.stage != stageDH || r.Nonce != h.nonce || r.ServerNonce != h.serverNonce {
		return nil, nil, fmt.Errorf("%w: set_client_DH_params out of order or with wrong nonces", ErrProtocol)
	}
	plain, err := crypto.NewExchangeKey(h.newNonce, h.serverNonce).Decrypt(r.EncryptedData)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	d := tl.NewDecoder(plain, mt.New)
	inner, ok := d.Object().(*mt.ClientDHInnerData)
	if !ok || d.Err() != nil || inner.Nonce != h.nonce || inner.ServerNonce != h.serverNonce {
		return nil, nil, fmt.Errorf("%w: bad client_DH_inner_data", ErrProtocol)
	}
	key, err := h.secret.AuthKey(inner.GB)
	if err != nil {
		// g_b out of range: the exchange cannot yield a safe key.
		h.stage = stageDone
		return &mt.DHGenFail{Nonce: h.nonce, ServerNonce: h.serverNonce, NewNonceHash3: h.hash(3, key)}, nil, nil
	}
	now := h.now()
	k := store.AuthKey{ID: key.IntID(), Key: key, CreatedAt: now}
	if h.expiresIn > 0 {
		k.ExpiresAt = now.Add(h.expiresIn)
	}
	if err := h.cfg.Keys.Create(ctx, k); errors.Is(err, store.ErrExists) {
		h.retries++
		if h.retries > MaxRetries {
			return nil, nil, fmt.Errorf("%w: too many retries", ErrProtocol)
		}
		return &mt.DHGenRetry{Nonce: h.nonce, ServerNonce: h.serverNonce, NewNonceHash2: h.hash(2, key)}, nil, nil
	} else if err != nil {
		return nil, nil, fmt.Errorf("store auth key: %w", err)
	}
	h.stage = stageDone
	h.secret = nil
	res := &Result{Key: k, Salt: crypto.ServerSalt(h.newNonce, h.serverNonce)}
	return &mt.DHGenOk{Nonce: h.nonce, ServerNonce: h.serverNonce, NewNonceHash1: h.hash(1, key)}, res, nil
}

func (h *Handshake) hash(n byte, key crypto.AuthKey) tl.Int128 {
	return tl.Int128(crypto.NewNonceHash(h.newNonce, n, key.AuxHash()))
}
