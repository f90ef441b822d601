package e2e

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/transport"
)

// inbox collects the updates pushed to one client.
type inbox struct {
	mu  sync.Mutex
	got []tg.UpdatesClass
	ch  chan struct{}
}

func newInbox() *inbox { return &inbox{ch: make(chan struct{}, 1024)} }

func (b *inbox) Handle(_ context.Context, u tg.UpdatesClass) error {
	b.mu.Lock()
	b.got = append(b.got, u)
	b.mu.Unlock()
	select {
	case b.ch <- struct{}{}:
	default:
	}
	return nil
}

// wait returns the first pushed container matching f, waiting up to 10 s.
func (b *inbox) wait(t *testing.T, what string, f func(tg.UpdatesClass) bool) tg.UpdatesClass {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		b.mu.Lock()
		for _, u := range b.got {
			if f(u) {
				b.mu.Unlock()
				return u
			}
		}
		b.mu.Unlock()
		select {
		case <-b.ch:
		case <-deadline:
			t.Fatalf("no push: %s", what)
			return nil
		}
	}
}

// liveClient runs f with a client that receives pushed updates into box.
func (s *server) liveClient(t *testing.T, st telegram.SessionStorage, box *inbox, f func(ctx context.Context, c *telegram.Client) error) {
	t.Helper()
	if st == nil {
		st = &session.StorageMemory{}
	}
	appID, appHash := s.app()
	c := telegram.NewClient(appID, appHash, s.options(dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate}), st, box))
	if err := c.Run(ctxFor(t), func(ctx context.Context) error { return f(ctx, c) }); err != nil {
		t.Fatal(err)
	}
}

// peerOf resolves another user by username for the calling client.
func resolve(ctx context.Context, c *telegram.Client, username string) (*tg.User, error) {
	res, err := c.API().ContactsResolveUsername(ctx, &tg.ContactsResolveUsernameRequest{Username: username})
	if err != nil {
		return nil, err
	}
	return res.Users[0].(*tg.User), nil
}

func inputPeer(u *tg.User) *tg.InputPeerUser {
	return &tg.InputPeerUser{UserID: u.ID, AccessHash: u.AccessHash}
}

var randomIDs sync.Map

func rid() int64 {
	n := time.Now().UnixNano()
	for {
		if _, loaded := randomIDs.LoadOrStore(n, true); !loaded {
			return n
		}
		n++
	}
}

// TestPrivateChat: two users chat both ways; the recipient and the
// sender's second session get the pushes with a gap-free pts; edit,
// delete for everyone and read receipts reach the other side; history
// and dialogs agree.
func TestPrivateChat(t *testing.T) {
	s := startServer(t)
	// Alice and Bob sign up and take usernames.
	for _, u := range []struct{ phone, name string }{{"9996626001", "alice_chat"}, {"9996626002", "bob_chat"}} {
		s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
			if err := login(ctx, c, u.phone); err != nil {
				return err
			}
			_, err := c.API().AccountUpdateUsername(ctx, u.name)
			return err
		})
	}
	aliceStore, bobStore := &session.StorageMemory{}, &session.StorageMemory{}
	s.userClient(t, aliceStore, func(ctx context.Context, c *telegram.Client) error { return login(ctx, c, "9996626001") })
	s.userClient(t, bobStore, func(ctx context.Context, c *telegram.Client) error { return login(ctx, c, "9996626002") })

	bobBox, aliceBox := newInbox(), newInbox()
	var wg sync.WaitGroup
	bobReady, done := make(chan struct{}), make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.liveClient(t, bobStore, bobBox, func(ctx context.Context, c *telegram.Client) error {
			if _, err := c.API().UpdatesGetState(ctx); err != nil {
				return err
			}
			close(bobReady)
			<-done
			return nil
		})
	}()
	<-bobReady
	s.liveClient(t, aliceStore, aliceBox, func(ctx context.Context, c *telegram.Client) error {
		api := c.API()
		bob, err := resolve(ctx, c, "bob_chat")
		if err != nil {
			return err
		}
		st0, err := api.UpdatesGetState(ctx)
		if err != nil {
			return err
		}
		res, err := api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(bob), Message: "hello bob", RandomID: rid()})
		if err != nil {
			return err
		}
		sent := res.(*tg.UpdateShortSentMessage)
		if sent.Pts != st0.Pts+1 || sent.PtsCount != 1 || !sent.Out {
			t.Errorf("sent %+v after pts %d", sent, st0.Pts)
		}
		// gotd hands updateShortMessage to handlers as updateShort with
		// updateNewMessage.
		var got *tg.UpdateNewMessage
		bobBox.wait(t, "bob gets hello", func(u tg.UpdatesClass) bool {
			for _, x := range updatesOf(u) {
				if n, ok := x.(*tg.UpdateNewMessage); ok && n.Message.(*tg.Message).Message == "hello bob" {
					got = n
					return true
				}
			}
			return false
		})
		if m := got.Message.(*tg.Message); m.Out || got.PtsCount != 1 || m.PeerID.(*tg.PeerUser).UserID == bob.ID {
			t.Errorf("bob's push %+v of %+v", got, m)
		}
		// The same random_id again returns the same message, no copy.
		again, err := api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(bob), Message: "hello bob", RandomID: 42})
		if err != nil {
			return err
		}
		retry, err := api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(bob), Message: "hello bob", RandomID: 42})
		if err != nil {
			return err
		}
		if again.(*tg.UpdateShortSentMessage).ID != retry.(*tg.UpdateShortSentMessage).ID {
			t.Errorf("a retried random_id made a second message")
		}
		// Edit and read receipts.
		if _, err := api.MessagesEditMessage(ctx, &tg.MessagesEditMessageRequest{Peer: inputPeer(bob), ID: sent.ID, Message: "hello, bob"}); err != nil {
			return err
		}
		bobBox.wait(t, "bob sees the edit", func(u tg.UpdatesClass) bool {
			for _, x := range updatesOf(u) {
				if e, ok := x.(*tg.UpdateEditMessage); ok && e.Message.(*tg.Message).Message == "hello, bob" {
					return true
				}
			}
			return false
		})
		hist, err := api.MessagesGetHistory(ctx, &tg.MessagesGetHistoryRequest{Peer: inputPeer(bob), Limit: 10})
		if err != nil {
			return err
		}
		if n := len(hist.(*tg.MessagesMessages).Messages); n != 2 {
			t.Errorf("alice's history has %d messages, want 2", n)
		}
		// Delete for everyone.
		if _, err := api.MessagesDeleteMessages(ctx, &tg.MessagesDeleteMessagesRequest{Revoke: true, ID: []int{sent.ID}}); err != nil {
			return err
		}
		bobBox.wait(t, "bob sees the deletion", func(u tg.UpdatesClass) bool {
			for _, x := range updatesOf(u) {
				if _, ok := x.(*tg.UpdateDeleteMessages); ok {
					return true
				}
			}
			return false
		})
		_, err = api.MessagesEditMessage(ctx, &tg.MessagesEditMessageRequest{Peer: inputPeer(bob), ID: sent.ID, Message: "x"})
		wantErr(t, "edit a deleted message", err, "MESSAGE_ID_INVALID")
		_, err = api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(bob), Message: "", RandomID: rid()})
		wantErr(t, "empty message", err, "MESSAGE_EMPTY")
		long := make([]byte, 4097)
		for i := range long {
			long[i] = 'a'
		}
		_, err = api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(bob), Message: string(long), RandomID: rid()})
		wantErr(t, "4097 characters", err, "MESSAGE_TOO_LONG")
		_, err = api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{
			Peer: &tg.InputPeerUser{UserID: bob.ID, AccessHash: bob.AccessHash + 1}, Message: "x", RandomID: rid()})
		wantErr(t, "wrong access hash", err, "PEER_ID_INVALID")
		return nil
	})
	close(done)
	wg.Wait()
}

