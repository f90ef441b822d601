package api

import (
	"context"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// registerMessagesMore installs forwarding, search, mentions, pinned
// messages, pinned dialogs and drafts of private chats and basic groups.
func registerMessagesMore(srv *tg.Server, cfg Config) {
	m := &msgs{cfg: cfg}
	srv.OnMessagesForwardMessages(m.forwardMessages)
	srv.OnMessagesSearch(m.search)
	srv.OnMessagesSearchGlobal(m.searchGlobal)
	srv.OnMessagesGetUnreadMentions(m.getUnreadMentions)
	srv.OnMessagesReadMentions(m.readMentions)
	srv.OnMessagesReadMessageContents(m.readMessageContents)
	srv.OnMessagesUpdatePinnedMessage(m.updatePinnedMessage)
	srv.OnMessagesUnpinAllMessages(m.unpinAllMessages)
	srv.OnMessagesToggleDialogPin(m.toggleDialogPin)
	srv.OnMessagesReorderPinnedDialogs(m.reorderPinnedDialogs)
	srv.OnMessagesGetPinnedDialogs(m.getPinnedDialogs)
	srv.OnMessagesSaveDraft(m.saveDraft)
	srv.OnMessagesGetAllDrafts(m.getAllDrafts)
}

// errTopicsUnsupported answers a forum-topic argument, which private
// chats and basic groups do not have.
var errTopicsUnsupported = &core.Error{Code: 400, Message: "TOPIC_ID_INVALID"}

// fwdHeader converts a stored forward header, nil for none.
func fwdHeader(b []byte) *tg.MessageFwdHeader {
	h, ok := core.DecodeFwdHeader(b)
	if !ok {
		return nil
	}
	out := &tg.MessageFwdHeader{Date: int32(h.Date.Unix())}
	if h.FromID != 0 {
		out.FromID = &tg.PeerUser{UserID: h.FromID}
	}
	if h.SavedFromPeer != nil {
		out.SavedFromPeer, out.SavedFromMsgID = peerOf(*h.SavedFromPeer), h.SavedFromMsgID
	}
	return out
}

// fwdPeers lists the peers a message's forward header names, which the
// containers carrying it must include.
func fwdPeers(m store.Message) []store.Peer {
	h, ok := core.DecodeFwdHeader(m.FwdFrom)
	if !ok {
		return nil
	}
	var out []store.Peer
	if h.FromID != 0 {
		out = append(out, store.Peer{Kind: store.PeerUser, ID: h.FromID})
	}
	if h.SavedFromPeer != nil {
		out = append(out, *h.SavedFromPeer)
	}
	return out
}

// moreEntryUpdate converts the log entries of this file's methods, nil
// for other kinds.
func moreEntryUpdate(e core.Entry) tg.UpdateClass {
	ev := e.Event
	switch ev.Kind {
	case core.EventReadContents:
		return &tg.UpdateReadMessagesContents{Messages: ev.IDs, Pts: e.Pts, PtsCount: e.PtsCount, Date: int32(e.Date.Unix())}
	case core.EventPinned:
		if ev.Peer != nil {
			return &tg.UpdatePinnedMessages{Pinned: ev.Pinned, Peer: peerOf(*ev.Peer), Messages: ev.IDs, Pts: e.Pts,
				PtsCount: e.PtsCount}
		}
	case core.EventDialogPinned:
		if ev.Peer != nil {
			return &tg.UpdateDialogPinned{Pinned: ev.Pinned, Peer: &tg.DialogPeer{Peer: peerOf(*ev.Peer)}}
		}
	case core.EventPinnedDialogs:
		return &tg.UpdatePinnedDialogs{} // no order: the client fetches the pinned dialogs
	case core.EventDraft:
		if ev.Peer != nil {
			return &tg.UpdateDraftMessage{Peer: peerOf(*ev.Peer), Draft: draftMessage(ev.Draft, e.Date)}
		}
	case core.EventBotCallback:
		if cb := ev.Callback; cb != nil && ev.Peer != nil && len(ev.IDs) == 1 {
			return &tg.UpdateBotCallbackQuery{QueryID: cb.ID, UserID: cb.From, Peer: peerOf(*ev.Peer), MsgID: ev.IDs[0],
				ChatInstance: cb.ChatInstance, Data: cb.Data}
		}
	}
	return nil
}

func (m *msgs) forwardMessages(ctx context.Context, req *tg.MessagesForwardMessagesRequest) (tg.UpdatesClass, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if req.ScheduleDate != 0 {
		return nil, &core.Error{Code: 400, Message: "SCHEDULE_DATE_INVALID"}
	}
	if req.TopMsgID != 0 {
		return nil, errTopicsUnsupported
	}
	from, err := m.inputPeer(ctx, viewer, req.FromPeer)
	if err != nil {
		return nil, err
	}
	to, err := m.inputPeer(ctx, viewer, req.ToPeer)
	if err != nil {
		return nil, err
	}
	res, err := m.cfg.Core.ForwardMessages(ctx, core.Forward{From: viewer, FromPeer: from, ToPeer: to, IDs: req.ID,
		RandomIDs: req.RandomID, DropAuthor: req.DropAuthor, DropMediaCaptions: req.DropMediaCaptions,
		Silent: req.Silent, NoForwards: req.Noforwards, Origin: origin(ctx)})
	if err != nil {
		return nil, err
	}
	pe := newMentioned()
	var ups []tg.UpdateClass
	for i, msg := range res.Messages {
		pe.message(msg)
		ups = append(ups, &tg.UpdateMessageID{ID: msg.ID, RandomID: msg.RandomID})
		if res.Pts[i] == 0 {
			continue // a retry: the messages were delivered by the first call
		}
		ups = append(ups, &tg.UpdateNewMessage{Message: message(msg), Pts: res.Pts[i], PtsCount: 1})
	}
	users, chats := pe.resolve(ctx, m.cfg, viewer)
	return &tg.Updates{Updates: ups, Users: users, Chats: chats, Date: int32(time.Now().Unix())}, nil
}

// dates converts min_date/max_date arguments (0: unbounded).
func dates(minDate, maxDate int32) (time.Time, time.Time) {
	var from, to time.Time
	if minDate > 0 {
		from = time.Unix(int64(minDate), 0)
	}
	if maxDate > 0 {
		to = time.Unix(int64(maxDate), 0)
	}
	return from, to
}

// plainFilter reports the filter of a text search Roost can serve; with
// another filter (photos, links, ...) nothing matches, as no stored
// message has such content yet.
func plainFilter(f tg.MessagesFilterClass) bool {
	_, ok := f.(*tg.InputMessagesFilterEmpty)
	return ok || f == nil
}

func (m *msgs) search(ctx context.Context, req *tg.MessagesSearchRequest) (tg.MessagesMessagesClass, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if req.TopMsgID != 0 {
		return nil, errTopicsUnsupported
	}
	var peer store.Peer
	if _, all := req.Peer.(*tg.InputPeerEmpty); !all {
		if peer, err = m.inputPeer(ctx, viewer, req.Peer); err != nil {
			return nil, err
		}
	}
	if req.FromID != nil || req.SavedPeerID != nil || len(req.SavedReaction) > 0 || !plainFilter(req.Filter) {
		return &tg.MessagesMessages{}, nil // no stored message matches these filters yet
	}
	from, to := dates(req.MinDate, req.MaxDate)
	ms, total, err := m.cfg.Core.Search(ctx, viewer, core.SearchPage{Text: req.Q, Peer: peer, MinDate: from, MaxDate: to,
		OffsetID: req.OffsetID, AddOffset: req.AddOffset, Limit: req.Limit})
	if err != nil {
		return nil, err
	}
	kept := ms[:0]
	for _, x := range ms {
		if (req.MaxID == 0 || x.ID < req.MaxID) && (req.MinID == 0 || x.ID > req.MinID) {
			kept = append(kept, x)
		}
	}
	pe := newMentioned()
	for _, x := range kept {
		pe.message(x)
	}
	users, chats := pe.resolve(ctx, m.cfg, viewer)
	return &tg.MessagesMessagesSlice{Count: int32(total), Messages: messages(kept), Users: users, Chats: chats}, nil
}

func (m *msgs) searchGlobal(ctx context.Context, req *tg.MessagesSearchGlobalRequest) (tg.MessagesMessagesClass, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if req.BroadcastsOnly || !plainFilter(req.Filter) {
		return &tg.MessagesMessages{}, nil // no channels, no media yet
	}
	from, to := dates(req.MinDate, req.MaxDate)
	r, err := m.cfg.Core.SearchGlobal(ctx, viewer, core.GlobalPage{Text: req.Q, MinDate: from, MaxDate: to,
		OffsetID: req.OffsetID, Limit: req.Limit})
	if err != nil {
		return nil, err
	}
	kept := r.Messages[:0]
	for _, x := range r.Messages {
		if req.GroupsOnly && x.Peer.Kind != store.PeerChat || req.UsersOnly && x.Peer.Kind != store.PeerUser {
			continue
		}
		kept = append(kept, x)
	}
	pe := newMentioned()
	for _, x := range kept {
		pe.message(x)
	}
	users, chats := pe.resolve(ctx, m.cfg, viewer)
	return &tg.MessagesMessagesSlice{Count: int32(r.Count), NextRate: r.NextRate, Messages: messages(kept),
		Users: users, Chats: chats}, nil
}

func (m *msgs) getUnreadMentions(ctx context.Context, req *tg.MessagesGetUnreadMentionsRequest) (tg.MessagesMessagesClass, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if req.TopMsgID != 0 {
		return nil, errTopicsUnsupported
	}
	peer, err := m.inputPeer(ctx, viewer, req.Peer)
	if err != nil {
		return nil, err
	}
	ms, total, err := m.cfg.Core.UnreadMentions(ctx, viewer, peer, core.HistoryPage{OffsetID: req.OffsetID,
		AddOffset: req.AddOffset, Limit: req.Limit, MaxID: req.MaxID, MinID: req.MinID})
	if err != nil {
		return nil, err
	}
	return m.messagesResult(ctx, viewer, ms, total)
}

func (m *msgs) readMentions(ctx context.Context, req *tg.MessagesReadMentionsRequest) (*tg.MessagesAffectedHistory, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if req.TopMsgID != 0 {
		return nil, errTopicsUnsupported
	}
	peer, err := m.inputPeer(ctx, viewer, req.Peer)
	if err != nil {
		return nil, err
	}
	a, err := m.cfg.Core.ReadMentions(ctx, viewer, peer, origin(ctx))
	if err != nil {
		return nil, err
	}
	return &tg.MessagesAffectedHistory{Pts: a.Pts, PtsCount: a.PtsCount}, nil
}

func (m *msgs) readMessageContents(ctx context.Context, req *tg.MessagesReadMessageContentsRequest) (*tg.MessagesAffectedMessages, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	a, err := m.cfg.Core.ReadMessageContents(ctx, viewer, req.ID, origin(ctx))
	if err != nil {
		return nil, err
	}
	return &tg.MessagesAffectedMessages{Pts: a.Pts, PtsCount: a.PtsCount}, nil
}

func (m *msgs) updatePinnedMessage(ctx context.Context, req *tg.MessagesUpdatePinnedMessageRequest) (tg.UpdatesClass, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	peer, err := m.inputPeer(ctx, viewer, req.Peer)
	if err != nil {
		return nil, err
	}
	a, err := m.cfg.Core.PinMessage(ctx, viewer, peer, req.ID, req.Unpin, req.PmOneside, origin(ctx))
	if err != nil {
		return nil, err
	}
	pe := newMentioned()
	pe.add(peer)
	users, chats := pe.resolve(ctx, m.cfg, viewer)
	return &tg.Updates{Updates: []tg.UpdateClass{&tg.UpdatePinnedMessages{Pinned: !req.Unpin, Peer: peerOf(peer),
		Messages: []int32{req.ID}, Pts: a.Pts, PtsCount: a.PtsCount}}, Users: users, Chats: chats,
		Date: int32(time.Now().Unix())}, nil
}

func (m *msgs) unpinAllMessages(ctx context.Context, req *tg.MessagesUnpinAllMessagesRequest) (*tg.MessagesAffectedHistory, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if req.TopMsgID != 0 || req.SavedPeerID != nil {
		return nil, errTopicsUnsupported
	}
	peer, err := m.inputPeer(ctx, viewer, req.Peer)
	if err != nil {
		return nil, err
	}
	a, err := m.cfg.Core.UnpinAllMessages(ctx, viewer, peer, origin(ctx))
	if err != nil {
		return nil, err
	}
	return &tg.MessagesAffectedHistory{Pts: a.Pts, PtsCount: a.PtsCount}, nil
}

// dialogPeer resolves an InputDialogPeer (folders are not dialogs here).
func (m *msgs) dialogPeer(ctx context.Context, viewer int64, in tg.InputDialogPeerClass) (store.Peer, error) {
	p, ok := in.(*tg.InputDialogPeer)
	if !ok {
		return store.Peer{}, core.ErrPeerIDInvalid
	}
	return m.inputPeer(ctx, viewer, p.Peer)
}

func (m *msgs) toggleDialogPin(ctx context.Context, req *tg.MessagesToggleDialogPinRequest) (bool, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	peer, err := m.dialogPeer(ctx, viewer, req.Peer)
	if err != nil {
		return false, err
	}
	if err := m.cfg.Core.ToggleDialogPin(ctx, viewer, peer, req.Pinned, origin(ctx)); err != nil {
		return false, err
	}
	return true, nil
}

func (m *msgs) reorderPinnedDialogs(ctx context.Context, req *tg.MessagesReorderPinnedDialogsRequest) (bool, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	if req.FolderID != 0 && req.FolderID != 1 {
		return false, &core.Error{Code: 400, Message: "FOLDER_ID_INVALID"}
	}
	order := make([]store.Peer, 0, len(req.Order))
	for _, in := range req.Order {
		p, err := m.dialogPeer(ctx, viewer, in)
		if err != nil {
			return false, err
		}
		order = append(order, p)
	}
	if err := m.cfg.Core.ReorderPinnedDialogs(ctx, viewer, req.FolderID, order, req.Force, origin(ctx)); err != nil {
		return false, err
	}
	return true, nil
}

func (m *msgs) getPinnedDialogs(ctx context.Context, req *tg.MessagesGetPinnedDialogsRequest) (*tg.MessagesPeerDialogs, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if req.FolderID != 0 && req.FolderID != 1 {
		return nil, &core.Error{Code: 400, Message: "FOLDER_ID_INVALID"}
	}
	ds, ms, err := m.cfg.Core.PinnedDialogs(ctx, viewer, req.FolderID)
	if err != nil {
		return nil, err
	}
	return m.peerDialogs(ctx, viewer, ds, ms)
}

// draftMessage converts a stored draft; none is draftMessageEmpty dated
// when it was cleared.
func draftMessage(b []byte, cleared time.Time) tg.DraftMessageClass {
	d, ok := core.DecodeDraft(b)
	if !ok {
		return &tg.DraftMessageEmpty{Date: int32(cleared.Unix())}
	}
	out := &tg.DraftMessage{NoWebpage: d.NoWebpage, Message: d.Text, Entities: tgEntities(d.Entities),
		Date: int32(d.Date.Unix())}
	if d.ReplyTo != 0 {
		out.ReplyTo = &tg.InputReplyToMessage{ReplyToMsgID: d.ReplyTo}
	}
	return out
}

func (m *msgs) saveDraft(ctx context.Context, req *tg.MessagesSaveDraftRequest) (bool, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	peer, err := m.inputPeer(ctx, viewer, req.Peer)
	if err != nil {
		return false, err
	}
	if req.Media != nil {
		return false, &core.Error{Code: 400, Message: "MEDIA_INVALID"} // media drafts come with media
	}
	d := core.Draft{Text: req.Message, Entities: coreEntities(req.Entities), ReplyTo: replyToID(req.ReplyTo),
		NoWebpage: req.NoWebpage}
	if err := m.cfg.Core.SaveDraft(ctx, viewer, peer, d, origin(ctx)); err != nil {
		return false, err
	}
	return true, nil
}

func (m *msgs) getAllDrafts(ctx context.Context, _ *tg.MessagesGetAllDraftsRequest) (tg.UpdatesClass, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	ds, err := m.cfg.Core.AllDrafts(ctx, viewer)
	if err != nil {
		return nil, err
	}
	pe := newMentioned()
	ups := make([]tg.UpdateClass, 0, len(ds))
	for _, d := range ds {
		pe.add(d.Peer)
		ups = append(ups, &tg.UpdateDraftMessage{Peer: peerOf(d.Peer), Draft: draftMessage(core.EncodeDraft(d.Draft), time.Time{})})
	}
	users, chats := pe.resolve(ctx, m.cfg, viewer)
	return &tg.Updates{Updates: ups, Users: users, Chats: chats, Date: int32(time.Now().Unix())}, nil
}
