package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/transport"
)

// member is a logged-in gotd client with the updates pushed to it.
type member struct {
	api *tg.Client
	me  *tg.User
	box *inbox
}

// crowd runs f with one live client per phone, all connected at once. f
// runs outside the test's goroutine: it reports with t.Error and returns
// errors, never t.Fatal.
func (s *server) crowd(t *testing.T, phones []string, f func(ctx context.Context, ms []member) error) {
	t.Helper()
	var run func(ctx context.Context, done []member) error
	run = func(ctx context.Context, done []member) error {
		if len(done) == len(phones) {
			return f(ctx, done)
		}
		phone := phones[len(done)]
		box := newInbox()
		appID, appHash := s.app()
		c := telegram.NewClient(appID, appHash, s.options(dcs.Plain(dcs.PlainOptions{Protocol: transport.Intermediate}),
			&session.StorageMemory{}, box))
		return c.Run(ctx, func(ctx context.Context) error {
			if err := login(ctx, c, phone); err != nil {
				return fmt.Errorf("login %s: %w", phone, err)
			}
			me, err := c.Self(ctx)
			if err != nil {
				return err
			}
			return run(ctx, append(done, member{api: c.API(), me: me, box: box}))
		})
	}
	if err := run(ctxFor(t), nil); err != nil {
		t.Fatal(err)
	}
}

