package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/roostchat/roost/store"
)

const selectUser = `SELECT id, phone, first_name, last_name, username, about, bot, bot_owner_id,
created_at, last_seen_at FROM users`

// maxParams bounds the ids bound to one IN (...) list, far below SQLite's
// limit on bind parameters.
const maxParams = 500

type users struct{ s *Store }

// scanUser reads one row of selectUser.
func scanUser(row interface{ Scan(...any) error }) (store.User, error) {
	var (
		u             store.User
		phone         sql.NullString
		owner         sql.NullInt64
		created, seen int64
	)
	err := row.Scan(&u.ID, &phone, &u.FirstName, &u.LastName, &u.Username, &u.About, &u.Bot, &owner,
		&created, &seen)
	if err != nil {
		return store.User{}, err
	}
	u.Phone = phone.String
	u.BotOwnerID = owner.Int64
	u.CreatedAt, u.LastSeenAt = fromUnix(created), fromUnix(seen)
	return u, nil
}

// nullText stores a string as nullable text; "" is NULL, so that unique
// indexes let any number of rows lack a value.
func nullText(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

// usernameKey is the column that makes usernames unique without regard to
// case.
func usernameKey(username string) sql.NullString {
	return nullText(strings.ToLower(username))
}

// getUser reads one user or fails with store.ErrNotFound.
func getUser(ctx context.Context, q querier, where string, arg any) (store.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, selectUser+` WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return store.User{}, store.ErrNotFound
	}
	return u, err
}

func (m users) Create(ctx context.Context, u store.User) (store.User, error) {
	switch {
	case u.ID < 0:
		return store.User{}, fmt.Errorf("create user: negative id %d: %w", u.ID, store.ErrInvalid)
	case u.Bot && u.Phone != "":
		return store.User{}, fmt.Errorf("create user: a bot has no phone: %w", store.ErrInvalid)
	case !u.Bot && u.BotOwnerID != 0:
		return store.User{}, fmt.Errorf("create user: only a bot has an owner: %w", store.ErrInvalid)
	}
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		if u.ID == 0 {
			id, err := nextID(ctx, tx, seqUsers, store.FirstUserID, math.MaxInt64)
			if err != nil {
				return err
			}
			u.ID = id
		}
		if taken, err := userExists(ctx, tx, u.ID); err != nil {
			return err
		} else if taken {
			return fmt.Errorf("id: %w", store.ErrExists)
		}
		if err := m.checkFree(ctx, tx, u.ID, u.Phone, u.Username); err != nil {
			return err
		}
		if u.BotOwnerID != 0 {
			if err := mustUser(ctx, tx, u.BotOwnerID); err != nil {
				return fmt.Errorf("bot owner: %w", err)
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, phone, first_name, last_name, username,
username_lower, about, bot, bot_owner_id, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, nullText(u.Phone), u.FirstName, u.LastName, u.Username, usernameKey(u.Username), u.About,
			u.Bot, nullID(u.BotOwnerID), unix(u.CreatedAt), unix(u.LastSeenAt))
		if err != nil {
			return err
		}
		return takeID(ctx, tx, seqUsers, u.ID)
	})
	if err != nil {
		return store.User{}, fmt.Errorf("create user %d: %w", u.ID, err)
	}
	u.CreatedAt, u.LastSeenAt = fromUnix(unix(u.CreatedAt)), fromUnix(unix(u.LastSeenAt))
	return u, nil
}

// checkFree fails with store.ErrExists if a user other than id has the
// phone or the username.
func (users) checkFree(ctx context.Context, tx *sql.Tx, id int64, phone, username string) error {
	if phone != "" {
		taken, err := exists(ctx, tx, `SELECT COUNT(*) FROM users WHERE phone = ? AND id <> ?`, phone, id)
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("phone %s: %w", phone, store.ErrExists)
		}
	}
	if username != "" {
		taken, err := exists(ctx, tx, `SELECT COUNT(*) FROM users WHERE username_lower = ? AND id <> ?`,
			usernameKey(username), id)
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("username %s: %w", username, store.ErrExists)
		}
	}
	return nil
}

func (m users) Get(ctx context.Context, id int64) (store.User, error) {
	u, err := getUser(ctx, m.s.cachedReads(), `id = ?`, id)
	if err != nil {
		return store.User{}, fmt.Errorf("get user %d: %w", id, err)
	}
	return u, nil
}

func (m users) GetMany(ctx context.Context, ids []int64) ([]store.User, error) {
	uniq := uniqueIDs(ids)
	found := make(map[int64]store.User, len(uniq))
	for chunk := range slices.Chunk(uniq, maxParams) {
		if err := m.fetch(ctx, chunk, found); err != nil {
			return nil, fmt.Errorf("get %d users: %w", len(ids), err)
		}
	}
	out := make([]store.User, 0, len(found))
	for _, id := range uniq {
		if u, ok := found[id]; ok {
			out = append(out, u)
		}
	}
	return out, nil
}

// fetch reads the users among ids into found.
func (m users) fetch(ctx context.Context, ids []int64, found map[int64]store.User) error {
	in, args := inList(ids)
	q := selectUser + ` WHERE id` + in
	rows, err := m.s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return err
		}
		found[u.ID] = u
	}
	return rows.Err()
}

func (m users) ByPhone(ctx context.Context, phone string) (store.User, error) {
	u, err := store.User{}, store.ErrNotFound
	if phone != "" {
		u, err = getUser(ctx, m.s.db, `phone = ?`, phone)
	}
	if err != nil {
		return store.User{}, fmt.Errorf("get user by phone %s: %w", phone, err)
	}
	return u, nil
}

func (m users) ByUsername(ctx context.Context, username string) (store.User, error) {
	u, err := store.User{}, store.ErrNotFound
	if username != "" {
		u, err = getUser(ctx, m.s.db, `username_lower = ?`, usernameKey(username))
	}
	if err != nil {
		return store.User{}, fmt.Errorf("get user by username %s: %w", username, err)
	}
	return u, nil
}

func (m users) ByUsernamePrefix(ctx context.Context, prefix string, limit int) ([]store.User, error) {
	if prefix == "" || limit <= 0 {
		return nil, fmt.Errorf("users by username prefix %q, limit %d: %w", prefix, limit, store.ErrInvalid)
	}
	// A range of the username index: usernames are ASCII, so every one
	// with the prefix sorts below prefix followed by DEL.
	low := strings.ToLower(prefix)
	rows, err := m.s.db.QueryContext(ctx, selectUser+` WHERE username_lower >= ? AND username_lower < ?
ORDER BY username_lower LIMIT ?`, low, low+"\x7f", limit)
	if err != nil {
		return nil, fmt.Errorf("users by username prefix %q: %w", prefix, err)
	}
	defer rows.Close()
	var out []store.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("users by username prefix %q: %w", prefix, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (m users) UpdateProfile(ctx context.Context, id int64, firstName, lastName, about string) error {
	err := changedOne(m.s.exec(ctx, `UPDATE users SET first_name = ?, last_name = ?, about = ? WHERE id = ?`,
		firstName, lastName, about, id))
	if err != nil {
		return fmt.Errorf("update profile of user %d: %w", id, err)
	}
	return nil
}

func (m users) SetUsername(ctx context.Context, id int64, username string) error {
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustUser(ctx, tx, id); err != nil {
			return err
		}
		if err := m.checkFree(ctx, tx, id, "", username); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET username = ?, username_lower = ? WHERE id = ?`,
			username, usernameKey(username), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("set username of user %d: %w", id, err)
	}
	return nil
}

func (m users) SetLastSeen(ctx context.Context, id int64, at time.Time) error {
	err := changedOne(m.s.exec(ctx, `UPDATE users SET last_seen_at = ? WHERE id = ?`, unix(at), id))
	if err != nil {
		return fmt.Errorf("set last seen of user %d: %w", id, err)
	}
	return nil
}
