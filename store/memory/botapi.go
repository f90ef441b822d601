package memory

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/rules"
)

// botAPIData is the part of Store that holds the Bot API state of bots.
// Store.botMu guards it.
type botAPIData struct {
	queues   map[int64]*botQueue
	settings map[int64]store.BotSettings
	commands map[botKey][]store.BotCommand
	texts    map[botKey]string
}

// botKey names a command list (scope, lang) or a text (kind, lang) of a
// bot.
type botKey struct {
	bot       int64
	key, lang string
}

// botQueue is the update queue of one bot. It stays when emptied, so that
// lastID goes on.
type botQueue struct {
	lastID  int64
	updates []store.BotUpdate // in ID order
}

func newBotAPIData() botAPIData {
	return botAPIData{
		queues:   make(map[int64]*botQueue),
		settings: make(map[int64]store.BotSettings),
		commands: make(map[botKey][]store.BotCommand),
		texts:    make(map[botKey]string),
	}
}

// txBotQueue is what a box transaction appended to a bot's queue.
type txBotQueue struct {
	lastID  int64
	updates []store.BotUpdate
}

// cloneBotUpdate copies u's payload and drops the sub-second part of its
// times, as the SQL back ends do.
func cloneBotUpdate(u store.BotUpdate) store.BotUpdate {
	u.Payload = rules.Bytes(u.Payload)
	u.Date, u.Expires = second(u.Date), second(u.Expires)
	return u
}

// AppendBotUpdate implements store.BoxTx. The update is staged and added
// to the queue at commit.
func (t *boxTx) AppendBotUpdate(u store.BotUpdate) (int64, error) {
	if t.done {
		return 0, errTxDone
	}
	id, err := t.nextBotUpdateID(u)
	if err != nil {
		return 0, fmt.Errorf("append bot update of bot %d: %w", u.BotID, err)
	}
	u = cloneBotUpdate(u)
	u.ID = id
	q := t.bots[u.BotID]
	q.lastID = id
	q.updates = append(q.updates, u)
	return id, nil
}

