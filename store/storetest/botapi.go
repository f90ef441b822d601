package storetest

import (
	"errors"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
)

func testBotAPI(t *testing.T, open Open) {
	t.Run("Queue", func(t *testing.T) { testBotQueue(t, open) })
	t.Run("QueueRollback", func(t *testing.T) { testBotQueueRollback(t, open) })
	t.Run("QueueConcurrent", func(t *testing.T) { testBotQueueConcurrent(t, open) })
	t.Run("Settings", func(t *testing.T) { testBotSettings(t, open) })
	t.Run("CommandsTexts", func(t *testing.T) { testBotCommandsTexts(t, open) })
	t.Run("ReplyMarkup", func(t *testing.T) { testReplyMarkup(t, open) })
	t.Run("DeleteBot", func(t *testing.T) { testDeleteBot(t, open) })
}

// otherZone is a location other than UTC; times read back in UTC.
var otherZone = time.FixedZone("X", 3600)

// mustBot creates a bot named n.
func mustBot(t *testing.T, s store.Store, n string, owner int64) store.User {
	t.Helper()
	return mustUser(t, s, store.User{FirstName: n, Username: n + "_bot", Bot: true, BotOwnerID: owner})
}

// botUpdate returns an entry of bot's queue dated sec and expiring ttl
// seconds later, asking for update_id id.
func botUpdate(bot, id int64, kind string, sec, ttl int) store.BotUpdate {
	return store.BotUpdate{BotID: bot, ID: id, Kind: kind, Payload: []byte(kind), Date: at(sec), Expires: at(sec + ttl)}
}

