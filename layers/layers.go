package layers

import (
	"fmt"
	"sort"

	"github.com/roostchat/roost/tl"
)

// adapter is what the generator writes for one layer.
type adapter interface {
	// encode writes o in the layer's form when it differs, reporting
	// whether it did.
	encode(e *tl.Encoder, o tl.Object) bool
	// decoder returns the reader of a layer constructor that differs.
	decoder(id uint32) func(*tl.Decoder) tl.Object
	// lacks reports canonical constructors the layer cannot show.
	lacks(id uint32) bool
}

// Layer is the tl.Layer of one older API layer.
type Layer struct {
	n int
	a adapter
}

// Canonical is the layer of package tg: the one Roost speaks inside.
const Canonical = canonical

// For returns the adapter for a client that announced layer n, or nil
// when n is the canonical layer or newer. A layer without its own schema
// gets the nearest older one (a client of layer 175 understands layer
// 170's constructors); one older than every schema gets the oldest.
func For(n int) *Layer {
	if n >= canonical {
		return nil
	}
	best := -1
	for k := range adapters {
		if k <= n && k > best {
			best = k
		}
	}
	if best < 0 {
		best = Known()[0]
	}
	return &Layer{n: best, a: adapters[best]}
}

// Known lists the layers with an adapter, ascending.
func Known() []int {
	var ns []int
	for k := range adapters {
		ns = append(ns, k)
	}
	sort.Ints(ns)
	return ns
}

// N returns the layer number.
func (l *Layer) N() int { return l.n }

// Lacks reports whether canonical constructor id has no form in this
// layer, so that callers can leave it out (an update an old client
// cannot parse is not sent).
func (l *Layer) Lacks(id uint32) bool { return l.a.lacks(id) }

// EncodeObject implements tl.Layer.
func (l *Layer) EncodeObject(e *tl.Encoder, o tl.Object) bool {
	if l.a.encode(e, o) {
		return true
	}
	if l.a.lacks(o.TypeID()) {
		e.Fail(&UnsupportedError{Layer: l.n, ID: o.TypeID()})
		e.Uint32(o.TypeID())
		return true
	}
	return false
}

// Decoder implements tl.Layer.
func (l *Layer) Decoder(id uint32) func(*tl.Decoder) tl.Object { return l.a.decoder(id) }

// UnsupportedError reports a canonical constructor that a layer has no
// form for.
type UnsupportedError struct {
	Layer int
	ID    uint32
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("layers: constructor %#08x has no form in layer %d", e.ID, e.Layer)
}
