package api

import (
	"context"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/core/srp"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/tg"
)

// The recovery e-mail of two-step verification (auth.* and account.*).

func registerRecovery(srv *tg.Server, cfg Config) {
	r := &recovery{cfg: cfg, login: &login{cfg: cfg}}
	srv.OnAccountConfirmPasswordEmail(r.confirmPasswordEmail)
	srv.OnAccountResendPasswordEmail(r.resendPasswordEmail)
	srv.OnAccountCancelPasswordEmail(r.cancelPasswordEmail)
	srv.OnAuthRequestPasswordRecovery(r.requestPasswordRecovery)
	srv.OnAuthCheckRecoveryPassword(r.checkRecoveryPassword)
	srv.OnAuthRecoverPassword(r.recoverPassword)
}

type recovery struct {
	cfg   Config
	login *login
}

func (r *recovery) confirmPasswordEmail(ctx context.Context, req *tg.AccountConfirmPasswordEmailRequest) (bool, error) {
	id, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	if err := r.cfg.Core.ConfirmPasswordEmail(ctx, id, req.Code); err != nil {
		return false, err
	}
	return true, nil
}

func (r *recovery) resendPasswordEmail(ctx context.Context, _ *tg.AccountResendPasswordEmailRequest) (bool, error) {
	id, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	if err := r.cfg.Core.ResendPasswordEmail(ctx, id); err != nil {
		return false, err
	}
	return true, nil
}

func (r *recovery) cancelPasswordEmail(ctx context.Context, _ *tg.AccountCancelPasswordEmailRequest) (bool, error) {
	id, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	if err := r.cfg.Core.CancelPasswordEmail(ctx, id); err != nil {
		return false, err
	}
	return true, nil
}

func (r *recovery) requestPasswordRecovery(ctx context.Context, _ *tg.AuthRequestPasswordRecoveryRequest) (*tg.AuthPasswordRecovery, error) {
	s, _ := rpc.SessionFrom(ctx)
	pattern, err := r.cfg.Core.RequestPasswordRecovery(ctx, s.AuthKey().ID)
	if err != nil {
		return nil, err
	}
	return &tg.AuthPasswordRecovery{EmailPattern: pattern}, nil
}

func (r *recovery) checkRecoveryPassword(ctx context.Context, req *tg.AuthCheckRecoveryPasswordRequest) (bool, error) {
	s, _ := rpc.SessionFrom(ctx)
	if err := r.cfg.Core.CheckRecoveryCode(s.AuthKey().ID, req.Code); err != nil {
		return false, err
	}
	return true, nil
}

func (r *recovery) recoverPassword(ctx context.Context, req *tg.AuthRecoverPasswordRequest) (tg.AuthAuthorizationClass, error) {
	s, _ := rpc.SessionFrom(ctx)
	var next *core.NewPassword
	if ns := req.NewSettings; ns != nil && len(ns.NewPasswordHash) > 0 {
		algo, ok := ns.NewAlgo.(*tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow)
		if !ok {
			return nil, &core.Error{Code: 400, Message: "NEW_SETTINGS_INVALID"}
		}
		next = &core.NewPassword{Algo: srp.Algo{Salt1: algo.Salt1, Salt2: algo.Salt2, G: int(algo.G), P: algo.P},
			Verifier: ns.NewPasswordHash, Hint: ns.Hint, Email: ns.Email}
	}
	u, err := r.cfg.Core.RecoverPassword(ctx, s.AuthKey().ID, req.Code, next)
	if err != nil {
		return nil, err
	}
	return r.login.authorize(ctx, u)
}
