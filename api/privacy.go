package api

import (
	"context"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/tg"
)

// privacy serves privacy settings and the online status of account.*.
type privacy struct{ cfg Config }

// registerPrivacy installs account.getPrivacy, account.setPrivacy and
// account.updateStatus.
func registerPrivacy(srv *tg.Server, cfg Config) {
	h := &privacy{cfg: cfg}
	srv.OnAccountGetPrivacy(h.getPrivacy)
	srv.OnAccountSetPrivacy(h.setPrivacy)
	srv.OnAccountUpdateStatus(h.updateStatus)
}

func (h *privacy) updateStatus(ctx context.Context, req *tg.AccountUpdateStatusRequest) (bool, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return false, err
	}
	if err := h.cfg.Core.UpdateStatus(ctx, me, req.Offline); err != nil {
		return false, err
	}
	return true, nil
}

// privacyKey maps an InputPrivacyKey to core's key.
func privacyKey(k tg.InputPrivacyKeyClass) (core.PrivacyKey, error) {
	switch k.(type) {
	case *tg.InputPrivacyKeyStatusTimestamp:
		return core.PrivacyStatus, nil
	case *tg.InputPrivacyKeyPhoneNumber:
		return core.PrivacyPhoneNumber, nil
	case *tg.InputPrivacyKeyAddedByPhone:
		return core.PrivacyAddedByPhone, nil
	case *tg.InputPrivacyKeyChatInvite:
		return core.PrivacyChatInvite, nil
	case *tg.InputPrivacyKeyPhoneCall:
		return core.PrivacyPhoneCall, nil
	case *tg.InputPrivacyKeyPhoneP2P:
		return core.PrivacyPhoneP2P, nil
	case *tg.InputPrivacyKeyForwards:
		return core.PrivacyForwards, nil
	case *tg.InputPrivacyKeyProfilePhoto:
		return core.PrivacyProfilePhoto, nil
	case *tg.InputPrivacyKeyVoiceMessages:
		return core.PrivacyVoiceMessages, nil
	case *tg.InputPrivacyKeyAbout:
		return core.PrivacyAbout, nil
	case *tg.InputPrivacyKeyBirthday:
		return core.PrivacyBirthday, nil
	case *tg.InputPrivacyKeyStarGiftsAutoSave:
		return core.PrivacyGiftsAutoSave, nil
	case *tg.InputPrivacyKeyNoPaidMessages:
		return core.PrivacyNoPaidMessages, nil
	case *tg.InputPrivacyKeySavedMusic:
		return core.PrivacySavedMusic, nil
	}
	return "", core.ErrPrivacyKeyInvalid
}

func (h *privacy) getPrivacy(ctx context.Context, req *tg.AccountGetPrivacyRequest) (*tg.AccountPrivacyRules, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return nil, err
	}
	key, err := privacyKey(req.Key)
	if err != nil {
		return nil, err
	}
	rules, err := h.cfg.Core.Privacy(ctx, me, key)
	if err != nil {
		return nil, err
	}
	return h.rulesOut(ctx, me, rules)
}

func (h *privacy) setPrivacy(ctx context.Context, req *tg.AccountSetPrivacyRequest) (*tg.AccountPrivacyRules, error) {
	me, err := person(ctx, h.cfg.Core)
	if err != nil {
		return nil, err
	}
	key, err := privacyKey(req.Key)
	if err != nil {
		return nil, err
	}
	if len(req.Rules) > core.MaxPrivacyEntries {
		return nil, core.ErrPrivacyTooLong
	}
	in := make([]core.PrivacyRule, len(req.Rules))
	for i, r := range req.Rules {
		if in[i], err = h.ruleIn(me, r); err != nil {
			return nil, err
		}
	}
	rules, err := h.cfg.Core.SetPrivacy(ctx, me, key, in)
	if err != nil {
		return nil, err
	}
	return h.rulesOut(ctx, me, rules)
}

