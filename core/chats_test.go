package core

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

// pushLog records the pushes core hands its notifier.
type pushLog struct {
	mu     sync.Mutex
	pushes []Push
}

func (l *pushLog) Push(p Push) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pushes = append(l.pushes, p)
}

func (l *pushLog) Typing(Typing) {}

// take returns and forgets what was pushed, by user.
func (l *pushLog) take() map[int64][]Push {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[int64][]Push{}
	for _, p := range l.pushes {
		out[p.UserID] = append(out[p.UserID], p)
	}
	l.pushes = nil
	return out
}

// lastAction returns the action of the newest message of owner's dialog
// with chatID.
func (p *roster) lastAction(owner, chatID int64) (store.Message, Action) {
	p.t.Helper()
	ms, err := p.c.Store.Boxes().History(p.ctx, owner, store.Peer{Kind: store.PeerChat, ID: chatID},
		store.HistoryQuery{Before: true, Limit: 1})
	p.must(err)
	if len(ms) == 0 {
		p.t.Fatalf("user %d has no message in chat %d", owner, chatID)
	}
	a, err := DecodeAction(ms[0].Action)
	p.must(err)
	return ms[0], a
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err %v, want %v", what, err, want)
	}
}

func TestChatLifecycle(t *testing.T) {
	p := newRoster(t)
	log := &pushLog{}
	p.c.Notifier = log
	a, b, c, d := p.user("200001", "A", ""), p.user("200002", "B", ""), p.user("200003", "C", ""), p.user("200004", "D", "")
	hidden := p.user("200005", "H", "")
	p.setPrivacy(hidden.ID, PrivacyChatInvite, PrivacyRule{Kind: DisallowAll})

	_, _, err := p.c.CreateChat(p.ctx, a.ID, []int64{b.ID}, "  ", Origin{})
	wantErr(t, "empty title", err, ErrChatTitleEmpty)
	_, _, err = p.c.CreateChat(p.ctx, a.ID, []int64{999999}, "G", Origin{})
	wantErr(t, "unknown user", err, ErrUserIDInvalid)

	ch, missing, err := p.c.CreateChat(p.ctx, a.ID, []int64{b.ID, b.ID, hidden.ID, a.ID}, " Group ", Origin{})
	p.must(err)
	if !slices.Equal(missing, []int64{hidden.ID}) {
		t.Errorf("missing %v", missing)
	}
	id := ch.Chat.ID
	if ch.Chat.Title != "Group" || ch.Pts == 0 || !ch.Message.Out {
		t.Errorf("created %+v", ch)
	}
	for _, u := range []int64{a.ID, b.ID} {
		m, act := p.lastAction(u, id)
		if act.Type != ActionChatCreate || act.Title != "Group" || !slices.Equal(act.Users, []int64{a.ID, b.ID}) ||
			m.FromID != a.ID || m.Out != (u == a.ID) {
			t.Errorf("user %d: create message %+v %+v", u, m, act)
		}
	}
	pushed := log.take()
	if len(pushed[a.ID]) != 1 || len(pushed[b.ID]) != 1 || len(pushed[hidden.ID]) != 0 {
		t.Errorf("create pushes %v", pushed)
	}

	// Adding: members may by default; twice is an error; privacy holds.
	_, err = p.c.AddChatUser(p.ctx, b.ID, id, c.ID, Origin{})
	p.must(err)
	_, err = p.c.AddChatUser(p.ctx, a.ID, id, c.ID, Origin{})
	wantErr(t, "add twice", err, ErrUserAlreadyParticipant)
	_, err = p.c.AddChatUser(p.ctx, a.ID, id, hidden.ID, Origin{})
	wantErr(t, "add hidden", err, ErrUserPrivacyRestricted)
	_, err = p.c.AddChatUser(p.ctx, d.ID, id, d.ID, Origin{})
	wantErr(t, "outsider adds", err, ErrChatIDInvalid)
	for _, u := range []int64{a.ID, b.ID, c.ID} {
		if _, act := p.lastAction(u, id); act.Type != ActionChatAddUser || !slices.Equal(act.Users, []int64{c.ID}) {
			t.Errorf("user %d: add %+v", u, act)
		}
	}

	// Default rights forbid inviting: only admins may then.
	_, err = p.c.EditChatDefaultRights(p.ctx, b.ID, id, BannedRights{InviteUsers: true}, Origin{})
	wantErr(t, "member sets rights", err, ErrChatAdminRequired)
	chat, err := p.c.EditChatDefaultRights(p.ctx, a.ID, id, BannedRights{InviteUsers: true}, Origin{})
	p.must(err)
	_, err = p.c.EditChatDefaultRights(p.ctx, a.ID, id, BannedRights{InviteUsers: true}, Origin{})
	wantErr(t, "same rights", err, ErrChatNotModified)
	if chat.Version < 3 {
		t.Errorf("version %d", chat.Version)
	}
	_, err = p.c.AddChatUser(p.ctx, b.ID, id, d.ID, Origin{})
	wantErr(t, "member adds when banned", err, ErrChatAdminRequired)
	wantErr(t, "member makes admin", p.c.EditChatAdmin(p.ctx, b.ID, id, c.ID, true), ErrChatAdminRequired)
	p.must(p.c.EditChatAdmin(p.ctx, a.ID, id, b.ID, true))
	wantErr(t, "admin twice", p.c.EditChatAdmin(p.ctx, a.ID, id, b.ID, true), ErrChatNotModified)
	wantErr(t, "admin of outsider", p.c.EditChatAdmin(p.ctx, a.ID, id, d.ID, true), ErrUserNotParticipant)

	// Invite links.
	_, err = p.c.ExportChatInvite(p.ctx, c.ID, id, time.Time{}, 0)
	wantErr(t, "member exports", err, ErrChatAdminRequired)
	inv, err := p.c.ExportChatInvite(p.ctx, b.ID, id, time.Time{}, 0)
	p.must(err)
	if !inv.Permanent || inv.Hash == "" {
		t.Errorf("invite %+v", inv)
	}
	if _, in, err := p.c.CheckChatInvite(p.ctx, d.ID, InviteLink+inv.Hash); err != nil || in {
		t.Errorf("check by outsider: %v %v", in, err)
	}
	if _, in, err := p.c.CheckChatInvite(p.ctx, a.ID, inv.Hash); err != nil || !in {
		t.Errorf("check by member: %v %v", in, err)
	}
	_, _, err = p.c.CheckChatInvite(p.ctx, d.ID, "nope")
	wantErr(t, "bad hash", err, ErrInviteHashInvalid)
	_, err = p.c.ImportChatInvite(p.ctx, d.ID, "", Origin{})
	wantErr(t, "empty hash", err, ErrInviteHashEmpty)
	jc, err := p.c.ImportChatInvite(p.ctx, d.ID, inv.Hash, Origin{})
	p.must(err)
	if jc.Message.FromID != d.ID || !jc.Message.Out {
		t.Errorf("join message %+v", jc.Message)
	}
	if _, act := p.lastAction(a.ID, id); act.Type != ActionChatJoinedByLink || act.InviterID != b.ID {
		t.Errorf("join by link %+v", act)
	}
	_, err = p.c.ImportChatInvite(p.ctx, d.ID, inv.Hash, Origin{})
	wantErr(t, "join twice", err, ErrUserAlreadyParticipant)
	// A new permanent link revokes the old one.
	if _, err := p.c.ExportChatInvite(p.ctx, a.ID, id, time.Time{}, 0); err != nil {
		t.Fatal(err)
	}
	_, _, err = p.c.CheckChatInvite(p.ctx, hidden.ID, inv.Hash)
	wantErr(t, "revoked", err, ErrInviteHashExpired)
	// A link with a limit of one is spent after one join.
	one, err := p.c.ExportChatInvite(p.ctx, a.ID, id, p.now.Add(time.Hour), 1)
	p.must(err)
	if one.Permanent {
		t.Error("limited link is permanent")
	}
	_, err = p.c.ExportChatInvite(p.ctx, a.ID, id, p.now.Add(-time.Hour), 0)
	if err == nil {
		t.Error("link expiring in the past accepted")
	}

	// Titles.
	_, err = p.c.EditChatTitle(p.ctx, c.ID, id, "Group", Origin{})
	wantErr(t, "same title", err, ErrChatNotModified)
	_, err = p.c.EditChatTitle(p.ctx, c.ID, id, "", Origin{})
	wantErr(t, "empty title", err, ErrChatTitleEmpty)
	_, err = p.c.EditChatTitle(p.ctx, c.ID, id, "New", Origin{})
	p.must(err)
	if _, act := p.lastAction(d.ID, id); act.Type != ActionChatEditTitle || act.Title != "New" {
		t.Errorf("title %+v", act)
	}

	// Removal: members cannot kick, admins cannot kick admins or the
	// creator; leaving is always allowed.
	log.take()
	_, err = p.c.DeleteChatUser(p.ctx, c.ID, id, d.ID, Origin{})
	wantErr(t, "member kicks", err, ErrChatAdminRequired)
	_, err = p.c.DeleteChatUser(p.ctx, b.ID, id, a.ID, Origin{})
	wantErr(t, "admin kicks creator", err, ErrChatAdminRequired)
	_, err = p.c.DeleteChatUser(p.ctx, b.ID, id, hidden.ID, Origin{})
	wantErr(t, "kick outsider", err, ErrUserNotParticipant)
	_, err = p.c.DeleteChatUser(p.ctx, b.ID, id, d.ID, Origin{})
	p.must(err)
	if _, act := p.lastAction(d.ID, id); act.Type != ActionChatDeleteUser || act.UserID != d.ID {
		t.Errorf("kicked user sees %+v", act)
	}
	pushed = log.take()
	for _, u := range []int64{a.ID, b.ID, c.ID, d.ID} {
		if len(pushed[u]) != 1 {
			t.Errorf("user %d got %d pushes of the kick", u, len(pushed[u]))
		}
	}
	_, err = p.c.SendMessage(p.ctx, Send{From: d.ID, To: store.Peer{Kind: store.PeerChat, ID: id}, Text: "hi"})
	wantErr(t, "kicked sends", err, ErrChatWriteForbidden)
	_, err = p.c.EditChatTitle(p.ctx, d.ID, id, "Mine", Origin{})
	wantErr(t, "kicked renames", err, ErrChatIDInvalid)

	_, err = p.c.DeleteChatUser(p.ctx, c.ID, id, c.ID, Origin{})
	p.must(err)
	if m, act := p.lastAction(a.ID, id); act.Type != ActionChatDeleteUser || act.UserID != c.ID || m.FromID != c.ID {
		t.Errorf("leave %+v %+v", m, act)
	}
	members, err := p.c.memberIDs(p.ctx, id)
	p.must(err)
	if !slices.Equal(members, []int64{a.ID, b.ID}) {
		t.Errorf("members %v", members)
	}
	_, err = p.c.DeleteChatUser(p.ctx, a.ID, 424242, b.ID, Origin{})
	wantErr(t, "missing chat", err, ErrChatIDInvalid)
}

