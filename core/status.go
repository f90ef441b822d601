package core

import (
	"context"
	"fmt"
	"time"
)

// OnlineFor is how long account.updateStatus(offline=false) keeps a user
// online. Clients repeat the call every online_update_period_ms (210 s in
// help.getConfig), so an active client stays online without a gap.
const OnlineFor = 5 * time.Minute

// The bands of an approximate last-seen time, as Telegram's FAQ gives
// them: recently (up to 2-3 days), within a week, within a month, and a
// long time ago beyond.
const (
	RecentlyFor  = 3 * 24 * time.Hour
	LastWeekFor  = 7 * 24 * time.Hour
	LastMonthFor = 30 * 24 * time.Hour
)

// StatusKind is the form of a user's status as a viewer sees it.
type StatusKind uint8

// The kinds of status, as Telegram's UserStatus constructors.
const (
	// StatusEmpty: never online, or a long time ago (also what blocked
	// users always see).
	StatusEmpty StatusKind = iota
	StatusOnline
	StatusOffline
	StatusRecently
	StatusLastWeek
	StatusLastMonth
)

// Status is a user's status as a viewer sees it.
type Status struct {
	Kind StatusKind
	// Expires is when an online status lapses (StatusOnline).
	Expires time.Time
	// WasOnline is when the user was last online (StatusOffline).
	WasOnline time.Time
	// ByMe is set on an approximate status shown because the viewer hides
	// their own exact last-seen time from the user.
	ByMe bool
}

// UpdateStatus marks user userID online for OnlineFor, or (offline)
// offline as of now: account.updateStatus.
//
// The user's LastSeenAt holds the last moment they count as online: in
// the future while online (the expiry), the time they went offline
// after. So the status needs no memory of sessions, survives restarts and
// reads the same on every node.
func (c *Core) UpdateStatus(ctx context.Context, userID int64, offline bool) error {
	at := c.now()
	if !offline {
		at = at.Add(OnlineFor)
	}
	if err := c.Store.Users().SetLastSeen(ctx, userID, at); err != nil {
		return fmt.Errorf("update status of user %d: %w", userID, err)
	}
	return nil
}

// exactStatus is the status of a user last seen at lastSeen (see
// UpdateStatus), at now.
func exactStatus(lastSeen, now time.Time) Status {
	switch {
	case lastSeen.IsZero():
		return Status{Kind: StatusEmpty}
	case lastSeen.After(now):
		return Status{Kind: StatusOnline, Expires: lastSeen}
	}
	return Status{Kind: StatusOffline, WasOnline: lastSeen}
}

// approximateStatus is what a viewer without access to the exact time
// sees: how long ago, in bands. A user online now was seen recently.
func approximateStatus(lastSeen, now time.Time, byMe bool) Status {
	if lastSeen.IsZero() {
		return Status{Kind: StatusEmpty}
	}
	switch ago := now.Sub(lastSeen); {
	case ago <= RecentlyFor:
		return Status{Kind: StatusRecently, ByMe: byMe}
	case ago <= LastWeekFor:
		return Status{Kind: StatusLastWeek, ByMe: byMe}
	case ago <= LastMonthFor:
		return Status{Kind: StatusLastMonth, ByMe: byMe}
	}
	return Status{Kind: StatusEmpty}
}
