package botapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

// deliver posts the bot's queued updates to its webhook until stopped.
// Updates are grouped as the official server groups them — by chat, and
// callback queries by user — and each group is posted strictly in order,
// up to max_connections groups at once. An update leaves the queue once
// it and every update before it were answered 2xx. A group whose post
// fails is retried with back-off; the other groups go on meanwhile.
func (s *Server) deliver(ctx context.Context, b *botState, h *webhook) {
	q := s.Core.Store.BotAPI()
	delivered := map[int64]bool{}  // posted, not yet confirmed
	retries := map[string]*retry{} // groups backing off, by key
	for ctx.Err() == nil {
		wake := b.signal()
		ups, err := q.Updates(ctx, b.id, 0, webhookBatch, time.Now())
		if err != nil {
			s.log().Warn("webhook: read queue", "bot", b.id, "err", err)
			sleep(ctx, time.Second)
			continue
		}
		var todo []store.BotUpdate
		for _, u := range ups {
			if !delivered[u.ID] {
				todo = append(todo, u)
			}
		}
		now := time.Now()
		var ready []group
		next := time.Time{} // the earliest retry still ahead
		for _, g := range groupUpdates(todo) {
			if r := retries[g.key]; r != nil && now.Before(r.at) {
				if next.IsZero() || r.at.Before(next) {
					next = r.at
				}
				continue
			}
			ready = append(ready, g)
		}
		failed := s.postGroups(ctx, b, h, ready, delivered)
		for _, g := range ready {
			err, bad := failed[g.key]
			if !bad {
				delete(retries, g.key)
				continue
			}
			s.webhookFailed(ctx, b.id, err)
			r := retries[g.key]
			if r == nil {
				r = &retry{}
				retries[g.key] = r
			}
			r.attempt++
			r.at = time.Now().Add(retryAfter(err, r.attempt))
			if next.IsZero() || r.at.Before(next) {
				next = r.at
			}
		}
		s.confirmDelivered(ctx, b.id, ups, delivered)
		if len(ready) > 0 && len(failed) < len(ready) {
			continue // progress: look for more at once
		}
		waitFor(ctx, wake, next)
	}
}

// retry is the back-off of one group.
type retry struct {
	attempt int
	at      time.Time
}

// retryAfter is the wait before the next attempt: the Retry-After the
// webhook answered, or the back-off of the attempt.
func retryAfter(err error, attempt int) time.Duration {
	var later *retryLater
	if errors.As(err, &later) {
		return later.after
	}
	return retryDelay(attempt)
}

// waitFor waits for a wake, for the time next (unless zero) or for ctx.
func waitFor(ctx context.Context, wake <-chan struct{}, next time.Time) {
	var timer <-chan time.Time
	if !next.IsZero() {
		t := time.NewTimer(time.Until(next))
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-wake:
	case <-timer:
	case <-ctx.Done():
	}
}

// group is one delivery queue: updates of one chat (or one user's
// callback queries) in update_id order.
type group struct {
	key string
	ups []store.BotUpdate
}

// postGroups posts the groups, at most max_connections at once, marking
// each update delivered; it returns the failure of each group that had
// one (the rest of that group waits for its retry).
func (s *Server) postGroups(ctx context.Context, b *botState, h *webhook, groups []group, delivered map[int64]bool) map[string]error {
	var (
		mu     sync.Mutex
		failed = map[string]error{}
		wg     sync.WaitGroup
	)
	sem := make(chan struct{}, max(1, h.set.MaxConnections))
	for _, g := range groups {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			c := &call{ctx: ctx, s: s, bot: store.User{ID: b.id}, state: b}
			v := newView(c)
			for _, u := range g.ups {
				if ctx.Err() != nil {
					return
				}
				if j, ok := v.update(u); ok && allows(h.set.AllowedUpdates, u.Kind) {
					if err := s.post(ctx, c, h, j); err != nil {
						mu.Lock()
						failed[g.key] = err
						mu.Unlock()
						return
					}
				}
				mu.Lock()
				delivered[u.ID] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return failed
}

// groupUpdates splits updates into the official server's queues, each
// in update_id order: messages by chat, callback queries by user.
func groupUpdates(ups []store.BotUpdate) []group {
	index := map[string]int{}
	var groups []group
	for _, u := range ups {
		key := "update:" + strconv.FormatInt(u.ID, 10)
		if e, err := core.DecodeBotEvent(u.Payload); err == nil {
			switch {
			case e.Callback != nil:
				key = "user:" + strconv.FormatInt(e.Callback.From, 10)
			case e.Peer != nil:
				key = "chat:" + strconv.FormatInt(chatID(*e.Peer), 10)
			}
		}
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, group{key: key})
		}
		groups[i].ups = append(groups[i].ups, u)
	}
	return groups
}

