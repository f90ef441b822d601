package core

import (
	"testing"
	"time"
)

func TestStatusOnlineThenOffline(t *testing.T) {
	p := newRoster(t)
	a, b := p.user("100001", "A", ""), p.user("100002", "B", "")
	p.must(p.c.UpdateStatus(p.ctx, b.ID, false))
	want := Status{Kind: StatusOnline, Expires: p.now.Add(OnlineFor)}
	if v := p.view(a.ID, b.ID); v.Status != want {
		t.Errorf("online: %+v, want %+v", v.Status, want)
	}
	if v := p.view(b.ID, b.ID); v.Status != want {
		t.Errorf("own status online: %+v", v.Status)
	}
	p.now = p.now.Add(time.Minute)
	p.must(p.c.UpdateStatus(p.ctx, b.ID, true))
	want = Status{Kind: StatusOffline, WasOnline: p.now}
	if v := p.view(a.ID, b.ID); v.Status != want {
		t.Errorf("offline: %+v, want %+v", v.Status, want)
	}
	// Online without going offline: the status lapses at the expiry.
	p.must(p.c.UpdateStatus(p.ctx, b.ID, false))
	expiry := p.now.Add(OnlineFor)
	p.now = p.now.Add(time.Hour)
	if v := p.view(a.ID, b.ID); v.Status != (Status{Kind: StatusOffline, WasOnline: expiry}) {
		t.Errorf("lapsed: %+v, want offline at %v", v.Status, expiry)
	}
	if err := p.c.UpdateStatus(p.ctx, 424242, false); err == nil {
		t.Error("status of a missing user")
	}
}

func TestStatusHiddenByPrivacy(t *testing.T) {
	p := newRoster(t)
	owner, friend, stranger := p.user("100001", "Owner", ""), p.user("100002", "Friend", ""), p.user("100003", "Stranger", "")
	p.addContact(owner.ID, friend.ID, "F")
	p.setPrivacy(owner.ID, PrivacyStatus, PrivacyRule{Kind: AllowContacts})
	p.must(p.c.UpdateStatus(p.ctx, owner.ID, false))
	if v := p.view(friend.ID, owner.ID); v.Status.Kind != StatusOnline {
		t.Errorf("a contact sees %+v", v.Status)
	}
	if v := p.view(stranger.ID, owner.ID); v.Status != (Status{Kind: StatusRecently}) {
		t.Errorf("a stranger sees %+v, want recently", v.Status)
	}
	p.must(p.c.UpdateStatus(p.ctx, owner.ID, true))
	seen := p.now
	for _, tt := range []struct {
		ago  time.Duration
		want StatusKind
	}{
		{time.Hour, StatusRecently},
		{5 * 24 * time.Hour, StatusLastWeek},
		{20 * 24 * time.Hour, StatusLastMonth},
		{60 * 24 * time.Hour, StatusEmpty},
	} {
		p.now = seen.Add(tt.ago)
		if v := p.view(stranger.ID, owner.ID); v.Status.Kind != tt.want || v.Status.ByMe {
			t.Errorf("%v ago: stranger sees %+v, want kind %d", tt.ago, v.Status, tt.want)
		}
		if v := p.view(friend.ID, owner.ID); v.Status != (Status{Kind: StatusOffline, WasOnline: seen}) {
			t.Errorf("%v ago: contact sees %+v", tt.ago, v.Status)
		}
	}
}

func TestStatusBlockedAndReciprocal(t *testing.T) {
	p := newRoster(t)
	a, b := p.user("100001", "A", ""), p.user("100002", "B", "")
	p.must(p.c.UpdateStatus(p.ctx, a.ID, true))
	// Who hides their own last seen from a sees a's only roughly (by_me).
	p.setPrivacy(b.ID, PrivacyStatus, PrivacyRule{Kind: DisallowUsers, Users: []int64{a.ID}}, PrivacyRule{Kind: AllowAll})
	if v := p.view(b.ID, a.ID); v.Status != (Status{Kind: StatusRecently, ByMe: true}) {
		t.Errorf("hiding own status: %+v, want recently by me", v.Status)
	}
	p.setPrivacy(b.ID, PrivacyStatus, PrivacyRule{Kind: AllowAll})
	if v := p.view(b.ID, a.ID); v.Status.Kind != StatusOffline {
		t.Errorf("sharing again: %+v", v.Status)
	}
	// Blocked users see "a long time ago".
	p.must(p.c.Block(p.ctx, a.ID, b.ID))
	if v := p.view(b.ID, a.ID); v.Status != (Status{Kind: StatusEmpty}) {
		t.Errorf("blocked sees %+v", v.Status)
	}
	// Never online: empty for all.
	c := p.user("100003", "C", "")
	if v := p.view(a.ID, c.ID); v.Status != (Status{Kind: StatusEmpty}) {
		t.Errorf("never seen: %+v", v.Status)
	}
	// Bots have no status.
	bot := p.user("", "Bot", "")
	if v := p.view(a.ID, bot.ID); v.Status != (Status{}) {
		t.Errorf("bot status %+v", v.Status)
	}
}

func TestApproximateStatusBands(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		seen time.Time
		want StatusKind
	}{
		{time.Time{}, StatusEmpty},
		{now.Add(time.Minute), StatusRecently}, // online now
		{now.Add(-RecentlyFor), StatusRecently},
		{now.Add(-RecentlyFor - time.Second), StatusLastWeek},
		{now.Add(-LastWeekFor), StatusLastWeek},
		{now.Add(-LastMonthFor), StatusLastMonth},
		{now.Add(-LastMonthFor - time.Second), StatusEmpty},
	} {
		if got := approximateStatus(tt.seen, now, false); got.Kind != tt.want {
			t.Errorf("seen %v: %+v, want kind %d", tt.seen, got, tt.want)
		}
	}
}
