package main

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	gotdcrypto "github.com/gotd/td/crypto"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/mtproto/handshake"
	"github.com/roostchat/roost/tl"
)

// exchangeResult is a created auth key with the first server salt.
type exchangeResult struct {
	Key  crypto.AuthKey
	Salt int64
}

// exchangeKey creates a permanent auth key on fc as a client does
// (req_pq_multi, req_DH_params with RSA_PAD, set_client_DH_params), so the
// server runs its whole handshake path. The client's own work is kept to
// what a careful real client does: the DH prime is checked for primality
// once per run (as TDLib caches it), not on every key, and the DH
// arithmetic runs on mtproto/crypto. gotd/td's exchange.ClientExchange
// checks the prime on every key, which costs far more than the whole
// server side (see docs/performance.md), so it cannot load a server on the
// machine it shares.
func exchangeKey(fc *frameConn, pub *rsa.PublicKey, dc int) (exchangeResult, error) {
	var (
		ids   msgIDs
		nonce tl.Int128
		buf   []byte
	)
	rand.Read(nonce[:])
	roundTrip := func(req tl.Object) (tl.Object, error) {
		body, err := tl.Encode(req)
		if err != nil {
			return nil, err
		}
		if err := fc.writeFrame(handshake.AppendPlain(nil, ids.next(), body)); err != nil {
			return nil, err
		}
		frame, err := fc.readFrame(buf)
		if err != nil {
			return nil, err
		}
		p, err := handshake.ParsePlain(frame)
		if err != nil {
			return nil, err
		}
		return tl.Decode(p.Body, mt.New)
	}

	// req_pq_multi → resPQ
	o, err := roundTrip(&mt.ReqPQMultiRequest{Nonce: nonce})
	if err != nil {
		return exchangeResult{}, fmt.Errorf("req_pq_multi: %w", err)
	}
	res, ok := o.(*mt.ResPQ)
	if !ok || res.Nonce != nonce {
		return exchangeResult{}, fmt.Errorf("req_pq_multi: unexpected answer %T", o)
	}
	fp := crypto.Fingerprint(pub)
	found := false
	for _, f := range res.ServerPublicKeyFingerprints {
		found = found || f == fp
	}
	if !found {
		return exchangeResult{}, fmt.Errorf("resPQ: server key fingerprints %x do not include %x", res.ServerPublicKeyFingerprints, fp)
	}
	if len(res.PQ) == 0 || len(res.PQ) > 8 {
		return exchangeResult{}, fmt.Errorf("resPQ: pq of %d bytes", len(res.PQ))
	}
	p, q, err := factorPQ(new(big.Int).SetBytes(res.PQ).Uint64())
	if err != nil {
		return exchangeResult{}, fmt.Errorf("resPQ: %w", err)
	}
	pb, qb := minimalBytes(p), minimalBytes(q)

	// req_DH_params → server_DH_params_ok
	var newNonce tl.Int256
	rand.Read(newNonce[:])
	inner, err := tl.Encode(&mt.PQInnerDataDC{PQ: res.PQ, P: pb, Q: qb,
		Nonce: nonce, ServerNonce: res.ServerNonce, NewNonce: newNonce, DC: int32(dc)})
	if err != nil {
		return exchangeResult{}, err
	}
	enc, err := gotdcrypto.RSAPad(inner, pub, rand.Reader)
	if err != nil {
		return exchangeResult{}, fmt.Errorf("rsa_pad: %w", err)
	}
	o, err = roundTrip(&mt.ReqDHParamsRequest{Nonce: nonce, ServerNonce: res.ServerNonce, P: pb, Q: qb,
		PublicKeyFingerprint: fp, EncryptedData: enc})
	if err != nil {
		return exchangeResult{}, fmt.Errorf("req_DH_params: %w", err)
	}
	params, ok := o.(*mt.ServerDHParamsOk)
	if !ok || params.Nonce != nonce || params.ServerNonce != res.ServerNonce {
		return exchangeResult{}, fmt.Errorf("req_DH_params: unexpected answer %T", o)
	}
	xk := crypto.NewExchangeKey(newNonce, res.ServerNonce)
	plain, err := xk.Decrypt(params.EncryptedAnswer)
	if err != nil {
		return exchangeResult{}, fmt.Errorf("server_DH_params_ok: %w", err)
	}
	d := tl.NewDecoder(plain, mt.New)
	sd, ok := d.Object().(*mt.ServerDHInnerData)
	if !ok || d.Err() != nil || sd.Nonce != nonce || sd.ServerNonce != res.ServerNonce {
		return exchangeResult{}, fmt.Errorf("server_DH_inner_data: malformed (%v)", d.Err())
	}
	grp, err := checkedGroup(int(sd.G), sd.DHPrime)
	if err != nil {
		return exchangeResult{}, err
	}
	gB, key, err := clientDH(grp, sd.GA)
	if err != nil {
		return exchangeResult{}, fmt.Errorf("server_DH_inner_data: %w", err)
	}

	// set_client_DH_params → dh_gen_ok
	cd, err := tl.Encode(&mt.ClientDHInnerData{Nonce: nonce, ServerNonce: res.ServerNonce, GB: gB})
	if err != nil {
		return exchangeResult{}, err
	}
	encCD, err := xk.Encrypt(cd, nil)
	if err != nil {
		return exchangeResult{}, err
	}
	o, err = roundTrip(&mt.SetClientDHParamsRequest{Nonce: nonce, ServerNonce: res.ServerNonce, EncryptedData: encCD})
	if err != nil {
		return exchangeResult{}, fmt.Errorf("set_client_DH_params: %w", err)
	}
	ok1, ok := o.(*mt.DHGenOk)
	if !ok {
		return exchangeResult{}, fmt.Errorf("set_client_DH_params: answer %T, want dh_gen_ok", o)
	}
	if ok1.NewNonceHash1 != tl.Int128(crypto.NewNonceHash(newNonce, 1, key.AuxHash())) {
		return exchangeResult{}, fmt.Errorf("dh_gen_ok: new_nonce_hash1 mismatch")
	}
	return exchangeResult{Key: key, Salt: crypto.ServerSalt(newNonce, res.ServerNonce)}, nil
}

