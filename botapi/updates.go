package botapi

import (
	"encoding/json"
	"slices"
	"time"
)

// Limits of getUpdates, as the official server clamps them.
const (
	maxUpdatesLimit = 100
	maxPollTimeout  = 50 // seconds
	maxOffsetAhead  = 10 // how far past the next update_id an offset is honoured
)

var (
	errPollConflict    = &Error{Code: 409, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
	errWebhookActive   = &Error{Code: 409, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	errSetWebhookPoll  = &Error{Code: 409, Description: "Conflict: terminated by setWebhook request"}
	errAllowedUpdates  = badRequest("can't parse allowed updates JSON array")
	defaultUpdateKinds = []string{"message", "edited_message", "channel_post", "edited_channel_post",
		"business_connection", "business_message", "edited_business_message", "deleted_business_messages",
		"inline_query", "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query",
		"purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_join_request", "chat_boost",
		"removed_chat_boost"}
)

// allowedUpdates reads the allowed_updates parameter: nil when absent
// (keep the setting), the default set for an empty or unknown list.
func allowedUpdates(p *params) ([]string, bool, error) {
	raw, ok := p.lookup("allowed_updates")
	if !ok || raw == "" {
		return nil, false, nil
	}
	var kinds []string
	if err := json.Unmarshal([]byte(raw), &kinds); err != nil {
		return nil, false, errAllowedUpdates
	}
	var known []string
	for _, k := range kinds {
		if slices.Contains(defaultUpdateKinds, k) || k == "chat_member" || k == "message_reaction" || k == "message_reaction_count" {
			if !slices.Contains(known, k) {
				known = append(known, k)
			}
		}
	}
	return known, true, nil
}

// allows reports whether a bot's setting lets updates of kind through.
func allows(set []string, kind string) bool {
	if len(set) == 0 {
		return slices.Contains(defaultUpdateKinds, kind)
	}
	return slices.Contains(set, kind)
}

// getUpdates is long polling: confirm what is below offset, answer what
// is queued, or wait up to timeout seconds for something to arrive.
func getUpdates(c *call) (any, error) {
	q := c.s.Core.Store.BotAPI()
	set, err := q.Settings(c.ctx, c.bot.ID)
	if err != nil {
		return nil, err
	}
	if set.WebhookURL != "" {
		return nil, errWebhookActive
	}
	if kinds, ok, err := allowedUpdates(c.p); err != nil {
		return nil, err
	} else if ok {
		set.AllowedUpdates = kinds
		if err := q.SetSettings(c.ctx, set); err != nil {
			return nil, err
		}
	}
	offset := c.p.int64("offset", 0)
	limit := int(c.p.clamped("limit", maxUpdatesLimit, 1, maxUpdatesLimit))
	timeout := time.Duration(c.p.clamped("timeout", 0, 0, maxPollTimeout)) * time.Second
	// Updates are read from the head of the queue: below offset they are
	// confirmed, or, for an offset in the future, kept.
	switch {
	case offset < 0:
		if err := q.KeepLast(c.ctx, c.bot.ID, int(min(-offset, 1<<20))); err != nil {
			return nil, err
		}
	case offset > 0:
		// The official queue ignores an offset more than maxOffsetAhead
		// past its next id: it answers from the head, confirming nothing.
		// An update with an id of at least offset-maxOffsetAhead-1 shows
		// the offset is not that far; an empty queue has nothing to lose.
		near, err := q.Updates(c.ctx, c.bot.ID, offset-maxOffsetAhead-1, 1, time.Now())
		if err != nil {
			return nil, err
		}
		if len(near) > 0 {
			if err := q.Confirm(c.ctx, c.bot.ID, offset); err != nil {
				return nil, err
			}
		}
	}
	ended := c.state.startPoll()
	defer c.state.endPoll(ended)
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		wake := c.state.signal() // before reading, so no wake is missed
		out, err := c.s.pending(c, set.AllowedUpdates, 0, limit)
		if err != nil || len(out) > 0 || timeout == 0 {
			return out, err
		}
		select {
		case <-wake:
		case <-deadline.C:
			return []Update{}, nil
		case <-ended:
			return nil, c.state.pollEndError()
		case <-c.ctx.Done():
			return nil, c.ctx.Err()
		case <-c.s.lifetime().Done():
			return []Update{}, nil // shutting down: nothing was confirmed
		}
	}
}

// pending reads and converts up to limit queued updates from id from,
// skipping (and confirming) those not allowed or gone.
func (s *Server) pending(c *call, allowed []string, from int64, limit int) ([]Update, error) {
	q := s.Core.Store.BotAPI()
	ups, err := q.Updates(c.ctx, c.bot.ID, from, limit, time.Now())
	if err != nil {
		return nil, err
	}
	v := newView(c)
	out := make([]Update, 0, len(ups))
	for len(ups) > 0 {
		for _, u := range ups {
			if !allows(allowed, u.Kind) {
				continue
			}
			if j, ok := v.update(u); ok {
				out = append(out, j)
			}
		}
		if len(out) > 0 || len(ups) < limit {
			break
		}
		// All skipped: look further, they are confirmed with the next offset.
		if ups, err = q.Updates(c.ctx, c.bot.ID, ups[len(ups)-1].ID+1, limit, time.Now()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// startPoll ends the running long poll of the bot (409) and returns the
// channel that ends this one.
func (b *botState) startPoll() chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.poll != nil {
		close(b.poll)
	}
	b.poll = make(chan struct{})
	b.pollErr = errPollConflict
	return b.poll
}

func (b *botState) endPoll(ch chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.poll == ch {
		b.poll = nil
	}
}

// stopPoll ends the running long poll with err (setWebhook, close).
func (b *botState) stopPoll(err *Error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.poll != nil {
		b.pollErr = err
		close(b.poll)
		b.poll = nil
	}
}

func (b *botState) pollEndError() *Error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.pollErr
}
