package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/rules"
)

const (
	selectChat   = `SELECT id, title, creator_id, date, version, deactivated, about, default_banned_rights FROM chats`
	selectMember = `SELECT chat_id, user_id, inviter_id, date, admin FROM chat_members`
	selectInvite = `SELECT hash, chat_id, admin_id, date, expire_date, usage_limit, usage, revoked, permanent
FROM chat_invites`
)

type chats struct{ s *Store }

// scanChat reads one row of selectChat.
func scanChat(row scanner) (store.Chat, error) {
	var (
		c             store.Chat
		date, version int64
		rights        []byte
	)
	if err := row.Scan(&c.ID, &c.Title, &c.CreatorID, &date, &version, &c.Deactivated, &c.About, &rights); err != nil {
		return store.Chat{}, err
	}
	c.Date, c.Version, c.DefaultBannedRights = fromUnix(date), int32(version), nilEmpty(rights)
	return c, nil
}

// scanMember reads one row of selectMember.
func scanMember(row scanner) (store.ChatMember, error) {
	var (
		m    store.ChatMember
		date int64
	)
	if err := row.Scan(&m.ChatID, &m.UserID, &m.InviterID, &date, &m.Admin); err != nil {
		return store.ChatMember{}, err
	}
	m.Date = fromUnix(date)
	return m, nil
}

// scanInvite reads one row of selectInvite.
func scanInvite(row scanner) (store.ChatInvite, error) {
	var (
		inv                        store.ChatInvite
		date, expire, limit, usage int64
	)
	err := row.Scan(&inv.Hash, &inv.ChatID, &inv.AdminID, &date, &expire, &limit, &usage, &inv.Revoked, &inv.Permanent)
	if err != nil {
		return store.ChatInvite{}, err
	}
	inv.Date, inv.ExpireDate = fromUnix(date), fromUnix(expire)
	inv.UsageLimit, inv.Usage = int32(limit), int32(usage)
	return inv, nil
}

// scanAll returns a function that reads every row of a query with scan,
// to be called with the results of QueryContext.
func scanAll[T any](scan func(scanner) (T, error)) func(*sql.Rows, error) ([]T, error) {
	return func(rows *sql.Rows, err error) ([]T, error) {
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []T
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
}

// createChat inserts a chat (taking the next id when c.ID is 0) with its
// members, in tx: a transaction of the store's or the writer's.
func createChat(ctx context.Context, tx *sql.Tx, c store.Chat, members []store.ChatMember) (store.Chat, error) {
	if c.ID == 0 {
		id, err := nextID(ctx, tx, seqChats, store.FirstChatID, math.MaxInt64)
		if err != nil {
			return c, err
		}
		c.ID = id
	}
	if taken, err := chatExists(ctx, tx, c.ID); err != nil {
		return c, err
	} else if taken {
		return c, fmt.Errorf("id: %w", store.ErrExists)
	}
	if err := mustUser(ctx, tx, c.CreatorID); err != nil {
		return c, fmt.Errorf("creator: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO chats (id, title, creator_id, date, version, deactivated, about,
default_banned_rights) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Title, c.CreatorID, unix(c.Date), int64(c.Version),
		c.Deactivated, c.About, blob(c.DefaultBannedRights))
	if err != nil {
		return c, err
	}
	for _, mb := range members {
		mb.ChatID = c.ID
		if err := addMember(ctx, tx, mb); err != nil {
			return c, err
		}
	}
	return c, takeID(ctx, tx, seqChats, c.ID)
}

// chatExists reports whether the chat id exists.
func chatExists(ctx context.Context, q querier, id int64) (bool, error) {
	return exists(ctx, q, `SELECT COUNT(*) FROM chats WHERE id = ?`, id)
}

func (m chats) Create(ctx context.Context, c store.Chat, members []store.ChatMember) (store.Chat, error) {
	if err := rules.NewChat(c, members); err != nil {
		return store.Chat{}, err
	}
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = createChat(ctx, tx, c, members)
		return err
	})
	if err != nil {
		return store.Chat{}, fmt.Errorf("create chat %d: %w", c.ID, err)
	}
	c.Date, c.DefaultBannedRights = fromUnix(unix(c.Date)), rules.Bytes(c.DefaultBannedRights)
	return c, nil
}

