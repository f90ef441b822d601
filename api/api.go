package api

import (
	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// Config is what the handlers need to know of the deployment.
type Config struct {
	// DC is this server's data-center id.
	DC int
	// Host and Port are the address clients are told to connect to.
	Host string
	Port int
	// Store persists keys and sessions.
	Store store.Store
	// Core is the domain service.
	Core *core.Core
}

// Register installs every implemented handler on srv.
func Register(srv *tg.Server, cfg Config) {
	h := &help{cfg: cfg}
	srv.OnHelpGetConfig(h.getConfig)
	srv.OnHelpGetNearestDc(h.getNearestDC)
	a := &auth{cfg: cfg}
	srv.OnAuthBindTempAuthKey(a.bindTempAuthKey)
	l := &login{cfg: cfg}
	srv.OnAuthSendCode(l.sendCode)
	srv.OnAuthResendCode(l.resendCode)
	srv.OnAuthCancelCode(l.cancelCode)
	srv.OnAuthSignIn(l.signIn)
	srv.OnAuthSignUp(l.signUp)
	srv.OnAuthCheckPassword(l.checkPassword)
	srv.OnAuthLogOut(l.logOut)
	srv.OnAuthImportBotAuthorization(l.importBotAuthorization)
	acc := &account{cfg: cfg}
	srv.OnAccountGetPassword(acc.getPassword)
	srv.OnAccountUpdatePasswordSettings(acc.updatePasswordSettings)
	srv.OnAccountUpdateProfile(acc.updateProfile)
	srv.OnAccountCheckUsername(acc.checkUsername)
	srv.OnAccountUpdateUsername(acc.updateUsername)
	p := &people{cfg: cfg}
	srv.OnUsersGetUsers(p.getUsers)
	srv.OnUsersGetFullUser(p.getFullUser)
	srv.OnContactsResolveUsername(p.resolveUsername)
	registerRecovery(srv, cfg)
	registerBots(srv, cfg)
	registerMessages(srv, cfg)
	registerContacts(srv, cfg)
	registerPrivacy(srv, cfg)
	registerAuthorizations(srv, cfg)
	registerQR(srv, cfg)
	registerMessagesMore(srv, cfg)
	registerChats(srv, cfg)
}
