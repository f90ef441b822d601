package api

import (
	"context"
	"errors"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// msgs serves messages.* for private chats, Saved Messages and basic
// groups.
type msgs struct{ cfg Config }

func registerMessages(srv *tg.Server, cfg Config) {
	m := &msgs{cfg: cfg}
	srv.OnMessagesSendMessage(m.sendMessage)
	srv.OnMessagesEditMessage(m.editMessage)
	srv.OnMessagesDeleteMessages(m.deleteMessages)
	srv.OnMessagesGetMessages(m.getMessages)
	srv.OnMessagesGetHistory(m.getHistory)
	srv.OnMessagesGetDialogs(m.getDialogs)
	srv.OnMessagesGetPeerDialogs(m.getPeerDialogs)
	srv.OnMessagesReadHistory(m.readHistory)
	srv.OnMessagesSetTyping(m.setTyping)
	u := &updatesAPI{cfg: cfg}
	srv.OnUpdatesGetState(u.getState)
	srv.OnUpdatesGetDifference(u.getDifference)
}

// origin names the calling session, whose result carries the change.
func origin(ctx context.Context) core.Origin {
	s, _ := rpc.SessionFrom(ctx)
	if s == nil {
		return core.Origin{}
	}
	return core.Origin{KeyID: s.AuthKey().ID, SessionID: s.ID()}
}

// inputPeer resolves an InputPeer for viewer, checking access hashes.
func (m *msgs) inputPeer(ctx context.Context, viewer int64, in tg.InputPeerClass) (store.Peer, error) {
	switch p := in.(type) {
	case *tg.InputPeerSelf:
		return store.Peer{Kind: store.PeerUser, ID: viewer}, nil
	case *tg.InputPeerUser:
		if p.UserID == viewer {
			return store.Peer{Kind: store.PeerUser, ID: viewer}, nil
		}
		if !m.cfg.Core.CheckAccessHash("user", viewer, p.UserID, p.AccessHash) {
			return store.Peer{}, core.ErrPeerIDInvalid
		}
		return store.Peer{Kind: store.PeerUser, ID: p.UserID}, nil
	case *tg.InputPeerChat:
		peer := store.Peer{Kind: store.PeerChat, ID: p.ChatID}
		if _, err := m.cfg.Store.Chats().Member(ctx, p.ChatID, viewer); err != nil {
			// A former member keeps reading the history he has; sending
			// is refused by core.
			if _, err := m.cfg.Core.Dialog(ctx, viewer, peer); err != nil {
				return store.Peer{}, core.ErrPeerIDInvalid
			}
		}
		return peer, nil
	}
	return store.Peer{}, core.ErrPeerIDInvalid
}

func replyToID(r tg.InputReplyToClass) int32 {
	if m, ok := r.(*tg.InputReplyToMessage); ok {
		return m.ReplyToMsgID
	}
	return 0
}

func (m *msgs) sendMessage(ctx context.Context, req *tg.MessagesSendMessageRequest) (tg.UpdatesClass, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	peer, err := m.inputPeer(ctx, viewer, req.Peer)
	if err != nil {
		return nil, err
	}
	if req.ScheduleDate != 0 {
		return nil, &core.Error{Code: 400, Message: "SCHEDULE_DATE_INVALID"} // scheduled messages come later
	}
	es := coreEntities(req.Entities)
	markup, err := coreMarkup(req.ReplyMarkup)
	if err != nil {
		return nil, err
	}
	sent, err := m.cfg.Core.SendMessage(ctx, core.Send{From: viewer, To: peer, Text: req.Message, Entities: es,
		ReplyTo: replyToID(req.ReplyTo), Silent: req.Silent, NoForwards: req.Noforwards, RandomID: req.RandomID,
		ClearDraft: req.ClearDraft, ReplyMarkup: markup, Origin: origin(ctx)})
	if err != nil {
		return nil, err
	}
	msg := sent.Message
	if sent.Pts == 0 { // a retry: nothing new happened
		st, err := m.cfg.Core.State(ctx, viewer)
		if err != nil {
			return nil, err
		}
		sent.Pts = st.Pts
	}
	if peer.Kind == store.PeerUser {
		out := &tg.UpdateShortSentMessage{Out: true, ID: msg.ID, Pts: sent.Pts, PtsCount: sent.PtsCount,
			Date: int32(msg.Date.Unix())}
		if stored := core.DecodeEntities(msg.Entities); len(stored) != len(es) {
			out.Entities = tgEntities(stored) // the server added some (bot commands)
		}
		return out, nil
	}
	pe := newMentioned()
	pe.message(msg)
	users, chats := pe.resolve(ctx, m.cfg, viewer)
	return &tg.Updates{Updates: []tg.UpdateClass{
		&tg.UpdateMessageID{ID: msg.ID, RandomID: req.RandomID},
		&tg.UpdateNewMessage{Message: message(msg), Pts: sent.Pts, PtsCount: sent.PtsCount},
	}, Users: users, Chats: chats, Date: int32(msg.Date.Unix())}, nil
}

func (m *msgs) editMessage(ctx context.Context, req *tg.MessagesEditMessageRequest) (tg.UpdatesClass, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	peer, err := m.inputPeer(ctx, viewer, req.Peer)
	if err != nil {
		return nil, err
	}
	if req.Media != nil {
		// Media arrive with file uploads; until then an edit of media is
		// refused as unsupported input.
		return nil, &core.Error{Code: 400, Message: "MEDIA_INVALID"}
	}
	e := core.Edit{Editor: viewer, Peer: peer, ID: req.ID, Origin: origin(ctx)}
	if req.Flags.Has(11) || req.Message != "" {
		e.Text, e.Entities = &req.Message, coreEntities(req.Entities)
	}
	if req.Flags.Has(2) || req.ReplyMarkup != nil {
		if !m.cfg.Core.IsBot(ctx, viewer) {
			return nil, core.ErrReplyMarkupInvalid // only bots attach keyboards
		}
		if e.Markup, err = coreMarkup(req.ReplyMarkup); err != nil {
			return nil, err
		}
		e.SetMarkup = true
	}
	if e.Text == nil && !e.SetMarkup {
		return nil, core.ErrMessageEmpty
	}
	msg, pts, err := m.cfg.Core.Edit(ctx, e)
	if err != nil {
		return nil, err
	}
	pe := newMentioned()
	pe.message(msg)
	users, chats := pe.resolve(ctx, m.cfg, viewer)
	return &tg.Updates{Updates: []tg.UpdateClass{&tg.UpdateEditMessage{Message: message(msg), Pts: pts, PtsCount: 1}},
		Users: users, Chats: chats, Date: int32(time.Now().Unix())}, nil
}

func (m *msgs) deleteMessages(ctx context.Context, req *tg.MessagesDeleteMessagesRequest) (*tg.MessagesAffectedMessages, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	a, err := m.cfg.Core.DeleteMessages(ctx, viewer, req.ID, req.Revoke, origin(ctx))
	if err != nil {
		return nil, err
	}
	return &tg.MessagesAffectedMessages{Pts: a.Pts, PtsCount: a.PtsCount}, nil
}

func (m *msgs) getMessages(ctx context.Context, req *tg.MessagesGetMessagesRequest) (tg.MessagesMessagesClass, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int32, 0, len(req.ID))
	for _, in := range req.ID {
		if v, ok := in.(*tg.InputMessageID); ok {
			ids = append(ids, v.ID)
		}
	}
	ms, err := m.cfg.Core.Messages(ctx, viewer, ids)
	if err != nil {
		return nil, err
	}
	// One answer per id asked, in that order; messageEmpty for an id the
	// box does not hold (deleted, or never there), as Telegram answers.
	byID := make(map[int32]store.Message, len(ms))
	pe := newMentioned()
	for _, x := range ms {
		byID[x.ID] = x
		pe.message(x)
	}
	out := make([]tg.MessageClass, 0, len(ids))
	for _, id := range ids {
		if x, ok := byID[id]; ok {
			out = append(out, message(x))
		} else {
			out = append(out, &tg.MessageEmpty{ID: id})
		}
	}
	users, chats := pe.resolve(ctx, m.cfg, viewer)
	return &tg.MessagesMessages{Messages: out, Users: users, Chats: chats}, nil
}

