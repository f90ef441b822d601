package api

import (
	"context"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// updatesAPI serves updates.getState and updates.getDifference from the
// same log that live pushes come from.
type updatesAPI struct{ cfg Config }

func state(st core.State) tg.UpdatesState {
	return tg.UpdatesState{Pts: st.Pts, Seq: st.Seq, Date: int32(st.Date.Unix()), UnreadCount: st.UnreadCount}
}

func (u *updatesAPI) getState(ctx context.Context, _ *tg.UpdatesGetStateRequest) (*tg.UpdatesState, error) {
	id, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	st, err := u.cfg.Core.State(ctx, id)
	if err != nil {
		return nil, err
	}
	s := state(st)
	return &s, nil
}

func (u *updatesAPI) getDifference(ctx context.Context, req *tg.UpdatesGetDifferenceRequest) (tg.UpdatesDifferenceClass, error) {
	id, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	limit := 0
	if req.PtsTotalLimit > 0 {
		limit = int(req.PtsTotalLimit)
	}
	diff, err := u.cfg.Core.Difference(ctx, id, req.Pts, limit)
	if err != nil {
		return nil, err
	}
	if len(diff.Entries) == 0 {
		return &tg.UpdatesDifferenceEmpty{Date: int32(diff.State.Date.Unix()), Seq: diff.State.Seq}, nil
	}
	byID := map[int32]store.Message{}
	pe := newMentioned()
	for _, m := range diff.Messages {
		byID[m.ID] = m
		pe.message(m)
	}
	var news []tg.MessageClass
	var others []tg.UpdateClass
	for _, e := range diff.Entries {
		if e.Event.Kind == core.EventNewMessage {
			for _, mid := range e.Event.IDs {
				if m, ok := byID[mid]; ok {
					news = append(news, message(m))
				}
			}
			continue
		}
		if up := entryUpdate(e, byID); up != nil {
			others = append(others, up)
		}
	}
	users, chats := pe.resolve(ctx, u.cfg, id)
	st := state(diff.State)
	if !diff.Final {
		return &tg.UpdatesDifferenceSlice{NewMessages: news, OtherUpdates: others, Users: users, Chats: chats,
			IntermediateState: st}, nil
	}
	return &tg.UpdatesDifference{NewMessages: news, OtherUpdates: others, Users: users, Chats: chats, State: st}, nil
}

// entryUpdate converts a log entry to its update (new messages aside).
func entryUpdate(e core.Entry, byID map[int32]store.Message) tg.UpdateClass {
	ev := e.Event
	switch ev.Kind {
	case core.EventNewMessage:
		if len(ev.IDs) == 1 {
			if m, ok := byID[ev.IDs[0]]; ok {
				return &tg.UpdateNewMessage{Message: message(m), Pts: e.Pts, PtsCount: e.PtsCount}
			}
		}
	case core.EventEditMessage:
		if len(ev.IDs) == 1 {
			if m, ok := byID[ev.IDs[0]]; ok {
				return &tg.UpdateEditMessage{Message: message(m), Pts: e.Pts, PtsCount: e.PtsCount}
			}
		}
	case core.EventDeleteMessages:
		return &tg.UpdateDeleteMessages{Messages: ev.IDs, Pts: e.Pts, PtsCount: e.PtsCount}
	case core.EventReadInbox:
		if ev.Peer != nil {
			return &tg.UpdateReadHistoryInbox{Peer: peerOf(*ev.Peer), MaxID: ev.MaxID, StillUnreadCount: ev.StillUnread,
				Pts: e.Pts, PtsCount: e.PtsCount}
		}
	case core.EventReadOutbox:
		if ev.Peer != nil {
			return &tg.UpdateReadHistoryOutbox{Peer: peerOf(*ev.Peer), MaxID: ev.MaxID, Pts: e.Pts, PtsCount: e.PtsCount}
		}
	}
	if up := moreEntryUpdate(e); up != nil {
		return up
	}
	// An entry whose message is gone still moves pts: an empty deletion
	// keeps the client's sequence whole.
	return &tg.UpdateDeleteMessages{Messages: []int32{}, Pts: e.Pts, PtsCount: e.PtsCount}
}
