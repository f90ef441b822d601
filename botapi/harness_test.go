package botapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/memory"
	"github.com/roostchat/roost/store/sqlite"
)

// harness is a Bot API server on a core with one bot and one user who
// started it.
type harness struct {
	t     testing.TB
	core  *core.Core
	srv   *Server
	http  *httptest.Server
	token string
	bot   store.User
	user  store.User
}

func newHarness(t testing.TB, onDisk bool) *harness {
	t.Helper()
	ctx := context.Background()
	var st store.Store = memory.New()
	if onDisk {
		s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "roost.db"))
		if err != nil {
			t.Fatal(err)
		}
		st = s
	}
	t.Cleanup(func() { st.Close() })
	c := &core.Core{Store: st, Secret: []byte("test secret of the harness......")}
	srv := &Server{Core: c}
	c.Bots = srv
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, core: c, srv: srv, http: httptest.NewServer(srv)}
	t.Cleanup(func() { h.http.Close(); srv.Shutdown(ctx) })
	var err error
	if h.bot, h.token, err = c.CreateBot(ctx, 0, "harness_bot", "Harness"); err != nil {
		t.Fatal(err)
	}
	if h.user, err = st.Users().Create(ctx, store.User{Phone: "15550001", FirstName: "Ann"}); err != nil {
		t.Fatal(err)
	}
	h.userSays("/start")
	return h
}

// userSays sends a message from the user to the bot.
func (h *harness) userSays(text string) core.Sent {
	h.t.Helper()
	s, err := h.core.SendMessage(context.Background(), core.Send{From: h.user.ID,
		To: store.Peer{Kind: store.PeerUser, ID: h.bot.ID}, Text: text})
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// reply is a decoded answer.
type reply struct {
	Status      int
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  map[string]any  `json:"parameters"`
}

// call posts form values to a method of the harness bot.
func (h *harness) call(method string, form url.Values) reply {
	h.t.Helper()
	return h.do(http.MethodPost, "/bot"+h.token+"/"+method, "application/x-www-form-urlencoded", form.Encode())
}

func (h *harness) do(verb, path, contentType, body string) reply {
	h.t.Helper()
	req, err := http.NewRequest(verb, h.http.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := h.http.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r reply
	if err := json.Unmarshal(b, &r); err != nil {
		h.t.Fatalf("%s %s: answer %q is not JSON: %v", verb, path, b, err)
	}
	r.Status = resp.StatusCode
	if r.Status != 200 && r.Status != r.ErrorCode {
		h.t.Errorf("%s: HTTP status %d, error_code %d", path, r.Status, r.ErrorCode)
	}
	return r
}

func (r reply) into(t testing.TB, v any) {
	t.Helper()
	if !r.OK {
		t.Fatalf("call failed: %d %s", r.ErrorCode, r.Description)
	}
	if err := json.Unmarshal(r.Result, v); err != nil {
		t.Fatalf("result %s: %v", r.Result, err)
	}
}
