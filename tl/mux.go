package tl

import "context"

// Handler answers one decoded function with its result.
type Handler func(ctx context.Context, req Object) (Object, error)

// Mux maps function ids to handlers. Generated Server types embed it and
// add typed registration methods. Register before serving: Mux is not
// safe for registration concurrent with lookups.
type Mux struct {
	handlers map[uint32]Handler
}

// Handle registers h for function id, replacing an earlier one.
func (m *Mux) Handle(id uint32, h Handler) {
	if m.handlers == nil {
		m.handlers = map[uint32]Handler{}
	}
	m.handlers[id] = h
}

// Handler returns the handler for id, or nil.
func (m *Mux) Handler(id uint32) Handler { return m.handlers[id] }

// NonNil returns o as an Object, or a nil Object when o is a nil pointer,
// so that a typed nil never reaches an encoder.
func NonNil[T any, P interface {
	*T
	Object
}](o P) Object {
	if o == nil {
		return nil
	}
	return o
}
