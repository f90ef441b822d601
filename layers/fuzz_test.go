package layers_test

import (
	"bytes"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/roostchat/roost/layers"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
	"github.com/roostchat/roost/tl/tltest"
)

// One fuzz target per layer adapter: arbitrary bytes read as an old
// client's object into canonical ones must not panic, must allocate
// within a multiple of the input, and what is read must be written in the
// layer and read back to the same bytes.

func FuzzLayer144(f *testing.F) { fuzzLayer(f, 144) }
func FuzzLayer170(f *testing.F) { fuzzLayer(f, 170) }
func FuzzLayer198(f *testing.F) { fuzzLayer(f, 198) }
func FuzzLayer220(f *testing.F) { fuzzLayer(f, 220) }
func FuzzLayer228(f *testing.F) { fuzzLayer(f, 228) }

// TestFuzzTargetsCoverKnown keeps the list above in step with the
// generated adapters.
func TestFuzzTargetsCoverKnown(t *testing.T) {
	want := []int{144, 170, 198, 220, 228}
	got := layers.Known()
	if len(got) != len(want) {
		t.Fatalf("adapters %v, fuzz targets %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("adapters %v, fuzz targets %v", got, want)
		}
	}
}

func fuzzLayer(f *testing.F, n int) {
	l := layers.For(n)
	if l == nil || l.N() != n {
		f.Fatalf("no adapter for layer %d", n)
	}
	fl := &tltest.Filler{Rand: rand.New(rand.NewPCG(uint64(n), 1)), Types: tg.Types, New: tg.New, MaxDepth: 2}
	seeds := 0
	for i := 0; seeds < 300 && i < 5000; i++ {
		ti := tg.Types[fl.Rand.IntN(len(tg.Types))]
		if l.Lacks(ti.ID) {
			continue
		}
		o := tg.New(ti.ID)
		fl.Fill(o)
		if b, err := tl.EncodeLayer(o, l); err == nil && len(b) < 4<<10 {
			f.Add(b)
			seeds++
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var o tl.Object
		var err error
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		d := tl.NewDecoder(in, tg.New)
		d.Layer = l
		o = d.Object()
		err = d.Err()
		runtime.ReadMemStats(&after)
		limit := uint64(64*len(in) + 64<<10)
		if bytes.Contains(in, []byte{0xa1, 0xcf, 0x72, 0x30}) {
			limit += 8 * tl.MaxUnpacked
		}
		if a := after.TotalAlloc - before.TotalAlloc; a > limit {
			t.Fatalf("decoding %d bytes allocated %d", len(in), a)
		}
		if err != nil {
			return
		}
		b1, err := tl.EncodeLayer(o, l)
		if err != nil {
			return // a canonical field the layer lacks may be left unset
		}
		d = tl.NewDecoder(b1, tg.New)
		d.Layer = l
		back := d.Object()
		if err := d.Err(); err != nil {
			t.Fatalf("layer %d: cannot read what was written: %v\n%x", n, err, b1)
		}
		if b2, err := tl.EncodeLayer(back, l); err != nil || !bytes.Equal(b1, b2) {
			t.Fatalf("layer %d: second write differs (%v):\n%x\n%x", n, err, b1, b2)
		}
	})
}
