package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/roostchat/roost/store"
)

const selectSession = `SELECT auth_key_id, id, layer, api_id, device_model, system_version, app_version,
system_lang_code, lang_pack, lang_code, ip, created_at, last_used_at FROM sessions`

type sessions struct{ s *Store }

// scanSession reads one row of selectSession.
func scanSession(row interface{ Scan(...any) error }) (store.Session, error) {
	var (
		v                store.Session
		ip               string
		created, lastUse int64
	)
	c := &v.Client
	err := row.Scan(&v.AuthKeyID, &v.ID, &v.Layer, &c.APIID, &c.DeviceModel, &c.SystemVersion, &c.AppVersion,
		&c.SystemLangCode, &c.LangPack, &c.LangCode, &ip, &created, &lastUse)
	if err != nil {
		return store.Session{}, err
	}
	if ip != "" {
		if v.IP, err = netip.ParseAddr(ip); err != nil {
			return store.Session{}, fmt.Errorf("session %d: stored ip: %w", v.ID, err)
		}
	}
	v.CreatedAt, v.LastUsedAt = fromUnix(created), fromUnix(lastUse)
	return v, nil
}

// ipText stores an address; the zero Addr is the empty string.
func ipText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func (m sessions) Save(ctx context.Context, v store.Session) error {
	if v.ID == 0 {
		return fmt.Errorf("save session: session id 0: %w", store.ErrInvalid)
	}
	err := m.s.inTx(ctx, func(tx *sql.Tx) error {
		exists, err := keyExists(ctx, tx, v.AuthKeyID)
		if err != nil {
			return err
		}
		if !exists {
			return fmt.Errorf("auth key %d: %w", v.AuthKeyID, store.ErrNotFound)
		}
		c := v.Client
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions (auth_key_id, id, layer, api_id, device_model,
system_version, app_version, system_lang_code, lang_pack, lang_code, ip, created_at, last_used_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (auth_key_id, id) DO UPDATE SET layer = excluded.layer, api_id = excluded.api_id,
device_model = excluded.device_model, system_version = excluded.system_version,
app_version = excluded.app_version, system_lang_code = excluded.system_lang_code,
lang_pack = excluded.lang_pack, lang_code = excluded.lang_code, ip = excluded.ip,
last_used_at = excluded.last_used_at`,
			v.AuthKeyID, v.ID, v.Layer, c.APIID, c.DeviceModel, c.SystemVersion, c.AppVersion,
			c.SystemLangCode, c.LangPack, c.LangCode, ipText(v.IP), unix(v.CreatedAt), unix(v.LastUsedAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("save session %d: %w", v.ID, err)
	}
	return nil
}

func (m sessions) Get(ctx context.Context, keyID, id int64) (store.Session, error) {
	v, err := scanSession(m.s.db.QueryRowContext(ctx, selectSession+` WHERE auth_key_id = ? AND id = ?`, keyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Session{}, fmt.Errorf("get session %d of auth key %d: %w", id, keyID, err)
	}
	return v, nil
}

func (m sessions) List(ctx context.Context, keyID int64) ([]store.Session, error) {
	rows, err := m.s.db.QueryContext(ctx, selectSession+` WHERE auth_key_id = ? ORDER BY created_at, id`, keyID)
	if err != nil {
		return nil, fmt.Errorf("list sessions of auth key %d: %w", keyID, err)
	}
	defer rows.Close()
	var out []store.Session
	for rows.Next() {
		v, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("list sessions of auth key %d: %w", keyID, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions of auth key %d: %w", keyID, err)
	}
	return out, nil
}

func (m sessions) Touch(ctx context.Context, keyID, id int64, at time.Time) error {
	res, err := m.s.exec(ctx, `UPDATE sessions SET last_used_at = ? WHERE auth_key_id = ? AND id = ?`,
		unix(at), keyID, id)
	if err == nil {
		var n int
		if n, err = affected(res); err == nil && n == 0 {
			err = store.ErrNotFound
		}
	}
	if err != nil {
		return fmt.Errorf("touch session %d of auth key %d: %w", id, keyID, err)
	}
	return nil
}

func (m sessions) Delete(ctx context.Context, keyID, id int64) error {
	res, err := m.s.exec(ctx, `DELETE FROM sessions WHERE auth_key_id = ? AND id = ?`, keyID, id)
	if err == nil {
		var n int
		if n, err = affected(res); err == nil && n == 0 {
			err = store.ErrNotFound
		}
	}
	if err != nil {
		return fmt.Errorf("delete session %d of auth key %d: %w", id, keyID, err)
	}
	return nil
}

func (m sessions) DeleteIdle(ctx context.Context, t time.Time) (int, error) {
	res, err := m.s.exec(ctx, `DELETE FROM sessions WHERE last_used_at <= ?`, unix(t))
	if err != nil {
		return 0, fmt.Errorf("delete idle sessions: %w", err)
	}
	n, err := affected(res)
	if err != nil {
		return 0, fmt.Errorf("delete idle sessions: %w", err)
	}
	return n, nil
}