// messagesResult wraps messages with their users and chats: the slice
// form when the total exceeds what is returned.
func (m *msgs) messagesResult(ctx context.Context, viewer int64, ms []store.Message, total int) (tg.MessagesMessagesClass, error) {
	pe := newMentioned()
	for _, x := range ms {
		pe.message(x)
	}
	users, chats := pe.resolve(ctx, m.cfg, viewer)
	if total > len(ms) {
		return &tg.MessagesMessagesSlice{Count: int32(total), Messages: messages(ms), Users: users, Chats: chats}, nil
	}
	return &tg.MessagesMessages{Messages: messages(ms), Users: users, Chats: chats}, nil
}

func (m *msgs) getHistory(ctx context.Context, req *tg.MessagesGetHistoryRequest) (tg.MessagesMessagesClass, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	peer, err := m.inputPeer(ctx, viewer, req.Peer)
	if err != nil {
		return nil, err
	}
	var offsetDate time.Time
	if req.OffsetDate != 0 {
		offsetDate = time.Unix(int64(req.OffsetDate), 0)
	}
	ms, total, err := m.cfg.Core.History(ctx, viewer, peer, core.HistoryPage{OffsetID: req.OffsetID, OffsetDate: offsetDate,
		AddOffset: req.AddOffset, Limit: req.Limit, MaxID: req.MaxID, MinID: req.MinID})
	if err != nil {
		return nil, err
	}
	if req.Hash != 0 && req.Hash == historyHash(ms) {
		return &tg.MessagesMessagesNotModified{Count: int32(total)}, nil
	}
	return m.messagesResult(ctx, viewer, ms, total)
}

