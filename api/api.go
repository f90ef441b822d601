package api

import (
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
}

// Register installs every implemented handler on srv.
func Register(srv *tg.Server, cfg Config) {
	h := &help{cfg: cfg}
	srv.OnHelpGetConfig(h.getConfig)
	srv.OnHelpGetNearestDc(h.getNearestDC)
	a := &auth{cfg: cfg}
	srv.OnAuthBindTempAuthKey(a.bindTempAuthKey)
}
