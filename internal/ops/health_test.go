package ops

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHealth(t *testing.T) {
	var h Health
	check := func(wantCode int, wantBody string) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if rec.Code != wantCode || rec.Body.String() != wantBody {
			t.Errorf("healthz = %d %q, want %d %q", rec.Code, rec.Body.String(), wantCode, wantBody)
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Error("healthz answer may be cached")
		}
	}
	check(http.StatusServiceUnavailable, "not ready\n")
	h.SetReady(true)
	check(http.StatusOK, "ok\n")
	h.SetReady(false)
	check(http.StatusServiceUnavailable, "not ready\n")
}
