package core

import (
	"context"
	"time"

	"github.com/roostchat/roost/store"
)

// DifferenceLimit is how many log entries one updates.getDifference
// answer carries; more come as a slice.
const DifferenceLimit = 100

// State is updates.state of a user.
type State struct {
	Pts         int32
	Seq         int32
	Date        time.Time
	UnreadCount int32
}

// State returns the user's update state.
func (c *Core) State(ctx context.Context, user int64) (State, error) {
	st, err := c.Store.Boxes().State(ctx, user)
	if err != nil {
		return State{}, err
	}
	return State{Pts: st.Pts, Seq: st.Seq, Date: c.now()}, nil
}

// Difference is what a client missed since a pts.
type Difference struct {
	Entries []Entry
	// Messages are the current forms of the messages the entries name
	// (deleted ones are left out).
	Messages []store.Message
	// State is where the client stands after applying the entries; Final
	// reports that nothing more is pending.
	State State
	Final bool
	// TooLong reports a client too far behind to catch up from the log
	// (updates.differenceTooLong): the entries after its pts are trimmed
	// (store.UpdateLogKeep), or more pts than it allowed separate it from
	// the box. It should take State.Pts and refetch its dialogs and
	// history; Entries is empty.
	TooLong bool
}

// Difference returns the log entries of user after pts, at most
// DifferenceLimit of them (the rest come as a slice). totalLimit is
// pts_total_limit: when positive and the box is more than that many pts
// ahead of pts, the answer is TooLong.
func (c *Core) Difference(ctx context.Context, user int64, pts int32, totalLimit int) (Difference, error) {
	st, err := c.State(ctx, user)
	if err != nil {
		return Difference{}, err
	}
	tooLong := Difference{State: st, Final: true, TooLong: true}
	if totalLimit > 0 && int64(st.Pts)-int64(pts) > int64(totalLimit) {
		return tooLong, nil
	}
	ups, err := c.Store.Boxes().Updates(ctx, user, max(pts, 0), DifferenceLimit)
	if err != nil {
		return Difference{}, err
	}
	diff := Difference{State: st, Final: true}
	if len(ups) == 0 {
		if pts < st.Pts {
			return tooLong, nil // the whole log after pts is gone
		}
		return diff, nil
	}
	// The log after pts is whole when its first entry starts at pts or
	// before (entries end at the pts a client can have); one that starts
	// later follows entries the store trimmed.
	if first := ups[0]; first.Pts-first.PtsCount > max(pts, 0) {
		return tooLong, nil
	}
	var ids []int32
	seen := map[int32]bool{}
	for _, u := range ups {
		ev, err := DecodeEvent(u.Payload)
		if err != nil {
			continue
		}
		diff.Entries = append(diff.Entries, Entry{Pts: u.Pts, PtsCount: u.PtsCount, Date: u.Date, Event: ev})
		if ev.Kind == EventNewMessage || ev.Kind == EventEditMessage {
			for _, id := range ev.IDs {
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		}
	}
	if diff.Messages, err = c.Store.Boxes().Messages(ctx, user, ids); err != nil {
		return Difference{}, err
	}
	last := ups[len(ups)-1].Pts
	switch {
	case last < st.Pts:
		diff.Final = false
		diff.State.Pts = last
	case last > st.Pts:
		// Entries committed after State was read: the client stands at
		// the last one it gets.
		diff.State.Pts = last
	}
	return diff, nil
}
