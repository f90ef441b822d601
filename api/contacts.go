package api

import (
	"context"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/rpc"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
)

// contacts serves the address book and the block list of contacts.*.
type contacts struct{ cfg Config }

// registerContacts installs the contacts.* handlers of the address book,
// the block list, search and phone resolution.
func registerContacts(srv *tg.Server, cfg Config) {
	h := &contacts{cfg: cfg}
	srv.OnContactsImportContacts(h.importContacts)
	srv.OnContactsGetContacts(h.getContacts)
	srv.OnContactsGetStatuses(h.getStatuses)
	srv.OnContactsAddContact(h.addContact)
	srv.OnContactsDeleteContacts(h.deleteContacts)
	srv.OnContactsDeleteByPhones(h.deleteByPhones)
	srv.OnContactsBlock(h.block)
	srv.OnContactsUnblock(h.unblock)
	srv.OnContactsGetBlocked(h.getBlocked)
	srv.OnContactsSearch(h.search)
	srv.OnContactsResolvePhone(h.resolvePhone)
}

// person returns the calling user for methods only users (not bots) may
// call, or BOT_METHOD_INVALID.
func person(ctx context.Context, c *core.Core) (int64, error) {
	id, err := viewer(ctx)
	if err != nil {
		return 0, err
	}
	u, err := c.User(ctx, id)
	if err != nil {
		return 0, err
	}
	if u.Bot {
		return 0, core.ErrBotMethodInvalid
	}
	return id, nil
}

// contactID resolves an InputUser naming a contact: a wrong access hash
// or an empty user is CONTACT_ID_INVALID.
func (h *contacts) contactID(me int64, in tg.InputUserClass) (int64, error) {
	switch u := in.(type) {
	case *tg.InputUserSelf:
		return me, nil
	case *tg.InputUser:
		if u.UserID == me || h.cfg.Core.CheckAccessHash("user", me, u.UserID, u.AccessHash) {
			return u.UserID, nil
		}
	}
	return 0, core.ErrContactIDInvalid
}

// blockID resolves the InputPeer of contacts.block and unblock: users
// only (self is CONTACT_ID_INVALID, as a wrong access hash), anything
// else PEER_ID_INVALID.
func (h *contacts) blockID(me int64, in tg.InputPeerClass) (int64, error) {
	switch p := in.(type) {
	case *tg.InputPeerSelf:
		return 0, core.ErrContactIDInvalid
	case *tg.InputPeerUser:
		if p.UserID != me && !h.cfg.Core.CheckAccessHash("user", me, p.UserID, p.AccessHash) {
			return 0, core.ErrContactIDInvalid
		}
		return p.UserID, nil
	}
	return 0, core.ErrPeerIDInvalid
}

func (h *contacts) importContacts(ctx context.Context, req *tg.ContactsImportContactsRequest) (*tg.ContactsImportedContacts, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return nil, err
	}
	in := make([]core.PhoneContact, len(req.Contacts))
	for i, pc := range req.Contacts {
		in[i] = core.PhoneContact{ClientID: pc.ClientID, Phone: pc.Phone, FirstName: pc.FirstName, LastName: pc.LastName}
	}
	imported, us, err := h.cfg.Core.ImportContacts(ctx, me, in)
	if err != nil {
		return nil, err
	}
	res := &tg.ContactsImportedContacts{Imported: make([]tg.ImportedContact, len(imported)),
		PopularInvites: []tg.PopularContact{}, RetryContacts: []int64{}}
	for i, ic := range imported {
		res.Imported[i] = tg.ImportedContact{UserID: ic.UserID, ClientID: ic.ClientID}
	}
	if res.Users, err = usersFor(ctx, h.cfg.Core, me, us...); err != nil {
		return nil, err
	}
	return res, nil
}

// contactUsers returns the users of a contact list, in its order.
func (h *contacts) contactUsers(ctx context.Context, list []store.Contact) ([]store.User, error) {
	ids := make([]int64, len(list))
	for i, ct := range list {
		ids[i] = ct.UserID
	}
	return h.cfg.Store.Users().GetMany(ctx, ids)
}

func (h *contacts) getContacts(ctx context.Context, req *tg.ContactsGetContactsRequest) (tg.ContactsContactsClass, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return nil, err
	}
	list, err := h.cfg.Core.Contacts(ctx, me)
	if err != nil {
		return nil, err
	}
	// Roost keeps no address-book entries without an account, so the
	// saved count is 0.
	const saved = 0
	if req.Hash != 0 && req.Hash == core.ContactsHash(saved, list) {
		return &tg.ContactsContactsNotModified{}, nil
	}
	us, err := h.contactUsers(ctx, list)
	if err != nil {
		return nil, err
	}
	views, err := h.cfg.Core.ViewMany(ctx, me, us)
	if err != nil {
		return nil, err
	}
	res := &tg.ContactsContacts{SavedCount: saved, Contacts: make([]tg.Contact, len(views)), Users: make([]tg.UserClass, len(views))}
	for i, v := range views {
		res.Contacts[i] = tg.Contact{UserID: v.User.ID, Mutual: v.Mutual}
		res.Users[i] = viewed(h.cfg.Core, me, v)
	}
	return res, nil
}

func (h *contacts) getStatuses(ctx context.Context, _ *tg.ContactsGetStatusesRequest) ([]tg.ContactStatus, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return nil, err
	}
	list, err := h.cfg.Core.Contacts(ctx, me)
	if err != nil {
		return nil, err
	}
	us, err := h.contactUsers(ctx, list)
	if err != nil {
		return nil, err
	}
	views, err := h.cfg.Core.ViewMany(ctx, me, us)
	if err != nil {
		return nil, err
	}
	out := make([]tg.ContactStatus, 0, len(views))
	for _, v := range views {
		if !v.User.Bot {
			out = append(out, tg.ContactStatus{UserID: v.User.ID, Status: status(v.Status)})
		}
	}
	return out, nil
}

