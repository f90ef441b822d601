package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/roostchat/roost/store"
)

// AppendBotUpdate implements store.BoxTx. The queue's row in bot_queues
// holds the last update_id handed out; it is created, after checking that
// the bot is a user, with the first update, and never removed but with
// the user, so numbering goes on after the queue was emptied.
func (t *boxTx) AppendBotUpdate(u store.BotUpdate) (int64, error) {
	if err := t.over(); err != nil {
		return 0, err
	}
	id, err := t.nextBotUpdateID(u)
	if err == nil {
		_, err = t.b.exec(wAppendBotUpdate, u.BotID, id, u.Kind, blob(u.Payload), unix(u.Date), unix(u.Expires))
	}
	if err != nil {
		return 0, fmt.Errorf("append bot update of bot %d: %w", u.BotID, constraintErr(err))
	}
	return id, nil
}

// nextBotUpdateID advances the queue of u.BotID and returns u's update_id.
func (t *boxTx) nextBotUpdateID(u store.BotUpdate) (int64, error) {
	if u.BotID <= 0 {
		return 0, fmt.Errorf("bot id %d: %w", u.BotID, store.ErrInvalid)
	}
	var last int64
	err := t.b.row(wGetBotQueue, u.BotID).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		if u.ID <= 0 {
			return 0, fmt.Errorf("first update id %d: %w", u.ID, store.ErrInvalid)
		}
		if err := t.mustUser(u.BotID); err != nil {
			return 0, err
		}
		_, err = t.b.exec(wInsertBotQueue, u.BotID, u.ID)
		return u.ID, err
	}
	if err != nil {
		return 0, err
	}
	if last == math.MaxInt64 {
		return 0, errors.New("update ids exhausted")
	}
	if err := changedOne(t.b.exec(wUpdateBotQueue, last+1, u.BotID)); err != nil {
		return 0, err
	}
	return last + 1, nil
}

// botAPI implements store.BotAPI. Its writes run on the pool (inTx), not
// through the message writer: the writer's cache holds no Bot API state.
type botAPI struct{ s *Store }

var _ store.BotAPI = botAPI{}

// BotAPI implements store.Store.
func (s *Store) BotAPI() store.BotAPI { return botAPI{s} }

func (b botAPI) Updates(ctx context.Context, bot, from int64, limit int, now time.Time) ([]store.BotUpdate, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("bot updates of bot %d: limit %d: %w", bot, limit, store.ErrInvalid)
	}
	us, err := scanAll(func(row scanner) (store.BotUpdate, error) {
		u := store.BotUpdate{BotID: bot}
		var date, expires int64
		if err := row.Scan(&u.ID, &u.Kind, &u.Payload, &date, &expires); err != nil {
			return u, err
		}
		u.Payload, u.Date, u.Expires = nilEmpty(u.Payload), fromUnix(date), fromUnix(expires)
		return u, nil
	})(b.s.db.QueryContext(ctx, `SELECT update_id, kind, payload, date, expires FROM bot_updates
WHERE bot_id = ? AND update_id >= ? AND expires > ? ORDER BY update_id LIMIT ?`, bot, from, now.Unix(), limit))
	if err != nil {
		return nil, fmt.Errorf("bot updates of bot %d: %w", bot, err)
	}
	return us, nil
}

func (b botAPI) Confirm(ctx context.Context, bot, below int64) error {
	if _, err := b.s.exec(ctx, `DELETE FROM bot_updates WHERE bot_id = ? AND update_id < ?`, bot, below); err != nil {
		return fmt.Errorf("confirm bot updates of bot %d below %d: %w", bot, below, err)
	}
	return nil
}

