package e2e

import (
	"context"
	"sync"
	"testing"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/tg"
)

// hasUpdate reports whether a pushed container carries an update f
// accepts.
func hasUpdate(f func(tg.UpdateClass) bool) func(tg.UpdatesClass) bool {
	return func(u tg.UpdatesClass) bool {
		for _, x := range updatesOf(u) {
			if f(x) {
				return true
			}
		}
		return false
	}
}

// TestMessagesMore: forwarding, search, mentions, pinned messages,
// pinned dialogs and drafts between two users, with Alice's second
// session told of her changes, and the errors of bad input.
func TestMessagesMore(t *testing.T) {
	s := startServer(t)
	for _, u := range []struct{ phone, name string }{{"9996629001", "alice_more"}, {"9996629002", "bob_more"}} {
		s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
			if err := login(ctx, c, u.phone); err != nil {
				return err
			}
			_, err := c.API().AccountUpdateUsername(ctx, u.name)
			return err
		})
	}
	// Bob writes to Alice: a plain message and a mention of her.
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		if err := login(ctx, c, "9996629002"); err != nil {
			return err
		}
		alice, err := resolve(ctx, c, "alice_more")
		if err != nil {
			return err
		}
		if _, err := c.API().MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(alice),
			Message: "an apple pie recipe", RandomID: rid()}); err != nil {
			return err
		}
		_, err = c.API().MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(alice),
			Message: "hey Alice, apples?", RandomID: rid(), Entities: []tg.MessageEntityClass{&tg.InputMessageEntityMentionName{
				Offset: 4, Length: 5, UserID: &tg.InputUser{UserID: alice.ID, AccessHash: alice.AccessHash}}}})
		return err
	})

	secondStore := &session.StorageMemory{}
	s.userClient(t, secondStore, func(ctx context.Context, c *telegram.Client) error { return login(ctx, c, "9996629001") })
	box := newInbox()
	var wg sync.WaitGroup
	ready, done := make(chan struct{}), make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.liveClient(t, secondStore, box, func(ctx context.Context, c *telegram.Client) error {
			if _, err := c.API().UpdatesGetState(ctx); err != nil {
				return err
			}
			close(ready)
			<-done
			return nil
		})
	}()
	<-ready
	s.userClient(t, nil, func(ctx context.Context, c *telegram.Client) error {
		defer close(done)
		if err := login(ctx, c, "9996629001"); err != nil {
			return err
		}
		api := c.API()
		bob, err := resolve(ctx, c, "bob_more")
		if err != nil {
			return err
		}
		hist, err := api.MessagesGetHistory(ctx, &tg.MessagesGetHistoryRequest{Peer: inputPeer(bob), Limit: 10})
		if err != nil {
			return err
		}
		ms := hist.(*tg.MessagesMessages).Messages
		if len(ms) != 2 {
			t.Fatalf("history has %d messages", len(ms))
		}
		mention, pie := ms[0].(*tg.Message), ms[1].(*tg.Message)

		// Forward Bob's message to Saved Messages.
		fr, err := api.MessagesForwardMessages(ctx, &tg.MessagesForwardMessagesRequest{FromPeer: inputPeer(bob),
			ToPeer: &tg.InputPeerSelf{}, ID: []int{pie.ID}, RandomID: []int64{rid()}})
		if err != nil {
			return err
		}
		ups := updatesOf(fr)
		if len(ups) != 2 {
			t.Fatalf("forward result %+v", fr)
		}
		if _, ok := ups[0].(*tg.UpdateMessageID); !ok {
			t.Errorf("first update %T", ups[0])
		}
		nm, ok := ups[1].(*tg.UpdateNewMessage)
		if !ok {
			t.Fatalf("second update %T", ups[1])
		}
		fm := nm.Message.(*tg.Message)
		fwd, ok := fm.GetFwdFrom()
		if !ok || fm.Message != pie.Message || fwd.Date != pie.Date {
			t.Errorf("forwarded %+v header %+v", fm, fwd)
		}
		if from, ok := fwd.FromID.(*tg.PeerUser); !ok || from.UserID != bob.ID || fwd.SavedFromMsgID != pie.ID {
			t.Errorf("header %+v", fwd)
		}
		box.wait(t, "second session sees the forward", hasUpdate(func(u tg.UpdateClass) bool {
			n, ok := u.(*tg.UpdateNewMessage)
			if !ok {
				return false
			}
			_, fwd := n.Message.(*tg.Message).GetFwdFrom()
			return fwd && n.Message.(*tg.Message).ID == fm.ID
		}))
		// drop_author: no header.
		fr, err = api.MessagesForwardMessages(ctx, &tg.MessagesForwardMessagesRequest{FromPeer: inputPeer(bob),
			ToPeer: inputPeer(bob), ID: []int{pie.ID}, RandomID: []int64{rid()}, DropAuthor: true})
		if err != nil {
			return err
		}
		if m := updatesOf(fr)[1].(*tg.UpdateNewMessage).Message.(*tg.Message); m.Flags.Has(2) || !m.Out {
			t.Errorf("drop_author %+v", m)
		}
		_, err = api.MessagesForwardMessages(ctx, &tg.MessagesForwardMessagesRequest{FromPeer: inputPeer(bob),
			ToPeer: inputPeer(bob), ID: []int{pie.ID}, RandomID: nil})
		wantErr(t, "no random ids", err, "RANDOM_ID_INVALID")
		_, err = api.MessagesForwardMessages(ctx, &tg.MessagesForwardMessagesRequest{FromPeer: inputPeer(bob),
			ToPeer: inputPeer(bob), ID: []int{}, RandomID: []int64{}})
		wantErr(t, "no ids", err, "MESSAGE_IDS_EMPTY")
		_, err = api.MessagesForwardMessages(ctx, &tg.MessagesForwardMessagesRequest{FromPeer: inputPeer(bob),
			ToPeer: inputPeer(bob), ID: []int{99999}, RandomID: []int64{rid()}})
		wantErr(t, "missing id", err, "MESSAGE_ID_INVALID")
		prot, err := api.MessagesSendMessage(ctx, &tg.MessagesSendMessageRequest{Peer: inputPeer(bob), Message: "protected",
			RandomID: rid(), Noforwards: true})
		if err != nil {
			return err
		}
		_, err = api.MessagesForwardMessages(ctx, &tg.MessagesForwardMessagesRequest{FromPeer: inputPeer(bob),
			ToPeer: &tg.InputPeerSelf{}, ID: []int{prot.(*tg.UpdateShortSentMessage).ID}, RandomID: []int64{rid()}})
		wantErr(t, "noforwards", err, "CHAT_FORWARDS_RESTRICTED")

		// Search: one dialog, everywhere, paging.
		sr, err := api.MessagesSearch(ctx, &tg.MessagesSearchRequest{Peer: inputPeer(bob), Q: "APPLE",
			Filter: &tg.InputMessagesFilterEmpty{}, Limit: 10})
		if err != nil {
			return err
		}
		if sl, ok := sr.(*tg.MessagesMessagesSlice); !ok || sl.Count != 3 || len(sl.Messages) != 3 {
			t.Errorf("search in bob's dialog: %+v", sr)
		}
		sr, err = api.MessagesSearch(ctx, &tg.MessagesSearchRequest{Peer: inputPeer(bob), Q: "apple",
			Filter: &tg.InputMessagesFilterPhotos{}, Limit: 10})
		if err != nil {
			return err
		}
		if n := len(sr.(*tg.MessagesMessages).Messages); n != 0 {
			t.Errorf("photo filter found %d", n)
		}
		gr, err := api.MessagesSearchGlobal(ctx, &tg.MessagesSearchGlobalRequest{Q: "apple",
			Filter: &tg.InputMessagesFilterEmpty{}, OffsetPeer: &tg.InputPeerEmpty{}, Limit: 2})
		if err != nil {
			return err
		}
		page := gr.(*tg.MessagesMessagesSlice)
		if page.Count != 4 || len(page.Messages) != 2 || page.NextRate == 0 {
			t.Errorf("global page 1: count %d, %d messages, next rate %d", page.Count, len(page.Messages), page.NextRate)
		}
		last := page.Messages[1].(*tg.Message)
		gr, err = api.MessagesSearchGlobal(ctx, &tg.MessagesSearchGlobalRequest{Q: "apple",
			Filter: &tg.InputMessagesFilterEmpty{}, OffsetRate: page.NextRate, OffsetPeer: &tg.InputPeerEmpty{},
			OffsetID: last.ID, Limit: 2})
		if err != nil {
			return err
		}
		if p2 := gr.(*tg.MessagesMessagesSlice); len(p2.Messages) != 2 || p2.Messages[0].(*tg.Message).ID >= last.ID {
			t.Errorf("global page 2: %+v", p2)
		}
		_, err = api.MessagesSearchGlobal(ctx, &tg.MessagesSearchGlobalRequest{Q: "",
			Filter: &tg.InputMessagesFilterEmpty{}, OffsetPeer: &tg.InputPeerEmpty{}, Limit: 2})
		wantErr(t, "empty global query", err, "SEARCH_QUERY_EMPTY")

		// Mentions.
		um, err := api.MessagesGetUnreadMentions(ctx, &tg.MessagesGetUnreadMentionsRequest{Peer: inputPeer(bob), Limit: 10})
		if err != nil {
			return err
		}
		if got := um.(*tg.MessagesMessages).Messages; len(got) != 1 || got[0].(*tg.Message).ID != mention.ID {
			t.Errorf("unread mentions %+v", got)
		}
		aff, err := api.MessagesReadMentions(ctx, &tg.MessagesReadMentionsRequest{Peer: inputPeer(bob)})
		if err != nil {
			return err
		}
		if aff.PtsCount != 1 {
			t.Errorf("read mentions %+v", aff)
		}
		box.wait(t, "second session sees the mention read", hasUpdate(func(u tg.UpdateClass) bool {
			r, ok := u.(*tg.UpdateReadMessagesContents)
			return ok && len(r.Messages) == 1 && r.Messages[0] == mention.ID
		}))
		pd, err := api.MessagesGetPeerDialogs(ctx, []tg.InputDialogPeerClass{&tg.InputDialogPeer{Peer: inputPeer(bob)}})
		if err != nil {
			return err
		}
		if d := pd.Dialogs[0].(*tg.Dialog); d.UnreadMentionsCount != 0 {
			t.Errorf("unread mentions left %d", d.UnreadMentionsCount)
		}
		rc, err := api.MessagesReadMessageContents(ctx, []int{mention.ID})
		if err != nil {
			return err
		}
		if rc.PtsCount != 0 {
			t.Errorf("reading read contents moved pts: %+v", rc)
		}

		// Pinned messages.
		pu, err := api.MessagesUpdatePinnedMessage(ctx, &tg.MessagesUpdatePinnedMessageRequest{Peer: inputPeer(bob), ID: pie.ID})
		if err != nil {
			return err
		}
		if p, ok := updatesOf(pu)[0].(*tg.UpdatePinnedMessages); !ok || !p.Pinned || p.Messages[0] != pie.ID || p.PtsCount != 1 {
			t.Errorf("pin result %+v", pu)
		}
		box.wait(t, "second session sees the pin", hasUpdate(func(u tg.UpdateClass) bool {
			p, ok := u.(*tg.UpdatePinnedMessages)
			return ok && p.Pinned && p.Messages[0] == pie.ID
		}))
		_, err = api.MessagesUpdatePinnedMessage(ctx, &tg.MessagesUpdatePinnedMessageRequest{Peer: inputPeer(bob), ID: 99999})
		wantErr(t, "pin a missing message", err, "MESSAGE_ID_INVALID")
		ah, err := api.MessagesUnpinAllMessages(ctx, &tg.MessagesUnpinAllMessagesRequest{Peer: inputPeer(bob)})
		if err != nil {
			return err
		}
		if ah.PtsCount != 1 {
			t.Errorf("unpin all %+v", ah)
		}

		// Pinned dialogs.
		if _, err := api.MessagesToggleDialogPin(ctx, &tg.MessagesToggleDialogPinRequest{Pinned: true,
			Peer: &tg.InputDialogPeer{Peer: inputPeer(bob)}}); err != nil {
			return err
		}
		box.wait(t, "second session sees the dialog pinned", hasUpdate(func(u tg.UpdateClass) bool {
			p, ok := u.(*tg.UpdateDialogPinned)
			return ok && p.Pinned
		}))
		if _, err := api.MessagesToggleDialogPin(ctx, &tg.MessagesToggleDialogPinRequest{Pinned: true,
			Peer: &tg.InputDialogPeer{Peer: &tg.InputPeerSelf{}}}); err != nil {
			return err
		}
		if _, err := api.MessagesReorderPinnedDialogs(ctx, &tg.MessagesReorderPinnedDialogsRequest{Force: true,
			Order: []tg.InputDialogPeerClass{&tg.InputDialogPeer{Peer: inputPeer(bob)}, &tg.InputDialogPeer{Peer: &tg.InputPeerSelf{}}}}); err != nil {
			return err
		}
		pinned, err := api.MessagesGetPinnedDialogs(ctx, 0)
		if err != nil {
			return err
		}
		if len(pinned.Dialogs) != 2 || pinned.Dialogs[0].(*tg.Dialog).Peer.(*tg.PeerUser).UserID != bob.ID ||
			!pinned.Dialogs[0].(*tg.Dialog).Pinned {
			t.Errorf("pinned dialogs %+v", pinned.Dialogs)
		}
		_, err = api.MessagesToggleDialogPin(ctx, &tg.MessagesToggleDialogPinRequest{Pinned: true,
			Peer: &tg.InputDialogPeer{Peer: &tg.InputPeerUser{UserID: bob.ID, AccessHash: bob.AccessHash + 1}}})
		wantErr(t, "pin with a wrong access hash", err, "PEER_ID_INVALID")
		_, err = api.MessagesGetPinnedDialogs(ctx, 7)
		wantErr(t, "unknown folder", err, "FOLDER_ID_INVALID")

		// Drafts.
		if _, err := api.MessagesSaveDraft(ctx, &tg.MessagesSaveDraftRequest{Peer: inputPeer(bob), Message: "half a thought",
			Entities: []tg.MessageEntityClass{&tg.MessageEntityBold{Offset: 0, Length: 4}}}); err != nil {
			return err
		}
		box.wait(t, "second session sees the draft", hasUpdate(func(u tg.UpdateClass) bool {
			d, ok := u.(*tg.UpdateDraftMessage)
			if !ok {
				return false
			}
			dm, ok := d.Draft.(*tg.DraftMessage)
			return ok && dm.Message == "half a thought" && len(dm.Entities) == 1
		}))
		all, err := api.MessagesGetAllDrafts(ctx)
		if err != nil {
			return err
		}
		if ups := updatesOf(all); len(ups) != 1 || ups[0].(*tg.UpdateDraftMessage).Draft.(*tg.DraftMessage).Message != "half a thought" {
			t.Errorf("all drafts %+v", all)
		}
		_, err = api.MessagesSaveDraft(ctx, &tg.MessagesSaveDraftRequest{Peer: inputPeer(bob), Message: "bad",
			Entities: []tg.MessageEntityClass{&tg.MessageEntityBold{Offset: 2, Length: 9}}})
		wantErr(t, "draft entity out of bounds", err, "ENTITY_BOUNDS_INVALID")
		if _, err := api.MessagesSaveDraft(ctx, &tg.MessagesSaveDraftRequest{Peer: inputPeer(bob)}); err != nil {
			return err
		}
		box.wait(t, "second session sees the draft cleared", hasUpdate(func(u tg.UpdateClass) bool {
			d, ok := u.(*tg.UpdateDraftMessage)
			if !ok {
				return false
			}
			_, empty := d.Draft.(*tg.DraftMessageEmpty)
			return empty
		}))
		return nil
	})
	wg.Wait()
}
