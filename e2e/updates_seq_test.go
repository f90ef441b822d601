package e2e

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/telegram/updates"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/transport"
)

// countingAPI is the API gotd's updates manager calls, recording what
// updates.getDifference answered.
type countingAPI struct {
	*tg.Client
	mu    sync.Mutex
	diffs []string
}

func (a *countingAPI) UpdatesGetDifference(ctx context.Context, req *tg.UpdatesGetDifferenceRequest) (tg.UpdatesDifferenceClass, error) {
	d, err := a.Client.UpdatesGetDifference(ctx, req)
	a.mu.Lock()
	a.diffs = append(a.diffs, fmt.Sprintf("%T", d))
	a.mu.Unlock()
	return d, err
}

func (a *countingAPI) answers() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.diffs)
}

func (a *countingAPI) reset() {
	a.mu.Lock()
	a.diffs = nil
	a.mu.Unlock()
}

// wait returns the answers once there are n of them (or after 10 s).
func (a *countingAPI) wait(t *testing.T, n int) []string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got := a.answers(); len(got) >= n {
			return got
		}
	}
	got := a.answers()
	t.Errorf("the updates manager fetched the difference %d times, want %d", len(got), n)
	return got
}

// seqTap records the seq of every updates container a client receives,
// then hands the container on.
type seqTap struct {
	mu   sync.Mutex
	seqs []int
	next telegram.UpdateHandler
}

func (s *seqTap) Handle(ctx context.Context, u tg.UpdatesClass) error {
	s.mu.Lock()
	switch v := u.(type) {
	case *tg.Updates:
		s.seqs = append(s.seqs, v.Seq)
	case *tg.UpdatesCombined:
		s.seqs = append(s.seqs, v.Seq)
	}
	s.mu.Unlock()
	return s.next.Handle(ctx, u)
}

// clients runs f with one live client per phone, all logged in at once,
// each with its own update handler. Like crowd, f reports with t.Error.
func (s *server) clients(t *testing.T, phones []string, hs []telegram.UpdateHandler, f func(ctx context.Context, cs []*telegram.Client, me []*tg.User) error) {
	t.Helper()
	var run func(ctx context.Context, cs []*telegram.Client, me []*tg.User) error
	run = func(ctx context.Context, cs []*telegram.Client, me []*tg.User) error {
		if len(cs) == len(phones) {
			return f(ctx, cs, me)
		}
		i := len(cs)
		appID, appHash := s.app()
		c := telegram.NewClient(appID, appHash, s.options(dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate}),
			&session.StorageMemory{}, hs[i]))
		return c.Run(ctx, func(ctx context.Context) error {
			if err := login(ctx, c, phones[i]); err != nil {
				return fmt.Errorf("login %s: %w", phones[i], err)
			}
			u, err := c.Self(ctx)
			if err != nil {
				return err
			}
			return run(ctx, append(cs, c), append(me, u))
		})
	}
	if err := run(ctxFor(t), nil, nil); err != nil {
		t.Fatal(err)
	}
}

// seen is what gotd's updates manager handed on to the application.
type seen struct {
	mu     sync.Mutex
	msgs   map[int]int // message id → times
	admin  int
	rights int
	ch     chan struct{}
}

func newSeen() *seen { return &seen{msgs: map[int]int{}, ch: make(chan struct{}, 1)} }

func (s *seen) Handle(_ context.Context, u tg.UpdatesClass) error {
	s.mu.Lock()
	for _, up := range updatesOf(u) {
		switch v := up.(type) {
		case *tg.UpdateNewMessage:
			s.msgs[v.Message.GetID()]++
		case *tg.UpdateChatParticipantAdmin:
			s.admin++
		case *tg.UpdateChatDefaultBannedRights:
			s.rights++
		}
	}
	s.mu.Unlock()
	select {
	case s.ch <- struct{}{}:
	default:
	}
	return nil
}

// until waits up to 10 s for f to hold.
func (s *seen) until(t *testing.T, what string, f func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		s.mu.Lock()
		ok := f()
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-s.ch:
		case <-deadline:
			t.Errorf("gotd's updates manager never saw %s", what)
			return
		}
	}
}

