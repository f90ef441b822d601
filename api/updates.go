package api

import (
	"context"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// updatesAPI serves updates.getState and updates.getDifference from the
// same log that live pushes come from.
type updatesAPI struct{ cfg Config }

func state(st core.State) tg.UpdatesState {
	return tg.UpdatesState{Pts: st.Pts, Seq: st.Seq, Date: int32(st.Date.Unix()), UnreadCount: st.UnreadCount}
}

// sessionSeq returns the seq of the calling session: each session numbers
// the updates containers pushed to it (mtproto.Session.Push), so its state
// is what its client checks the next container against. It is read before
// the log: a container pushed in between then carries entries the answer
// may hold too, which the client's pts check drops, rather than a seq the
// answer already counts for entries it lacks.
func sessionSeq(ctx context.Context) int32 {
	if s, _ := rpc.SessionFrom(ctx); s != nil {
		return s.UpdatesSeq()
	}
	return 0
}

func (u *updatesAPI) getState(ctx context.Context, _ *tg.UpdatesGetStateRequest) (*tg.UpdatesState, error) {
	id, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	seq := sessionSeq(ctx)
	st, err := u.cfg.Core.State(ctx, id)
	if err != nil {
		return nil, err
	}
	st.Seq = seq
	s := state(st)
	return &s, nil
}

func (u *updatesAPI) getDifference(ctx context.Context, req *tg.UpdatesGetDifferenceRequest) (tg.UpdatesDifferenceClass, error) {
	id, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	seq := sessionSeq(ctx)
	diff, err := u.cfg.Core.Difference(ctx, id, req.Pts, int(req.PtsTotalLimit))
	if err != nil {
		return nil, err
	}
	diff.State.Seq = seq
	if diff.TooLong {
		return &tg.UpdatesDifferenceTooLong{Pts: diff.State.Pts}, nil
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
