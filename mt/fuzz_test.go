package mt_test

import (
	"bytes"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
	"github.com/roostchat/roost/tl/tltest"
)

// FuzzDecoder reads arbitrary bytes as an MTProto service object.
func FuzzDecoder(f *testing.F) {
	for _, s := range seeds(f, mt.Types, mt.New) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in []byte) { check(t, in, mt.New) })
}

// FuzzDecoderWithAPI reads arbitrary bytes the way a session reads a
// message body: service objects first, then the API layer (a container
// or rpc_result holding tg objects).
func FuzzDecoderWithAPI(f *testing.F) {
	for _, s := range seeds(f, mt.Types, mt.New) {
		f.Add(s)
	}
	r := tl.Chain(mt.New, tg.New)
	var e tl.Encoder
	e.Uint32((&mt.MsgContainer{}).TypeID())
	e.Int(1)
	e.Long(5)
	e.Int(1)
	body, _ := tl.Encode(&tg.HelpGetConfigRequest{})
	e.Int(int32(len(body)))
	e.Write(body)
	f.Add(e.Bytes())
	f.Fuzz(func(t *testing.T, in []byte) { check(t, in, r) })
}

func seeds(f *testing.F, types tl.Types, r tl.Registry) [][]byte {
	fl := &tltest.Filler{Rand: rand.New(rand.NewPCG(1, 1)), Types: types, New: r, MaxDepth: 2}
	var out [][]byte
	for _, ti := range types {
		o := r(ti.ID)
		fl.Fill(o)
		if b, err := tl.Encode(o); err == nil {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		f.Fatal("no seeds")
	}
	return out
}

// check: no panic, allocation within a multiple of the input (plus the
// gzip_packed budget), and what is read is written and read back alike.
func check(t *testing.T, in []byte, r tl.Registry) {
	var o tl.Object
	var err error
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	o, err = tl.Decode(in, r)
	runtime.ReadMemStats(&after)
	limit := uint64(64*len(in) + 64<<10)
	if bytes.Contains(in, []byte{0xa1, 0xcf, 0x72, 0x30}) {
		limit += 8 * tl.MaxUnpacked
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > limit {
		t.Fatalf("decoding %d bytes allocated %d", len(in), n)
	}
	if err != nil {
		return
	}
	b1, err := tl.Encode(o)
	if err != nil {
		return // e.g. rpc_result holding a value only readable, never written
	}
	back, err := tl.Decode(b1, r)
	if err != nil {
		t.Fatalf("cannot read what was written: %v\n%x", err, b1)
	}
	if b2, err := tl.Encode(back); err != nil || !bytes.Equal(b1, b2) {
		t.Fatalf("second write differs (%v):\n%x\n%x", err, b1, b2)
	}
}