// serviceIn returns the service messages of chatID among updates.
func serviceIn(u tg.UpdatesClass, chatID int64) []*tg.MessageService {
	var out []*tg.MessageService
	for _, up := range updatesOf(u) {
		n, ok := up.(*tg.UpdateNewMessage)
		if !ok {
			continue
		}
		m, ok := n.Message.(*tg.MessageService)
		if !ok {
			continue
		}
		if p, ok := m.PeerID.(*tg.PeerChat); ok && p.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// actionName names an action for comparisons: its TL name and the users
// or title it carries.
func actionName(a tg.MessageActionClass) string {
	switch v := a.(type) {
	case *tg.MessageActionChatCreate:
		return fmt.Sprintf("create %q %v", v.Title, v.Users)
	case *tg.MessageActionChatAddUser:
		return fmt.Sprintf("add %v", v.Users)
	case *tg.MessageActionChatDeleteUser:
		return fmt.Sprintf("delete %d", v.UserID)
	case *tg.MessageActionChatEditTitle:
		return fmt.Sprintf("title %q", v.Title)
	case *tg.MessageActionChatJoinedByLink:
		return fmt.Sprintf("joined via %d", v.InviterID)
	}
	return a.TypeName()
}

// pushed waits until m was pushed a service message of chatID with the
// action named want.
func (m member) pushed(t *testing.T, chatID int64, want string) {
	t.Helper()
	m.box.wait(t, fmt.Sprintf("user %d: %s", m.me.ID, want), func(u tg.UpdatesClass) bool {
		for _, s := range serviceIn(u, chatID) {
			if actionName(s.Action) == want {
				return true
			}
		}
		return false
	})
}

// history returns the actions (and texts) of m's history of chatID, oldest
// first.
func (m member) history(ctx context.Context, chatID int64) ([]string, error) {
	res, err := m.api.MessagesGetHistory(ctx, &tg.MessagesGetHistoryRequest{Peer: &tg.InputPeerChat{ChatID: chatID}, Limit: 100})
	if err != nil {
		return nil, err
	}
	msgs, ok := res.(tg.ModifiedMessagesMessages)
	if !ok {
		return nil, fmt.Errorf("history %T", res)
	}
	var out []string
	list := msgs.GetMessages()
	for i := len(list) - 1; i >= 0; i-- {
		switch v := list[i].(type) {
		case *tg.MessageService:
			out = append(out, actionName(v.Action))
		case *tg.Message:
			out = append(out, "text "+v.Message)
		}
	}
	return out, nil
}

// TestBasicGroup: five users in a basic group joined by creation, by
// addChatUser and by an invite link; one leaves, one is kicked, the title
// changes. Every member gets each service message by push and in the
// history; the kicked user can no longer write; bad input fails with the
// official errors.
func TestBasicGroup(t *testing.T) {
	s := startServer(t)
	phones := []string{"9996628001", "9996628002", "9996628003", "9996628004", "9996628005"}
	s.crowd(t, phones, func(ctx context.Context, ms []member) error {
		a, b, c, d, e := ms[0], ms[1], ms[2], ms[3], ms[4]
		var users []*tg.User // b, c, d as a sees them
		for i, m := range ms[1:4] {
			name := fmt.Sprintf("grp5_%d", i)
			if _, err := m.api.AccountUpdateUsername(ctx, name); err != nil {
				return err
			}
			r, err := a.api.ContactsResolveUsername(ctx, &tg.ContactsResolveUsernameRequest{Username: name})
			if err != nil {
				return err
			}
			users = append(users, r.Users[0].(*tg.User))
		}
		ub, uc, ud := users[0], users[1], users[2]

		_, err := a.api.MessagesCreateChat(ctx, &tg.MessagesCreateChatRequest{Users: []tg.InputUserClass{ub.AsInput()}, Title: " "})
		wantErr(t, "empty title", err, "CHAT_TITLE_EMPTY")
		_, err = a.api.MessagesCreateChat(ctx, &tg.MessagesCreateChatRequest{Title: "x",
			Users: []tg.InputUserClass{&tg.InputUser{UserID: ub.ID, AccessHash: ub.AccessHash ^ 1}}})
		wantErr(t, "bad access hash", err, "USER_ID_INVALID")

		created, err := a.api.MessagesCreateChat(ctx, &tg.MessagesCreateChatRequest{
			Users: []tg.InputUserClass{ub.AsInput(), uc.AsInput()}, Title: "Five"})
		if err != nil {
			return fmt.Errorf("create: %w", err)
		}
		if len(created.MissingInvitees) != 0 {
			t.Errorf("missing invitees %v", created.MissingInvitees)
		}
		var chatID int64
		if u, ok := created.Updates.(*tg.Updates); ok {
			for _, ch := range u.Chats {
				if g, ok := ch.(*tg.Chat); ok && g.Title == "Five" && g.Creator && g.ParticipantsCount == 3 {
					chatID = g.ID
				}
			}
		}
		if chatID == 0 {
			return fmt.Errorf("create result %+v", created.Updates)
		}
		createName := fmt.Sprintf("create %q %v", "Five", []int64{a.me.ID, b.me.ID, c.me.ID})
		if got := serviceIn(created.Updates, chatID); len(got) != 1 || actionName(got[0].Action) != createName || !got[0].Out {
			t.Errorf("create updates %+v", got)
		}
		b.pushed(t, chatID, createName)
		c.pushed(t, chatID, createName)

		// A plain member adds d (default rights allow it).
		added, err := b.api.MessagesAddChatUser(ctx, &tg.MessagesAddChatUserRequest{ChatID: chatID,
			UserID: &tg.InputUser{UserID: ud.ID, AccessHash: mustHash(ctx, b, "grp5_2")}})
		if err != nil {
			return fmt.Errorf("add: %w", err)
		}
		addName := fmt.Sprintf("add [%d]", d.me.ID)
		if got := serviceIn(added.Updates, chatID); len(got) != 1 || actionName(got[0].Action) != addName {
			t.Errorf("add updates %+v", got)
		}
		for _, m := range []member{a, c, d} {
			m.pushed(t, chatID, addName)
		}
		_, err = a.api.MessagesAddChatUser(ctx, &tg.MessagesAddChatUserRequest{ChatID: chatID, UserID: ud.AsInput()})
		wantErr(t, "add twice", err, "USER_ALREADY_PARTICIPANT")

		// e joins by link.
		_, err = b.api.MessagesExportChatInvite(ctx, &tg.MessagesExportChatInviteRequest{Peer: &tg.InputPeerChat{ChatID: chatID}})
		wantErr(t, "member exports a link", err, "CHAT_ADMIN_REQUIRED")
		exp, err := a.api.MessagesExportChatInvite(ctx, &tg.MessagesExportChatInviteRequest{Peer: &tg.InputPeerChat{ChatID: chatID}})
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		link := exp.(*tg.ChatInviteExported)
		hash := link.Link[strings.LastIndex(link.Link, "+")+1:]
		if !link.Permanent || link.AdminID != a.me.ID || hash == "" {
			t.Errorf("link %+v", link)
		}
		_, err = e.api.MessagesCheckChatInvite(ctx, "nosuchhash")
		wantErr(t, "check bad hash", err, "INVITE_HASH_INVALID")
		_, err = e.api.MessagesImportChatInvite(ctx, "nosuchhash")
		wantErr(t, "import bad hash", err, "INVITE_HASH_INVALID")
		ci, err := e.api.MessagesCheckChatInvite(ctx, hash)
		if err != nil {
			return fmt.Errorf("check: %w", err)
		}
		if inv, ok := ci.(*tg.ChatInvite); !ok || inv.Title != "Five" || inv.ParticipantsCount != 4 {
			t.Errorf("check %+v", ci)
		}
		joined, err := e.api.MessagesImportChatInvite(ctx, hash)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		joinName := fmt.Sprintf("joined via %d", a.me.ID)
		if ok, is := joined.(*tg.MessagesChatInviteJoinResultOk); !is || len(serviceIn(ok.Updates, chatID)) != 1 {
			t.Errorf("import result %+v", joined)
		}
		for _, m := range []member{a, b, c, d} {
			m.pushed(t, chatID, joinName)
		}
		if ci, err := e.api.MessagesCheckChatInvite(ctx, hash); err != nil {
			t.Errorf("check as member: %v", err)
		} else if _, ok := ci.(*tg.ChatInviteAlready); !ok {
			t.Errorf("check as member %T", ci)
		}
		_, err = e.api.MessagesImportChatInvite(ctx, hash)
		wantErr(t, "join twice", err, "USER_ALREADY_PARTICIPANT")

		// A text message reaches everyone.
		if _, err := e.api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: &tg.InputPeerChat{ChatID: chatID},
			Message: "hello five", RandomID: rid()}); err != nil {
			return fmt.Errorf("send: %w", err)
		}

		// c leaves, a kicks d; an ordinary member cannot kick.
		_, err = e.api.MessagesDeleteChatUser(ctx, &tg.MessagesDeleteChatUserRequest{ChatID: chatID,
			UserID: &tg.InputUser{UserID: b.me.ID, AccessHash: mustHash(ctx, e, "grp5_0")}})
		wantErr(t, "member kicks", err, "CHAT_ADMIN_REQUIRED")
		if _, err := c.api.MessagesDeleteChatUser(ctx, &tg.MessagesDeleteChatUserRequest{ChatID: chatID,
			UserID: &tg.InputUserSelf{}}); err != nil {
			return fmt.Errorf("leave: %w", err)
		}
		leaveName := fmt.Sprintf("delete %d", c.me.ID)
		for _, m := range []member{a, b, d, e} {
			m.pushed(t, chatID, leaveName)
		}
		if _, err := a.api.MessagesDeleteChatUser(ctx, &tg.MessagesDeleteChatUserRequest{ChatID: chatID,
			UserID: ud.AsInput()}); err != nil {
			return fmt.Errorf("kick: %w", err)
		}
		kickName := fmt.Sprintf("delete %d", d.me.ID)
		for _, m := range []member{b, d, e} {
			m.pushed(t, chatID, kickName)
		}
		_, err = d.api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: &tg.InputPeerChat{ChatID: chatID},
			Message: "still here?", RandomID: rid()})
		if !tgerr.Is(err, "CHAT_WRITE_FORBIDDEN", "PEER_ID_INVALID") {
			t.Errorf("kicked user sends: %v", err)
		}
		if res, err := d.api.MessagesGetChats(ctx, []int64{chatID}); err != nil {
			t.Errorf("getChats as kicked: %v", err)
		} else if cs := res.GetChats(); len(cs) != 1 || cs[0].TypeID() != tg.ChatForbiddenTypeID {
			t.Errorf("kicked user sees %+v", cs)
		}

		// The title changes once; the same title is refused.
		if _, err := b.api.MessagesEditChatTitle(ctx, &tg.MessagesEditChatTitleRequest{ChatID: chatID, Title: "Three"}); err != nil {
			return fmt.Errorf("title: %w", err)
		}
		titleName := fmt.Sprintf("title %q", "Three")
		for _, m := range []member{a, e} {
			m.pushed(t, chatID, titleName)
		}
		_, err = a.api.MessagesEditChatTitle(ctx, &tg.MessagesEditChatTitleRequest{ChatID: chatID, Title: "Three"})
		wantErr(t, "same title", err, "CHAT_NOT_MODIFIED")
		_, err = d.api.MessagesEditChatTitle(ctx, &tg.MessagesEditChatTitleRequest{ChatID: chatID, Title: "Mine"})
		wantErr(t, "kicked user renames", err, "CHAT_ID_INVALID")
		_, err = a.api.MessagesEditChatTitle(ctx, &tg.MessagesEditChatTitleRequest{ChatID: 999999999, Title: "x"})
		wantErr(t, "missing chat", err, "CHAT_ID_INVALID")

		// Histories: each member saw what happened while a member.
		text := "text hello five"
		for _, tt := range []struct {
			m    member
			want []string
		}{
			{a, []string{createName, addName, joinName, text, leaveName, kickName, titleName}},
			{b, []string{createName, addName, joinName, text, leaveName, kickName, titleName}},
			{e, []string{joinName, text, leaveName, kickName, titleName}},
		} {
			got, err := tt.m.history(ctx, chatID)
			if err != nil {
				return fmt.Errorf("history of %d: %w", tt.m.me.ID, err)
			}
			if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
				t.Errorf("history of %d:\n got %q\nwant %q", tt.m.me.ID, got, tt.want)
			}
		}

		// A description, shown in the full chat; the same one again is
		// refused.
		if _, err := b.api.MessagesEditChatAbout(ctx, &tg.MessagesEditChatAboutRequest{
			Peer: &tg.InputPeerChat{ChatID: chatID}, About: "Our team"}); err != nil {
			return fmt.Errorf("edit about: %w", err)
		}
		_, err = b.api.MessagesEditChatAbout(ctx, &tg.MessagesEditChatAboutRequest{
			Peer: &tg.InputPeerChat{ChatID: chatID}, About: "Our team"})
		wantErr(t, "same about", err, "CHAT_ABOUT_NOT_MODIFIED")

		// The full chat lists the three members left, the creator first.
		full, err := a.api.MessagesGetFullChat(ctx, chatID)
		if err != nil {
			return fmt.Errorf("full chat: %w", err)
		}
		fc := full.FullChat.(*tg.ChatFull)
		if fc.About != "Our team" {
			t.Errorf("about %q", fc.About)
		}
		parts, ok := fc.Participants.(*tg.ChatParticipants)
		if !ok || len(parts.Participants) != 3 {
			t.Errorf("participants %+v", fc.Participants)
		} else if _, ok := parts.Participants[0].(*tg.ChatParticipantCreator); !ok {
			t.Errorf("first participant %+v", parts.Participants[0])
		}
		if inv, ok := fc.ExportedInvite.(*tg.ChatInviteExported); !ok || inv.Link != link.Link {
			t.Errorf("exported invite %+v", fc.ExportedInvite)
		}
		if len(full.Users) != 3 {
			t.Errorf("full chat users %d", len(full.Users))
		}

		// Admins and rights: b becomes admin; members lose the right to
		// invite, which then needs an admin.
		if _, err := b.api.MessagesEditChatAdmin(ctx, &tg.MessagesEditChatAdminRequest{ChatID: chatID,
			UserID: &tg.InputUser{UserID: e.me.ID, AccessHash: 0}, IsAdmin: true}); err == nil {
			t.Error("member with a bad access hash made an admin")
		}
		if ok, err := a.api.MessagesEditChatAdmin(ctx, &tg.MessagesEditChatAdminRequest{ChatID: chatID,
			UserID: ub.AsInput(), IsAdmin: true}); err != nil || !ok {
			t.Errorf("edit admin: %v %v", ok, err)
		}
		if _, err := a.api.MessagesEditChatDefaultBannedRights(ctx, &tg.MessagesEditChatDefaultBannedRightsRequest{
			Peer: &tg.InputPeerChat{ChatID: chatID}, BannedRights: tg.ChatBannedRights{InviteUsers: true}}); err != nil {
			t.Errorf("default rights: %v", err)
		}
		_, err = e.api.MessagesAddChatUser(ctx, &tg.MessagesAddChatUserRequest{ChatID: chatID, UserID: &tg.InputUserSelf{}})
		wantErr(t, "member adds when banned", err, "CHAT_ADMIN_REQUIRED")
		return nil
	})
}

// mustHash returns the access hash of the user named username as m sees
// it, or 0.
func mustHash(ctx context.Context, m member, username string) int64 {
	r, err := m.api.ContactsResolveUsername(ctx, &tg.ContactsResolveUsernameRequest{Username: username})
	if err != nil || len(r.Users) == 0 {
		return 0
	}
	return r.Users[0].(*tg.User).AccessHash
}