// historyHash is the official hash of a message list: the ids, and the
// edit dates of edited messages.
func historyHash(ms []store.Message) int64 {
	vals := make([]int64, 0, 2*len(ms))
	for _, x := range ms {
		vals = append(vals, int64(x.ID))
		if !x.EditDate.IsZero() {
			vals = append(vals, x.EditDate.Unix())
		}
	}
	return core.PaginationHash(vals...)
}

func (m *msgs) getDialogs(ctx context.Context, req *tg.MessagesGetDialogsRequest) (tg.MessagesDialogsClass, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	var offsetDate time.Time
	if req.OffsetDate != 0 {
		offsetDate = time.Unix(int64(req.OffsetDate), 0)
	}
	ds, ms, err := m.cfg.Core.Dialogs(ctx, viewer, core.DialogsPage{OffsetDate: offsetDate, OffsetID: req.OffsetID,
		Limit: req.Limit, FolderID: req.FolderID, ExcludePinned: req.ExcludePinned})
	if err != nil {
		return nil, err
	}
	return m.dialogsResult(ctx, viewer, ds, ms)
}

func (m *msgs) dialogsResult(ctx context.Context, viewer int64, ds []store.Dialog, ms []store.Message) (*tg.MessagesDialogs, error) {
	pe := newMentioned()
	out := &tg.MessagesDialogs{Dialogs: make([]tg.DialogClass, 0, len(ds))}
	for _, d := range ds {
		pe.add(d.Peer)
		out.Dialogs = append(out.Dialogs, dialog(d))
	}
	for _, x := range ms {
		pe.message(x)
	}
	out.Messages = messages(ms)
	out.Users, out.Chats = pe.resolve(ctx, m.cfg, viewer)
	return out, nil
}

func (m *msgs) getPeerDialogs(ctx context.Context, req *tg.MessagesGetPeerDialogsRequest) (*tg.MessagesPeerDialogs, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	var ds []store.Dialog
	var ids []int32
	for _, in := range req.Peers {
		ip, ok := in.(*tg.InputDialogPeer)
		if !ok {
			continue
		}
		peer, err := m.inputPeer(ctx, viewer, ip.Peer)
		if err != nil {
			return nil, err
		}
		d, err := m.cfg.Core.Dialog(ctx, viewer, peer)
		if errors.Is(err, store.ErrNotFound) {
			d = store.Dialog{OwnerID: viewer, Peer: peer}
		} else if err != nil {
			return nil, err
		}
		ds = append(ds, d)
		if d.TopMessage != 0 {
			ids = append(ids, d.TopMessage)
		}
	}
	ms, err := m.cfg.Core.Messages(ctx, viewer, ids)
	if err != nil {
		return nil, err
	}
	return m.peerDialogs(ctx, viewer, ds, ms)
}

// peerDialogs wraps dialogs as messages.peerDialogs, with the state.
func (m *msgs) peerDialogs(ctx context.Context, viewer int64, ds []store.Dialog, ms []store.Message) (*tg.MessagesPeerDialogs, error) {
	res, err := m.dialogsResult(ctx, viewer, ds, ms)
	if err != nil {
		return nil, err
	}
	st, err := m.cfg.Core.State(ctx, viewer)
	if err != nil {
		return nil, err
	}
	return &tg.MessagesPeerDialogs{Dialogs: res.Dialogs, Messages: res.Messages, Users: res.Users, Chats: res.Chats,
		State: state(st)}, nil
}

func (m *msgs) readHistory(ctx context.Context, req *tg.MessagesReadHistoryRequest) (*tg.MessagesAffectedMessages, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	peer, err := m.inputPeer(ctx, viewer, req.Peer)
	if err != nil {
		return nil, err
	}
	a, err := m.cfg.Core.ReadHistory(ctx, viewer, peer, req.MaxID, origin(ctx))
	if err != nil {
		return nil, err
	}
	return &tg.MessagesAffectedMessages{Pts: a.Pts, PtsCount: a.PtsCount}, nil
}

func (m *msgs) setTyping(ctx context.Context, req *tg.MessagesSetTypingRequest) (bool, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	peer, err := m.inputPeer(ctx, viewer, req.Peer)
	if err != nil {
		return false, err
	}
	return true, m.cfg.Core.SetTyping(ctx, viewer, peer, actionName(req.Action))
}