// TestUpdatesSeqGotd: a member driven by gotd's updates manager receives
// the group's service messages, admin and rights changes in updates
// containers numbered by its session's seq without a gap, so the manager
// applies each once and never falls back to getDifference; updateShort*
// pushes carry no seq; updates.getState answers the session's seq. A third
// member sees the admin and rights changes too.
func TestUpdatesSeqGotd(t *testing.T) {
	s := startServer(t)
	app := newSeen()
	api := &countingAPI{}
	mgr := updates.New(updates.Config{Handler: app})
	tap := &seqTap{next: mgr}
	phones := []string{"9996629001", "9996629002", "9996629003"}
	third := newInbox()
	hs := []telegram.UpdateHandler{tap, newInbox(), third}
	s.clients(t, phones, hs, func(ctx context.Context, cs []*telegram.Client, me []*tg.User) error {
		a, b, c := cs[0].API(), cs[1].API(), cs[2].API()
		api.Client = a
		started := make(chan struct{})
		mctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() {
			done <- mgr.Run(mctx, api, me[0].ID, updates.AuthOptions{Forget: true, OnStart: func(context.Context) { close(started) }})
		}()
		defer func() { stop(); <-done }()
		<-started
		api.wait(t, 1) // the manager's own start
		for i, m := range []*tg.Client{a, c} {
			if _, err := m.AccountUpdateUsername(ctx, fmt.Sprintf("seq_%d", i)); err != nil {
				return err
			}
		}
		var peers []*tg.User
		for i := range 2 {
			r, err := b.ContactsResolveUsername(ctx, &tg.ContactsResolveUsernameRequest{Username: fmt.Sprintf("seq_%d", i)})
			if err != nil {
				return err
			}
			peers = append(peers, r.Users[0].(*tg.User))
		}
		ua, uc := peers[0], peers[1]
		created, err := b.MessagesCreateChat(ctx, &tg.MessagesCreateChatRequest{Title: "Seq",
			Users: []tg.InputUserClass{ua.AsInput(), uc.AsInput()}})
		if err != nil {
			return fmt.Errorf("create: %w", err)
		}
		var chatID int64
		for _, ch := range created.Updates.(*tg.Updates).Chats {
			chatID = ch.GetID()
		}
		containers := 1
		step := func(what string, err error) error {
			containers++
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			return nil
		}
		if err := step("title", errOf(b.MessagesEditChatTitle(ctx, &tg.MessagesEditChatTitleRequest{ChatID: chatID, Title: "Seq 2"}))); err != nil {
			return err
		}
		for i := range 3 { // updateShortChatMessage: no seq
			if _, err := b.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: &tg.InputPeerChat{ChatID: chatID},
				Message: fmt.Sprint("text ", i), RandomID: rid()}); err != nil {
				return err
			}
		}
		if err := step("admin", errOf(b.MessagesEditChatAdmin(ctx, &tg.MessagesEditChatAdminRequest{ChatID: chatID,
			UserID: ua.AsInput(), IsAdmin: true}))); err != nil {
			return err
		}
		if err := step("rights", errOf(b.MessagesEditChatDefaultBannedRights(ctx, &tg.MessagesEditChatDefaultBannedRightsRequest{
			Peer: &tg.InputPeerChat{ChatID: chatID}, BannedRights: tg.ChatBannedRights{SendStickers: true}}))); err != nil {
			return err
		}
		// The third member sees both changes, with the chat's versions.
		third.wait(t, "updateChatParticipantAdmin", hasUpdate(func(u tg.UpdateClass) bool {
			v, ok := u.(*tg.UpdateChatParticipantAdmin)
			return ok && v.ChatID == chatID && v.UserID == ua.ID && v.IsAdmin && v.Version == 2
		}))
		third.wait(t, "updateChatDefaultBannedRights", hasUpdate(func(u tg.UpdateClass) bool {
			v, ok := u.(*tg.UpdateChatDefaultBannedRights)
			if !ok {
				return false
			}
			p, isChat := v.Peer.(*tg.PeerChat)
			return isChat && p.ChatID == chatID && v.DefaultBannedRights.SendStickers && v.Version == 3
		}))
		if err := step("leave", errOf(c.MessagesDeleteChatUser(ctx, &tg.MessagesDeleteChatUserRequest{ChatID: chatID,
			UserID: &tg.InputUserSelf{}}))); err != nil {
			return err
		}
		if err := step("add back", errOf(b.MessagesAddChatUser(ctx, &tg.MessagesAddChatUserRequest{ChatID: chatID,
			UserID: uc.AsInput()}))); err != nil {
			return err
		}
		// create, title, leave and add are service messages; three texts.
		app.until(t, "7 messages, an admin and a rights change", func() bool {
			return len(app.msgs) >= 7 && app.admin >= 1 && app.rights >= 1
		})
		time.Sleep(time.Second) // past gotd's 0.5 s gap timeout
		app.mu.Lock()
		for id, n := range app.msgs {
			if n != 1 {
				t.Errorf("message %d handed on %d times", id, n)
			}
		}
		if len(app.msgs) != 7 || app.admin != 1 || app.rights != 1 {
			t.Errorf("manager handed on %d messages, %d admin and %d rights changes; want 7, 1, 1", len(app.msgs), app.admin, app.rights)
		}
		app.mu.Unlock()
		if got := api.answers(); len(got) != 1 {
			t.Errorf("the manager fetched the difference %d times (%v); want once, at start", len(got), got)
		}
		tap.mu.Lock()
		seqs := slices.Clone(tap.seqs)
		tap.mu.Unlock()
		slices.Sort(seqs)
		if len(seqs) != containers {
			t.Errorf("%d updates containers pushed, want %d: %v", len(seqs), containers, seqs)
		}
		for i, v := range seqs {
			if v <= 0 || i > 0 && v != seqs[i-1]+1 {
				t.Errorf("container seqs %v are not consecutive from 1 up", seqs)
				break
			}
		}
		st, err := a.UpdatesGetState(ctx)
		if err != nil {
			return err
		}
		if len(seqs) > 0 && st.Seq != seqs[len(seqs)-1] {
			t.Errorf("getState seq %d, last container %d", st.Seq, seqs[len(seqs)-1])
		}
		d, err := a.UpdatesGetDifference(ctx, &tg.UpdatesGetDifferenceRequest{Pts: st.Pts, Date: st.Date})
		if err != nil {
			return err
		}
		if e, ok := d.(*tg.UpdatesDifferenceEmpty); !ok || e.Seq != st.Seq {
			t.Errorf("difference from the state: %+v, want empty with seq %d", d, st.Seq)
		}
		return nil
	})
}

// errOf keeps the error of a call's two results.
func errOf[T any](_ T, err error) error { return err }
