package ops

import (
	"runtime"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Label values of Metrics.Handshake.
const (
	HandshakeOK     = "ok"     // a key was created
	HandshakeRetry  = "retry"  // dh_gen_retry: the key id collided
	HandshakeFailed = "failed" // the run was abandoned or answered -404
)

// Metrics are the counters of the MTProto server. Label values must come
// from small fixed sets (transport codec names, TL method names of the
// schema, Telegram error strings) so that series stay bounded; never pass
// client-controlled text.
type Metrics struct {
	// ConnectionsOpen is the number of open client connections.
	ConnectionsOpen *prometheus.GaugeVec // transport
	// Connections counts accepted client connections.
	Connections *prometheus.CounterVec // transport
	// Handshakes counts finished auth key handshakes.
	Handshakes *prometheus.CounterVec // result
	// RPCs counts answered RPC calls; error is "OK" on success, otherwise
	// the Telegram error with numbers replaced by X (FLOOD_WAIT_X).
	RPCs *prometheus.CounterVec // method, error
	// ReceivedBytes and SentBytes count transport bytes.
	ReceivedBytes *prometheus.CounterVec // transport
	SentBytes     *prometheus.CounterVec // transport
}

// NewMetrics creates the metrics and registers them with reg. It panics if
// they are registered twice, as prometheus.MustRegister does: that is a
// programming error.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	const ns, sub = "roost", "mtproto"
	m := &Metrics{
		ConnectionsOpen: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: ns, Subsystem: sub, Name: "connections_open",
			Help: "Client connections open now, by transport.",
		}, []string{"transport"}),
		Connections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Subsystem: sub, Name: "connections_total",
			Help: "Client connections accepted, by transport.",
		}, []string{"transport"}),
		Handshakes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Subsystem: sub, Name: "handshakes_total",
			Help: "Auth key handshakes finished, by result (ok, retry, failed).",
		}, []string{"result"}),
		RPCs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Subsystem: sub, Name: "rpc_total",
			Help: "RPC calls answered, by method and error (OK on success).",
		}, []string{"method", "error"}),
		ReceivedBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Subsystem: sub, Name: "received_bytes_total",
			Help: "Bytes received from clients, by transport.",
		}, []string{"transport"}),
		SentBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Subsystem: sub, Name: "sent_bytes_total",
			Help: "Bytes sent to clients, by transport.",
		}, []string{"transport"}),
	}
	reg.MustRegister(m.ConnectionsOpen, m.Connections, m.Handshakes, m.RPCs, m.ReceivedBytes, m.SentBytes)
	return m
}

// ConnOpened records a new connection on transport.
func (m *Metrics) ConnOpened(transport string) {
	if m == nil {
		return
	}
	m.Connections.WithLabelValues(transport).Inc()
	m.ConnectionsOpen.WithLabelValues(transport).Inc()
}

// ConnClosed records the end of a connection counted by ConnOpened.
func (m *Metrics) ConnClosed(transport string) {
	if m == nil {
		return
	}
	m.ConnectionsOpen.WithLabelValues(transport).Dec()
}

// Handshake records a finished handshake; result is one of the Handshake
// constants.
func (m *Metrics) Handshake(result string) {
	if m == nil {
		return
	}
	m.Handshakes.WithLabelValues(result).Inc()
}

// RPC records an answered call of method; errMsg is the rpc_error message,
// empty on success.
func (m *Metrics) RPC(method, errMsg string) {
	if m == nil {
		return
	}
	m.RPCs.WithLabelValues(method, ErrorLabel(errMsg)).Inc()
}

// Received records n bytes read from a client on transport.
func (m *Metrics) Received(transport string, n int) {
	if m == nil || n <= 0 {
		return
	}
	m.ReceivedBytes.WithLabelValues(transport).Add(float64(n))
}

// Sent records n bytes written to a client on transport.
func (m *Metrics) Sent(transport string, n int) {
	if m == nil || n <= 0 {
		return
	}
	m.SentBytes.WithLabelValues(transport).Add(float64(n))
}

// ErrorLabel turns an rpc_error message into a bounded label value: "OK"
// for the empty message, numeric segments replaced by X as Telegram's
// documentation writes them (FLOOD_WAIT_17 → FLOOD_WAIT_X,
// FILE_PART_3_MISSING → FILE_PART_X_MISSING; 2FA_CONFIRM_WAIT_60 keeps its
// 2FA), and "OTHER" for anything that is not an upper-case error string.
func ErrorLabel(msg string) string {
	if msg == "" {
		return "OK"
	}
	if len(msg) > 64 || strings.Trim(msg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
		return "OTHER"
	}
	parts := strings.Split(msg, "_")
	for i, p := range parts {
		if p != "" && strings.Trim(p, "0123456789") == "" {
			parts[i] = "X"
		}
	}
	return strings.Join(parts, "_")
}

// NewRegistry returns the server's registry: Go runtime and process
// metrics, and roost_build_info{version, go_version} = 1.
func NewRegistry(version string) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: "roost", Name: "build_info",
		Help:        "Always 1; labels describe the running binary.",
		ConstLabels: prometheus.Labels{"version": version, "go_version": runtime.Version()},
	})
	info.Set(1)
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		info,
	)
	return reg
}
