package botapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

func userNamed(name, phone string) store.User { return store.User{FirstName: name, Phone: phone} }

func sleepMillis(n int) { time.Sleep(time.Duration(n) * time.Millisecond) }

func httptestServer(t *testing.T, f http.HandlerFunc) string {
	s := httptest.NewServer(f)
	t.Cleanup(s.Close)
	return s.URL
}
