package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/migrate"
)

func openT(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "roost.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestUpgradeFromVersion1 opens a database that has only the first
// migration, with data in it, as a Roost before accounts left it.
func TestUpgradeFromVersion1(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "roost.db")
	db, err := sql.Open("sqlite", path+"?_journal_mode=WAL&_foreign_keys=1&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrate.Load(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := migrate.Apply(ctx, db, ms[:1], migrate.Question); err != nil || v != 1 {
		t.Fatalf("apply version 1 = %d, %v", v, err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO auth_keys (id, auth_key, created_at, user_id) VALUES (7, ?, 1, 1000000)`,
		make([]byte, store.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open version 1 database: %v", err)
	}
	defer s.Close()
	if v := s.SchemaVersion(); v != len(ms) {
		t.Errorf("schema version = %d, want %d", v, len(ms))
	}
	if keys, err := s.AuthKeys().ByUser(ctx, 1_000_000); err != nil || len(keys) != 1 || keys[0].ID != 7 {
		t.Errorf("key of version 1 = %+v, %v", keys, err)
	}
	if u, err := s.Users().Create(ctx, store.User{Phone: "1"}); err != nil || u.ID != store.FirstUserID {
		t.Errorf("first user after upgrade = %+v, %v", u, err)
	}
}

// TestDeleteUserCascades deletes a user row as an administrator would and
// checks that what belonged to the user went with it. The Users interface
// has no Delete yet; the schema must be right before it does.
func TestDeleteUserCascades(t *testing.T) {
	s := openT(t)
	ctx := t.Context()
	now := time.Unix(1_700_000_000, 0)
	mk := func(u store.User) store.User {
		t.Helper()
		u.CreatedAt = now
		u, err := s.Users().Create(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	gone := mk(store.User{Phone: "1"})
	kept := mk(store.User{Phone: "2"})
	bot := mk(store.User{Bot: true, BotOwnerID: gone.ID, Username: "a_bot"})
	for _, err := range []error{
		s.Passwords().Set(ctx, store.Password{UserID: gone.ID, Verifier: []byte{1}}),
		s.Contacts().Put(ctx, store.Contact{OwnerID: gone.ID, UserID: kept.ID}),
		s.Contacts().Put(ctx, store.Contact{OwnerID: kept.ID, UserID: gone.ID}),
		s.Contacts().Put(ctx, store.Contact{OwnerID: kept.ID, UserID: bot.ID}),
		s.Contacts().Block(ctx, gone.ID, kept.ID, now),
		s.Contacts().Block(ctx, kept.ID, gone.ID, now),
		s.Privacy().Set(ctx, gone.ID, "status", []byte{1}),
		s.Bots().SetToken(ctx, bot.ID, [32]byte{1}),
		s.Boxes().Update(ctx, func(tx store.BoxTx) error {
			for _, side := range [][2]int64{{gone.ID, kept.ID}, {kept.ID, gone.ID}} {
				if err := putText(tx, side[0], side[1], "hi", 1); err != nil {
					return err
				}
				if err := tx.PutDialog(store.Dialog{OwnerID: side[0], Peer: store.Peer{Kind: store.PeerUser, ID: side[1]},
					TopMessage: 1}); err != nil {
					return err
				}
			}
			return nil
		}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	chat, err := s.Chats().Create(ctx, store.Chat{CreatorID: gone.ID, Date: now},
		[]store.ChatMember{{UserID: gone.ID}, {UserID: kept.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.deleteUser(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	// The box goes with its owner; the other side's copy stays.
	for table, want := range map[string]int{"boxes": 1, "messages": 1, "dialogs": 1, "updates": 1} {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil || n != want {
			t.Errorf("%s rows after the delete = %d, %v; want %d (the other user's)", table, n, err, want)
		}
	}
	if m, err := s.Boxes().Message(ctx, kept.ID, 1); err != nil || m.Peer.ID != gone.ID {
		t.Errorf("copy of the other user = %+v, %v", m, err)
	}
	if ms, err := s.Chats().Members(ctx, chat.ID); err != nil || len(ms) != 1 || ms[0].UserID != kept.ID {
		t.Errorf("members after the delete = %+v, %v; want the other user", ms, err)
	}
	if c, err := s.Chats().Get(ctx, chat.ID); err != nil || c.CreatorID != gone.ID {
		t.Errorf("chat of a deleted creator = %+v, %v; want it kept", c, err)
	}
	if _, err := s.Passwords().Get(ctx, gone.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("password kept: %v", err)
	}
	if l, _ := s.Contacts().List(ctx, gone.ID); len(l) != 0 {
		t.Errorf("own contacts kept: %v", l)
	}
	if l, _ := s.Contacts().List(ctx, kept.ID); len(l) != 1 || l[0].UserID != bot.ID {
		t.Errorf("contacts of another user = %v, want only the bot", l)
	}
	if _, n, _ := s.Contacts().Blocked(ctx, gone.ID, 0, 0); n != 0 {
		t.Errorf("own block list kept: %d", n)
	}
	if _, n, _ := s.Contacts().Blocked(ctx, kept.ID, 0, 0); n != 0 {
		t.Errorf("block of the deleted user kept: %d", n)
	}
	if _, err := s.Privacy().Get(ctx, gone.ID, "status"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("privacy kept: %v", err)
	}
	if u, err := s.Users().Get(ctx, bot.ID); err != nil || u.BotOwnerID != 0 {
		t.Errorf("bot of the deleted user = %+v, %v; want it kept without owner", u, err)
	}
	if _, err := s.Bots().TokenHash(ctx, bot.ID); err != nil {
		t.Errorf("token of the bot: %v", err)
	}
	// The phone is free again, but the id is never given out again.
	if err := s.deleteUser(ctx, bot.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Bots().TokenHash(ctx, bot.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("token of a deleted bot kept: %v", err)
	}
	if u := mk(store.User{Phone: "1"}); u.ID != bot.ID+1 {
		t.Errorf("id after deletes = %d, want %d", u.ID, bot.ID+1)
	}
}

// deleteUser removes a user row.
func (s *Store) deleteUser(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
	return err
}

// TestConstraintErr checks the safety net under the methods' own checks.
func TestConstraintErr(t *testing.T) {
	s := openT(t)
	ctx := t.Context()
	u, err := s.Users().Create(ctx, store.User{Phone: "1", Username: "x", CreatedAt: time.Unix(1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, query string
		args        []any
		want        error
	}{
		{"primary key", `INSERT INTO users (id, created_at) VALUES (?, 0)`, []any{u.ID}, store.ErrExists},
		{"unique", `INSERT INTO users (id, phone, created_at) VALUES (5, '1', 0)`, nil, store.ErrExists},
		{"unique username", `INSERT INTO users (id, username_lower, created_at) VALUES (6, 'x', 0)`, nil, store.ErrExists},
		{"foreign key", `INSERT INTO contacts (owner_id, user_id, created_at) VALUES (?, 99, 0)`, []any{u.ID}, store.ErrNotFound},
	} {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, c.query, c.args...)
			return err
		})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	if err := constraintErr(errors.New("other")); errors.Is(err, store.ErrExists) || errors.Is(err, store.ErrNotFound) {
		t.Errorf("plain error mapped to %v", err)
	}
}

// TestQueryPlans checks that every messaging statement finds its rows
// through an index, never by scanning a table or sorting (but for the few
// copies of one message, which ByGlobalID sorts).
func TestQueryPlans(t *testing.T) {
	s := openT(t)
	for id, q := range stmtSQL {
		if !strings.Contains(q, "?") {
			continue // PRAGMA, SAVEPOINT
		}
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = 1
		}
		rows, err := s.db.QueryContext(t.Context(), `EXPLAIN QUERY PLAN `+q, args...)
		if err != nil {
			t.Fatalf("statement %d: %v", id, err)
		}
		var plan []string
		for rows.Next() {
			var node, parent, unused int
			var detail string
			if err := rows.Scan(&node, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		p := strings.Join(plan, "; ")
		if strings.Contains(p, "SCAN ") || (strings.Contains(p, "TEMP B-TREE") && stmtID(id) != wByGlobalID) {
			t.Errorf("statement %d scans or sorts: %s\n%s", id, p, q)
		}
		if strings.HasPrefix(q, "SELECT") && !strings.Contains(p, "SEARCH") {
			t.Errorf("statement %d uses no index: %s\n%s", id, p, q)
		}
	}
	for id, index := range map[stmtID]string{
		rHistoryBefore: "messages_history", rHistoryAfter: "messages_history", rCount: "messages_history",
		rMentionsBefore: "messages_unread_mentions", rMentionsAfter: "messages_unread_mentions",
		rDialogsPinned: "dialogs_order", rDialogs: "dialogs_order", wByRandomID: "messages_random_id",
		wByGlobalID: "messages_global_id", rSearchPeer: "messages_history",
	} {
		var detail string
		args := make([]any, strings.Count(stmtSQL[id], "?"))
		for i := range args {
			args[i] = 1
		}
		rows, err := s.db.QueryContext(t.Context(), `EXPLAIN QUERY PLAN `+stmtSQL[id], args...)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for rows.Next() {
			var node, parent, unused int
			if err := rows.Scan(&node, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			found = found || strings.Contains(detail, "INDEX "+index+" ")
		}
		rows.Close()
		if !found {
			t.Errorf("statement %d does not use %s", id, index)
		}
	}
}