func (b botAPI) KeepLast(ctx context.Context, bot int64, n int) error {
	if n < 0 {
		return fmt.Errorf("keep last %d bot updates of bot %d: %w", n, bot, store.ErrInvalid)
	}
	// The subquery finds the newest entry to drop: the (n+1)th newest,
	// NULL (nothing dropped) when there are not that many.
	_, err := b.s.exec(ctx, `DELETE FROM bot_updates WHERE bot_id = ? AND update_id <= (SELECT update_id
FROM bot_updates WHERE bot_id = ? ORDER BY update_id DESC LIMIT 1 OFFSET ?)`, bot, bot, n)
	if err != nil {
		return fmt.Errorf("keep last %d bot updates of bot %d: %w", n, bot, err)
	}
	return nil
}

func (b botAPI) Pending(ctx context.Context, bot int64, now time.Time) (int, error) {
	var n int
	err := b.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM bot_updates WHERE bot_id = ? AND expires > ?`,
		bot, now.Unix()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("pending bot updates of bot %d: %w", bot, err)
	}
	return n, nil
}

func (b botAPI) Expire(ctx context.Context, now time.Time) (int, error) {
	res, err := b.s.exec(ctx, `DELETE FROM bot_updates WHERE expires <= ?`, now.Unix())
	n := 0
	if err == nil {
		n, err = affected(res)
	}
	if err != nil {
		return 0, fmt.Errorf("expire bot updates: %w", err)
	}
	return n, nil
}

// selectBotSettings selects rows of bot_settings for scanBotSettings.
const selectBotSettings = `SELECT bot_id, webhook_url, secret_token, ip_address, max_connections, allowed_updates,
last_error_date, last_error_message FROM bot_settings`

// scanBotSettings reads one row of selectBotSettings.
func scanBotSettings(row scanner) (store.BotSettings, error) {
	var (
		st      store.BotSettings
		allowed sql.NullString
		maxConn int64
		errDate int64
	)
	err := row.Scan(&st.BotID, &st.WebhookURL, &st.SecretToken, &st.IPAddress, &maxConn, &allowed, &errDate,
		&st.LastErrorMessage)
	if err == nil && allowed.Valid {
		if err = json.Unmarshal([]byte(allowed.String), &st.AllowedUpdates); err != nil {
			err = fmt.Errorf("allowed updates: %w", err)
		}
	}
	if err != nil {
		return store.BotSettings{}, err
	}
	st.MaxConnections, st.LastErrorDate = int(maxConn), fromUnix(errDate)
	if len(st.AllowedUpdates) == 0 {
		st.AllowedUpdates = nil
	}
	return st, nil
}

func (b botAPI) Settings(ctx context.Context, bot int64) (store.BotSettings, error) {
	st, err := scanBotSettings(b.s.db.QueryRowContext(ctx, selectBotSettings+` WHERE bot_id = ?`, bot))
	if errors.Is(err, sql.ErrNoRows) {
		return store.BotSettings{BotID: bot}, nil
	}
	if err != nil {
		return store.BotSettings{}, fmt.Errorf("settings of bot %d: %w", bot, err)
	}
	return st, nil
}

func (b botAPI) Webhooks(ctx context.Context) ([]store.BotSettings, error) {
	sts, err := scanAll(scanBotSettings)(b.s.db.QueryContext(ctx,
		selectBotSettings+` WHERE webhook_url <> '' ORDER BY bot_id`))
	if err != nil {
		return nil, fmt.Errorf("bots with a webhook: %w", err)
	}
	return sts, nil
}

func (b botAPI) SetSettings(ctx context.Context, st store.BotSettings) error {
	var allowed sql.NullString
	if len(st.AllowedUpdates) > 0 {
		j, err := json.Marshal(st.AllowedUpdates)
		if err != nil {
			return fmt.Errorf("set settings of bot %d: %w", st.BotID, err)
		}
		allowed = sql.NullString{String: string(j), Valid: true}
	}
	err := b.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustUser(ctx, tx, st.BotID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO bot_settings (bot_id, webhook_url, secret_token, ip_address,
max_connections, allowed_updates, last_error_date, last_error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (bot_id) DO UPDATE SET webhook_url = excluded.webhook_url, secret_token = excluded.secret_token,
ip_address = excluded.ip_address, max_connections = excluded.max_connections,
allowed_updates = excluded.allowed_updates, last_error_date = excluded.last_error_date,
last_error_message = excluded.last_error_message`, st.BotID, st.WebhookURL, st.SecretToken, st.IPAddress,
			int64(st.MaxConnections), allowed, unix(st.LastErrorDate), st.LastErrorMessage)
		return err
	})
	if err != nil {
		return fmt.Errorf("set settings of bot %d: %w", st.BotID, err)
	}
	return nil
}