// addMember inserts a membership, failing with store.ErrNotFound if the
// user does not exist.
func addMember(ctx context.Context, tx *sql.Tx, mb store.ChatMember) error {
	if err := mustUser(ctx, tx, mb.UserID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO chat_members (chat_id, user_id, inviter_id, date, admin)
VALUES (?, ?, ?, ?, ?)`, mb.ChatID, mb.UserID, mb.InviterID, unix(mb.Date), mb.Admin)
	if err != nil {
		return fmt.Errorf("member %d: %w", mb.UserID, constraintErr(err))
	}
	return nil
}

func (m chats) Get(ctx context.Context, id int64) (store.Chat, error) {
	c, err := scanChat(m.s.db.QueryRowContext(ctx, selectChat+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Chat{}, fmt.Errorf("get chat %d: %w", id, err)
	}
	return c, nil
}

func (m chats) GetMany(ctx context.Context, ids []int64) ([]store.Chat, error) {
	uniq := uniqueIDs(ids)
	found := make(map[int64]store.Chat, len(uniq))
	for chunk := range slices.Chunk(uniq, maxParams) {
		in, args := inList(chunk)
		q := selectChat + ` WHERE id` + in
		cs, err := scanAll(scanChat)(m.s.db.QueryContext(ctx, q, args...))
		if err != nil {
			return nil, fmt.Errorf("get %d chats: %w", len(ids), err)
		}
		for _, c := range cs {
			found[c.ID] = c
		}
	}
	out := make([]store.Chat, 0, len(found))
	for _, id := range uniq {
		if c, ok := found[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

func (m chats) Update(ctx context.Context, c store.Chat) error {
	err := changedOne(m.s.exec(ctx, `UPDATE chats SET title = ?, version = ?, default_banned_rights = ?, about = ?,
deactivated = ? WHERE id = ?`, c.Title, int64(c.Version), blob(c.DefaultBannedRights), c.About, c.Deactivated, c.ID))
	if err != nil {
		return fmt.Errorf("update chat %d: %w", c.ID, err)
	}
	return nil
}

func (m chats) Members(ctx context.Context, chatID int64) ([]store.ChatMember, error) {
	ms, err := scanAll(scanMember)(m.s.db.QueryContext(ctx, selectMember+` WHERE chat_id = ? ORDER BY date, user_id`, chatID))
	if err != nil {
		return nil, fmt.Errorf("members of chat %d: %w", chatID, err)
	}
	return ms, nil
}

func (m chats) Member(ctx context.Context, chatID, userID int64) (store.ChatMember, error) {
	mb, err := scanMember(m.s.db.QueryRowContext(ctx, selectMember+` WHERE chat_id = ? AND user_id = ?`, chatID, userID))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.ChatMember{}, fmt.Errorf("member %d of chat %d: %w", userID, chatID, err)
	}
	return mb, nil
}

func (m chats) AddMember(ctx context.Context, mb store.ChatMember) error {
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		if ok, err := chatExists(ctx, tx, mb.ChatID); err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("chat: %w", store.ErrNotFound)
		}
		return addMember(ctx, tx, mb)
	})
	if err != nil {
		return fmt.Errorf("add member %d to chat %d: %w", mb.UserID, mb.ChatID, err)
	}
	return nil
}

func (m chats) RemoveMember(ctx context.Context, chatID, userID int64) error {
	err := changedOne(m.s.exec(ctx, `DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?`, chatID, userID))
	if err != nil {
		return fmt.Errorf("remove member %d from chat %d: %w", userID, chatID, err)
	}
	return nil
}

func (m chats) SetAdmin(ctx context.Context, chatID, userID int64, admin bool) error {
	err := changedOne(m.s.exec(ctx, `UPDATE chat_members SET admin = ? WHERE chat_id = ? AND user_id = ?`,
		admin, chatID, userID))
	if err != nil {
		return fmt.Errorf("set admin %d of chat %d: %w", userID, chatID, err)
	}
	return nil
}

func (m chats) ChatsOf(ctx context.Context, userID int64) ([]int64, error) {
	ids, err := scanAll(func(row scanner) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	})(m.s.db.QueryContext(ctx, `SELECT chat_id FROM chat_members WHERE user_id = ? ORDER BY chat_id`, userID))
	if err != nil {
		return nil, fmt.Errorf("chats of user %d: %w", userID, err)
	}
	return ids, nil
}

func (m chats) PutInvite(ctx context.Context, inv store.ChatInvite) error {
	if inv.Hash == "" {
		return fmt.Errorf("put chat invite: empty hash: %w", store.ErrInvalid)
	}
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		if ok, err := chatExists(ctx, tx, inv.ChatID); err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("chat: %w", store.ErrNotFound)
		}
		if taken, err := exists(ctx, tx, `SELECT COUNT(*) FROM chat_invites WHERE hash = ? AND chat_id <> ?`,
			inv.Hash, inv.ChatID); err != nil {
			return err
		} else if taken {
			return fmt.Errorf("hash of another chat: %w", store.ErrExists)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO chat_invites (hash, chat_id, admin_id, date, expire_date,
usage_limit, usage, revoked, permanent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (hash) DO UPDATE SET admin_id = excluded.admin_id, date = excluded.date,
expire_date = excluded.expire_date, usage_limit = excluded.usage_limit, usage = excluded.usage,
revoked = excluded.revoked, permanent = excluded.permanent`, inv.Hash, inv.ChatID, inv.AdminID, unix(inv.Date),
			unix(inv.ExpireDate), int64(inv.UsageLimit), int64(inv.Usage), inv.Revoked, inv.Permanent)
		return err
	})
	if err != nil {
		return fmt.Errorf("put invite of chat %d: %w", inv.ChatID, err)
	}
	return nil
}

func (m chats) Invite(ctx context.Context, hash string) (store.ChatInvite, error) {
	inv, err := scanInvite(m.s.db.QueryRowContext(ctx, selectInvite+` WHERE hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.ChatInvite{}, fmt.Errorf("chat invite: %w", err)
	}
	return inv, nil
}

func (m chats) Invites(ctx context.Context, chatID int64) ([]store.ChatInvite, error) {
	invs, err := scanAll(scanInvite)(m.s.db.QueryContext(ctx,
		selectInvite+` WHERE chat_id = ? ORDER BY date DESC, hash`, chatID))
	if err != nil {
		return nil, fmt.Errorf("invites of chat %d: %w", chatID, err)
	}
	return invs, nil
}