func TestInviteHash(t *testing.T) {
	for in, want := range map[string]string{
		"abc": "abc", "https://t.me/+abc": "abc", "t.me/joinchat/abc": "abc", " +abc ": "abc", "": "",
	} {
		if got := InviteHash(in); got != want {
			t.Errorf("InviteHash(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRightsRoundTrip(t *testing.T) {
	if EncodeRights(BannedRights{}) != nil {
		t.Error("no rights encode to something")
	}
	r := BannedRights{SendMedia: true, InviteUsers: true}
	if got := DecodeRights(EncodeRights(r)); got != r {
		t.Errorf("round trip %+v", got)
	}
	if got := DecodeRights([]byte("{garbage")); got != (BannedRights{}) {
		t.Errorf("garbage decodes to %+v", got)
	}
}

func FuzzDecodeAction(f *testing.F) {
	f.Add(EncodeAction(Action{Type: ActionChatCreate, Title: "x", Users: []int64{1, 2}}))
	f.Add([]byte(`{"t":""}`))
	f.Add([]byte(`[1]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := DecodeAction(b)
		if err != nil {
			return
		}
		if a.Type == "" {
			t.Fatal("decoded an action without a type")
		}
		if _, err := DecodeAction(EncodeAction(a)); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
	})
}

func TestChatMentionsAndLimits(t *testing.T) {
	p := newRoster(t)
	a, b, c, d := p.user("200011", "A", ""), p.user("200012", "B", ""), p.user("200013", "C", ""), p.user("200014", "D", "")
	ch, _, err := p.c.CreateChat(p.ctx, a.ID, []int64{b.ID, c.ID}, "M", Origin{})
	p.must(err)
	peer := store.Peer{Kind: store.PeerChat, ID: ch.Chat.ID}
	_, err = p.c.SendMessage(p.ctx, Send{From: a.ID, To: peer, Text: "hi B",
		Entities: []Entity{{Type: "text_mention", Offset: 3, Length: 1, UserID: b.ID}}})
	p.must(err)
	for _, tt := range []struct {
		owner    int64
		mentions int32
	}{{a.ID, 0}, {b.ID, 1}, {c.ID, 0}} {
		dg, err := p.c.Store.Boxes().Dialog(p.ctx, tt.owner, peer)
		p.must(err)
		if dg.UnreadMentions != tt.mentions {
			t.Errorf("user %d: %d unread mentions, want %d", tt.owner, dg.UnreadMentions, tt.mentions)
		}
	}
	_, err = p.c.SendMessage(p.ctx, Send{From: d.ID, To: peer, Text: "let me in"})
	wantErr(t, "outsider sends", err, ErrChatWriteForbidden)

	// A link for one use is spent by the first join.
	inv, err := p.c.ExportChatInvite(p.ctx, a.ID, peer.ID, time.Time{}, 1)
	p.must(err)
	_, err = p.c.DeleteChatUser(p.ctx, c.ID, peer.ID, c.ID, Origin{})
	p.must(err)
	_, err = p.c.ImportChatInvite(p.ctx, d.ID, inv.Hash, Origin{})
	p.must(err)
	_, err = p.c.ImportChatInvite(p.ctx, c.ID, inv.Hash, Origin{})
	wantErr(t, "spent link", err, ErrInviteHashExpired)
	// An expiring link stops working at its expiry.
	soon, err := p.c.ExportChatInvite(p.ctx, a.ID, peer.ID, p.now.Add(time.Minute), 0)
	p.must(err)
	p.now = p.now.Add(time.Minute)
	_, err = p.c.ImportChatInvite(p.ctx, c.ID, soon.Hash, Origin{})
	wantErr(t, "expired link", err, ErrInviteHashExpired)
}

// Default banned rights stop plain members, not admins or the creator.
func TestDefaultRightsBindMembers(t *testing.T) {
	c, ctx := newCore(t), context.Background()
	mk := func(phone string) store.User {
		u, err := c.Store.Users().Create(ctx, store.User{Phone: phone, FirstName: phone})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	a, b := mk("15550007001"), mk("15550007002")
	ch, _, err := c.CreateChat(ctx, a.ID, []int64{b.ID}, "quiet", Origin{})
	if err != nil {
		t.Fatal(err)
	}
	id := ch.Chat.ID
	if _, err := c.EditChatDefaultRights(ctx, a.ID, id, BannedRights{SendMessages: true}, Origin{}); err != nil {
		t.Fatal(err)
	}
	to := store.Peer{Kind: store.PeerChat, ID: id}
	if _, err := c.SendMessage(ctx, Send{From: b.ID, To: to, Text: "hi", RandomID: 1}); !errors.Is(err, ErrChatWriteForbidden) {
		t.Errorf("member under send ban: %v", err)
	}
	if _, err := c.SendMessage(ctx, Send{From: a.ID, To: to, Text: "hi", RandomID: 2}); err != nil {
		t.Errorf("creator under send ban: %v", err)
	}
}

// TestInviteLastUseOnce: two users racing for a link's last use — one
// joins, the other gets INVITE_HASH_EXPIRED, and the link counts one use.
func TestInviteLastUseOnce(t *testing.T) {
	p := newRoster(t)
	a := p.user("15550201", "Ann", "")
	b := p.user("15550202", "Bob", "")
	x := p.user("15550203", "Xav", "")
	y := p.user("15550204", "Yan", "")
	cc, _, err := p.c.CreateChat(p.ctx, a.ID, []int64{b.ID}, "Race", Origin{})
	p.must(err)
	inv, err := p.c.ExportChatInvite(p.ctx, a.ID, cc.Chat.ID, time.Time{}, 1)
	p.must(err)
	errs := make(chan error, 2)
	for _, u := range []int64{x.ID, y.ID} {
		go func() {
			_, err := p.c.ImportChatInvite(p.ctx, u, inv.Hash, Origin{})
			errs <- err
		}()
	}
	var joined, refused int
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			joined++
		case errors.Is(err, ErrInviteHashExpired):
			refused++
		default:
			t.Fatalf("import: %v", err)
		}
	}
	if joined != 1 || refused != 1 {
		t.Errorf("joined %d, refused %d; want 1 and 1", joined, refused)
	}
	got, err := p.c.Store.Chats().Invite(p.ctx, inv.Hash)
	p.must(err)
	if got.Usage != 1 {
		t.Errorf("usage %d, want 1", got.Usage)
	}
}