// nextBotUpdateID returns u's update_id, after staging the queue of
// u.BotID in t.bots.
func (t *boxTx) nextBotUpdateID(u store.BotUpdate) (int64, error) {
	if u.BotID <= 0 {
		return 0, fmt.Errorf("bot id %d: %w", u.BotID, store.ErrInvalid)
	}
	if t.bots == nil {
		t.bots = make(map[int64]*txBotQueue)
	}
	q := t.bots[u.BotID]
	if q == nil {
		found := false
		err := t.s.readBots(func() error {
			if cq := t.s.queues[u.BotID]; cq != nil {
				q, found = &txBotQueue{lastID: cq.lastID}, true
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		if !found {
			if u.ID <= 0 {
				return 0, fmt.Errorf("first update id %d: %w", u.ID, store.ErrInvalid)
			}
			if err := t.s.read(func() error { return t.s.mustUser(u.BotID) }); err != nil {
				return 0, err
			}
			t.bots[u.BotID] = &txBotQueue{lastID: u.ID - 1}
			return u.ID, nil
		}
		t.bots[u.BotID] = q
	}
	if q.lastID == math.MaxInt64 {
		return 0, fmt.Errorf("update ids exhausted")
	}
	return q.lastID + 1, nil
}

// commitBots adds the staged bot updates to their queues. The caller
// holds boxMu.
func (t *boxTx) commitBots() {
	if len(t.bots) == 0 {
		return
	}
	t.s.botMu.Lock()
	defer t.s.botMu.Unlock()
	if t.s.queues == nil {
		return // closed
	}
	for bot, staged := range t.bots {
		q := t.s.queues[bot]
		if q == nil {
			q = &botQueue{}
			t.s.queues[bot] = q
		}
		q.lastID = staged.lastID
		q.updates = append(q.updates, staged.updates...)
	}
}

// readBots runs f under the read lock of the Bot API state.
func (s *Store) readBots(f func() error) error {
	s.botMu.RLock()
	defer s.botMu.RUnlock()
	if s.queues == nil {
		return errClosed
	}
	return f()
}

// writeBots runs f under the write lock of the Bot API state.
func (s *Store) writeBots(f func() error) error {
	s.botMu.Lock()
	defer s.botMu.Unlock()
	if s.queues == nil {
		return errClosed
	}
	return f()
}

// writeBotsOfUser runs f under the write lock of the Bot API state after
// checking, under the read lock of the accounts, that bot is a user.
func (s *Store) writeBotsOfUser(bot int64, f func() error) error {
	return s.read(func() error {
		if err := s.mustUser(bot); err != nil {
			return err
		}
		return s.writeBots(f)
	})
}

// deleteBotAPI drops the Bot API state of bot. The caller holds botMu.
func (s *Store) deleteBotAPI(bot int64) {
	delete(s.queues, bot)
	delete(s.settings, bot)
	for k := range s.commands {
		if k.bot == bot {
			delete(s.commands, k)
		}
	}
	for k := range s.texts {
		if k.bot == bot {
			delete(s.texts, k)
		}
	}
}

type botAPI struct{ s *Store }

var _ store.BotAPI = botAPI{}

// BotAPI implements store.Store.
func (s *Store) BotAPI() store.BotAPI { return botAPI{s} }

func (b botAPI) Updates(_ context.Context, bot, from int64, limit int, now time.Time) ([]store.BotUpdate, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("bot updates of bot %d: limit %d: %w", bot, limit, store.ErrInvalid)
	}
	var out []store.BotUpdate
	err := b.s.readBots(func() error {
		q := b.s.queues[bot]
		if q == nil {
			return nil
		}
		i, _ := slices.BinarySearchFunc(q.updates, from, func(u store.BotUpdate, id int64) int {
			return cmp.Compare(u.ID, id)
		})
		for _, u := range q.updates[i:] {
			if len(out) == limit {
				break
			}
			if unix(u.Expires) > now.Unix() {
				out = append(out, cloneBotUpdate(u))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bot updates of bot %d: %w", bot, err)
	}
	return out, nil
}

// dropUpdates keeps the entries of bot's queue for which keep is true.
func (b botAPI) dropUpdates(bot int64, keep func(u store.BotUpdate) bool) error {
	return b.s.writeBots(func() error {
		q := b.s.queues[bot]
		if q == nil {
			return nil
		}
		kept := q.updates[:0]
		for _, u := range q.updates {
			if keep(u) {
				kept = append(kept, u)
			}
		}
		clear(q.updates[len(kept):])
		q.updates = kept
		return nil
	})
}

func (b botAPI) Confirm(_ context.Context, bot, below int64) error {
	err := b.dropUpdates(bot, func(u store.BotUpdate) bool { return u.ID >= below })
	if err != nil {
		return fmt.Errorf("confirm bot updates of bot %d below %d: %w", bot, below, err)
	}
	return nil
}

func (b botAPI) KeepLast(_ context.Context, bot int64, n int) error {
	if n < 0 {
		return fmt.Errorf("keep last %d bot updates of bot %d: %w", n, bot, store.ErrInvalid)
	}
	err := b.s.writeBots(func() error {
		if q := b.s.queues[bot]; q != nil && len(q.updates) > n {
			q.updates = slices.Clone(q.updates[len(q.updates)-n:])
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("keep last %d bot updates of bot %d: %w", n, bot, err)
	}
	return nil
}

func (b botAPI) Pending(_ context.Context, bot int64, now time.Time) (int, error) {
	n := 0
	err := b.s.readBots(func() error {
		if q := b.s.queues[bot]; q != nil {
			for _, u := range q.updates {
				if unix(u.Expires) > now.Unix() {
					n++
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("pending bot updates of bot %d: %w", bot, err)
	}
	return n, nil
}

func (b botAPI) Expire(_ context.Context, now time.Time) (int, error) {
	n := 0
	err := b.s.writeBots(func() error {
		for _, q := range b.s.queues {
			kept := q.updates[:0]
			for _, u := range q.updates {
				if unix(u.Expires) > now.Unix() {
					kept = append(kept, u)
				}
			}
			n += len(q.updates) - len(kept)
			clear(q.updates[len(kept):])
			q.updates = kept
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("expire bot updates: %w", err)
	}
	return n, nil
}

// cloneSettings copies st's list and drops the sub-second part of its
// time; an empty list becomes nil, as the SQL back ends read it.
func cloneSettings(st store.BotSettings) store.BotSettings {
	if len(st.AllowedUpdates) == 0 {
		st.AllowedUpdates = nil
	} else {
		st.AllowedUpdates = slices.Clone(st.AllowedUpdates)
	}
	st.LastErrorDate = second(st.LastErrorDate)
	return st
}

func (b botAPI) Settings(_ context.Context, bot int64) (store.BotSettings, error) {
	st := store.BotSettings{BotID: bot}
	err := b.s.readBots(func() error {
		if got, ok := b.s.settings[bot]; ok {
			st = cloneSettings(got)
		}
		return nil
	})
	if err != nil {
		return store.BotSettings{}, fmt.Errorf("settings of bot %d: %w", bot, err)
	}
	return st, nil
}

func (b botAPI) Webhooks(_ context.Context) ([]store.BotSettings, error) {
	var out []store.BotSettings
	err := b.s.readBots(func() error {
		for _, st := range b.s.settings {
			if st.WebhookURL != "" {
				out = append(out, cloneSettings(st))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bots with a webhook: %w", err)
	}
	slices.SortFunc(out, func(a, b store.BotSettings) int { return cmp.Compare(a.BotID, b.BotID) })
	return out, nil
}

func (b botAPI) SetSettings(_ context.Context, st store.BotSettings) error {
	st = cloneSettings(st)
	err := b.s.writeBotsOfUser(st.BotID, func() error {
		b.s.settings[st.BotID] = st
		return nil
	})
	if err != nil {
		return fmt.Errorf("set settings of bot %d: %w", st.BotID, err)
	}
	return nil
}

func (b botAPI) SetCommands(_ context.Context, bot int64, scope, lang string, cmds []store.BotCommand) error {
	err := fmt.Errorf("empty key: %w", store.ErrInvalid)
	if scope != "" {
		err = b.s.writeBotsOfUser(bot, func() error {
			k := botKey{bot, scope, lang}
			if len(cmds) == 0 {
				delete(b.s.commands, k)
			} else {
				b.s.commands[k] = slices.Clone(cmds)
			}
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("set commands of bot %d for %q/%q: %w", bot, scope, lang, err)
	}
	return nil
}

func (b botAPI) Commands(_ context.Context, bot int64, scope, lang string) ([]store.BotCommand, error) {
	var out []store.BotCommand
	err := b.s.readBots(func() error {
		out = slices.Clone(b.s.commands[botKey{bot, scope, lang}])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("commands of bot %d for %q/%q: %w", bot, scope, lang, err)
	}
	return out, nil
}

func (b botAPI) SetText(_ context.Context, bot int64, kind, lang, text string) error {
	err := fmt.Errorf("empty key: %w", store.ErrInvalid)
	if kind != "" {
		err = b.s.writeBotsOfUser(bot, func() error {
			k := botKey{bot, kind, lang}
			if text == "" {
				delete(b.s.texts, k)
			} else {
				b.s.texts[k] = text
			}
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("set %s text of bot %d for %q: %w", kind, bot, lang, err)
	}
	return nil
}

func (b botAPI) Text(_ context.Context, bot int64, kind, lang string) (string, error) {
	var text string
	err := b.s.readBots(func() error {
		text = b.s.texts[botKey{bot, kind, lang}]
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("%s text of bot %d for %q: %w", kind, bot, lang, err)
	}
	return text, nil
}
