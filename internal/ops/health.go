package ops

import (
	"net/http"
	"sync/atomic"
)

// Health is the /healthz handler. It answers 200 "ok" while ready and 503
// otherwise: the server marks itself ready once every listener is up and
// unready as soon as shutdown begins, so load balancers stop sending
// traffic before connections close. The zero value is not ready.
type Health struct {
	ready atomic.Bool
}

// SetReady sets the answer of later requests.
func (h *Health) SetReady(ready bool) { h.ready.Store(ready) }

// Ready reports the current state.
func (h *Health) Ready() bool { return h.ready.Load() }

// ServeHTTP implements http.Handler.
func (h *Health) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if !h.Ready() {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}
