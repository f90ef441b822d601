package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/rules"
)

// The basic group writes of a box transaction (store.BoxTx). They run on
// the writer's transaction, inside the call's savepoint, so that a failed
// call drops them with its messages. They touch no table the writer
// caches, and are rare: plain SQL, not prepared statements.

func (t *boxTx) CreateChat(c store.Chat, members []store.ChatMember) (store.Chat, error) {
	if err := t.over(); err != nil {
		return store.Chat{}, err
	}
	if err := rules.NewChat(c, members); err != nil {
		return store.Chat{}, err
	}
	ctx, tx := t.b.ctx, t.b.tx
	c, err := createChat(ctx, tx, c, members)
	if err != nil {
		return store.Chat{}, fmt.Errorf("create chat %d: %w", c.ID, constraintErr(err))
	}
	c.Date, c.DefaultBannedRights = fromUnix(unix(c.Date)), rules.Bytes(c.DefaultBannedRights)
	return c, nil
}

func (t *boxTx) Chat(id int64) (store.Chat, error) {
	if err := t.over(); err != nil {
		return store.Chat{}, err
	}
	c, err := scanChat(t.b.tx.QueryRowContext(t.b.ctx, selectChat+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Chat{}, fmt.Errorf("get chat %d: %w", id, err)
	}
	return c, nil
}

func (t *boxTx) ChatMembers(chatID int64) ([]store.ChatMember, error) {
	if err := t.over(); err != nil {
		return nil, err
	}
	ms, err := scanAll(scanMember)(t.b.tx.QueryContext(t.b.ctx,
		selectMember+` WHERE chat_id = ? ORDER BY date, user_id`, chatID))
	if err != nil {
		return nil, fmt.Errorf("members of chat %d: %w", chatID, err)
	}
	return ms, nil
}

func (t *boxTx) AddChatMember(mb store.ChatMember) error {
	if err := t.over(); err != nil {
		return err
	}
	err := func() error {
		if ok, err := chatExists(t.b.ctx, t.b.tx, mb.ChatID); err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("chat: %w", store.ErrNotFound)
		}
		return addMember(t.b.ctx, t.b.tx, mb)
	}()
	if err != nil {
		return fmt.Errorf("add member %d to chat %d: %w", mb.UserID, mb.ChatID, constraintErr(err))
	}
	return nil
}

func (t *boxTx) RemoveChatMember(chatID, userID int64) error {
	if err := t.over(); err != nil {
		return err
	}
	err := changedOne(t.b.tx.ExecContext(t.b.ctx, `DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?`,
		chatID, userID))
	if err != nil {
		return fmt.Errorf("remove member %d from chat %d: %w", userID, chatID, err)
	}
	return nil
}

func (t *boxTx) SetChatAdmin(chatID, userID int64, admin bool) error {
	if err := t.over(); err != nil {
		return err
	}
	err := changedOne(t.b.tx.ExecContext(t.b.ctx, `UPDATE chat_members SET admin = ? WHERE chat_id = ? AND user_id = ?`,
		admin, chatID, userID))
	if err != nil {
		return fmt.Errorf("set admin %d of chat %d: %w", userID, chatID, err)
	}
	return nil
}

func (t *boxTx) UpdateChat(c store.Chat) error {
	if err := t.over(); err != nil {
		return err
	}
	err := changedOne(t.b.tx.ExecContext(t.b.ctx, `UPDATE chats SET title = ?, version = ?, default_banned_rights = ?,
about = ?, deactivated = ? WHERE id = ?`, c.Title, int64(c.Version), blob(c.DefaultBannedRights), c.About,
		c.Deactivated, c.ID))
	if err != nil {
		return fmt.Errorf("update chat %d: %w", c.ID, err)
	}
	return nil
}

func (t *boxTx) UseInvite(hash string) (store.ChatInvite, error) {
	if err := t.over(); err != nil {
		return store.ChatInvite{}, err
	}
	ctx, tx := t.b.ctx, t.b.tx
	err := changedOne(tx.ExecContext(ctx, `UPDATE chat_invites SET usage = usage + 1 WHERE hash = ?`, hash))
	if err != nil {
		return store.ChatInvite{}, fmt.Errorf("use chat invite: %w", err)
	}
	inv, err := scanInvite(tx.QueryRowContext(ctx, selectInvite+` WHERE hash = ?`, hash))
	if err != nil {
		return store.ChatInvite{}, fmt.Errorf("use chat invite: %w", err)
	}
	return inv, nil
}
