package tl_test

import (
	"errors"
	"testing"

	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

func encode(t *testing.T, o tl.Object) []byte {
	t.Helper()
	b, err := tl.Encode(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGzipPackedRoundTrip(t *testing.T) {
	want := &tg.UpdateShort{Update: &tg.UpdateConfig{}, Date: 7}
	// A value packed twice is unusual but legal while small.
	in := tl.GzipPacked(tl.GzipPacked(encode(t, want)))
	o, err := tl.Decode(in, tg.New)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := o.(*tg.UpdateShort); !ok || got.Date != 7 {
		t.Fatalf("read %#v", o)
	}
}

func TestGunzipLimit(t *testing.T) {
	exact := make([]byte, tl.MaxUnpacked)
	d := tl.NewDecoder(tl.GzipPacked(exact)[4:], nil)
	packed := d.Blob()
	if out, err := tl.Gunzip(packed); err != nil || len(out) != tl.MaxUnpacked {
		t.Fatalf("%d bytes, %v", len(out), err)
	}
	d = tl.NewDecoder(tl.GzipPacked(make([]byte, tl.MaxUnpacked+1))[4:], nil)
	if _, err := tl.Gunzip(d.Blob()); !errors.Is(err, tl.ErrUnpackedTooLarge) {
		t.Fatalf("one byte over the limit: %v", err)
	}
	if _, err := tl.Gunzip([]byte("not gzip")); err == nil {
		t.Fatal("garbage accepted")
	}
}

// TestGzipNestedBudget: gzip_packed inside gzip_packed, each level padded
// to nearly MaxUnpacked (the decoder ignores bytes after the object), used
// to inflate every level in full: 8 levels from 22 KB of input made 276 MB
// of allocations, 63 levels some 2 GB. One budget per decode stops it.
func TestGzipNestedBudget(t *testing.T) {
	pad := make([]byte, tl.MaxUnpacked-64<<10)
	b := encode(t, &tg.UpdatesTooLong{})
	for range 8 {
		b = tl.GzipPacked(append(append([]byte{}, b...), pad...))
	}
	var err error
	n := allocated(func() { _, err = tl.Decode(b, tg.New) })
	if !errors.Is(err, tl.ErrUnpackedTooLarge) {
		t.Fatalf("nested gzip_packed beyond the budget: %v", err)
	}
	if n > 4*tl.MaxUnpacked {
		t.Fatalf("%d bytes of input allocated %d MB", len(b), n>>20)
	}
}

// TestGzipManySmall: each gzip_packed value used to allocate a fresh
// decompressor (~40 KB), so 80 KB of tiny packed updates allocated 79 MB.
// Readers are reused now.
func TestGzipManySmall(t *testing.T) {
	small := tl.GzipPacked(encode(t, &tg.UpdateConfig{}))
	const count = 2000
	e := tl.NewEncoder(nil)
	e.Uint32((&tg.Updates{}).TypeID())
	e.VectorHeader(count)
	for range count {
		e.Write(small)
	}
	e.VectorHeader(0)
	e.VectorHeader(0)
	e.Int(0)
	e.Int(0)
	in := e.Bytes()
	var o tl.Object
	var err error
	n := allocated(func() { o, err = tl.Decode(in, tg.New) })
	if err != nil {
		t.Fatal(err)
	}
	if u := o.(*tg.Updates); len(u.Updates) != count {
		t.Fatalf("%d updates", len(u.Updates))
	}
	if limit := 64 * uint64(len(in)); n > limit {
		t.Fatalf("%d bytes of input allocated %d bytes (limit %d)", len(in), n, limit)
	}
}
