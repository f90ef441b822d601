package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/roostchat/roost/tg"
)

// botAPIConfig is the botapi scenario.
type botAPIConfig struct {
	bots    []int // concurrent bots of each sendMessage row
	samples int   // user→bot latency samples
}

func newBotAPICmd() *cobra.Command {
	var (
		c    common
		bc   botAPIConfig
		bots string
	)
	cmd := &cobra.Command{
		Use:   "botapi",
		Short: "Bot API sendMessage requests per second (keep-alive) beside a plain JSON handler, and user→bot latency through a long poll",
		Long: `botapi creates bots on the server (roost bot create on its data
directory: use --spawn, or --data and --roost-bin), signs up one user over
MTProto who starts every bot, then measures:

  - sendMessage to that user, over keep-alive HTTP, with 1 and 50 bots
    (--bots) sending at once, each as fast as it is answered; beside it the
    same load on a minimal Go HTTP handler (a child process) that answers
    every request with a JSON body of the size of a sendMessage answer;
  - user→bot latency: the user sends a message over MTProto, a bot's
    getUpdates long poll returns it (--samples messages, one at a time).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if bc.bots, err = parseInts(bots); err != nil {
				return fmt.Errorf("--bots: %w", err)
			}
			if err := c.validate(); err != nil {
				return err
			}
			ctx, stop := signalContext()
			defer stop()
			return withServer(ctx, &c, func(s *roostServer) error {
				ts, err := runBotAPI(ctx, &c, bc, s)
				if err != nil {
					return err
				}
				return c.output(cmd.OutOrStdout(), ts)
			})
		},
	}
	c.register(cmd, 5*time.Second, "how long each sendMessage row runs")
	cmd.Flags().StringVar(&bots, "bots", "1,50", "bots sending at once, comma-separated: one row each")
	cmd.Flags().IntVar(&bc.samples, "samples", 300, "user→bot latency samples")
	return cmd
}

// loadBot is one bot of the run.
type loadBot struct {
	token    string
	username string
	id       int64
}

func runBotAPI(ctx context.Context, c *common, bc botAPIConfig, s *roostServer) ([]*table, error) {
	if s.http == "" || s.bin == "" || s.data == "" {
		return nil, errors.New("botapi needs the server's --http, --data and --roost-bin (or --spawn)")
	}
	n := 1
	for _, b := range bc.bots {
		n = max(n, b)
	}
	bots, err := createBots(ctx, s, n)
	if err != nil {
		return nil, err
	}
	user, err := signUp(ctx, endpoint{name: "roost", addr: s.addr, pub: s.pub, pid: s.pid})
	if err != nil {
		return nil, err
	}
	defer user.conn.close()
	for _, b := range bots {
		if err := startBot(ctx, user, b); err != nil {
			return nil, err
		}
	}
	base := "http://" + s.http
	body, err := sendOnce(base, bots[0], user.self.ID)
	if err != nil {
		return nil, err
	}
	echo, err := startChild("json-server", "--size", strconv.Itoa(len(body)))
	if err != nil {
		return nil, err
	}
	defer echo.stop()
	rate := &table{title: "Bot API sendMessage, keep-alive HTTP/1.1",
		header: []string{"server", "bots", "requests", "req/s", "vs JSON handler", "server CPU/req", "p50", "p99", "errors"}}
	for _, k := range bc.bots {
		plain, err := hammer(ctx, "http://"+echo.addr+"/bot0:x/sendMessage", bots[:k], user.self.ID, c.duration, c.n, echo.pid)
		if err != nil {
			return nil, err
		}
		roost, err := hammer(ctx, base, bots[:k], user.self.ID, c.duration, c.n, s.pid)
		if err != nil {
			return nil, err
		}
		rate.add("roost", strconv.Itoa(k), strconv.FormatInt(roost.ok, 10), fmtRate(roost.ok, roost.elapsed),
			fmt.Sprintf("%.2f", roost.rate()/plain.rate()), fmtDur(perOp(roost.cpu, roost.ok)),
			fmtDur(percentile(roost.lat, 0.5)), fmtDur(percentile(roost.lat, 0.99)), strconv.FormatInt(roost.errors, 10))
		rate.add("JSON handler", strconv.Itoa(k), strconv.FormatInt(plain.ok, 10), fmtRate(plain.ok, plain.elapsed),
			"1.00", fmtDur(perOp(plain.cpu, plain.ok)), fmtDur(percentile(plain.lat, 0.5)),
			fmtDur(percentile(plain.lat, 0.99)), strconv.FormatInt(plain.errors, 10))
	}
	rate.note("each bot sends to the same signed-up user; the JSON handler answers %d bytes, the size of a sendMessage answer", len(body))
	lat, err := userToBot(ctx, base, bots[0], user, bc.samples)
	if err != nil {
		return nil, err
	}
	lt := &table{title: "user → bot latency (MTProto messages.sendMessage → getUpdates long poll returns)",
		header: []string{"samples", "p50", "p99", "max"}}
	lt.add(strconv.Itoa(len(lat)), fmtDur(percentile(lat, 0.5)), fmtDur(percentile(lat, 0.99)), fmtDur(percentile(lat, 1)))
	return []*table{rate, lt}, nil
}

// createBots runs roost bot create n times on the server's data.
func createBots(ctx context.Context, s *roostServer, n int) ([]*loadBot, error) {
	stamp := time.Now().UnixNano() % 1_000_000_000
	out := make([]*loadBot, 0, n)
	for i := range n {
		name := fmt.Sprintf("load%d_%dbot", stamp, i)
		b, err := exec.CommandContext(ctx, s.bin, "bot", "create", "--data", s.data, "--username", name, "--name", "Load").Output()
		if err != nil {
			return nil, fmt.Errorf("roost bot create: %w", err)
		}
		token := strings.TrimSpace(string(b))
		id, _, _ := strings.Cut(token, ":")
		bid, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("roost bot create printed %q, want a token", token)
		}
		out = append(out, &loadBot{token: token, username: name, id: bid})
	}
	return out, nil
}

// startBot resolves the bot and sends it /start, so it may write back.
func startBot(ctx context.Context, ch *chatter, b *loadBot) error {
	peer, err := resolveBot(ctx, ch, b)
	if err != nil {
		return err
	}
	_, err = ch.conn.call(ctx, &tg.MessagesSendMessageRequest{Peer: peer, Message: "/start", RandomID: time.Now().UnixNano()})
	if err != nil {
		return fmt.Errorf("messages.sendMessage /start: %w", err)
	}
	return nil
}

func resolveBot(ctx context.Context, ch *chatter, b *loadBot) (*tg.InputPeerUser, error) {
	o, err := ch.conn.call(ctx, &tg.ContactsResolveUsernameRequest{Username: b.username})
	if err != nil {
		return nil, fmt.Errorf("contacts.resolveUsername %s: %w", b.username, err)
	}
	rp, ok := o.(*tg.ContactsResolvedPeer)
	if !ok {
		return nil, fmt.Errorf("contacts.resolveUsername: answer %T", o)
	}
	for _, u := range rp.Users {
		if u, ok := u.(*tg.User); ok && u.ID == b.id {
			return &tg.InputPeerUser{UserID: u.ID, AccessHash: u.AccessHash}, nil
		}
	}
	return nil, fmt.Errorf("contacts.resolveUsername %s: bot not in the answer", b.username)
}

var httpClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 1024}}

// sendOnce sends one message and returns the answer's body.
func sendOnce(base string, b *loadBot, chat int64) ([]byte, error) {
	resp, err := httpClient.PostForm(base+"/bot"+b.token+"/sendMessage",
		url.Values{"chat_id": {strconv.FormatInt(chat, 10)}, "text": {"roostload"}})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("sendMessage: %s", body)
	}
	return body, nil
}

// hammerResult is one row of sendMessage load.
type hammerResult struct {
	ok, errors int64
	elapsed    time.Duration
	cpu        time.Duration
	lat        []time.Duration
}

func (r hammerResult) rate() float64 { return float64(r.ok) / r.elapsed.Seconds() }

// hammer has each bot send messages back to back for d (or limit in
// all) and measures the server process's CPU.
func hammer(ctx context.Context, base string, bots []*loadBot, chat int64, d time.Duration, limit int64, pid int) (hammerResult, error) {
	var (
		res   hammerResult
		mu    sync.Mutex
		count atomic.Int64
		wg    sync.WaitGroup
	)
	form := "chat_id=" + strconv.FormatInt(chat, 10) + "&text=roostload"
	cpu0, _ := procCPU(pid)
	start := time.Now()
	until := start.Add(d)
	for _, b := range bots {
		target := base
		if !strings.Contains(base, "/bot") {
			target = base + "/bot" + b.token + "/sendMessage"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var ok, bad int64
			for time.Now().Before(until) && ctx.Err() == nil && (limit == 0 || count.Add(1) <= limit) {
				t0 := time.Now()
				resp, err := httpClient.Post(target, "application/x-www-form-urlencoded", strings.NewReader(form))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if err != nil || resp.StatusCode != http.StatusOK {
					bad++
					continue
				}
				ok++
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			res.ok += ok
			res.errors += bad
			res.lat = append(res.lat, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	if cpu1, err := procCPU(pid); err == nil {
		res.cpu = cpu1 - cpu0
	}
	return res, ctx.Err()
}

// userToBot measures how long a user's message takes to come out of the
// bot's long poll, one message at a time.
func userToBot(ctx context.Context, base string, b *loadBot, ch *chatter, samples int) ([]time.Duration, error) {
	peer, err := resolveBot(ctx, ch, b)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	got := make(chan time.Time, 16)
	offset, err := drainUpdates(ctx, base, b)
	if err != nil {
		return nil, err
	}
	go func() {
		for ctx.Err() == nil {
			ups, next, err := poll(ctx, base, b, offset, 30)
			if err != nil {
				return
			}
			offset = next
			for range ups {
				got <- time.Now()
			}
		}
	}()
	var lat []time.Duration
	for i := range samples {
		t0 := time.Now()
		_, err := ch.conn.call(ctx, &tg.MessagesSendMessageRequest{Peer: peer, Message: "ping " + strconv.Itoa(i),
			RandomID: t0.UnixNano()})
		if err != nil {
			return nil, fmt.Errorf("messages.sendMessage: %w", err)
		}
		select {
		case at := <-got:
			lat = append(lat, at.Sub(t0))
		case <-time.After(10 * time.Second):
			return nil, errors.New("the bot's long poll returned nothing in 10 s")
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return lat, nil
}

// drainUpdates confirms everything queued and returns the next offset.
func drainUpdates(ctx context.Context, base string, b *loadBot) (int64, error) {
	var offset int64
	for {
		ups, next, err := poll(ctx, base, b, offset, 0)
		if err != nil || len(ups) == 0 {
			return next, err
		}
		offset = next
	}
}

// poll calls getUpdates and returns the updates and the next offset.
func poll(ctx context.Context, base string, b *loadBot, offset int64, timeout int) ([]json.RawMessage, int64, error) {
	u := fmt.Sprintf("%s/bot%s/getUpdates?offset=%d&timeout=%d", base, b.token, offset, timeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, offset, err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, offset, err
	}
	defer resp.Body.Close()
	var env struct {
		OK     bool              `json:"ok"`
		Result []json.RawMessage `json:"result"`
		Desc   string            `json:"description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return nil, offset, err
	}
	if !env.OK {
		return nil, offset, fmt.Errorf("getUpdates: %s", env.Desc)
	}
	for _, r := range env.Result {
		var u struct {
			UpdateID int64 `json:"update_id"`
		}
		if json.Unmarshal(r, &u) == nil && u.UpdateID >= offset {
			offset = u.UpdateID + 1
		}
	}
	return env.Result, offset, nil
}

// newJSONServerCmd is the baseline: the least an HTTP JSON API server
// in Go does per request.
func newJSONServerCmd() *cobra.Command {
	var (
		listen string
		size   int
	)
	cmd := &cobra.Command{
		Use:    "json-server",
		Short:  "Run the plain Go JSON handler baseline (started by roostload botapi)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ln, err := listenChild(listen)
			if err != nil {
				return err
			}
			body := jsonBody(size)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.ParseForm()
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				w.Write(body)
			})
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
			return serveUntilSignal(ln, sig, func(ln net.Listener) error { return http.Serve(ln, h) })
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:0", "loopback address to listen on")
	cmd.Flags().IntVar(&size, "size", 300, "bytes of the JSON body")
	return cmd
}

// jsonBody is a valid JSON object of exactly size bytes (at least 30).
func jsonBody(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"ok":true,"result":"`)
	for b.Len() < size-2 {
		b.WriteByte('x')
	}
	b.WriteString(`"}`)
	return b.Bytes()
}
