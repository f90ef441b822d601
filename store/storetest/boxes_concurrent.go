package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/roostchat/roost/store"
)

// send stores a private message from one user to another as core does:
// both copies, both dialogs and an update in each log, in one transaction.
// It returns the sender's copy.
func send(tx store.BoxTx, from, to int64, sec int, text string, randomID, globalID int64) (store.Message, error) {
	var out store.Message
	for _, side := range [2]struct {
		owner, peer int64
		out         bool
	}{{from, to, true}, {to, from, false}} {
		id, err := tx.NextID(side.owner)
		if err != nil {
			return store.Message{}, err
		}
		peer := userPeer(side.peer)
		m := store.Message{OwnerID: side.owner, ID: id, Peer: peer, FromID: from, Out: side.out, Date: at(sec),
			Text: text, GlobalID: globalID}
		if side.out {
			m.RandomID = randomID
			out = m
		}
		if err := tx.PutMessage(m); err != nil {
			return store.Message{}, err
		}
		d, err := tx.Dialog(side.owner, peer)
		if errors.Is(err, store.ErrNotFound) {
			d = store.Dialog{OwnerID: side.owner, Peer: peer}
		} else if err != nil {
			return store.Message{}, err
		}
		d.TopMessage, d.TopDate = id, at(sec)
		if side.out {
			d.ReadInboxMaxID = id
		} else {
			d.UnreadCount++
		}
		if err := tx.PutDialog(d); err != nil {
			return store.Message{}, err
		}
		if _, err := tx.AppendUpdate(side.owner, 1, at(sec), []byte(fmt.Sprint("new ", id))); err != nil {
			return store.Message{}, err
		}
	}
	return out, nil
}

// testBoxesConcurrent races Update calls on the same boxes, some of which
// fail or panic, with readers; run it with -race. Ids and pts stay gap-free
// and every kept call is whole.
func testBoxesConcurrent(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	ids := mustUsers(t, s, 2)
	a, b := ids[0], ids[1]
	const workers, perWorker = 8, 30
	errDeliberate := errors.New("deliberate")

	var (
		wg      sync.WaitGroup
		kept    atomic.Int64
		stop    = make(chan struct{})
		readers sync.WaitGroup
	)
	errs := make(chan error, workers*perWorker+2)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				n := w*perWorker + i
				fail, panics := n%5 == 1, n%7 == 3
				err := func() (err error) {
					defer func() {
						if r := recover(); r != nil {
							if !panics {
								err = fmt.Errorf("unexpected panic %v", r)
							}
							err = errDeliberate
						}
					}()
					return s.Boxes().Update(ctx, func(tx store.BoxTx) error {
						from, to := a, b
						if n%2 == 1 {
							from, to = b, a
						}
						if _, err := send(tx, from, to, n, fmt.Sprint("message ", n), int64(n+1), int64(n+1)); err != nil {
							return err
						}
						switch {
						case panics:
							panic("deliberate")
						case fail:
							return errDeliberate
						}
						return nil
					})
				}()
				switch {
				case fail || panics:
					if !errors.Is(err, errDeliberate) {
						errs <- fmt.Errorf("call %d: err = %v, want the deliberate failure", n, err)
					}
				case err != nil:
					errs <- fmt.Errorf("call %d: %w", n, err)
				default:
					kept.Add(1)
				}
			}
		})
	}
	// Readers see the counters grow and never a message without its pts.
	for _, owner := range []int64{a, b} {
		readers.Go(func() {
			var last store.BoxState
			for {
				select {
				case <-stop:
					return
				default:
				}
				st, err := s.Boxes().State(ctx, owner)
				if err != nil || st.Pts < last.Pts || st.LastID < last.LastID || st.Pts != st.LastID {
					errs <- fmt.Errorf("state of %d = %+v, %v after %+v", owner, st, err, last)
					return
				}
				last = st
				if _, err := s.Boxes().History(ctx, owner, userPeer(a+b-owner), store.HistoryQuery{Before: true, Limit: 5}); err != nil {
					errs <- fmt.Errorf("history: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	n := int32(kept.Load())
	want := make([]int32, n)
	for i := range want {
		want[i] = n - int32(i)
	}
	for _, owner := range []int64{a, b} {
		peer := userPeer(a + b - owner)
		if st, err := s.Boxes().State(ctx, owner); err != nil || st != (store.BoxState{Pts: n, LastID: n}) {
			t.Errorf("state of %d = %+v, %v; want pts and last id %d", owner, st, err, n)
		}
		ms, err := s.Boxes().History(ctx, owner, peer, store.HistoryQuery{Before: true, Limit: 1000})
		if got := msgIDs(ms); err != nil || !slices.Equal(got, want) {
			t.Errorf("ids of %d = %v, %v; want %d down to 1", owner, got, err, n)
		}
		us, err := s.Boxes().Updates(ctx, owner, 0, 1000)
		if err != nil || len(us) != int(n) {
			t.Fatalf("updates of %d = %d, %v; want %d", owner, len(us), err, n)
		}
		for i, u := range us {
			if u.Pts != int32(i+1) || u.PtsCount != 1 {
				t.Fatalf("update %d of %d = %+v; want pts %d", i, owner, u, i+1)
			}
		}
		if d, err := s.Boxes().Dialog(ctx, owner, peer); err != nil || d.TopMessage != n {
			t.Errorf("dialog of %d = %+v, %v; want top message %d", owner, d, err, n)
		}
	}
	// Each kept message is whole: both copies share the global id.
	mustUpdate(t, s, func(tx store.BoxTx) error {
		ms, err := tx.ByRandomID(a, 1) // call 0: kept, sent by a
		if err != nil {
			return err
		}
		copies, err := tx.ByGlobalID(ms.GlobalID)
		if err != nil || len(copies) != 2 || copies[0].Text != copies[1].Text {
			t.Errorf("copies of the first message = %+v, %v", copies, err)
		}
		return nil
	})
}