// clientExponentBytes is the size of the client's DH exponent b. Real
// clients draw 2048 bits; the load generator draws 256, which the server
// cannot tell from g_b, so that its two exponentiations per key cost an
// eighth of the server's and leave the shared CPU to the server.
const clientExponentBytes = 32

// clientDH draws b and returns g_b and auth_key = g_a^b mod p, after
// checking g_a and g_b against the safe range.
func clientDH(grp *crypto.DHGroup, gABytes []byte) (gB []byte, key crypto.AuthKey, err error) {
	gA := new(big.Int).SetBytes(gABytes)
	if err := grp.CheckPublic(gA); err != nil {
		return nil, key, fmt.Errorf("g_a: %w", err)
	}
	p := grp.P()
	g := big.NewInt(int64(grp.G()))
	b := make([]byte, clientExponentBytes)
	for range 16 {
		rand.Read(b)
		bi := new(big.Int).SetBytes(b)
		gb := new(big.Int).Exp(g, bi, p)
		if grp.CheckPublic(gb) != nil {
			continue
		}
		new(big.Int).Exp(gA, bi, p).FillBytes(key[:])
		return gb.FillBytes(make([]byte, crypto.DHPrimeBits/8)), key, nil
	}
	return nil, key, errors.New("no g_b in the safe range")
}

// minimalBytes is v big-endian without leading zero bytes, as TL sends p
// and q.
func minimalBytes(v uint64) []byte {
	return new(big.Int).SetUint64(v).Bytes()
}

// groups caches the DH groups whose prime has been checked.
var groups struct {
	sync.Mutex
	m map[string]*crypto.DHGroup
}

// checkedGroup returns the group (g, prime), checking the prime's
// primality the first time it is seen.
func checkedGroup(g int, prime []byte) (*crypto.DHGroup, error) {
	groups.Lock()
	defer groups.Unlock()
	id := fmt.Sprintf("%d:%x", g, prime)
	if grp := groups.m[id]; grp != nil {
		return grp, nil
	}
	grp, err := crypto.NewDHGroup(g, new(big.Int).SetBytes(prime))
	if err != nil {
		return nil, fmt.Errorf("server_DH_inner_data: %w", err)
	}
	if err := grp.CheckPrime(); err != nil {
		return nil, fmt.Errorf("server_DH_inner_data: %w", err)
	}
	if groups.m == nil {
		groups.m = map[string]*crypto.DHGroup{}
	}
	groups.m[id] = grp
	return grp, nil
}

// msgIDs makes client msg_ids: time-based, divisible by 4 and increasing.
type msgIDs struct{ last int64 }

func (g *msgIDs) next() int64 {
	now := time.Now()
	id := now.Unix()<<32 | int64(now.Nanosecond())&^3
	if id <= g.last {
		id = g.last + 4
	}
	g.last = id
	return id
}
