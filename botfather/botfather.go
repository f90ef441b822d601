package botfather

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

// batch is how many queued updates Drain reads at a time.
const batch = 100

// pollEvery is how often Run looks at the queue without being woken, in
// case a wake was lost.
const pollEvery = time.Minute

// BotFather answers the users who write to @BotFather. Make it with New,
// run Ensure once, tell core about it (core.Core.Bots) and call Run.
type BotFather struct {
	Core *core.Core
	Log  *slog.Logger

	wake chan struct{} // one pending wake-up at most

	drain sync.Mutex // one Drain at a time: updates are handled in order

	mu    sync.Mutex
	convs map[int64]conv // by user: the command in progress
}

// New returns a BotFather serving through c.
func New(c *core.Core, log *slog.Logger) *BotFather {
	if log == nil {
		log = slog.Default()
	}
	return &BotFather{Core: c, Log: log, wake: make(chan struct{}, 1), convs: map[int64]conv{}}
}

// Wake implements core.BotWaker: BotFather looks at its queue when bot
// is itself, and ignores other bots.
func (b *BotFather) Wake(bot int64) {
	if bot != ID {
		return
	}
	select {
	case b.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
}

// Run handles queued updates until ctx ends: first those that arrived
// while Roost was down, then the new ones as core wakes it.
func (b *BotFather) Run(ctx context.Context) {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		if err := b.Drain(ctx); err != nil && ctx.Err() == nil {
			b.Log.Warn("botfather: read queue", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-b.wake:
		case <-t.C:
		}
	}
}

// Drain handles every update in BotFather's queue, in order, confirming
// each once handled; an update that fails is logged and dropped, so that
// one bad update cannot stop the queue.
func (b *BotFather) Drain(ctx context.Context) error {
	b.drain.Lock()
	defer b.drain.Unlock()
	q := b.Core.Store.BotAPI()
	for {
		ups, err := q.Updates(ctx, ID, 0, batch, b.Core.Time())
		if err != nil || len(ups) == 0 {
			return err
		}
		for _, u := range ups {
			b.handle(ctx, u)
			if err := q.Confirm(ctx, ID, u.ID+1); err != nil {
				return err
			}
		}
	}
}

// handle answers one update: a message or a button press.
func (b *BotFather) handle(ctx context.Context, u store.BotUpdate) {
	e, err := core.DecodeBotEvent(u.Payload)
	if err != nil {
		b.Log.Warn("botfather: bad update", "update", u.ID, "err", err)
		return
	}
	switch u.Kind {
	case core.BotMessage:
		if e.Peer == nil || e.Peer.Kind != store.PeerUser {
			return // BotFather talks in private chats only
		}
		m, err := b.Core.Store.Boxes().Message(ctx, ID, e.MsgID)
		if err != nil {
			return // deleted meanwhile
		}
		if m.Out || m.Action != nil {
			return
		}
		b.onText(&turn{b: b, ctx: ctx, user: e.Peer.ID, update: u.ID}, m.Text)
	case core.BotCallbackQuery:
		q := e.Callback
		if q == nil {
			return
		}
		// An empty answer stops the client's spinner; a press whose wait
		// ended (after a restart) has nobody to answer.
		_ = b.Core.AnswerCallback(ID, q.ID, core.CallbackAnswer{})
		b.onButton(&turn{b: b, ctx: ctx, user: q.From, update: u.ID}, q.Data)
	}
}

// turn is the handling of one update from one user.
type turn struct {
	b      *BotFather
	ctx    context.Context
	user   int64
	update int64
	sent   int // replies sent so far
}

// send sends r to the user. Its random_id comes from the update and the
// reply's place, so that an update handled twice (Roost stopped before
// confirming it) does not send its replies twice.
func (t *turn) send(r *reply) {
	t.sent++
	_, err := t.b.Core.SendMessage(t.ctx, core.Send{
		From:        ID,
		To:          store.Peer{Kind: store.PeerUser, ID: t.user},
		Text:        r.b.String(),
		Entities:    r.entities,
		ReplyMarkup: r.markup,
		RandomID:    replyID(t.update, t.sent),
	})
	if err != nil {
		// Never log the text: it may hold a token.
		t.b.Log.Warn("botfather: reply", "user", t.user, "err", err)
	}
}

// replyID is the random_id of the n-th reply to an update.
func replyID(update int64, n int) int64 {
	h := sha256.Sum256([]byte("botfather reply " + strconv.FormatInt(update, 10) + " " + strconv.Itoa(n)))
	id := int64(binary.LittleEndian.Uint64(h[:]) >> 1)
	if id == 0 {
		id = 1
	}
	return id
}

// failed tells the user that something broke and logs err.
func (t *turn) failed(what string, err error) {
	t.b.Log.Warn("botfather: "+what, "user", t.user, "err", err)
	t.send(say(textSomethingFailed).hideKeyboard())
}
