package tl_test

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/roostchat/roost/secret"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
	"github.com/roostchat/roost/tl/tltest"
)

// allocated returns the bytes f allocates. Each fuzz worker runs inputs
// one at a time, so the runtime's own allocations in between are noise.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// allocLimit is what decoding in may allocate: a bounded multiple of the
// input (slices of interfaces and structs are larger than their wire
// form, never more than a constant factor given the vector length
// checks), and for gzip_packed input the decompressed size, which
// MaxUnpacked bounds for the whole decode, plus the decompressor state.
func allocLimit(in []byte) uint64 {
	limit := uint64(64*len(in) + 64<<10)
	var id [4]byte
	binary.LittleEndian.PutUint32(id[:], tl.GzipPackedID)
	if n := bytes.Count(in, id[:]); n > 0 {
		limit += 8*tl.MaxUnpacked + uint64(n)*(256<<10)
	}
	return limit
}

// seeds returns encodings of random objects of types, so that the fuzzer
// starts from valid input of every shape.
func seeds(types tl.Types, r tl.Registry, n int) [][]byte {
	f := &tltest.Filler{Rand: rand.New(rand.NewPCG(7, 8)), Types: types, New: r, MaxDepth: 2}
	var out [][]byte
	for i := 0; i < n; i++ {
		ti := types[f.Rand.IntN(len(types))]
		o := r(ti.ID)
		f.Fill(o)
		if b, err := tl.Encode(o); err == nil && len(b) < 4<<10 {
			out = append(out, b)
		}
	}
	return out
}

// fuzzDecode is the property every decoder must have: no panic, bounded
// allocation, and an object it reads is written back and read again to
// the same bytes.
func fuzzDecode(t *testing.T, in []byte, r tl.Registry, l tl.Layer) {
	var o tl.Object
	var err error
	n := allocated(func() {
		d := tl.NewDecoder(in, r)
		d.Layer = l
		o = d.Object()
		err = d.Err()
	})
	if limit := allocLimit(in); n > limit {
		t.Fatalf("decoding %d bytes allocated %d (limit %d)", len(in), n, limit)
	}
	if err != nil {
		if o != nil {
			t.Fatalf("error %v with an object", err)
		}
		return
	}
	b1, err := tl.EncodeLayer(o, l)
	if err != nil {
		return // e.g. a layer object read into a canonical one that lacks a required field
	}
	d := tl.NewDecoder(b1, r)
	d.Layer = l
	back := d.Object()
	if err := d.Err(); err != nil {
		t.Fatalf("cannot read what was written: %v\n%x", err, b1)
	}
	if d.Len() != 0 {
		t.Fatalf("%d bytes left reading what was written", d.Len())
	}
	b2, err := tl.EncodeLayer(back, l)
	if err != nil || !bytes.Equal(b1, b2) {
		t.Fatalf("second write differs (%v):\n%x\n%x", err, b1, b2)
	}
}

// FuzzDecoder reads arbitrary bytes as a canonical (tg) object.
func FuzzDecoder(f *testing.F) {
	for _, s := range seeds(tg.Types, tg.New, 300) {
		f.Add(s)
	}
	plain, _ := tl.Encode(&tg.UpdatesTooLong{})
	f.Add(tl.GzipPacked(plain))
	f.Fuzz(func(t *testing.T, in []byte) { fuzzDecode(t, in, tg.New, nil) })
}

// FuzzSecretDecoder reads arbitrary bytes as an end-to-end (secret chat)
// object.
func FuzzSecretDecoder(f *testing.F) {
	for _, s := range seeds(secret.Types, secret.New, 100) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in []byte) { fuzzDecode(t, in, secret.New, nil) })
}

// FuzzString writes s as a TL string and bytes value and reads it back;
// then reads s itself as a string header and payload.
func FuzzString(f *testing.F) {
	for _, n := range []int{0, 1, 3, 4, 253, 254, 255, 256, 1 << 10} {
		f.Add(bytes.Repeat([]byte{'x'}, n))
	}
	f.Add([]byte{254, 0xff, 0xff, 0xff})
	f.Add([]byte{255, 0, 0, 0})
	f.Add([]byte{254, 1, 0, 0, 'a', 0, 0, 0})
	f.Fuzz(func(t *testing.T, s []byte) {
		var e tl.Encoder
		e.String(string(s))
		e.Blob(s)
		b := e.Bytes()
		if len(b)%4 != 0 {
			t.Fatalf("%d bytes written, not a multiple of 4", len(b))
		}
		d := tl.NewDecoder(b, nil)
		if got := d.String(); got != string(s) {
			t.Fatalf("string %q read back as %q", s, got)
		}
		if got := d.Blob(); !bytes.Equal(got, s) {
			t.Fatalf("bytes %x read back as %x", s, got)
		}
		if d.Err() != nil || d.Len() != 0 {
			t.Fatalf("err %v, %d left", d.Err(), d.Len())
		}

		d = tl.NewDecoder(s, nil)
		got := d.Blob()
		if d.Err() != nil {
			if got != nil {
				t.Fatal("bytes returned with an error")
			}
			return
		}
		if len(got) > len(s) || (len(s)-d.Len())%4 != 0 {
			t.Fatalf("read %d bytes of payload, consumed %d of %d", len(got), len(s)-d.Len(), len(s))
		}
	})
}

// FuzzVector reads a vector header with an element size and requires the
// count the decoder accepts to fit in what is left.
func FuzzVector(f *testing.F) {
	f.Add([]byte{0x15, 0xc4, 0xb5, 0x1c, 1, 0, 0, 0, 0, 0, 0, 0}, 4)
	f.Add([]byte{0x15, 0xc4, 0xb5, 0x1c, 0xff, 0xff, 0xff, 0x7f}, 1)
	f.Add([]byte{0x15, 0xc4, 0xb5, 0x1c, 0xff, 0xff, 0xff, 0xff}, 8)
	f.Add([]byte{2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0}, 0)
	f.Fuzz(func(t *testing.T, in []byte, minSize int) {
		minSize %= 64
		d := tl.NewDecoder(in, nil)
		n := d.VectorLen(minSize)
		if d.Err() != nil {
			if n != 0 {
				t.Fatalf("count %d with error %v", n, d.Err())
			}
			return
		}
		if n < 0 || n*max(minSize, 1) > d.Len() {
			t.Fatalf("count %d of size %d accepted with %d bytes left", n, minSize, d.Len())
		}
		d = tl.NewDecoder(in, nil)
		var v tl.Longs
		v.DecodeBare(d)
		if d.Err() == nil && 4+8*len(v) > len(in) {
			t.Fatalf("%d longs read from %d bytes", len(v), len(in))
		}
	})
}
