package botapi

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

// Server serves the Bot API over HTTP. Set the exported fields, mount it
// (Handler) and call Start; it is safe for concurrent use.
type Server struct {
	Core *core.Core
	Log  *slog.Logger
	// Client delivers webhook updates; nil uses one with a 60 s timeout,
	// as the official server waits for a webhook's answer.
	Client *http.Client
	// BaseURL is where the server is reached, for getFile links; optional.
	BaseURL string

	mu   sync.Mutex
	bots map[int64]*botState
	ctx  context.Context // ends with Shutdown; webhook senders derive from it
	stop context.CancelFunc
	wg   sync.WaitGroup
}

// botState is the live state of one bot: who waits for its updates.
type botState struct {
	id int64

	mu       sync.Mutex
	wake     chan struct{} // closed when updates may have arrived
	poll     chan struct{} // closed to end the running long poll (409)
	pollErr  *Error        // why the last poll was ended
	hook     *webhook
	launched time.Time
}

// signal returns the channel the next Wake closes.
func (b *botState) signal() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.wake == nil {
		b.wake = make(chan struct{})
	}
	return b.wake
}

// Wake implements core.BotWaker: bot may have new updates.
func (s *Server) Wake(bot int64) {
	b := s.state(bot)
	b.mu.Lock()
	if b.wake != nil {
		close(b.wake)
		b.wake = nil
	}
	b.mu.Unlock()
}

func (s *Server) state(bot int64) *botState {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bots == nil {
		s.bots = map[int64]*botState{}
	}
	b := s.bots[bot]
	if b == nil {
		b = &botState{id: bot, launched: time.Now()}
		s.bots[bot] = b
	}
	return b
}

func (s *Server) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Start resumes the webhooks set before a restart.
func (s *Server) Start(ctx context.Context) error {
	hooks, err := s.Core.Store.BotAPI().Webhooks(ctx)
	if err != nil {
		return err
	}
	for _, set := range hooks {
		s.startWebhook(s.state(set.BotID), set)
	}
	s.wg.Add(1)
	go s.expire(s.lifetime())
	return nil
}

// expireEvery is how often updates past their time are dropped; reads
// skip them already, this frees the space.
const expireEvery = time.Minute

func (s *Server) expire(ctx context.Context) {
	defer s.wg.Done()
	t := time.NewTicker(expireEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if _, err := s.Core.Store.BotAPI().Expire(ctx, now); err != nil && ctx.Err() == nil {
				s.log().Warn("bot api: drop expired updates", "err", err)
			}
		}
	}
}

// Shutdown stops the webhook senders and ends long polls.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.stop != nil {
		s.stop()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Server) lifetime() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil {
		s.ctx, s.stop = context.WithCancel(context.Background())
	}
	return s.ctx
}

// call is one request to a method, as handlers see it.
type call struct {
	ctx   context.Context
	s     *Server
	bot   store.User
	state *botState
	p     *params
	// known are users loaded while serving the call, for the answer.
	known map[int64]store.User
}

// remember keeps a user the call loaded, so the answer need not load it
// again.
func (c *call) remember(u store.User) {
	if c.known == nil {
		c.known = map[int64]store.User{}
	}
	c.known[u.ID] = u
}

// handler is a method; it returns the result, or an error that fromCore
// turns into the answer.
type handler func(c *call) (any, error)

// described is a result that comes with a description (setWebhook).
type described struct {
	result      any
	description string
}

// ServeHTTP routes /bot<token>/<method> and /file/bot<token>/<path>.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		writeError(w, &Error{Code: 501, Description: "Not Implemented"})
		return
	}
	path := r.URL.Path
	if strings.HasPrefix(path, "/file/bot") {
		writeError(w, errNotFound) // no files are stored yet
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	if !ok {
		writeError(w, errNotFound)
		return
	}
	token, method, _ := strings.Cut(rest, "/")
	method = strings.TrimPrefix(method, "test/")
	if !wellFormedToken(token) || strings.Contains(method, "/") {
		writeError(w, errNotFound)
		return
	}
	p, err := readParams(r)
	if err != nil {
		writeError(w, fromCore(err))
		return
	}
	if method == "" {
		method = p.get("method")
	}
	h := methods[strings.ToLower(method)]
	bot, err := s.Core.BotByToken(r.Context(), token)
	if err != nil {
		writeError(w, errUnauthorized)
		return
	}
	if h == nil {
		writeError(w, errNotFound)
		return
	}
	s.serve(w, &call{ctx: r.Context(), s: s, bot: bot, state: s.state(bot.ID), p: p}, h)
}

func (s *Server) serve(w http.ResponseWriter, c *call, h handler) {
	res, err := h(c)
	if err != nil {
		e := fromCore(err)
		if e.Code >= 500 {
			s.log().Error("bot api call failed", "bot", c.bot.ID, "err", err)
		}
		writeError(w, e)
		return
	}
	if d, ok := res.(described); ok {
		writeResult(w, d.result, d.description)
		return
	}
	writeResult(w, res, "")
}

// wellFormedToken applies the official server's checks: "<id>:<secret>",
// a positive id below 2^54 not starting with 0, at most 80 characters.
func wellFormedToken(t string) bool {
	id, secret, ok := strings.Cut(t, ":")
	if !ok || len(t) > 80 || id == "" || id[0] == '0' || secret == "" {
		return false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return err == nil && n > 0 && n < 1<<54
}