func updatesOf(u tg.UpdatesClass) []tg.UpdateClass {
	switch v := u.(type) {
	case *tg.Updates:
		return v.Updates
	case *tg.UpdatesCombined:
		return v.Updates
	case *tg.UpdateShort:
		return []tg.UpdateClass{v.Update}
	}
	return nil
}

// TestCatchUp: a user offline during 500 messages converges through
// getDifference slices with nothing missing or doubled.
func TestCatchUp(t *testing.T) {
	s := startServer(t)
	const n = 500
	var bobState *tg.UpdatesState
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996626012"); err != nil {
			return err
		}
		_, err := c.API().AccountUpdateUsername(ctx, "bob_catchup")
		return err
	})
	// Bob's device logs in (its code arrives from 777000 on the first
	// one) and goes offline, knowing its state.
	bobStore := &session.StorageMemory{}
	s.userClient(t, bobStore, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996626012"); err != nil {
			return err
		}
		st, err := c.API().UpdatesGetState(ctx)
		bobState = st
		return err
	})
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996626011"); err != nil {
			return err
		}
		bob, err := resolve(ctx, c, "bob_catchup")
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if _, err := c.API().MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(bob),
				Message: fmt.Sprintf("m%d", i), RandomID: rid()}); err != nil {
				return err
			}
		}
		return nil
	})
	s.userClient(t, bobStore, func(ctx context.Context, c *telegram.Client) error {
		pts, slices := bobState.Pts, 0
		seen := map[string]bool{}
		for {
			d, err := c.API().UpdatesGetDifference(ctx, &tg.UpdatesGetDifferenceRequest{Pts: pts, Date: bobState.Date})
			if err != nil {
				return err
			}
			var msgs []tg.MessageClass
			switch v := d.(type) {
			case *tg.UpdatesDifferenceSlice:
				msgs, pts = v.NewMessages, v.IntermediateState.Pts
				slices++
			case *tg.UpdatesDifference:
				msgs, pts = v.NewMessages, v.State.Pts
			case *tg.UpdatesDifferenceEmpty:
			default:
				t.Fatalf("difference %T", d)
			}
			for _, m := range msgs {
				text := m.(*tg.Message).Message
				if seen[text] {
					t.Errorf("%q delivered twice", text)
				}
				seen[text] = true
			}
			if _, ok := d.(*tg.UpdatesDifferenceSlice); !ok {
				break
			}
		}
		if len(seen) != n || slices == 0 {
			t.Errorf("caught up on %d of %d messages in %d slices", len(seen), n, slices)
		}
		if pts != bobState.Pts+n {
			t.Errorf("final pts %d, want %d", pts, bobState.Pts+n)
		}
		return nil
	})
}
