package api

import (
	"context"
	"errors"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/core/srp"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// login serves the sign-in methods of auth.*.
type login struct{ cfg Config }

func (l *login) sendCode(ctx context.Context, req *tg.AuthSendCodeRequest) (tg.AuthSentCodeClass, error) {
	s, _ := rpc.SessionFrom(ctx)
	sent, err := l.cfg.Core.SendCode(ctx, req.PhoneNumber, s.AuthKey().ID, req.APIID, req.APIHash)
	if err != nil {
		return nil, err
	}
	return sentCode(sent), nil
}

func sentCode(sent core.SentCode) *tg.AuthSentCode {
	var typ tg.AuthSentCodeTypeClass = &tg.AuthSentCodeTypeSms{Length: int32(sent.Length)}
	if sent.Channel == core.ChannelApp {
		typ = &tg.AuthSentCodeTypeApp{Length: int32(sent.Length)}
	}
	return &tg.AuthSentCode{Type: typ, PhoneCodeHash: sent.Hash, Timeout: int32(sent.Timeout.Seconds())}
}

func (l *login) resendCode(ctx context.Context, req *tg.AuthResendCodeRequest) (tg.AuthSentCodeClass, error) {
	sent, err := l.cfg.Core.ResendCode(ctx, req.PhoneNumber, req.PhoneCodeHash)
	if err != nil {
		return nil, err
	}
	return sentCode(sent), nil
}

func (l *login) cancelCode(ctx context.Context, req *tg.AuthCancelCodeRequest) (bool, error) {
	if err := l.cfg.Core.CancelCode(ctx, req.PhoneNumber, req.PhoneCodeHash); err != nil {
		return false, err
	}
	return true, nil
}

func (l *login) signIn(ctx context.Context, req *tg.AuthSignInRequest) (tg.AuthAuthorizationClass, error) {
	s, _ := rpc.SessionFrom(ctx)
	u, err := l.cfg.Core.SignIn(ctx, s.AuthKey().ID, req.PhoneNumber, req.PhoneCodeHash, req.PhoneCode)
	if errors.Is(err, core.ErrSignUpRequired) {
		return &tg.AuthAuthorizationSignUpRequired{}, nil
	} else if err != nil {
		return nil, err
	}
	return l.authorize(ctx, u)
}

func (l *login) signUp(ctx context.Context, req *tg.AuthSignUpRequest) (tg.AuthAuthorizationClass, error) {
	u, err := l.cfg.Core.SignUp(ctx, req.PhoneNumber, req.PhoneCodeHash, req.FirstName, req.LastName)
	if err != nil {
		return nil, err
	}
	return l.authorize(ctx, u)
}

func (l *login) checkPassword(ctx context.Context, req *tg.AuthCheckPasswordRequest) (tg.AuthAuthorizationClass, error) {
	s, _ := rpc.SessionFrom(ctx)
	p, ok := req.Password.(*tg.InputCheckPasswordSRP)
	if !ok {
		return nil, core.ErrPasswordHashInvalid
	}
	u, err := l.cfg.Core.CheckPassword(ctx, s.AuthKey().ID, core.Proof{SRPID: p.SrpID, A: p.A, M1: p.M1})
	if err != nil {
		return nil, err
	}
	return l.authorize(ctx, u)
}

// authorize binds the calling auth key to u and answers auth.authorization.
func (l *login) authorize(ctx context.Context, u store.User) (tg.AuthAuthorizationClass, error) {
	s, _ := rpc.SessionFrom(ctx)
	if err := s.SetUser(ctx, u.ID); err != nil {
		return nil, err
	}
	return &tg.AuthAuthorization{User: user(l.cfg.Core, u.ID, u)}, nil
}

func (l *login) logOut(ctx context.Context, _ *tg.AuthLogOutRequest) (*tg.AuthLoggedOut, error) {
	if _, err := viewer(ctx); err != nil {
		return nil, err
	}
	s, _ := rpc.SessionFrom(ctx)
	if err := s.SetUser(ctx, 0); err != nil {
		return nil, err
	}
	return &tg.AuthLoggedOut{}, nil
}

// account serves account.*.
type account struct{ cfg Config }

func (a *account) getPassword(ctx context.Context, _ *tg.AccountGetPasswordRequest) (*tg.AccountPassword, error) {
	s, _ := rpc.SessionFrom(ctx)
	st, err := a.cfg.Core.PasswordState(ctx, s.UserID(), s.AuthKey().ID)
	if err != nil {
		return nil, err
	}
	out := &tg.AccountPassword{
		HasPassword:   st.Has,
		HasRecovery:   st.HasRecovery,
		NewAlgo:       kdf(st.NewAlgo),
		NewSecureAlgo: &tg.SecurePasswordKdfAlgoUnknown{},
		SecureRandom:  st.SecureRandom,
	}
	if st.Has {
		out.CurrentAlgo, out.SrpB, out.SrpID, out.Hint = kdf(st.Current), st.SRPB, st.SRPID, st.Hint
		out.EmailUnconfirmedPattern = st.EmailUnconfirmedPattern
	}
	return out, nil
}

func kdf(a srp.Algo) tg.PasswordKdfAlgoClass {
	return &tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow{
		Salt1: a.Salt1, Salt2: a.Salt2, G: int32(a.G), P: a.P}
}

func (a *account) updatePasswordSettings(ctx context.Context, req *tg.AccountUpdatePasswordSettingsRequest) (bool, error) {
	id, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	var cur *core.Proof
	if p, ok := req.Password.(*tg.InputCheckPasswordSRP); ok {
		cur = &core.Proof{SRPID: p.SrpID, A: p.A, M1: p.M1}
	}
	var next *core.NewPassword
	ns := req.NewSettings
	if len(ns.NewPasswordHash) > 0 {
		algo, ok := ns.NewAlgo.(*tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow)
		if !ok {
			return false, &core.Error{Code: 400, Message: "NEW_SETTINGS_INVALID"}
		}
		next = &core.NewPassword{Algo: srp.Algo{Salt1: algo.Salt1, Salt2: algo.Salt2, G: int(algo.G), P: algo.P},
			Verifier: ns.NewPasswordHash, Hint: ns.Hint, Email: ns.Email}
	}
	if err := a.cfg.Core.UpdatePassword(ctx, id, cur, next); err != nil {
		return false, err
	}
	return true, nil
}

func (a *account) updateProfile(ctx context.Context, req *tg.AccountUpdateProfileRequest) (tg.UserClass, error) {
	id, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	var first, last, about *string
	if req.Flags.Has(0) {
		first = &req.FirstName
	}
	if req.Flags.Has(1) {
		last = &req.LastName
	}
	if req.Flags.Has(2) {
		about = &req.About
	}
	u, err := a.cfg.Core.UpdateProfile(ctx, id, first, last, about)
	if err != nil {
		return nil, err
	}
	return user(a.cfg.Core, id, u), nil
}

func (a *account) checkUsername(ctx context.Context, req *tg.AccountCheckUsernameRequest) (bool, error) {
	id, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	return a.cfg.Core.CheckUsername(ctx, id, req.Username)
}

func (a *account) updateUsername(ctx context.Context, req *tg.AccountUpdateUsernameRequest) (tg.UserClass, error) {
	id, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	u, err := a.cfg.Core.SetUsername(ctx, id, req.Username)
	if err != nil {
		return nil, err
	}
	return user(a.cfg.Core, id, u), nil
}

func (l *login) importBotAuthorization(ctx context.Context, req *tg.AuthImportBotAuthorizationRequest) (tg.AuthAuthorizationClass, error) {
	u, err := l.cfg.Core.ImportBotAuthorization(ctx, req.APIID, req.APIHash, req.BotAuthToken)
	if err != nil {
		return nil, err
	}
	return l.authorize(ctx, u)
}
