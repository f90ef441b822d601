package handshake

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/tl"
)

// FuzzParsePlain: any payload either splits into a message that
// AppendPlain joins back to the same bytes, or is refused with ErrPlain.
func FuzzParsePlain(f *testing.F) {
	f.Add(AppendPlain(nil, 1<<32, []byte{1, 2, 3, 4}))
	f.Add(AppendPlain(nil, 0, nil))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePlain(b)
		if err != nil {
			if !errors.Is(err, ErrPlain) {
				t.Fatalf("error %v does not wrap ErrPlain", err)
			}
			return
		}
		if !bytes.Equal(AppendPlain(nil, p.MsgID, p.Body), b) {
			t.Fatal("AppendPlain does not rebuild the payload")
		}
	})
}

// Stages FuzzHandle can put a handshake in before the fuzzed message.
const (
	fuzzFresh = iota // nothing received
	fuzzPQ           // after req_pq_multi
	fuzzDH           // after server_DH_params_ok
	fuzzStages
)

// fuzzNonce and fuzzNewNonce are the client nonces of every fuzzed
// exchange, so that seeds can carry matching messages.
var (
	fuzzNonce    = tl.Int128{1, 2, 3}
	fuzzNewNonce = tl.Int256{4, 5, 6}
)

// fuzzHandshake returns a handshake in stage, with its randomness from a
// fixed seed: the same server nonce, pq and DH secret every time.
func fuzzHandshake(t testing.TB, cfg *Config, stage byte) *Handshake {
	cfg.Rand = seeded(7)
	h := New(cfg)
	if stage == fuzzFresh {
		return h
	}
	if _, _, err := h.reqPQ(fuzzNonce); err != nil {
		t.Fatal(err)
	}
	if stage == fuzzPQ {
		return h
	}
	secret, err := cfg.DH.NewSecret(cfg.Rand)
	if err != nil {
		t.Fatal(err)
	}
	h.newNonce, h.secret, h.stage = fuzzNewNonce, secret, stageDH
	return h
}

// FuzzHandle sends one arbitrary message to a handshake in each stage.
// It must answer or fail with an error, never panic, and whatever it
// answers must be encodable; a result means a stored key.
func FuzzHandle(f *testing.F) {
	cfg := testConfig(f)
	// Valid messages of each stage, built by the test client against a
	// handshake in that same fixed state.
	ref := fuzzHandshake(f, cfg, fuzzPQ)
	c := &dhClient{t: f, h: ref, cfg: cfg, nonce: fuzzNonce, newNonce: fuzzNewNonce}
	c.res = &mt.ResPQ{Nonce: fuzzNonce, ServerNonce: ref.serverNonce, PQ: ref.pq.Bytes()}
	enc := func(o tl.Object) []byte {
		b, err := tl.Encode(o)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	f.Add(byte(fuzzFresh), enc(&mt.ReqPQMultiRequest{Nonce: fuzzNonce}))
	f.Add(byte(fuzzFresh), enc(&mt.ReqPQRequest{Nonce: fuzzNonce}))
	f.Add(byte(fuzzPQ), enc(c.reqDH(c.inner())))
	temp := c.inner()
	f.Add(byte(fuzzPQ), enc(c.reqDH(&mt.PQInnerDataTempDC{PQ: temp.PQ, P: temp.P, Q: temp.Q, Nonce: temp.Nonce,
		ServerNonce: temp.ServerNonce, NewNonce: temp.NewNonce, DC: 2, ExpiresIn: 3600})))
	gB := c.gB()
	f.Add(byte(fuzzDH), enc(c.setClientDH(gB, 0)))
	f.Add(byte(fuzzDH), enc(c.setClientDH([]byte{1}, 0)))
	inner := enc(&mt.ClientDHInnerData{Nonce: fuzzNonce, ServerNonce: ref.serverNonce, GB: gB})
	raw, err := crypto.NewExchangeKey(fuzzNewNonce, ref.serverNonce).Encrypt(inner, rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(byte(fuzzDH), enc(&mt.SetClientDHParamsRequest{Nonce: fuzzNonce, ServerNonce: ref.serverNonce, EncryptedData: raw[:len(raw)-16]}))

	f.Fuzz(func(t *testing.T, stage byte, body []byte) {
		h := fuzzHandshake(t, cfg, stage%fuzzStages)
		answer, res, err := h.Handle(context.Background(), body)
		if err != nil {
			if answer != nil || res != nil {
				t.Fatal("an error with an answer")
			}
			return
		}
		if answer == nil {
			t.Fatal("no answer and no error")
		}
		if _, err := tl.Encode(answer); err != nil {
			t.Fatalf("answer %T does not encode: %v", answer, err)
		}
		if res != nil {
			if _, ok := answer.(*mt.DHGenOk); !ok {
				t.Fatalf("a result with %T", answer)
			}
			if _, err := cfg.Keys.Get(context.Background(), res.Key.ID); err != nil {
				t.Fatalf("result key not stored: %v", err)
			}
		}
	})
}