// appendBot appends us in one Boxes.Update and returns their update_ids.
func appendBot(t *testing.T, s store.Store, us ...store.BotUpdate) []int64 {
	t.Helper()
	var ids []int64
	mustUpdate(t, s, func(tx store.BoxTx) error {
		ids = ids[:0]
		for _, u := range us {
			id, err := tx.AppendBotUpdate(u)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids
}

// botUpdateIDs returns the ids of us.
func botUpdateIDs(us []store.BotUpdate) []int64 {
	ids := make([]int64, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	return ids
}

// queueIDs returns the ids of every entry of bot's queue live at sec.
func queueIDs(t *testing.T, s store.Store, bot int64, sec int) []int64 {
	t.Helper()
	us, err := s.BotAPI().Updates(t.Context(), bot, 0, 1000, at(sec))
	if err != nil {
		t.Fatalf("updates of bot %d: %v", bot, err)
	}
	return botUpdateIDs(us)
}

func testBotQueue(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	api := s.BotAPI()
	owner := mustUser(t, s, person(1))
	a, b := mustBot(t, s, "a", owner.ID).ID, mustBot(t, s, "b", owner.ID).ID

	if us, err := api.Updates(ctx, a, 0, 10, at(0)); err != nil || len(us) != 0 {
		t.Errorf("updates of a new queue = %v, %v; want none", us, err)
	}
	// The first update seeds the numbering; later ones ignore their ID.
	if ids := appendBot(t, s, botUpdate(a, 500, "message", 1, 100), botUpdate(a, 0, "edited_message", 2, 100),
		botUpdate(b, 7, "message", 3, 100)); !slices.Equal(ids, []int64{500, 501, 7}) {
		t.Errorf("ids = %v, want [500 501 7]", ids)
	}
	if ids := appendBot(t, s, botUpdate(a, 42, "callback_query", 4, 10), botUpdate(a, 1, "message", 5, 100)); !slices.Equal(ids, []int64{502, 503}) {
		t.Errorf("ids of a second call = %v, want [502 503]", ids)
	}

	// Entries read back as written, times in whole seconds and UTC.
	want := botUpdate(a, 501, "edited_message", 2, 100)
	u := want
	u.Date = u.Date.Add(900_000_000).In(otherZone)
	mustUpdate(t, s, func(tx store.BoxTx) error {
		_, err := tx.AppendBotUpdate(store.BotUpdate{BotID: b, Kind: "poll", Payload: []byte{}, Date: u.Date,
			Expires: at(100)})
		return err
	})
	us, err := api.Updates(ctx, a, 501, 1, at(0))
	if err != nil || len(us) != 1 || !reflect.DeepEqual(us[0], want) {
		t.Errorf("updates from 501 limit 1 = %+v, %v; want [%+v]", us, err, want)
	}
	if us, err := api.Updates(ctx, b, 0, 10, at(0)); err != nil || len(us) != 2 || us[1].ID != 8 ||
		us[1].Payload != nil || !us[1].Date.Equal(at(2)) || us[1].Date.Location() != at(0).Location() {
		t.Errorf("updates of b = %+v, %v; want the second with id 8, nil payload, date at(2) UTC", us, err)
	}
	// Expiry: the callback query (expires at 14) is gone at 14, not at 13.
	if ids := queueIDs(t, s, a, 13); !slices.Equal(ids, []int64{500, 501, 502, 503}) {
		t.Errorf("queue at 13 = %v", ids)
	}
	if ids := queueIDs(t, s, a, 14); !slices.Equal(ids, []int64{500, 501, 503}) {
		t.Errorf("queue at 14 = %v, want the expired entry skipped", ids)
	}
	if n, err := api.Pending(ctx, a, at(14)); err != nil || n != 3 {
		t.Errorf("pending at 14 = %d, %v; want 3", n, err)
	}
	if us, err := api.Updates(ctx, a, 502, 10, at(14)); err != nil || !slices.Equal(botUpdateIDs(us), []int64{503}) {
		t.Errorf("updates from 502 at 14 = %v, %v; want [503]", botUpdateIDs(us), err)
	}

	// Confirm drops the entries below; ids go on.
	if err := api.Confirm(ctx, a, 502); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	if ids := queueIDs(t, s, a, 0); !slices.Equal(ids, []int64{502, 503}) {
		t.Errorf("queue after confirm = %v, want [502 503]", ids)
	}
	if ids := queueIDs(t, s, b, 0); len(ids) != 2 {
		t.Errorf("confirm of a touched b: %v", ids)
	}
	if err := api.Confirm(ctx, a, 1000); err != nil {
		t.Fatalf("confirm all: %v", err)
	}
	if n, err := api.Pending(ctx, a, at(0)); err != nil || n != 0 {
		t.Errorf("pending after confirming all = %d, %v", n, err)
	}
	if ids := appendBot(t, s, botUpdate(a, 1, "message", 20, 100)); !slices.Equal(ids, []int64{504}) {
		t.Errorf("id after the queue was emptied = %v, want [504]", ids)
	}

	// KeepLast keeps the newest n.
	appendBot(t, s, botUpdate(a, 0, "message", 21, 100), botUpdate(a, 0, "message", 22, 100))
	if err := api.KeepLast(ctx, a, 5); err != nil {
		t.Fatal(err)
	}
	if ids := queueIDs(t, s, a, 0); !slices.Equal(ids, []int64{504, 505, 506}) {
		t.Errorf("queue after keeping more than it has = %v", ids)
	}
	if err := api.KeepLast(ctx, a, 2); err != nil {
		t.Fatal(err)
	}
	if ids := queueIDs(t, s, a, 0); !slices.Equal(ids, []int64{505, 506}) {
		t.Errorf("queue after keeping 2 = %v, want [505 506]", ids)
	}
	if err := api.KeepLast(ctx, a, 0); err != nil {
		t.Fatal(err)
	}
	if ids := queueIDs(t, s, a, 0); len(ids) != 0 {
		t.Errorf("queue after keeping 0 = %v", ids)
	}
	if ids := appendBot(t, s, botUpdate(a, 1, "message", 30, 10), botUpdate(a, 1, "message", 30, 20)); !slices.Equal(ids, []int64{507, 508}) {
		t.Errorf("ids after KeepLast 0 = %v, want [507 508]", ids)
	}

	// Expire drops what expired at or before now, for every bot.
	if n, err := api.Expire(ctx, at(40)); err != nil || n != 1 {
		t.Errorf("expire at 40 = %d, %v; want 1", n, err)
	}
	if n, err := api.Expire(ctx, at(40)); err != nil || n != 0 {
		t.Errorf("expire again = %d, %v; want 0", n, err)
	}
	if n, err := api.Expire(ctx, at(1000)); err != nil || n != 3 {
		t.Errorf("expire all = %d, %v; want 3 (one of a, two of b)", n, err)
	}
	if ids := appendBot(t, s, botUpdate(a, 1, "message", 50, 10)); !slices.Equal(ids, []int64{509}) {
		t.Errorf("id after expiry = %v, want [509]", ids)
	}
	if ids := appendBot(t, s, botUpdate(b, 1, "message", 50, 10)); !slices.Equal(ids, []int64{9}) {
		t.Errorf("id of b after expiry = %v, want [9]", ids)
	}

	// Errors.
	if _, err := api.Updates(ctx, a, 0, 0, at(0)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("limit 0: err = %v, want ErrInvalid", err)
	}
	if err := api.KeepLast(ctx, a, -1); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("keep -1: err = %v, want ErrInvalid", err)
	}
	for _, c := range []struct {
		name string
		u    store.BotUpdate
		want error
	}{
		{"bot 0", botUpdate(0, 1, "message", 1, 1), store.ErrInvalid},
		{"negative bot", botUpdate(-5, 1, "message", 1, 1), store.ErrInvalid},
		{"first id 0", botUpdate(owner.ID, 0, "message", 1, 1), store.ErrInvalid},
		{"negative first id", botUpdate(owner.ID, -1, "message", 1, 1), store.ErrInvalid},
		{"missing user", botUpdate(12345, 1, "message", 1, 1), store.ErrNotFound},
	} {
		mustUpdate(t, s, func(tx store.BoxTx) error {
			if _, err := tx.AppendBotUpdate(c.u); !errors.Is(err, c.want) {
				t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
			}
			return nil
		})
	}
	// Queues of missing bots are empty; dropping from them is no error.
	if err := api.Confirm(ctx, 12345, 10); err != nil {
		t.Errorf("confirm of a missing bot: %v", err)
	}
	if err := api.KeepLast(ctx, 12345, 0); err != nil {
		t.Errorf("keep last of a missing bot: %v", err)
	}
	if n, err := api.Pending(ctx, 12345, at(0)); err != nil || n != 0 {
		t.Errorf("pending of a missing bot = %d, %v", n, err)
	}
}

// testBotQueueRollback checks that bot updates go with the box
// transaction they were appended in.
func testBotQueueRollback(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	owner := mustUser(t, s, person(1))
	a, b := mustBot(t, s, "a", owner.ID).ID, mustBot(t, s, "b", owner.ID).ID
	appendBot(t, s, botUpdate(a, 100, "message", 1, 100))

	work := func(tx store.BoxTx) error {
		id, err := tx.NextID(owner.ID)
		if err != nil {
			return err
		}
		if err := tx.PutMessage(store.Message{OwnerID: owner.ID, ID: id, Peer: userPeer(a), Date: at(2), Text: "lost"}); err != nil {
			return err
		}
		for _, u := range []store.BotUpdate{botUpdate(a, 0, "message", 2, 100), botUpdate(b, 50, "message", 2, 100)} {
			if _, err := tx.AppendBotUpdate(u); err != nil {
				return err
			}
		}
		return nil
	}
	errBoom := errors.New("boom")
	if err := s.Boxes().Update(ctx, func(tx store.BoxTx) error {
		if err := work(tx); err != nil {
			t.Errorf("work: %v", err)
		}
		return errBoom
	}); err != errBoom { //nolint:errorlint // Update returns f's error as it is
		t.Fatalf("update = %v, want f's error", err)
	}
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want the panic of f", r)
			}
		}()
		_ = s.Boxes().Update(ctx, func(tx store.BoxTx) error {
			if err := work(tx); err != nil {
				t.Errorf("work: %v", err)
			}
			panic("boom")
		})
	}()
	if ids := queueIDs(t, s, a, 0); !slices.Equal(ids, []int64{100}) {
		t.Errorf("queue of a after rollbacks = %v, want [100]", ids)
	}
	if ids := queueIDs(t, s, b, 0); len(ids) != 0 {
		t.Errorf("queue of b after rollbacks = %v, want none", ids)
	}
	if m, err := s.Boxes().Message(ctx, owner.ID, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("message of a failed call = %+v, %v", m, err)
	}
	// Numbering goes on as if the failed calls never ran: b's first
	// update is still a first one.
	if ids := appendBot(t, s, botUpdate(a, 0, "message", 3, 100), botUpdate(b, 60, "message", 3, 100)); !slices.Equal(ids, []int64{101, 60}) {
		t.Errorf("ids after rollbacks = %v, want [101 60]", ids)
	}
	// A failing AppendBotUpdate does not end the transaction.
	mustUpdate(t, s, func(tx store.BoxTx) error {
		if _, err := tx.AppendBotUpdate(botUpdate(99999, 1, "message", 4, 100)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update of a missing bot: err = %v", err)
		}
		_, err := tx.AppendBotUpdate(botUpdate(a, 0, "message", 4, 100))
		return err
	})
	if ids := queueIDs(t, s, a, 0); !slices.Equal(ids, []int64{100, 101, 102}) {
		t.Errorf("queue after a handled error = %v, want [100 101 102]", ids)
	}
}

