package botapi

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkSendMessage is sendMessage through the HTTP edge, core and
// SQLite, one request at a time over keep-alive.
func BenchmarkSendMessage(b *testing.B) {
	h := newHarness(b, true)
	form := url.Values{"chat_id": {strconv.FormatInt(h.user.ID, 10)}, "text": {"benchmark"}}.Encode()
	cl := h.http.Client()
	u := h.http.URL + "/bot" + h.token + "/sendMessage"
	b.ReportAllocs()
	for b.Loop() {
		resp, err := cl.Post(u, "application/x-www-form-urlencoded", strings.NewReader(form))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body) // so the connection is reused
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.Status)
		}
	}
}
