package api

import (
	"context"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// people serves users.* and the user parts of contacts.*.
type people struct{ cfg Config }

// inputUser resolves an InputUser for viewer, checking its access hash.
func (p *people) inputUser(ctx context.Context, viewer int64, in tg.InputUserClass) (store.User, error) {
	switch u := in.(type) {
	case *tg.InputUserSelf:
		return p.cfg.Core.User(ctx, viewer)
	case *tg.InputUser:
		return p.cfg.Core.ResolveUser(ctx, viewer, u.UserID, u.AccessHash)
	}
	return store.User{}, core.ErrUserIDInvalid
}

func (p *people) getUsers(ctx context.Context, req *tg.UsersGetUsersRequest) ([]tg.UserClass, error) {
	id, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]tg.UserClass, 0, len(req.ID))
	for _, in := range req.ID {
		u, err := p.inputUser(ctx, id, in)
		if err != nil {
			continue // the official server leaves out users it cannot resolve
		}
		out = append(out, user(p.cfg.Core, id, u))
	}
	return out, nil
}

func (p *people) getFullUser(ctx context.Context, req *tg.UsersGetFullUserRequest) (*tg.UsersUserFull, error) {
	id, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	u, err := p.inputUser(ctx, id, req.ID)
	if err != nil {
		return nil, err
	}
	full := tg.UserFull{ID: u.ID, About: u.About, Settings: tg.PeerSettings{},
		NotifySettings: tg.PeerNotifySettings{}}
	if u.Bot {
		if full.BotInfo, err = p.botInfo(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	return &tg.UsersUserFull{FullUser: full, Users: users(p.cfg.Core, id, u)}, nil
}

func (p *people) resolveUsername(ctx context.Context, req *tg.ContactsResolveUsernameRequest) (*tg.ContactsResolvedPeer, error) {
	id, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	u, err := p.cfg.Core.ResolveUsername(ctx, req.Username)
	if err != nil {
		return nil, err
	}
	return &tg.ContactsResolvedPeer{Peer: &tg.PeerUser{UserID: u.ID}, Users: users(p.cfg.Core, id, u)}, nil
}

// botInfo is what a user sees of a bot: its description and commands.
func (p *people) botInfo(ctx context.Context, bot int64) (*tg.BotInfo, error) {
	lang := ""
	if s, _ := rpc.SessionFrom(ctx); s != nil {
		if info, err := p.cfg.Store.Sessions().Get(ctx, s.AuthKey().ID, s.ID()); err == nil {
			lang = info.Client.LangCode // from initConnection
		}
	}
	desc, err := p.cfg.Core.BotText(ctx, bot, core.TextDescription, lang)
	if err != nil {
		return nil, err
	}
	cmds, err := p.cfg.Core.VisibleCommands(ctx, bot, lang)
	if err != nil {
		return nil, err
	}
	out := &tg.BotInfo{UserID: bot, Description: desc, Commands: []tg.BotCommand{}}
	for _, c := range cmds {
		out.Commands = append(out.Commands, tg.BotCommand{Command: c.Command, Description: c.Description})
	}
	return out, nil
}
