package api

import (
	"context"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/mtproto"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/tg"
)

// qrLogin serves QR-code login: auth.exportLoginToken on the new device,
// auth.acceptLoginToken on a logged-in one, auth.importLoginToken.
type qrLogin struct {
	cfg     Config
	qr      *core.QR
	devices *core.Devices
}

// registerQR installs the handlers of QR-code login on srv.
func registerQR(srv *tg.Server, cfg Config) {
	q := &qrLogin{cfg: cfg, qr: &core.QR{Core: cfg.Core}, devices: &core.Devices{Core: cfg.Core}}
	srv.OnAuthExportLoginToken(q.exportLoginToken)
	srv.OnAuthAcceptLoginToken(q.acceptLoginToken)
	srv.OnAuthImportLoginToken(q.importLoginToken)
}

func (q *qrLogin) exportLoginToken(ctx context.Context, req *tg.AuthExportLoginTokenRequest) (tg.AuthLoginTokenClass, error) {
	s, _ := rpc.SessionFrom(ctx)
	key, err := permKey(s)
	if err != nil {
		return nil, err
	}
	res, err := q.qr.ExportLoginToken(ctx, key, s.UserID(), req.APIID, req.APIHash, req.ExceptIDs)
	if err != nil {
		return nil, err
	}
	return q.loginToken(res), nil
}

func (q *qrLogin) importLoginToken(ctx context.Context, req *tg.AuthImportLoginTokenRequest) (tg.AuthLoginTokenClass, error) {
	s, _ := rpc.SessionFrom(ctx)
	key, err := permKey(s)
	if err != nil {
		return nil, err
	}
	res, err := q.qr.ImportLoginToken(ctx, key, s.UserID(), req.Token)
	if err != nil {
		return nil, err
	}
	return q.loginToken(res), nil
}

// loginToken converts a token to show, or the login it completed.
func (q *qrLogin) loginToken(res core.LoginToken) tg.AuthLoginTokenClass {
	if res.Token == nil {
		return &tg.AuthLoginTokenSuccess{Authorization: &tg.AuthAuthorization{User: user(q.cfg.Core, res.User.ID, res.User)}}
	}
	return &tg.AuthLoginToken{Expires: int32(res.Expires.Unix()), Token: res.Token}
}

func (q *qrLogin) acceptLoginToken(ctx context.Context, req *tg.AuthAcceptLoginTokenRequest) (*tg.Authorization, error) {
	s, _, id, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	acc, err := q.qr.AcceptLoginToken(ctx, s.Server(), id, req.Token)
	if err != nil {
		return nil, err
	}
	q.notify(ctx, s.Server(), acc.KeyID)
	a, err := q.devices.Authorization(ctx, acc.KeyID)
	if err != nil {
		return nil, err
	}
	a.PasswordPending = acc.PasswordPending
	out := authorization(a)
	return &out, nil
}

// notify tells the new device that its token was accepted
// (updateLoginToken), on the sessions of its permanent key and of the
// temporary key bound to it. A device offline now learns of the login
// from its next auth.exportLoginToken.
func (q *qrLogin) notify(ctx context.Context, srv *mtproto.Server, keyID int64) {
	u := &tg.UpdateShort{Update: &tg.UpdateLoginToken{}, Date: int32(time.Now().Unix())}
	srv.PushToKey(keyID, u)
	if temp, err := q.cfg.Store.AuthKeys().BoundTemp(ctx, keyID); err == nil {
		srv.PushToKey(temp.ID, u)
	}
}