// updatesWith answers a contacts change: the users as they are now.
// Roost has no updates engine for contacts yet, so no updates go with
// them.
func (h *contacts) updatesWith(ctx context.Context, me int64, us ...store.User) (tg.UpdatesClass, error) {
	tus, err := usersFor(ctx, h.cfg.Core, me, us...)
	if err != nil {
		return nil, err
	}
	return &tg.Updates{Updates: []tg.UpdateClass{}, Users: tus, Chats: []tg.ChatClass{},
		Date: int32(time.Now().Unix())}, nil
}

func (h *contacts) addContact(ctx context.Context, req *tg.ContactsAddContactRequest) (tg.UpdatesClass, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return nil, err
	}
	id, err := h.contactID(me, req.ID)
	if err != nil {
		return nil, err
	}
	u, err := h.cfg.Core.AddContact(ctx, me, id, req.FirstName, req.LastName, req.AddPhonePrivacyException)
	if err != nil {
		return nil, err
	}
	return h.updatesWith(ctx, me, u)
}

func (h *contacts) deleteContacts(ctx context.Context, req *tg.ContactsDeleteContactsRequest) (tg.UpdatesClass, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(req.ID))
	for i, in := range req.ID {
		if ids[i], err = h.contactID(me, in); err != nil {
			return nil, err
		}
	}
	if err := h.cfg.Core.DeleteContacts(ctx, me, ids); err != nil {
		return nil, err
	}
	us, err := h.cfg.Store.Users().GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	return h.updatesWith(ctx, me, us...)
}

func (h *contacts) deleteByPhones(ctx context.Context, req *tg.ContactsDeleteByPhonesRequest) (bool, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return false, err
	}
	if err := h.cfg.Core.DeleteByPhones(ctx, me, req.Phones); err != nil {
		return false, err
	}
	return true, nil
}

func (h *contacts) block(ctx context.Context, req *tg.ContactsBlockRequest) (bool, error) {
	return h.setBlocked(ctx, req.ID, req.MyStoriesFrom, true)
}

func (h *contacts) unblock(ctx context.Context, req *tg.ContactsUnblockRequest) (bool, error) {
	return h.setBlocked(ctx, req.ID, req.MyStoriesFrom, false)
}

func (h *contacts) setBlocked(ctx context.Context, peer tg.InputPeerClass, stories, blocked bool) (bool, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return false, err
	}
	if stories {
		// Roost has no stories, hence no story block list: that form of
		// the method is not served.
		return false, rpc.ErrMethodInvalid
	}
	id, err := h.blockID(me, peer)
	if err != nil {
		return false, err
	}
	if blocked {
		err = h.cfg.Core.Block(ctx, me, id)
	} else {
		err = h.cfg.Core.Unblock(ctx, me, id)
	}
	return err == nil, err
}

func (h *contacts) getBlocked(ctx context.Context, req *tg.ContactsGetBlockedRequest) (tg.ContactsBlockedClass, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return nil, err
	}
	if req.MyStoriesFrom {
		return nil, rpc.ErrMethodInvalid
	}
	us, total, err := h.cfg.Core.Blocked(ctx, me, int(req.Offset), int(req.Limit))
	if err != nil {
		return nil, err
	}
	tus, err := usersFor(ctx, h.cfg.Core, me, us...)
	if err != nil {
		return nil, err
	}
	at, err := h.cfg.Core.BlockedAt(ctx, me, us)
	if err != nil {
		return nil, err
	}
	blocked := make([]tg.PeerBlocked, len(us))
	for i, u := range us {
		blocked[i] = tg.PeerBlocked{PeerID: &tg.PeerUser{UserID: u.ID}}
		if t, ok := at[u.ID]; ok {
			blocked[i].Date = int32(t.Unix())
		}
	}
	if req.Offset <= 0 && len(us) == total {
		return &tg.ContactsBlocked{Blocked: blocked, Chats: []tg.ChatClass{}, Users: tus}, nil
	}
	return &tg.ContactsBlockedSlice{Count: int32(total), Blocked: blocked, Chats: []tg.ChatClass{}, Users: tus}, nil
}

func (h *contacts) search(ctx context.Context, req *tg.ContactsSearchRequest) (*tg.ContactsFound, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return nil, err
	}
	mine, global, err := h.cfg.Core.SearchUsers(ctx, me, req.Q, int(req.Limit))
	if err != nil {
		return nil, err
	}
	res := &tg.ContactsFound{MyResults: peers(mine), Results: peers(global), Chats: []tg.ChatClass{}}
	if res.Users, err = usersFor(ctx, h.cfg.Core, me, append(mine, global...)...); err != nil {
		return nil, err
	}
	return res, nil
}

func peers(us []store.User) []tg.PeerClass {
	out := make([]tg.PeerClass, len(us))
	for i, u := range us {
		out[i] = &tg.PeerUser{UserID: u.ID}
	}
	return out
}

func (h *contacts) resolvePhone(ctx context.Context, req *tg.ContactsResolvePhoneRequest) (*tg.ContactsResolvedPeer, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return nil, err
	}
	u, err := h.cfg.Core.ResolvePhone(ctx, me, req.Phone)
	if err != nil {
		return nil, err
	}
	tus, err := usersFor(ctx, h.cfg.Core, me, u)
	if err != nil {
		return nil, err
	}
	return &tg.ContactsResolvedPeer{Peer: &tg.PeerUser{UserID: u.ID}, Chats: []tg.ChatClass{}, Users: tus}, nil
}