// testBotQueueConcurrent appends from many calls at once, some of which
// fail (so that failed and kept calls share group commits): the kept ones
// get consecutive ids.
func testBotQueueConcurrent(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	owner := mustUser(t, s, person(1))
	bot := mustBot(t, s, "a", owner.ID).ID
	const workers, calls = 8, 25
	var (
		mu  sync.Mutex
		got []int64
		wg  sync.WaitGroup
	)
	errFail := errors.New("fail")
	for w := range workers {
		wg.Go(func() {
			for i := range calls {
				fail := (w+i)%3 == 0
				var ids []int64
				err := s.Boxes().Update(ctx, func(tx store.BoxTx) error {
					ids = ids[:0]
					for range 2 {
						id, err := tx.AppendBotUpdate(botUpdate(bot, 1, "message", 1, 100))
						if err != nil {
							return err
						}
						ids = append(ids, id)
					}
					if fail {
						return errFail
					}
					return nil
				})
				if fail != (err != nil) {
					t.Errorf("update (fail %v) = %v", fail, err)
					return
				}
				if err == nil {
					if ids[1] != ids[0]+1 {
						t.Errorf("ids of one call = %v, want consecutive", ids)
					}
					mu.Lock()
					got = append(got, ids...)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	slices.Sort(got)
	for i, id := range got {
		if id != int64(i+1) {
			t.Fatalf("kept ids = %v, want 1..%d", got, len(got))
		}
	}
	if ids := queueIDs(t, s, bot, 0); !slices.Equal(ids, got) {
		t.Errorf("queue = %v, want the kept ids %v", ids, got)
	}
}

func testBotSettings(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	api := s.BotAPI()
	owner := mustUser(t, s, person(1))
	bot := mustBot(t, s, "a", owner.ID).ID

	if st, err := api.Settings(ctx, bot); err != nil || !reflect.DeepEqual(st, store.BotSettings{BotID: bot}) {
		t.Errorf("settings never set = %+v, %v; want zero with BotID", st, err)
	}
	if st, err := api.Settings(ctx, 12345); err != nil || st.BotID != 12345 || st.WebhookURL != "" {
		t.Errorf("settings of a missing user = %+v, %v; want zero", st, err)
	}
	full := store.BotSettings{BotID: bot, WebhookURL: "https://example.com/hook", SecretToken: "s3cret",
		IPAddress: "192.0.2.1", MaxConnections: 40, AllowedUpdates: []string{"message", "callback_query"},
		LastErrorDate: at(5).Add(300_000_000).In(otherZone), LastErrorMessage: "Connection refused"}
	if err := api.SetSettings(ctx, full); err != nil {
		t.Fatalf("set settings: %v", err)
	}
	want := full
	want.LastErrorDate = at(5)
	if st, err := api.Settings(ctx, bot); err != nil || !reflect.DeepEqual(st, want) {
		t.Errorf("settings = %+v, %v; want %+v", st, err, want)
	}
	full.AllowedUpdates[0] = "changed"
	if st, _ := api.Settings(ctx, bot); st.AllowedUpdates[0] != "message" {
		t.Error("the store shares the caller's AllowedUpdates")
	}
	// Replacing: back to polling, the default set (empty reads back nil).
	back := store.BotSettings{BotID: bot, AllowedUpdates: []string{}, MaxConnections: 1}
	if err := api.SetSettings(ctx, back); err != nil {
		t.Fatalf("replace settings: %v", err)
	}
	back.AllowedUpdates = nil
	if st, err := api.Settings(ctx, bot); err != nil || !reflect.DeepEqual(st, back) {
		t.Errorf("settings after replace = %+v, %v; want %+v", st, err, back)
	}
	if err := api.SetSettings(ctx, store.BotSettings{BotID: 12345}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("settings of a missing user: err = %v, want ErrNotFound", err)
	}

	// Webhooks lists the bots with a webhook, in id order.
	if hooks, err := api.Webhooks(ctx); err != nil || len(hooks) != 0 {
		t.Errorf("webhooks while all poll = %+v, %v", hooks, err)
	}
	c, d := mustBot(t, s, "c", owner.ID).ID, mustBot(t, s, "d", owner.ID).ID
	hookC := store.BotSettings{BotID: c, WebhookURL: "https://c.example/", AllowedUpdates: []string{"message"}}
	hookBot := store.BotSettings{BotID: bot, WebhookURL: "https://a.example/", SecretToken: "t"}
	for _, st := range []store.BotSettings{hookC, {BotID: d, MaxConnections: 5}, hookBot} {
		if err := api.SetSettings(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	if hooks, err := api.Webhooks(ctx); err != nil || !reflect.DeepEqual(hooks, []store.BotSettings{hookBot, hookC}) {
		t.Errorf("webhooks = %+v, %v; want %+v", hooks, err, []store.BotSettings{hookBot, hookC})
	}
	if err := api.SetSettings(ctx, store.BotSettings{BotID: bot}); err != nil {
		t.Fatal(err)
	}
	if hooks, err := api.Webhooks(ctx); err != nil || !reflect.DeepEqual(hooks, []store.BotSettings{hookC}) {
		t.Errorf("webhooks after deleting one = %+v, %v; want %+v", hooks, err, []store.BotSettings{hookC})
	}
}

func testBotCommandsTexts(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	api := s.BotAPI()
	owner := mustUser(t, s, person(1))
	a, b := mustBot(t, s, "a", owner.ID).ID, mustBot(t, s, "b", owner.ID).ID

	if cmds, err := api.Commands(ctx, a, "default", ""); err != nil || cmds != nil {
		t.Errorf("commands never set = %v, %v; want nil", cmds, err)
	}
	def := []store.BotCommand{{Command: "start", Description: "Start the bot"}, {Command: "help", Description: "Show help"},
		{Command: "about"}}
	ru := []store.BotCommand{{Command: "start", Description: "Начать"}}
	chat := []store.BotCommand{{Command: "stats", Description: "Chat stats"}}
	for _, c := range []struct {
		scope, lang string
		cmds        []store.BotCommand
	}{{"default", "", def}, {"default", "ru", ru}, {"chat:42", "", chat}} {
		in := slices.Clone(c.cmds)
		if err := api.SetCommands(ctx, a, c.scope, c.lang, in); err != nil {
			t.Fatalf("set commands %s/%s: %v", c.scope, c.lang, err)
		}
		in[0].Description = "changed" // the store keeps its own copy
	}
	for _, c := range []struct {
		bot         int64
		scope, lang string
		want        []store.BotCommand
	}{
		{a, "default", "", def}, {a, "default", "ru", ru}, {a, "chat:42", "", chat},
		{a, "all_private_chats", "", nil}, {a, "default", "en", nil}, {b, "default", "", nil},
	} {
		if got, err := api.Commands(ctx, c.bot, c.scope, c.lang); err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("commands of %d %s/%s = %v, %v; want %v", c.bot, c.scope, c.lang, got, err, c.want)
		}
	}
	if err := api.SetCommands(ctx, a, "default", "", ru); err != nil {
		t.Fatal(err)
	}
	if got, _ := api.Commands(ctx, a, "default", ""); !reflect.DeepEqual(got, ru) {
		t.Errorf("commands after replace = %v, want %v", got, ru)
	}
	if err := api.SetCommands(ctx, a, "default", "ru", nil); err != nil {
		t.Fatal(err)
	}
	if got, err := api.Commands(ctx, a, "default", "ru"); err != nil || got != nil {
		t.Errorf("deleted commands = %v, %v; want nil", got, err)
	}
	if err := api.SetCommands(ctx, a, "chat:42", "", []store.BotCommand{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := api.Commands(ctx, a, "chat:42", ""); got != nil {
		t.Errorf("commands set to an empty list = %v, want nil", got)
	}
	if err := api.SetCommands(ctx, 12345, "default", "", ru); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("commands of a missing user: err = %v, want ErrNotFound", err)
	}
	if err := api.SetCommands(ctx, a, "", "", ru); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("commands of an empty scope: err = %v, want ErrInvalid", err)
	}

	if text, err := api.Text(ctx, a, "name", ""); err != nil || text != "" {
		t.Errorf("text never set = %q, %v", text, err)
	}
	for _, c := range []struct{ kind, lang, text string }{
		{"name", "", "Echo"}, {"name", "ru", "Эхо"}, {"description", "", "Repeats what you say."},
		{"short_description", "", "Echo bot"},
	} {
		if err := api.SetText(ctx, a, c.kind, c.lang, c.text); err != nil {
			t.Fatalf("set %s/%s: %v", c.kind, c.lang, err)
		}
	}
	if err := api.SetText(ctx, a, "name", "", "Echo 2"); err != nil {
		t.Fatal(err)
	}
	if err := api.SetText(ctx, a, "short_description", "", ""); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		bot              int64
		kind, lang, want string
	}{
		{a, "name", "", "Echo 2"}, {a, "name", "ru", "Эхо"}, {a, "description", "", "Repeats what you say."},
		{a, "short_description", "", ""}, {a, "description", "ru", ""}, {b, "name", "", ""},
	} {
		if got, err := api.Text(ctx, c.bot, c.kind, c.lang); err != nil || got != c.want {
			t.Errorf("text %s/%s of %d = %q, %v; want %q", c.kind, c.lang, c.bot, got, err, c.want)
		}
	}
	if err := api.SetText(ctx, 12345, "name", "", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("text of a missing user: err = %v, want ErrNotFound", err)
	}
	if err := api.SetText(ctx, a, "", "", "x"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("text of an empty kind: err = %v, want ErrInvalid", err)
	}
}

// testReplyMarkup checks that Message.ReplyMarkup is kept by every way of
// writing and reading messages.
func testReplyMarkup(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	bx := s.Boxes()
	owner := mustUser(t, s, person(1))
	bot := mustBot(t, s, "a", owner.ID).ID
	markup := []byte{0xde, 0xad, 0, 0xbe, 0xef}
	in := store.Message{OwnerID: owner.ID, Peer: userPeer(bot), FromID: bot, Date: at(1), Text: "pick one",
		ReplyMarkup: slices.Clone(markup), GlobalID: 9}
	m := putMessage(t, s, in)
	in.ReplyMarkup[0] = 0 // the store keeps its own copy
	m.ReplyMarkup = markup
	plain := putMessage(t, s, store.Message{OwnerID: owner.ID, Peer: userPeer(bot), Date: at(2), Text: "pick one",
		ReplyMarkup: []byte{}})
	plain.ReplyMarkup = nil // an empty one reads back as nil

	check := func(what string, got []store.Message, err error, want ...store.Message) {
		t.Helper()
		if err != nil || !equalMessages(got, want) {
			t.Errorf("%s = %+v, %v; want %+v", what, got, err, want)
		}
	}
	one := func(m store.Message, err error) ([]store.Message, error) { return []store.Message{m}, err }
	got, err := one(bx.Message(ctx, owner.ID, m.ID))
	check("Message", got, err, m)
	got, err = one(bx.Message(ctx, owner.ID, plain.ID))
	check("Message without markup", got, err, plain)
	got, err = bx.Messages(ctx, owner.ID, []int32{m.ID, plain.ID})
	check("Messages", got, err, m, plain)
	got, err = bx.History(ctx, owner.ID, userPeer(bot), store.HistoryQuery{Limit: 10})
	check("History", got, err, m, plain)
	got, err = bx.Search(ctx, owner.ID, store.SearchQuery{Text: "pick", Limit: 10})
	check("Search", got, err, plain, m)
	mustUpdate(t, s, func(tx store.BoxTx) error {
		got, err := one(tx.Message(owner.ID, m.ID))
		check("tx.Message", got, err, m)
		got, err = tx.ByGlobalID(9)
		check("tx.ByGlobalID", got, err, m)
		return nil
	})

	// UpdateMessage sets, replaces and clears it.
	edits := []struct {
		id     int32
		markup []byte
	}{{plain.ID, []byte{1, 2, 3}}, {m.ID, []byte{4}}, {m.ID, nil}, {plain.ID, []byte{}}}
	for _, e := range edits {
		var cur store.Message
		mustUpdate(t, s, func(tx store.BoxTx) error {
			var err error
			if cur, err = tx.Message(owner.ID, e.id); err != nil {
				return err
			}
			cur.ReplyMarkup = e.markup
			return tx.UpdateMessage(cur)
		})
		cur.ReplyMarkup = storedBytes(e.markup)
		got, err := one(bx.Message(ctx, owner.ID, e.id))
		check("message after edit", got, err, cur)
	}
}

// testDeleteBot deletes a bot that has everything a bot can have.
func testDeleteBot(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	owner := mustUser(t, s, person(1))
	other := mustUser(t, s, person(2))
	bot := mustBot(t, s, "echo", owner.ID)
	kept := mustBot(t, s, "kept", owner.ID)
	api := s.BotAPI()
	mustCreate(t, s, NewKey(1))
	for _, err := range []error{
		s.Bots().SetToken(ctx, bot.ID, [32]byte{1}),
		s.Bots().SetToken(ctx, kept.ID, [32]byte{2}),
		s.AuthKeys().SetUser(ctx, 1, bot.ID),
		s.Contacts().Put(ctx, store.Contact{OwnerID: other.ID, UserID: bot.ID, FirstName: "Echo", CreatedAt: base}),
		s.Contacts().Block(ctx, owner.ID, bot.ID, base),
		api.SetSettings(ctx, store.BotSettings{BotID: bot.ID, WebhookURL: "https://example.com/"}),
		api.SetCommands(ctx, bot.ID, "default", "", []store.BotCommand{{Command: "start", Description: "Start"}}),
		api.SetCommands(ctx, kept.ID, "default", "", []store.BotCommand{{Command: "go", Description: "Go"}}),
		api.SetText(ctx, bot.ID, "name", "", "Echo"),
		api.SetText(ctx, kept.ID, "name", "", "Kept"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	chat, err := s.Chats().Create(ctx, store.Chat{Title: "g", CreatorID: owner.ID, Date: base},
		[]store.ChatMember{{UserID: owner.ID, Date: base}, {UserID: bot.ID, InviterID: owner.ID, Date: base}})
	if err != nil {
		t.Fatalf("create chat: %v", err)
	}
	// A private chat between the owner and the bot, in both boxes, and
	// updates in both queues.
	var ownerCopy store.Message
	mustUpdate(t, s, func(tx store.BoxTx) error {
		for _, side := range [][2]int64{{owner.ID, bot.ID}, {bot.ID, owner.ID}} {
			id, err := tx.NextID(side[0])
			if err != nil {
				return err
			}
			m := store.Message{OwnerID: side[0], ID: id, Peer: userPeer(side[1]), FromID: owner.ID,
				Out: side[0] == owner.ID, Date: at(1), Text: "/start", GlobalID: 5}
			if err := tx.PutMessage(m); err != nil {
				return err
			}
			if side[0] == owner.ID {
				ownerCopy = m
			}
			if err := tx.PutDialog(store.Dialog{OwnerID: side[0], Peer: userPeer(side[1]), TopMessage: id, TopDate: at(1)}); err != nil {
				return err
			}
			if _, err := tx.AppendUpdate(side[0], 1, at(1), []byte("new message")); err != nil {
				return err
			}
		}
		for _, b := range []int64{bot.ID, kept.ID} {
			if _, err := tx.AppendBotUpdate(botUpdate(b, 10, "message", 1, 100)); err != nil {
				return err
			}
		}
		return nil
	})

	if err := s.Bots().Delete(ctx, owner.ID); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("delete a person: err = %v, want ErrInvalid", err)
	}
	if err := s.Bots().Delete(ctx, 12345); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete a missing user: err = %v, want ErrNotFound", err)
	}
	if err := s.Bots().Delete(ctx, bot.ID); err != nil {
		t.Fatalf("delete bot: %v", err)
	}
	if err := s.Bots().Delete(ctx, bot.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete again: err = %v, want ErrNotFound", err)
	}

	// The bot and what was its own are gone.
	if _, err := s.Users().Get(ctx, bot.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted bot: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Users().ByUsername(ctx, "echo_bot"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("username of a deleted bot: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Bots().TokenHash(ctx, bot.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("token of a deleted bot: err = %v, want ErrNotFound", err)
	}
	if k, err := s.AuthKeys().Get(ctx, 1); err != nil || k.UserID != 0 {
		t.Errorf("auth key of a deleted bot = user %d, %v; want logged out", k.UserID, err)
	}
	if st, err := api.Settings(ctx, bot.ID); err != nil || st.WebhookURL != "" {
		t.Errorf("settings of a deleted bot = %+v, %v; want zero", st, err)
	}
	if cmds, err := api.Commands(ctx, bot.ID, "default", ""); err != nil || cmds != nil {
		t.Errorf("commands of a deleted bot = %v, %v", cmds, err)
	}
	if text, err := api.Text(ctx, bot.ID, "name", ""); err != nil || text != "" {
		t.Errorf("name of a deleted bot = %q, %v", text, err)
	}
	if n, err := api.Pending(ctx, bot.ID, at(0)); err != nil || n != 0 {
		t.Errorf("queue of a deleted bot = %d, %v", n, err)
	}
	if st, err := s.Boxes().State(ctx, bot.ID); err != nil || st != (store.BoxState{}) {
		t.Errorf("box of a deleted bot = %+v, %v; want zero", st, err)
	}
	if _, err := s.Boxes().Message(ctx, bot.ID, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("message of a deleted bot: err = %v, want ErrNotFound", err)
	}
	if us, err := s.Boxes().Updates(ctx, bot.ID, 0, 10); err != nil || len(us) != 0 {
		t.Errorf("update log of a deleted bot = %v, %v", us, err)
	}
	if ms, err := s.Chats().Members(ctx, chat.ID); err != nil || len(ms) != 1 || ms[0].UserID != owner.ID {
		t.Errorf("members after the delete = %+v, %v; want the owner only", ms, err)
	}
	if cs, err := s.Contacts().List(ctx, other.ID); err != nil || len(cs) != 0 {
		t.Errorf("contacts naming a deleted bot = %+v, %v", cs, err)
	}
	if blocked, err := s.Contacts().IsBlocked(ctx, owner.ID, bot.ID); err != nil || blocked {
		t.Errorf("block of a deleted bot = %v, %v", blocked, err)
	}
	mustUpdate(t, s, func(tx store.BoxTx) error {
		if _, err := tx.AppendBotUpdate(botUpdate(bot.ID, 1, "message", 2, 100)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update for a deleted bot: err = %v, want ErrNotFound", err)
		}
		if _, err := tx.NextID(bot.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("next id of a deleted bot: err = %v, want ErrNotFound", err)
		}
		// The other side's copy stays.
		got, err := tx.ByGlobalID(5)
		if err != nil || !equalMessages(got, []store.Message{stored(ownerCopy)}) {
			t.Errorf("copies after the delete = %+v, %v; want the owner's", got, err)
		}
		return nil
	})

	// Others keep theirs.
	if u, err := s.Users().Get(ctx, owner.ID); err != nil || u.ID != owner.ID {
		t.Errorf("owner after the delete = %+v, %v", u, err)
	}
	if m, err := s.Boxes().Message(ctx, owner.ID, 1); err != nil || m.Peer.ID != bot.ID {
		t.Errorf("owner's copy = %+v, %v", m, err)
	}
	if _, err := s.Bots().TokenHash(ctx, kept.ID); err != nil {
		t.Errorf("token of another bot: %v", err)
	}
	if ids := queueIDs(t, s, kept.ID, 0); !slices.Equal(ids, []int64{10}) {
		t.Errorf("queue of another bot = %v, want [10]", ids)
	}
	if cmds, _ := api.Commands(ctx, kept.ID, "default", ""); len(cmds) != 1 {
		t.Errorf("commands of another bot = %v", cmds)
	}
	if text, _ := api.Text(ctx, kept.ID, "name", ""); text != "Kept" {
		t.Errorf("name of another bot = %q", text)
	}
	if c, err := s.Chats().Get(ctx, chat.ID); err != nil || c.ID != chat.ID {
		t.Errorf("chat of a deleted member = %+v, %v; want kept", c, err)
	}

	// The username is free again; the id is not given out again.
	again := mustUser(t, s, store.User{FirstName: "Echo", Username: "Echo_Bot", Bot: true})
	if again.ID <= kept.ID {
		t.Errorf("id after the delete = %d, want above %d", again.ID, kept.ID)
	}
	if ids := appendBot(t, s, botUpdate(again.ID, 1, "message", 3, 100)); !slices.Equal(ids, []int64{1}) {
		t.Errorf("first update of the new bot = %v, want [1]", ids)
	}
}
