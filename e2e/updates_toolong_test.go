package e2e

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/telegram/updates"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/transport"

	"github.com/roostchat/roost/store"
)

// TestDifferenceTooLong: a client further behind than its pts_total_limit
// is answered updates.differenceTooLong with the current pts; so is one
// behind the part of its log the server trimmed (store.UpdateLogKeep),
// and gotd's updates manager, started from such a state, reports it
// (OnTooLong) and carries on from the new pts.
func TestDifferenceTooLong(t *testing.T) {
	s := startServer(t)
	const phone = "9996629101"
	var tooLong atomic.Int32
	mgr := updates.New(updates.Config{Handler: newInbox(), OnTooLong: func() { tooLong.Add(1) }})
	device := &session.StorageMemory{}
	api := &countingAPI{}
	runDevice := func(f func(ctx context.Context, c *telegram.Client, me *tg.User) error) {
		t.Helper()
		appID, appHash := s.app()
		c := telegram.NewClient(appID, appHash, s.options(dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate}), device, mgr))
		if err := c.Run(ctxFor(t), func(ctx context.Context) error {
			if st, err := c.Auth().Status(ctx); err != nil {
				return err
			} else if !st.Authorized {
				if err := login(ctx, c, phone); err != nil {
					return err
				}
			}
			me, err := c.Self(ctx)
			if err != nil {
				return err
			}
			api.Client = c.API()
			started := make(chan struct{})
			mctx, stop := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() {
				done <- mgr.Run(mctx, api, me.ID, updates.AuthOptions{OnStart: func(context.Context) { close(started) }})
			}()
			<-started
			err = f(ctx, c, me)
			stop()
			<-done
			mgr.Reset()
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	// The device learns its state, then goes offline.
	runDevice(func(context.Context, *telegram.Client, *tg.User) error {
		if got := api.wait(t, 1); len(got) != 1 || got[0] != "*tg.UpdatesDifferenceEmpty" {
			t.Errorf("first start fetched %v", got)
		}
		return nil
	})

	// Another device of the account fills the log: 100 notes to itself,
	// forwarded to itself until the box is UpdateLogKeep pts further.
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, phone); err != nil {
			return err
		}
		api := c.API()
		var ids []int
		for i := range 100 {
			u, err := api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: &tg.InputPeerSelf{},
				Message: fmt.Sprint("note ", i), RandomID: rid()})
			if err != nil {
				return err
			}
			ids = append(ids, u.(*tg.UpdateShortSentMessage).ID)
		}
		st, err := api.UpdatesGetState(ctx)
		if err != nil {
			return err
		}
		// pts_total_limit: too far behind, by the client's own measure.
		d, err := api.UpdatesGetDifference(ctx, &tg.UpdatesGetDifferenceRequest{Pts: st.Pts - 10, PtsTotalLimit: 5, Date: st.Date})
		if err != nil {
			return err
		}
		if tl, ok := d.(*tg.UpdatesDifferenceTooLong); !ok || tl.Pts != st.Pts {
			t.Errorf("10 behind with pts_total_limit 5: %T %+v, want differenceTooLong{%d}", d, d, st.Pts)
		}
		d, err = api.UpdatesGetDifference(ctx, &tg.UpdatesGetDifferenceRequest{Pts: st.Pts - 5, PtsTotalLimit: 5, Date: st.Date})
		if err != nil {
			return err
		}
		if diff, ok := d.(*tg.UpdatesDifference); !ok || len(diff.NewMessages) != 5 || diff.State.Pts != st.Pts {
			t.Errorf("5 behind with pts_total_limit 5: %T, want the difference", d)
		}

		for st.Pts < store.UpdateLogKeep+store.UpdateLogTrimEvery+200 {
			randoms := make([]int64, len(ids))
			for i := range randoms {
				randoms[i] = rid()
			}
			if _, err := api.MessagesForwardMessages(ctx, &tg.MessagesForwardMessagesRequest{FromPeer: &tg.InputPeerSelf{},
				ID: ids, RandomID: randoms, ToPeer: &tg.InputPeerSelf{}}); err != nil {
				return fmt.Errorf("forward at pts %d: %w", st.Pts, err)
			}
			if st, err = api.UpdatesGetState(ctx); err != nil {
				return err
			}
		}
		// The log no longer holds what follows pts 1.
		d, err = api.UpdatesGetDifference(ctx, &tg.UpdatesGetDifferenceRequest{Pts: 1, Date: st.Date})
		if err != nil {
			return err
		}
		if tl, ok := d.(*tg.UpdatesDifferenceTooLong); !ok || tl.Pts != st.Pts {
			t.Errorf("difference from pts 1 after the trim: %T, want differenceTooLong{%d}", d, st.Pts)
		}
		// The newest entries are still there.
		d, err = api.UpdatesGetDifference(ctx, &tg.UpdatesGetDifferenceRequest{Pts: st.Pts - 3, Date: st.Date})
		if err != nil {
			return err
		}
		if diff, ok := d.(*tg.UpdatesDifference); !ok || len(diff.NewMessages) != 3 {
			t.Errorf("difference of the last 3: %T", d)
		}
		return nil
	})

	// The first device comes back: its manager starts from the old state.
	api.reset()
	runDevice(func(ctx context.Context, c *telegram.Client, _ *tg.User) error {
		got := api.wait(t, 2)
		st, err := c.API().UpdatesGetState(ctx)
		if err != nil {
			return err
		}
		if len(got) != 2 || got[0] != "*tg.UpdatesDifferenceTooLong" || got[1] != "*tg.UpdatesDifferenceEmpty" {
			t.Errorf("restart fetched %v; want differenceTooLong, then differenceEmpty", got)
		}
		if tooLong.Load() != 1 {
			t.Errorf("OnTooLong called %d times", tooLong.Load())
		}
		// From the new pts, the device is up to date.
		d, err := c.API().UpdatesGetDifference(ctx, &tg.UpdatesGetDifferenceRequest{Pts: st.Pts, Date: st.Date})
		if err != nil {
			return err
		}
		if _, ok := d.(*tg.UpdatesDifferenceEmpty); !ok {
			t.Errorf("difference from the current state: %T", d)
		}
		return nil
	})
}
