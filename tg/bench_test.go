package tg_test

import (
	"bytes"
	"testing"

	"github.com/gotd/td/bin"
	gotd "github.com/gotd/td/tg"

	"github.com/roostchat/roost/layers"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// The benchmarks measure one messages.messages of 100 messages (each with
// bold, url and mention entities) and 100 users: what a getHistory answer
// looks like. Roost and gotd v0.162.0 encode and decode the same object in
// the same run; Roost also through the layer-170 adapter, for which gotd
// has no counterpart in that version (its figures are canonical).

const benchSize = 100

func benchRoost() *tg.MessagesMessages {
	m := &tg.MessagesMessages{}
	for i := range benchSize {
		msg := roostMessage(i, nil)
		msg.Entities = msg.Entities[:3]
		m.Messages = append(m.Messages, msg)
		m.Users = append(m.Users, roostUser(i))
	}
	return m
}

func benchGotd() *gotd.MessagesMessages {
	m := &gotd.MessagesMessages{}
	for i := range benchSize {
		msg := gotdMessage(i, nil)
		msg.Entities = msg.Entities[:3]
		m.Messages = append(m.Messages, msg)
		m.Users = append(m.Users, gotdUser(i))
	}
	return m
}

// TestBenchObjectsAgree keeps the benchmarks honest: both sides encode
// the same bytes, and the layer-170 form reads back to the same object.
func TestBenchObjectsAgree(t *testing.T) {
	rb, err := tl.Encode(benchRoost())
	if err != nil {
		t.Fatal(err)
	}
	gb, err := gotdEncode(benchGotd())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rb, gb) {
		t.Fatal("Roost and gotd encode the benchmark object differently")
	}
	l := layers.For(170)
	ob, err := tl.EncodeLayer(benchRoost(), l)
	if err != nil {
		t.Fatal(err)
	}
	d := tl.NewDecoder(ob, tg.New)
	d.Layer = l
	back := d.Object()
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	again, err := tl.Encode(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, rb) {
		t.Fatal("layer 170 round trip changed the object")
	}
	t.Logf("canonical %d bytes, layer 170 %d bytes", len(rb), len(ob))
}

func BenchmarkEncodeMessages(b *testing.B) {
	b.Run("roost", func(b *testing.B) {
		m := benchRoost()
		e := tl.NewEncoder(make([]byte, 0, 64<<10))
		b.ReportAllocs()
		for b.Loop() {
			e.Reset()
			e.Object(m)
			if e.Err() != nil {
				b.Fatal(e.Err())
			}
		}
		b.SetBytes(int64(len(e.Bytes())))
	})
	b.Run("roost-layer170", func(b *testing.B) {
		m := benchRoost()
		e := tl.NewEncoder(make([]byte, 0, 64<<10))
		e.Layer = layers.For(170)
		b.ReportAllocs()
		for b.Loop() {
			e.Reset()
			e.Object(m)
			if e.Err() != nil {
				b.Fatal(e.Err())
			}
		}
		b.SetBytes(int64(len(e.Bytes())))
	})
	b.Run("gotd", func(b *testing.B) {
		m := benchGotd()
		buf := &bin.Buffer{Buf: make([]byte, 0, 64<<10)}
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := m.Encode(buf); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(buf.Len()))
	})
}

func BenchmarkDecodeMessages(b *testing.B) {
	canonical, err := tl.Encode(benchRoost())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("roost", func(b *testing.B) {
		b.SetBytes(int64(len(canonical)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tl.Decode(canonical, tg.New); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("roost-layer170", func(b *testing.B) {
		l := layers.For(170)
		old, err := tl.EncodeLayer(benchRoost(), l)
		if err != nil {
			b.Fatal(err)
		}
		d := tl.NewDecoder(nil, tg.New)
		d.Layer = l
		b.SetBytes(int64(len(old)))
		b.ReportAllocs()
		for b.Loop() {
			d.Reset(old)
			d.Object()
			if d.Err() != nil {
				b.Fatal(d.Err())
			}
		}
	})
	b.Run("gotd", func(b *testing.B) {
		b.SetBytes(int64(len(canonical)))
		b.ReportAllocs()
		buf := &bin.Buffer{}
		for b.Loop() {
			buf.ResetTo(canonical)
			var m gotd.MessagesMessages
			if err := m.Decode(buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}