// botCommand is the JSON form of a store.BotCommand in bot_commands.
type botCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

func (b botAPI) SetCommands(ctx context.Context, bot int64, scope, lang string, cmds []store.BotCommand) error {
	err := b.put(ctx, bot, scope, func(tx *sql.Tx) error {
		if len(cmds) == 0 {
			_, err := tx.ExecContext(ctx, `DELETE FROM bot_commands WHERE bot_id = ? AND scope = ? AND lang = ?`,
				bot, scope, lang)
			return err
		}
		list := make([]botCommand, len(cmds))
		for i, c := range cmds {
			list[i] = botCommand(c)
		}
		j, err := json.Marshal(list)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO bot_commands (bot_id, scope, lang, commands) VALUES (?, ?, ?, ?)
ON CONFLICT (bot_id, scope, lang) DO UPDATE SET commands = excluded.commands`, bot, scope, lang, string(j))
		return err
	})
	if err != nil {
		return fmt.Errorf("set commands of bot %d for %q/%q: %w", bot, scope, lang, err)
	}
	return nil
}

func (b botAPI) Commands(ctx context.Context, bot int64, scope, lang string) ([]store.BotCommand, error) {
	var raw string
	err := b.s.db.QueryRowContext(ctx, `SELECT commands FROM bot_commands WHERE bot_id = ? AND scope = ? AND lang = ?`,
		bot, scope, lang).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	var list []botCommand
	if err == nil {
		err = json.Unmarshal([]byte(raw), &list)
	}
	if err != nil {
		return nil, fmt.Errorf("commands of bot %d for %q/%q: %w", bot, scope, lang, err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	cmds := make([]store.BotCommand, len(list))
	for i, c := range list {
		cmds[i] = store.BotCommand(c)
	}
	return cmds, nil
}

func (b botAPI) SetText(ctx context.Context, bot int64, kind, lang, text string) error {
	err := b.put(ctx, bot, kind, func(tx *sql.Tx) error {
		if text == "" {
			_, err := tx.ExecContext(ctx, `DELETE FROM bot_texts WHERE bot_id = ? AND kind = ? AND lang = ?`,
				bot, kind, lang)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO bot_texts (bot_id, kind, lang, text) VALUES (?, ?, ?, ?)
ON CONFLICT (bot_id, kind, lang) DO UPDATE SET text = excluded.text`, bot, kind, lang, text)
		return err
	})
	if err != nil {
		return fmt.Errorf("set %s text of bot %d for %q: %w", kind, bot, lang, err)
	}
	return nil
}

func (b botAPI) Text(ctx context.Context, bot int64, kind, lang string) (string, error) {
	var text string
	err := b.s.db.QueryRowContext(ctx, `SELECT text FROM bot_texts WHERE bot_id = ? AND kind = ? AND lang = ?`,
		bot, kind, lang).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%s text of bot %d for %q: %w", kind, bot, lang, err)
	}
	return text, nil
}

// put runs f in a transaction after checking that key (a scope or a kind)
// is set and that bot is a user, as SetCommands and SetText need.
func (b botAPI) put(ctx context.Context, bot int64, key string, f func(tx *sql.Tx) error) error {
	if key == "" {
		return fmt.Errorf("empty key: %w", store.ErrInvalid)
	}
	return b.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustUser(ctx, tx, bot); err != nil {
			return err
		}
		return f(tx)
	})
}
