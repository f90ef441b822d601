package core

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/roostchat/roost/store"
)

// CallbackTimeout is how long a user's button press waits for the bot's
// answer before BOT_RESPONSE_TIMEOUT.
const CallbackTimeout = 10 * time.Second

// MaxCallbackAnswer is the longest notification text of an answer, in
// characters (answerCallbackQuery: 0-200).
const MaxCallbackAnswer = 200

// Errors of callback queries, with the official strings.
var (
	ErrDataInvalid        = bad("DATA_INVALID")
	ErrBotResponseTimeout = bad("BOT_RESPONSE_TIMEOUT")
	ErrQueryIDInvalid     = bad("QUERY_ID_INVALID")
)

// CallbackQuery is a press of an inline callback button, as the bot
// receives it.
type CallbackQuery struct {
	ID   int64 `json:"id"`
	From int64 `json:"f"`
	// ChatInstance identifies the chat the message is in, the same for
	// every user of a chat.
	ChatInstance int64  `json:"ci"`
	Data         []byte `json:"d,omitempty"`
}

// CallbackAnswer is the bot's answer to a callback query.
type CallbackAnswer struct {
	Text      string
	Alert     bool
	URL       string
	CacheTime int32
}

// callbacks are the presses waiting for their bot's answer.
type callbacks struct {
	mu sync.Mutex
	m  map[int64]*pendingCallback
}

type pendingCallback struct {
	bot  int64
	done chan CallbackAnswer // buffered: one answer
}

func (cs *callbacks) add(id, bot int64) *pendingCallback {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.m == nil {
		cs.m = map[int64]*pendingCallback{}
	}
	p := &pendingCallback{bot: bot, done: make(chan CallbackAnswer, 1)}
	cs.m[id] = p
	return p
}

func (cs *callbacks) take(id, bot int64) *pendingCallback {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	p := cs.m[id]
	if p == nil || p.bot != bot {
		return nil
	}
	delete(cs.m, id)
	return p
}

func (cs *callbacks) drop(id int64) {
	cs.mu.Lock()
	delete(cs.m, id)
	cs.mu.Unlock()
}

// PressButton is a user's press of the callback button with data under
// message msgID of the dialog with peer (messages.getBotCallbackAnswer).
// It queues a callback_query for the bot and waits for its answer.
func (c *Core) PressButton(ctx context.Context, user int64, peer store.Peer, msgID int32, data []byte) (CallbackAnswer, error) {
	m, err := c.Store.Boxes().Message(ctx, user, msgID)
	if errors.Is(err, store.ErrNotFound) || err == nil && m.Peer != peer {
		return CallbackAnswer{}, ErrMessageIDInvalid
	} else if err != nil {
		return CallbackAnswer{}, err
	}
	if _, ok := DecodeMarkup(m.ReplyMarkup).CallbackButton(data); !ok || m.GlobalID == 0 {
		return CallbackAnswer{}, ErrDataInvalid
	}
	bot := m.FromID
	q := CallbackQuery{ID: c.queryID(), From: user, ChatInstance: c.chatInstance(user, peer), Data: data}
	p := c.callbacks.add(q.ID, bot)
	defer c.callbacks.drop(q.ID)
	now := c.now().Truncate(time.Second)
	var press Event
	err = c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		copies, err := tx.ByGlobalID(m.GlobalID)
		if err != nil {
			return err
		}
		for _, cp := range copies {
			if cp.OwnerID == bot {
				press = Event{Kind: EventBotCallback, Peer: &cp.Peer, IDs: []int32{cp.ID}, Callback: &q}
				return c.botUpdate(tx, bot, BotCallbackQuery, BotEvent{Peer: &cp.Peer, MsgID: cp.ID, Callback: &q}, now, BotCallbackTTL)
			}
		}
		return ErrMessageIDInvalid // the bot deleted its copy
	})
	if err != nil {
		return CallbackAnswer{}, err
	}
	// The Bot API queue has it; a bot logged in over MTProto gets it
	// pushed.
	c.notify([]Push{{UserID: bot, Entries: []Entry{{Date: now, Event: press}}}})
	t := time.NewTimer(CallbackTimeout)
	defer t.Stop()
	select {
	case a := <-p.done:
		return a, nil
	case <-t.C:
		return CallbackAnswer{}, ErrBotResponseTimeout
	case <-ctx.Done():
		return CallbackAnswer{}, ctx.Err()
	}
}

// AnswerCallback gives the bot's answer to the user waiting on query id;
// QUERY_ID_INVALID when no such press waits for this bot.
func (c *Core) AnswerCallback(bot, id int64, a CallbackAnswer) error {
	if len([]rune(a.Text)) > MaxCallbackAnswer {
		return ErrMessageTooLong
	}
	p := c.callbacks.take(id, bot)
	if p == nil {
		return ErrQueryIDInvalid
	}
	p.done <- a
	return nil
}

func (c *Core) queryID() int64 {
	var b [8]byte
	io.ReadFull(c.rand(), b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

// chatInstance names the chat of a dialog the same way for all its
// members: the pair of users of a private chat, or the group.
func (c *Core) chatInstance(user int64, peer store.Peer) int64 {
	if peer.Kind == store.PeerChat {
		return c.AccessHash("chat_instance", 0, peer.ID)
	}
	a, b := user, peer.ID
	if a > b {
		a, b = b, a
	}
	return c.AccessHash("chat_instance", a, b)
}