// confirmDelivered drops from the queue the delivered updates below the
// first one not delivered yet, and forgets them, and those that left the
// queue otherwise (expired).
func (s *Server) confirmDelivered(ctx context.Context, bot int64, ups []store.BotUpdate, delivered map[int64]bool) {
	if len(ups) == 0 {
		clear(delivered)
		return
	}
	below := int64(0)
	for _, u := range ups {
		if !delivered[u.ID] {
			break
		}
		below = u.ID + 1
	}
	if below != 0 {
		if err := s.Core.Store.BotAPI().Confirm(ctx, bot, below); err != nil {
			s.log().Warn("webhook: confirm", "bot", bot, "err", err)
			below = 0
		}
	}
	queued := make(map[int64]bool, len(ups))
	for _, u := range ups {
		queued[u.ID] = true
	}
	last := ups[len(ups)-1].ID
	for id := range delivered {
		if id < below || id <= last && !queued[id] {
			delete(delivered, id)
		}
	}
}

// retryDelay: the first retry at once, then 2, 4, 8... s, at most about
// a minute, as the official server backs off.
func retryDelay(attempt int) time.Duration {
	if attempt <= 1 {
		return 0
	}
	d := time.Second << min(attempt-1, 6)
	if d > maxRetryDelay {
		d = maxRetryDelay + time.Duration(rand.Int64N(int64(maxRetryDelay)))
	}
	return d
}

func sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// post sends one update and runs a method the bot put in its answer.
func (s *Server) post(ctx context.Context, c *call, h *webhook, u Update) error {
	set := h.set
	body, err := json.Marshal(u)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, set.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if set.SecretToken != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", set.SecretToken)
	}
	if url, err := url.Parse(set.WebhookURL); err == nil && url.User != nil {
		pw, _ := url.User.Password()
		req.SetBasicAuth(url.User.Username(), pw)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return fmt.Errorf("Connection refused")
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxBodySize))
	if resp.StatusCode/100 != 2 {
		err := fmt.Errorf("Wrong response from the webhook: %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
		if n, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && n > 0 {
			return &retryLater{err: err, after: time.Duration(min(n, maxRetryAfter)) * time.Second}
		}
		return err
	}
	s.answerInReply(c, resp.Header.Get("Content-Type"), answer)
	return nil
}

// answerInReply runs the method a webhook's answer carries, except the
// ones the official server refuses there; its result goes nowhere.
func (s *Server) answerInReply(c *call, contentType string, body []byte) {
	if len(body) == 0 {
		return
	}
	r, err := http.NewRequestWithContext(c.ctx, http.MethodPost, "/", bytes.NewReader(body))
	if err != nil {
		return
	}
	r.Header.Set("Content-Type", contentType)
	p, err := readParams(r)
	if err != nil {
		return
	}
	name := strings.ToLower(p.get("method"))
	h := methods[name]
	if h == nil || strings.HasPrefix(name, "get") || name == "setwebhook" || name == "deletewebhook" ||
		name == "close" || name == "logout" {
		return
	}
	bot, err := s.Core.User(c.ctx, c.bot.ID)
	if err != nil {
		return
	}
	h(&call{ctx: c.ctx, s: s, bot: bot, state: c.state, p: p})
}

// webhookFailed records the last delivery error for getWebhookInfo.
func (s *Server) webhookFailed(ctx context.Context, bot int64, cause error) {
	q := s.Core.Store.BotAPI()
	set, err := q.Settings(ctx, bot)
	if err != nil || set.WebhookURL == "" {
		return
	}
	set.LastErrorDate, set.LastErrorMessage = time.Now(), cause.Error()
	if err := q.SetSettings(ctx, set); err != nil {
		s.log().Warn("webhook: record error", "bot", bot, "err", err)
	}
}
