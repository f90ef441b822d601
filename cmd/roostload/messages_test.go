package main

import (
	"strconv"
	"testing"
	"time"
)

// TestMessagesScenario runs one pair for about two seconds against a
// spawned server: both users sign up, resolve each other and exchange
// messages; every sent message must arrive at the partner.
func TestMessagesScenario(t *testing.T) {
	s, c := spawned(t)
	c.duration = 2 * time.Second
	tb, err := runMessages(testCtx(t), c, messagesConfig{pairs: []int{1}, setup: 2}, s)
	if err != nil {
		t.Fatal(err)
	}
	positive(t, "delivered", cell(t, tb, "delivered", "1"))
	positive(t, "delivered/s", cell(t, tb, "delivered/s", "1"))
	if p := cell(t, tb, "p99", "1"); p == "-" {
		t.Error("no p99 latency")
	}
	sent, _ := strconv.Atoi(cell(t, tb, "sent", "1"))
	got, _ := strconv.Atoi(cell(t, tb, "delivered", "1"))
	// Pushes of the last sends may still be on their way when the row
	// ends: they count as late, never lost, but may not all be in.
	if got > sent || got < sent-2 {
		t.Errorf("delivered %d of %d sent", got, sent)
	}
}

// TestMessagesCountBound stops after --n messages in all.
func TestMessagesCountBound(t *testing.T) {
	s, c := spawned(t)
	c.duration, c.n = time.Minute, 20
	tb, err := runMessages(testCtx(t), c, messagesConfig{pairs: []int{2}, setup: 2}, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := cell(t, tb, "sent", "2"); got != "20" {
		t.Errorf("sent = %s, want 20 (--n)", got)
	}
	if got := cell(t, tb, "delivered", "2"); got != "20" {
		t.Errorf("delivered = %s, want 20: every push before the end of the row", got)
	}
}
