package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/tg"
)

func historyIDs(t *testing.T, r tg.MessagesMessagesClass) []int {
	t.Helper()
	var ms []tg.MessageClass
	switch v := r.(type) {
	case *tg.MessagesMessages:
		ms = v.Messages
	case *tg.MessagesMessagesSlice:
		ms = v.Messages
	default:
		t.Fatalf("history answer %T", r)
	}
	ids := make([]int, len(ms))
	for i, m := range ms {
		ids[i] = m.(*tg.Message).ID
	}
	return ids
}

// TestHistoryPaging: a 10,000-message history paged backwards with
// offset_id and forwards with a negative add_offset yields every message
// exactly once, in order.
func TestHistoryPaging(t *testing.T) {
	s := startServer(t)
	const n, page = 10000, 100
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996626101"); err != nil {
			return err
		}
		self := &tg.InputPeerSelf{}
		for i := 0; i < n; i++ {
			if _, err := c.API().MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: self,
				Message: fmt.Sprintf("note %d", i), RandomID: rid()}); err != nil {
				return err
			}
		}
		// Backwards from the newest.
		var back []int
		offset := 0
		for {
			r, err := c.API().MessagesGetHistory(ctx, &tg.MessagesGetHistoryRequest{Peer: self, OffsetID: offset, Limit: page})
			if err != nil {
				return err
			}
			ids := historyIDs(t, r)
			if len(ids) == 0 {
				break
			}
			if s, ok := r.(*tg.MessagesMessagesSlice); ok && s.Count != n {
				t.Errorf("count %d, want %d", s.Count, n)
			}
			back = append(back, ids...)
			offset = ids[len(ids)-1]
		}
		if len(back) != n {
			t.Fatalf("backwards: %d messages, want %d", len(back), n)
		}
		for i := 1; i < n; i++ {
			if back[i] >= back[i-1] {
				t.Fatalf("backwards order broken at %d: %d then %d", i, back[i-1], back[i])
			}
		}
		// Forwards from the oldest: add_offset = -limit takes the page at
		// and above offset_id.
		var fwd []int
		offset = back[n-1]
		for {
			r, err := c.API().MessagesGetHistory(ctx, &tg.MessagesGetHistoryRequest{Peer: self, OffsetID: offset,
				AddOffset: -page, Limit: page})
			if err != nil {
				return err
			}
			ids := historyIDs(t, r)
			if len(ids) == 0 {
				break
			}
			for i := len(ids) - 1; i >= 0; i-- {
				fwd = append(fwd, ids[i])
			}
			offset = ids[0] + 1
		}
		if len(fwd) != n {
			t.Fatalf("forwards: %d messages, want %d", len(fwd), n)
		}
		for i := range fwd {
			if fwd[i] != back[n-1-i] {
				t.Fatalf("forwards and backwards differ at %d: %d vs %d", i, fwd[i], back[n-1-i])
			}
		}
		// max_id and min_id bound a page.
		r, err := c.API().MessagesGetHistory(ctx, &tg.MessagesGetHistoryRequest{Peer: self, Limit: page,
			MaxID: back[10], MinID: back[20]})
		if err != nil {
			return err
		}
		if ids := historyIDs(t, r); len(ids) != 9 || ids[0] != back[11] || ids[8] != back[19] {
			t.Errorf("max_id/min_id page %v", ids)
		}
		return nil
	})
}

// TestRestartKeepsConversation: what the server acknowledged survives a
// restart, and the recipient converges through getDifference.
func TestRestartKeepsConversation(t *testing.T) {
	s := startServer(t)
	bobStore := &session.StorageMemory{}
	var state *tg.UpdatesState
	s.userClient(t, bobStore, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996626112"); err != nil {
			return err
		}
		if _, err := c.API().AccountUpdateUsername(ctx, "bob_restart"); err != nil {
			return err
		}
		st, err := c.API().UpdatesGetState(ctx)
		state = st
		return err
	})
	aliceStore := &session.StorageMemory{}
	var sent []int
	send := func(from, to int) {
		s.userClient(t, aliceStore, func(ctx context.Context, c *telegram.Client) error {
			if from == 0 {
				if err := login(ctx, c, "9996626111"); err != nil {
					return err
				}
			}
			bob, err := resolve(ctx, c, "bob_restart")
			if err != nil {
				return err
			}
			for i := from; i < to; i++ {
				r, err := c.API().MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(bob),
					Message: fmt.Sprintf("r%d", i), RandomID: rid()})
				if err != nil {
					return err
				}
				sent = append(sent, r.(*tg.UpdateShortSentMessage).ID)
			}
			return nil
		})
	}
	send(0, 20)
	s.restart()
	send(20, 40)
	s.userClient(t, bobStore, func(ctx context.Context, c *telegram.Client) error {
		d, err := c.API().UpdatesGetDifference(ctx, &tg.UpdatesGetDifferenceRequest{Pts: state.Pts, Date: state.Date})
		if err != nil {
			return err
		}
		diff, ok := d.(*tg.UpdatesDifference)
		if !ok {
			t.Fatalf("difference %T", d)
		}
		got := map[string]bool{}
		for _, m := range diff.NewMessages {
			got[m.(*tg.Message).Message] = true
		}
		for i := 0; i < 40; i++ {
			if !got[fmt.Sprintf("r%d", i)] {
				t.Errorf("r%d lost across the restart", i)
			}
		}
		if diff.State.Pts != state.Pts+40 {
			t.Errorf("pts %d, want %d", diff.State.Pts, state.Pts+40)
		}
		return nil
	})
	if len(sent) != 40 {
		t.Errorf("%d acknowledged sends", len(sent))
	}
}
