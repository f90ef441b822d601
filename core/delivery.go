package core

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Delivery sends a login code to the person who owns phone. It reports
// how the code went out, which decides the auth.sentCode type a client
// shows.
type Delivery interface {
	Deliver(ctx context.Context, phone, code string) (Channel, error)
}

// Channel is how a login code was delivered.
type Channel int

// Channels of delivery.
const (
	// ChannelApp: as a message from 777000 in the user's other sessions.
	ChannelApp Channel = iota
	// ChannelSMS: by the operator's hook (SMS, e-mail, chat...).
	ChannelSMS
)

// Webhook delivers codes by POSTing {"phone": ..., "code": ...} as JSON
// to an operator's URL, which forwards them by SMS, e-mail or chat.
type Webhook struct {
	URL    string
	Client *http.Client
}

// Deliver posts {"phone", "code"}; any answer but 2xx is an error.
func (w *Webhook) Deliver(ctx context.Context, phone, code string) (Channel, error) {
	return ChannelSMS, w.post(ctx, map[string]string{"phone": phone, "code": code})
}

// DeliverEmail posts {"email", "code"} (recovery e-mail of 2FA).
func (w *Webhook) DeliverEmail(ctx context.Context, email, code string) error {
	return w.post(ctx, map[string]string{"email": email, "code": code})
}

func (w *Webhook) post(ctx context.Context, v map[string]string) error {
	body, _ := json.Marshal(v)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	cl := w.Client
	if cl == nil {
		cl = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := cl.Do(req)
	if err != nil {
		return fmt.Errorf("code webhook: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("code webhook: status %d", resp.StatusCode)
	}
	return nil
}
