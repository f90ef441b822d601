package botapi

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/roostchat/roost/store"
)

// Webhook limits and texts, as the official server has them.
const (
	defaultMaxConnections = 40
	maxMaxConnections     = 100
	maxSecretToken        = 256
	webhookTimeout        = 60 * time.Second
	maxRetryDelay         = 60 * time.Second
	webhookBatch          = 100
)

var (
	errWebhookURL    = badRequest("invalid webhook URL specified")
	errSecretLong    = badRequest("secret token is too long")
	errSecretChars   = badRequest("secret token contains unallowed characters")
	errWebhookIP     = badRequest("invalid IP address specified")
	secretTokenChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
)

// webhook delivers one bot's updates to its URL, one at a time in
// update_id order, until stopped.
type webhook struct {
	set    store.BotSettings
	client *http.Client
	cancel context.CancelFunc
	done   chan struct{}
}

// maxRetryAfter caps the Retry-After a webhook may ask for, in seconds.
const maxRetryAfter = 3600

// retryLater is a failed delivery whose answer said when to try again.
type retryLater struct {
	err   error
	after time.Duration
}

func (r *retryLater) Error() string { return r.err.Error() }

// webhookClient is the HTTP client of one webhook: Server.Client, or one
// that connects to the fixed ip_address instead of resolving the host.
func (s *Server) webhookClient(set store.BotSettings) *http.Client {
	if s.Client != nil {
		return s.Client
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if set.IPAddress != "" {
		var d net.Dialer
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return d.DialContext(ctx, network, net.JoinHostPort(set.IPAddress, port))
		}
	}
	return &http.Client{Timeout: webhookTimeout, Transport: tr}
}

// setWebhook sets, replaces or (with an empty url) removes the webhook.
// Like the official server in local mode, it accepts plain HTTP and any
// host and port: Roost runs beside the bots it serves.
func setWebhook(c *call) (any, error) {
	raw := strings.TrimSpace(c.p.get("url"))
	if raw == "" {
		return deleteWebhookWith(c, c.p.bool("drop_pending_updates"))
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errWebhookURL
	}
	secret := c.p.get("secret_token")
	if len(secret) > maxSecretToken {
		return nil, errSecretLong
	}
	for _, ch := range secret {
		if !strings.ContainsRune(secretTokenChars, ch) {
			return nil, errSecretChars
		}
	}
	ip := c.p.get("ip_address")
	if ip != "" && !validIPv4(ip) {
		return nil, errWebhookIP
	}
	q := c.s.Core.Store.BotAPI()
	set, err := q.Settings(c.ctx, c.bot.ID)
	if err != nil {
		return nil, err
	}
	next := set
	next.WebhookURL, next.SecretToken, next.IPAddress = raw, secret, ip
	next.MaxConnections = int(c.p.clamped("max_connections", defaultMaxConnections, 1, maxMaxConnections))
	if kinds, ok, err := allowedUpdates(c.p); err != nil {
		return nil, err
	} else if ok {
		next.AllowedUpdates = kinds
	}
	drop := c.p.bool("drop_pending_updates")
	if drop {
		if err := q.KeepLast(c.ctx, c.bot.ID, 0); err != nil {
			return nil, err
		}
	}
	if sameWebhook(set, next) {
		return described{true, "Webhook is already set"}, nil
	}
	next.LastErrorDate, next.LastErrorMessage = time.Time{}, ""
	if err := q.SetSettings(c.ctx, next); err != nil {
		return nil, err
	}
	c.state.stopPoll(errSetWebhookPoll)
	c.s.startWebhook(c.state, next)
	return described{true, "Webhook was set"}, nil
}

func sameWebhook(a, b store.BotSettings) bool {
	return a.WebhookURL == b.WebhookURL && a.SecretToken == b.SecretToken && a.IPAddress == b.IPAddress &&
		a.MaxConnections == b.MaxConnections && strings.Join(a.AllowedUpdates, ",") == strings.Join(b.AllowedUpdates, ",")
}

func validIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 || p == "" {
			return false
		}
	}
	return true
}

func deleteWebhook(c *call) (any, error) {
	return deleteWebhookWith(c, c.p.bool("drop_pending_updates"))
}

func deleteWebhookWith(c *call, drop bool) (any, error) {
	q := c.s.Core.Store.BotAPI()
	set, err := q.Settings(c.ctx, c.bot.ID)
	if err != nil {
		return nil, err
	}
	if drop {
		if err := q.KeepLast(c.ctx, c.bot.ID, 0); err != nil {
			return nil, err
		}
	}
	c.s.stopWebhook(c.state)
	if set.WebhookURL == "" {
		return described{true, "Webhook is already deleted"}, nil
	}
	set.WebhookURL, set.SecretToken, set.IPAddress, set.MaxConnections = "", "", "", 0
	set.LastErrorDate, set.LastErrorMessage = time.Time{}, ""
	if err := q.SetSettings(c.ctx, set); err != nil {
		return nil, err
	}
	return described{true, "Webhook was deleted"}, nil
}

func getWebhookInfo(c *call) (any, error) {
	q := c.s.Core.Store.BotAPI()
	set, err := q.Settings(c.ctx, c.bot.ID)
	if err != nil {
		return nil, err
	}
	n, err := q.Pending(c.ctx, c.bot.ID, time.Now())
	if err != nil {
		return nil, err
	}
	info := WebhookInfo{URL: set.WebhookURL, PendingUpdateCount: n, AllowedUpdates: set.AllowedUpdates}
	if set.WebhookURL != "" {
		info.MaxConnections = set.MaxConnections
		info.IPAddress = set.IPAddress
		if info.IPAddress == "" {
			info.IPAddress = resolvedIP(set.WebhookURL)
		}
	}
	if !set.LastErrorDate.IsZero() {
		info.LastErrorDate, info.LastErrorMessage = set.LastErrorDate.Unix(), set.LastErrorMessage
	}
	return info, nil
}

// resolvedIP is the address a webhook's host resolves to, as
// getWebhookInfo shows it.
func resolvedIP(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unknown>"
	}
	host := u.Hostname()
	if validIPv4(host) {
		return host
	}
	if host == "localhost" {
		return "127.0.0.1"
	}
	return "<unknown>"
}

// startWebhook (re)starts the sender of a bot.
func (s *Server) startWebhook(b *botState, set store.BotSettings) {
	s.stopWebhook(b)
	ctx, cancel := context.WithCancel(s.lifetime())
	h := &webhook{set: set, client: s.webhookClient(set), cancel: cancel, done: make(chan struct{})}
	b.mu.Lock()
	b.hook = h
	b.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(h.done)
		s.deliver(ctx, b, h)
	}()
}

// stopWebhook stops the sender of a bot, if any, and waits for it.
func (s *Server) stopWebhook(b *botState) {
	b.mu.Lock()
	h := b.hook
	b.hook = nil
	b.mu.Unlock()
	if h != nil {
		h.cancel()
		<-h.done
		h.client.CloseIdleConnections()
	}
}
