package ops

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// value returns the value of the series of family name with the given
// labels, and whether it exists.
func value(t *testing.T, reg prometheus.Gatherer, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			if len(m.GetLabel()) != len(labels) {
				continue
			}
			for _, l := range m.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue next
				}
			}
			return metricValue(m), true
		}
	}
	return 0, false
}

func metricValue(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	}
	return 0
}

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	m.ConnOpened("abridged")
	m.ConnOpened("abridged")
	m.ConnOpened("websocket")
	m.ConnClosed("abridged")
	m.Handshake(HandshakeOK)
	m.Handshake(HandshakeFailed)
	m.Handshake(HandshakeOK)
	m.RPC("help.getConfig", "")
	m.RPC("messages.sendMessage", "FLOOD_WAIT_17")
	m.RPC("messages.sendMessage", "FLOOD_WAIT_3")
	m.Received("abridged", 100)
	m.Received("abridged", 23)
	m.Received("abridged", -5) // ignored
	m.Sent("websocket", 77)

	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"roost_mtproto_connections_total", map[string]string{"transport": "abridged"}, 2},
		{"roost_mtproto_connections_open", map[string]string{"transport": "abridged"}, 1},
		{"roost_mtproto_connections_open", map[string]string{"transport": "websocket"}, 1},
		{"roost_mtproto_handshakes_total", map[string]string{"result": "ok"}, 2},
		{"roost_mtproto_handshakes_total", map[string]string{"result": "failed"}, 1},
		{"roost_mtproto_rpc_total", map[string]string{"method": "help.getConfig", "error": "OK"}, 1},
		{"roost_mtproto_rpc_total", map[string]string{"method": "messages.sendMessage", "error": "FLOOD_WAIT_X"}, 2},
		{"roost_mtproto_received_bytes_total", map[string]string{"transport": "abridged"}, 123},
		{"roost_mtproto_sent_bytes_total", map[string]string{"transport": "websocket"}, 77},
	} {
		got, ok := value(t, reg, c.name, c.labels)
		if !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
}

func TestMetricsNil(t *testing.T) {
	var m *Metrics // code under test may run without metrics
	m.ConnOpened("x")
	m.ConnClosed("x")
	m.Handshake(HandshakeOK)
	m.RPC("m", "E")
	m.Received("x", 1)
	m.Sent("x", 1)
}

func TestErrorLabel(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "OK",
		"FLOOD_WAIT_17":         "FLOOD_WAIT_X",
		"FILE_PART_3_MISSING":   "FILE_PART_X_MISSING",
		"PHONE_MIGRATE_2":       "PHONE_MIGRATE_X",
		"2FA_CONFIRM_WAIT_60":   "2FA_CONFIRM_WAIT_X",
		"AUTH_KEY_UNREGISTERED": "AUTH_KEY_UNREGISTERED",
		"USER_DEACTIVATED_BAN":  "USER_DEACTIVATED_BAN",
		"lower case":            "OTHER",
		strings.Repeat("A", 65): "OTHER",
		"BAD_\x00":              "OTHER",
	} {
		if got := ErrorLabel(in); got != want {
			t.Errorf("ErrorLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewRegistry(t *testing.T) {
	reg := NewRegistry("v1.2.3")
	got, ok := value(t, reg, "roost_build_info", nil)
	if ok {
		t.Fatal("build info without labels found")
	}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range fams {
		names[f.GetName()] = true
		if f.GetName() == "roost_build_info" {
			m := f.GetMetric()[0]
			got = metricValue(m)
			for _, l := range m.GetLabel() {
				if l.GetName() == "version" && l.GetValue() != "v1.2.3" {
					t.Errorf("version label = %q", l.GetValue())
				}
			}
		}
	}
	if got != 1 {
		t.Errorf("roost_build_info = %v, want 1", got)
	}
	for _, n := range []string{"go_goroutines", "roost_build_info"} {
		if !names[n] {
			t.Errorf("registry lacks %s", n)
		}
	}
}
