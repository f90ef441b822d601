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
}

// Difference returns the log entries of user after pts, at most limit
// (DifferenceLimit when 0).
func (c *Core) Difference(ctx context.Context, user int64, pts int32, limit int) (Difference, error) {
	if limit <= 0 || limit > DifferenceLimit {
		limit = DifferenceLimit
	}
	st, err := c.State(ctx, user)
	if err != nil {
		return Difference{}, err
	}
	ups, err := c.Store.Boxes().Updates(ctx, user, pts, limit)
	if err != nil {
		return Difference{}, err
	}
	diff := Difference{State: st, Final: true}
	if len(ups) == 0 {
		return diff, nil
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
	if last < st.Pts {
		diff.Final = false
		diff.State.Pts = last
	}
	return diff, nil
}
