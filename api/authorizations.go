package api

import (
	"context"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/mtproto"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/tg"
)

// devices serves the device logins of an account: account.getAuthorizations
// and the methods that end them, the passcode lock, and the copying of
// a login to another data center.
type devices struct {
	cfg Config
	d   *core.Devices
}

// registerAuthorizations installs the handlers of devices on srv.
func registerAuthorizations(srv *tg.Server, cfg Config) {
	d := &devices{cfg: cfg, d: &core.Devices{Core: cfg.Core}}
	srv.OnAccountGetAuthorizations(d.getAuthorizations)
	srv.OnAccountResetAuthorization(d.resetAuthorization)
	srv.OnAuthResetAuthorizations(d.resetAuthorizations)
	srv.OnAccountUpdateDeviceLocked(d.updateDeviceLocked)
	srv.OnAuthExportAuthorization(d.exportAuthorization)
	srv.OnAuthImportAuthorization(d.importAuthorization)
}

// The MTProto server logs devices in and out for core.
var _ core.Keys = (*mtproto.Server)(nil)

// errAuthKeyPermEmpty is the official answer to a temporary key that is
// not bound yet asking for what needs a permanent one.
var errAuthKeyPermEmpty = &rpc.Error{Code: 401, Message: "AUTH_KEY_PERM_EMPTY"}

// permKey returns the permanent key of the calling device: the session's
// key, or the permanent key its temporary key is bound to.
func permKey(s *mtproto.Session) (int64, error) {
	k := s.AuthKey()
	if !k.Temporary() {
		return k.ID, nil
	}
	if k.PermKeyID == 0 {
		return 0, errAuthKeyPermEmpty
	}
	return k.PermKeyID, nil
}

// caller returns the calling session with its permanent key and the user
// logged in on it, or AUTH_KEY_UNREGISTERED.
func caller(ctx context.Context) (*mtproto.Session, int64, int64, error) {
	id, err := viewer(ctx)
	if err != nil {
		return nil, 0, 0, err
	}
	s, _ := rpc.SessionFrom(ctx)
	key, err := permKey(s)
	if err != nil {
		return nil, 0, 0, err
	}
	return s, key, id, nil
}

func (d *devices) getAuthorizations(ctx context.Context, _ *tg.AccountGetAuthorizationsRequest) (*tg.AccountAuthorizations, error) {
	_, key, id, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	list, err := d.d.Authorizations(ctx, id, key)
	if err != nil {
		return nil, err
	}
	out := &tg.AccountAuthorizations{AuthorizationTtlDays: core.AuthorizationTTLDays,
		Authorizations: make([]tg.Authorization, len(list))}
	for i, a := range list {
		out.Authorizations[i] = authorization(a)
	}
	return out, nil
}

// authorization converts a device. The official server gives the current
// device hash 0: it cannot be terminated by hash.
func authorization(a core.Authorization) tg.Authorization {
	t := tg.Authorization{
		Current:         a.Current,
		PasswordPending: a.PasswordPending,
		Hash:            a.KeyID,
		DeviceModel:     a.Client.DeviceModel,
		SystemVersion:   a.Client.SystemVersion,
		APIID:           int32(a.Client.APIID),
		AppName:         a.AppName,
		AppVersion:      a.Client.AppVersion,
		DateCreated:     unixTime(a.CreatedAt),
		DateActive:      unixTime(a.ActiveAt),
	}
	if a.Current {
		t.Hash = 0
	}
	if a.IP.IsValid() {
		t.IP = a.IP.String()
	}
	return t
}

func unixTime(t time.Time) int32 {
	if t.IsZero() {
		return 0
	}
	return int32(t.Unix())
}

func (d *devices) resetAuthorization(ctx context.Context, req *tg.AccountResetAuthorizationRequest) (bool, error) {
	s, key, id, err := caller(ctx)
	if err != nil {
		return false, err
	}
	if err := d.d.ResetAuthorization(ctx, s.Server(), id, key, req.Hash); err != nil {
		return false, err
	}
	return true, nil
}

func (d *devices) resetAuthorizations(ctx context.Context, _ *tg.AuthResetAuthorizationsRequest) (bool, error) {
	s, key, id, err := caller(ctx)
	if err != nil {
		return false, err
	}
	if err := d.d.ResetAuthorizations(ctx, s.Server(), id, key); err != nil {
		return false, err
	}
	return true, nil
}

func (d *devices) updateDeviceLocked(ctx context.Context, req *tg.AccountUpdateDeviceLockedRequest) (bool, error) {
	_, key, _, err := caller(ctx)
	if err != nil {
		return false, err
	}
	d.d.SetDeviceLocked(key, time.Duration(req.Period)*time.Second)
	return true, nil
}

func (d *devices) exportAuthorization(ctx context.Context, req *tg.AuthExportAuthorizationRequest) (*tg.AuthExportedAuthorization, error) {
	id, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	// This server is the only data center.
	if int(req.DCID) != d.cfg.DC {
		return nil, rpc.BadRequest("DC_ID_INVALID")
	}
	b, err := d.d.ExportAuthorization(id)
	if err != nil {
		return nil, err
	}
	return &tg.AuthExportedAuthorization{ID: id, Bytes: b}, nil
}

func (d *devices) importAuthorization(ctx context.Context, req *tg.AuthImportAuthorizationRequest) (tg.AuthAuthorizationClass, error) {
	s, _ := rpc.SessionFrom(ctx)
	key, err := permKey(s)
	if err != nil {
		return nil, err
	}
	u, err := d.d.ImportAuthorization(ctx, s.Server(), key, s.UserID(), req.ID, req.Bytes)
	if err != nil {
		return nil, err
	}
	return &tg.AuthAuthorization{User: user(d.cfg.Core, u.ID, u)}, nil
}
