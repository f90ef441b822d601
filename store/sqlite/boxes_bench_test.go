package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

// send is what core does for one private message: both copies, both
// dialogs and an update in each log, in one transaction.
func send(ctx context.Context, bx store.Boxes, from, to, globalID, randomID int64, text string, date time.Time) error {
	return bx.Update(ctx, func(tx store.BoxTx) error {
		for _, side := range [2]struct {
			owner, peer int64
			out         bool
		}{{from, to, true}, {to, from, false}} {
			id, err := tx.NextID(side.owner)
			if err != nil {
				return err
			}
			peer := store.Peer{Kind: store.PeerUser, ID: side.peer}
			m := store.Message{OwnerID: side.owner, ID: id, Peer: peer, FromID: from, Out: side.out, Date: date,
				Text: text, GlobalID: globalID}
			if side.out {
				m.RandomID = randomID
			}
			if err := tx.PutMessage(m); err != nil {
				return err
			}
			d, err := tx.Dialog(side.owner, peer)
			if errors.Is(err, store.ErrNotFound) {
				d = store.Dialog{OwnerID: side.owner, Peer: peer}
			} else if err != nil {
				return err
			}
			d.TopMessage, d.TopDate = id, date
			if side.out {
				d.ReadInboxMaxID = id
			} else {
				d.UnreadCount++
			}
			if err := tx.PutDialog(d); err != nil {
				return err
			}
			// A payload the size of an encoded updateNewMessage reference.
			payload := fmt.Appendf(nil, "new message %d in %d:%d", id, peer.Kind, peer.ID)
			if _, err := tx.AppendUpdate(side.owner, 1, date, payload); err != nil {
				return err
			}
		}
		return nil
	})
}

// BenchmarkSend measures private messages sent by 100 pairs of users at
// once, one Boxes.Update per message (two copies, two dialogs, two log
// entries and the counters). tx/s is the rate the store sustains.
func BenchmarkSend(b *testing.B) {
	s, _ := openTemp(b)
	defer s.Close()
	ctx := context.Background()
	const pairs = 100
	users := make([]int64, 2*pairs)
	for i := range users {
		u, err := s.Users().Create(ctx, store.User{Phone: fmt.Sprintf("1999%07d", i), CreatedAt: time.Unix(1, 0)})
		if err != nil {
			b.Fatal(err)
		}
		users[i] = u.ID
	}
	var next, global atomic.Int64
	date := time.Unix(1_700_000_000, 0)
	text := "Hello! This is a message of a typical length, a sentence or two of chat."
	b.SetParallelism((pairs + 1) / 2) // ×GOMAXPROCS goroutines: about one per pair on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		p := int(next.Add(1)-1) % pairs
		from, to := users[2*p], users[2*p+1]
		for pb.Next() {
			g := global.Add(1)
			if err := send(ctx, s.Boxes(), from, to, g, g, text, date); err != nil {
				b.Error(err)
				return
			}
			from, to = to, from
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkReads measures the reads of a client's start and of opening a
// chat, on 100 pairs of users with 200 messages each: a page of 50
// messages of history, the first 100 dialogs, and 100 entries of the
// update log (updates.getDifference).
func BenchmarkReads(b *testing.B) {
	s, _ := openTemp(b)
	defer s.Close()
	ctx := context.Background()
	const pairs, perPair = 100, 200
	users := make([]int64, 2*pairs)
	for i := range users {
		u, err := s.Users().Create(ctx, store.User{Phone: fmt.Sprintf("1999%07d", i), CreatedAt: time.Unix(1, 0)})
		if err != nil {
			b.Fatal(err)
		}
		users[i] = u.ID
	}
	g := int64(0)
	for i := range perPair {
		for p := range pairs {
			g++
			from, to := users[2*p], users[2*p+1]
			if i%2 == 1 {
				from, to = to, from
			}
			if err := send(ctx, s.Boxes(), from, to, g, g, "Hello! A message of a typical length.", time.Unix(int64(g), 0)); err != nil {
				b.Fatal(err)
			}
		}
	}
	var next atomic.Int64
	run := func(b *testing.B, f func(owner, peer int64) error) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				p := int(next.Add(1)) % pairs
				if err := f(users[2*p], users[2*p+1]); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.Run("History", func(b *testing.B) {
		run(b, func(owner, peer int64) error {
			ms, err := s.Boxes().History(ctx, owner, store.Peer{Kind: store.PeerUser, ID: peer},
				store.HistoryQuery{Before: true, MaxID: 150, Limit: 50})
			if err == nil && len(ms) != 50 {
				err = fmt.Errorf("history has %d messages", len(ms))
			}
			return err
		})
	})
	b.Run("Dialogs", func(b *testing.B) {
		run(b, func(owner, _ int64) error {
			_, err := s.Boxes().Dialogs(ctx, owner, store.DialogQuery{Limit: 100})
			return err
		})
	})
	b.Run("Updates", func(b *testing.B) {
		run(b, func(owner, _ int64) error {
			us, err := s.Boxes().Updates(ctx, owner, 50, 100)
			if err == nil && len(us) != 100 {
				err = fmt.Errorf("%d updates", len(us))
			}
			return err
		})
	})
}