// ruleIn converts an InputPrivacyRule, checking the access hash of each
// user it names (USER_ID_INVALID).
func (h *privacy) ruleIn(me int64, r tg.InputPrivacyRuleClass) (core.PrivacyRule, error) {
	switch r := r.(type) {
	case *tg.InputPrivacyValueAllowAll:
		return core.PrivacyRule{Kind: core.AllowAll}, nil
	case *tg.InputPrivacyValueAllowContacts:
		return core.PrivacyRule{Kind: core.AllowContacts}, nil
	case *tg.InputPrivacyValueAllowCloseFriends:
		return core.PrivacyRule{Kind: core.AllowCloseFriends}, nil
	case *tg.InputPrivacyValueAllowPremium:
		return core.PrivacyRule{Kind: core.AllowPremium}, nil
	case *tg.InputPrivacyValueAllowBots:
		return core.PrivacyRule{Kind: core.AllowBots}, nil
	case *tg.InputPrivacyValueDisallowAll:
		return core.PrivacyRule{Kind: core.DisallowAll}, nil
	case *tg.InputPrivacyValueDisallowContacts:
		return core.PrivacyRule{Kind: core.DisallowContacts}, nil
	case *tg.InputPrivacyValueDisallowBots:
		return core.PrivacyRule{Kind: core.DisallowBots}, nil
	case *tg.InputPrivacyValueAllowChatParticipants:
		return core.PrivacyRule{Kind: core.AllowChatParticipants, Chats: r.Chats}, nil
	case *tg.InputPrivacyValueDisallowChatParticipants:
		return core.PrivacyRule{Kind: core.DisallowChatParticipants, Chats: r.Chats}, nil
	case *tg.InputPrivacyValueAllowUsers:
		ids, err := h.ruleUsers(me, r.Users)
		return core.PrivacyRule{Kind: core.AllowUsers, Users: ids}, err
	case *tg.InputPrivacyValueDisallowUsers:
		ids, err := h.ruleUsers(me, r.Users)
		return core.PrivacyRule{Kind: core.DisallowUsers, Users: ids}, err
	}
	return core.PrivacyRule{}, core.ErrPrivacyValueInvalid
}

func (h *privacy) ruleUsers(me int64, in []tg.InputUserClass) ([]int64, error) {
	ids := make([]int64, 0, len(in))
	for _, u := range in {
		switch u := u.(type) {
		case *tg.InputUserSelf:
			ids = append(ids, me)
		case *tg.InputUser:
			if u.UserID != me && !h.cfg.Core.CheckAccessHash("user", me, u.UserID, u.AccessHash) {
				return nil, core.ErrUserIDInvalid
			}
			ids = append(ids, u.UserID)
		default:
			return nil, core.ErrUserIDInvalid
		}
	}
	return ids, nil
}

// rulesOut converts rules to account.privacyRules, with the users they
// name.
func (h *privacy) rulesOut(ctx context.Context, me int64, rules []core.PrivacyRule) (*tg.AccountPrivacyRules, error) {
	res := &tg.AccountPrivacyRules{Rules: make([]tg.PrivacyRuleClass, 0, len(rules)), Chats: []tg.ChatClass{}}
	var ids []int64
	for _, r := range rules {
		res.Rules = append(res.Rules, ruleOut(r))
		ids = append(ids, r.Users...)
	}
	us, err := h.cfg.Store.Users().GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	if res.Users, err = usersFor(ctx, h.cfg.Core, me, us...); err != nil {
		return nil, err
	}
	return res, nil
}

func ruleOut(r core.PrivacyRule) tg.PrivacyRuleClass {
	switch r.Kind {
	case core.AllowAll:
		return &tg.PrivacyValueAllowAll{}
	case core.AllowContacts:
		return &tg.PrivacyValueAllowContacts{}
	case core.AllowCloseFriends:
		return &tg.PrivacyValueAllowCloseFriends{}
	case core.AllowPremium:
		return &tg.PrivacyValueAllowPremium{}
	case core.AllowBots:
		return &tg.PrivacyValueAllowBots{}
	case core.AllowUsers:
		return &tg.PrivacyValueAllowUsers{Users: r.Users}
	case core.AllowChatParticipants:
		return &tg.PrivacyValueAllowChatParticipants{Chats: r.Chats}
	case core.DisallowContacts:
		return &tg.PrivacyValueDisallowContacts{}
	case core.DisallowBots:
		return &tg.PrivacyValueDisallowBots{}
	case core.DisallowUsers:
		return &tg.PrivacyValueDisallowUsers{Users: r.Users}
	case core.DisallowChatParticipants:
		return &tg.PrivacyValueDisallowChatParticipants{Chats: r.Chats}
	}
	return &tg.PrivacyValueDisallowAll{}
}
