package api

import (
	"context"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/rpc"
)

// viewer returns the user logged in on the calling session, or
// AUTH_KEY_UNREGISTERED.
func viewer(ctx context.Context) (int64, error) {
	s, _ := rpc.SessionFrom(ctx)
	if s == nil {
		return 0, core.ErrAuthKeyUnregistered
	}
	id := s.UserID()
	if id == 0 {
		return 0, core.ErrAuthKeyUnregistered
	}
	return id, nil
}
