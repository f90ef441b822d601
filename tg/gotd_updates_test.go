package tg_test

import (
	"testing"

	gotd "github.com/gotd/td/tg"

	"github.com/roostchat/roost/tg"
)

// Value tests of every Updates container, config and auth.authorization:
// the objects the server writes most and clients parse first.

func TestValueUpdates(t *testing.T) {
	r := &tg.Updates{
		Updates: []tg.UpdateClass{
			&tg.UpdateNewMessage{Message: roostMessage(2, roostPhotoMedia()), Pts: 100, PtsCount: 1},
			&tg.UpdateUserStatus{UserID: 1002, Status: &tg.UserStatusOffline{WasOnline: 1_700_000_100}},
			&tg.UpdateDeleteMessages{Messages: []int32{1, 2, 3}, Pts: 103, PtsCount: 3},
		},
		Users: []tg.UserClass{roostUser(2)},
		Chats: []tg.ChatClass{&tg.ChatForbidden{ID: 42, Title: "x"}},
		Date:  1_700_000_200, Seq: 7,
	}
	g := &gotd.Updates{
		Updates: []gotd.UpdateClass{
			&gotd.UpdateNewMessage{Message: gotdMessage(2, gotdPhotoMedia()), Pts: 100, PtsCount: 1},
			&gotd.UpdateUserStatus{UserID: 1002, Status: &gotd.UserStatusOffline{WasOnline: 1_700_000_100}},
			&gotd.UpdateDeleteMessages{Messages: []int{1, 2, 3}, Pts: 103, PtsCount: 3},
		},
		Users: []gotd.UserClass{gotdUser(2)},
		Chats: []gotd.ChatClass{&gotd.ChatForbidden{ID: 42, Title: "x"}},
		Date:  1_700_000_200, Seq: 7,
	}
	gg, rr := exchange(t, r, g)
	gu := gg.(*gotd.Updates)
	if gu.Seq != 7 || len(gu.Updates) != 3 || gu.Updates[2].(*gotd.UpdateDeleteMessages).Messages[2] != 3 {
		t.Errorf("gotd read %+v", gu)
	}
	if m := gu.Updates[0].(*gotd.UpdateNewMessage); m.Pts != 100 || m.Message.(*gotd.Message).ID != 3 {
		t.Errorf("gotd update %+v", m)
	}
	ru := rr.(*tg.Updates)
	if ru.Date != 1_700_000_200 || ru.Updates[1].(*tg.UpdateUserStatus).UserID != 1002 || ru.Users[0].(*tg.User).ID != 1002 {
		t.Errorf("Roost read %+v", ru)
	}
}

func TestValueUpdatesCombined(t *testing.T) {
	r := &tg.UpdatesCombined{
		Updates: []tg.UpdateClass{&tg.UpdateReadHistoryInbox{Peer: &tg.PeerChannel{ChannelID: 5}, TopMsgID: 4,
			MaxID: 10, StillUnreadCount: 2, Pts: 11, PtsCount: 1}},
		Users: []tg.UserClass{}, Chats: []tg.ChatClass{}, Date: 1_700_000_300, SeqStart: 8, Seq: 9,
	}
	g := &gotd.UpdatesCombined{
		Updates: []gotd.UpdateClass{&gotd.UpdateReadHistoryInbox{Peer: &gotd.PeerChannel{ChannelID: 5}, TopMsgID: 4,
			MaxID: 10, StillUnreadCount: 2, Pts: 11, PtsCount: 1}},
		Date: 1_700_000_300, SeqStart: 8, Seq: 9,
	}
	gg, rr := exchange(t, r, g)
	gu := gg.(*gotd.UpdatesCombined)
	if gu.SeqStart != 8 || gu.Seq != 9 || gu.Updates[0].(*gotd.UpdateReadHistoryInbox).TopMsgID != 4 {
		t.Errorf("gotd read %+v", gu)
	}
	ru := rr.(*tg.UpdatesCombined)
	if u := ru.Updates[0].(*tg.UpdateReadHistoryInbox); u.MaxID != 10 || u.Peer.(*tg.PeerChannel).ChannelID != 5 {
		t.Errorf("Roost read %+v", u)
	}
}

func TestValueUpdateShort(t *testing.T) {
	r := &tg.UpdateShort{Update: &tg.UpdateUserTyping{UserID: 3, TopMsgID: 9, Action: &tg.SendMessageTypingAction{}}, Date: 1_700_000_400}
	g := &gotd.UpdateShort{Update: &gotd.UpdateUserTyping{UserID: 3, TopMsgID: 9, Action: &gotd.SendMessageTypingAction{}}, Date: 1_700_000_400}
	gg, rr := exchange(t, r, g)
	if u := gg.(*gotd.UpdateShort).Update.(*gotd.UpdateUserTyping); u.UserID != 3 || u.TopMsgID != 9 {
		t.Errorf("gotd read %+v", u)
	}
	if ru := rr.(*tg.UpdateShort); ru.Date != 1_700_000_400 {
		t.Errorf("Roost read %+v", ru)
	}
}

func TestValueUpdateShortMessage(t *testing.T) {
	r := &tg.UpdateShortMessage{Out: true, Silent: true, ID: 12, UserID: 1001, Message: messageText, Pts: 50, PtsCount: 1,
		Date: 1_700_000_500, FwdFrom: &tg.MessageFwdHeader{FromID: &tg.PeerUser{UserID: 8}, Date: 1_600_000_000},
		ViaBotID: 77, ReplyTo: &tg.MessageReplyHeader{ReplyToMsgID: 11}, Entities: roostEntities(), TtlPeriod: 86400}
	g := &gotd.UpdateShortMessage{Out: true, Silent: true, ID: 12, UserID: 1001, Message: messageText, Pts: 50, PtsCount: 1,
		Date: 1_700_000_500, FwdFrom: gotd.MessageFwdHeader{FromID: &gotd.PeerUser{UserID: 8}, Date: 1_600_000_000},
		ViaBotID: 77, ReplyTo: &gotd.MessageReplyHeader{ReplyToMsgID: 11}, Entities: gotdEntities(), TTLPeriod: 86400}
	gg, rr := exchange(t, r, g)
	gm := gg.(*gotd.UpdateShortMessage)
	if !gm.Out || gm.Mentioned || gm.UserID != 1001 || gm.TTLPeriod != 86400 || gm.FwdFrom.Date != 1_600_000_000 || len(gm.Entities) != 4 {
		t.Errorf("gotd read %+v", gm)
	}
	rm := rr.(*tg.UpdateShortMessage)
	if rm.ViaBotID != 77 || rm.FwdFrom.FromID.(*tg.PeerUser).UserID != 8 || rm.Message != messageText {
		t.Errorf("Roost read %+v", rm)
	}
}

func TestValueUpdateShortChatMessage(t *testing.T) {
	r := &tg.UpdateShortChatMessage{Mentioned: true, ID: 13, FromID: 1001, ChatID: 42, Message: "hi @all", Pts: 51, PtsCount: 1,
		Date: 1_700_000_600, Entities: []tg.MessageEntityClass{&tg.MessageEntityMention{Offset: 3, Length: 4}}}
	g := &gotd.UpdateShortChatMessage{Mentioned: true, ID: 13, FromID: 1001, ChatID: 42, Message: "hi @all", Pts: 51, PtsCount: 1,
		Date: 1_700_000_600, Entities: []gotd.MessageEntityClass{&gotd.MessageEntityMention{Offset: 3, Length: 4}}}
	gg, rr := exchange(t, r, g)
	if gm := gg.(*gotd.UpdateShortChatMessage); gm.ChatID != 42 || gm.FromID != 1001 || !gm.Mentioned || gm.Out {
		t.Errorf("gotd read %+v", gm)
	}
	if rm := rr.(*tg.UpdateShortChatMessage); rm.Pts != 51 || rm.Entities[0].(*tg.MessageEntityMention).Offset != 3 {
		t.Errorf("Roost read %+v", rm)
	}
}

func TestValueUpdateShortSentMessage(t *testing.T) {
	r := &tg.UpdateShortSentMessage{Out: true, ID: 14, Pts: 52, PtsCount: 1, Date: 1_700_000_700,
		Media: &tg.MessageMediaWebPage{ForceLargeMedia: true, Webpage: &tg.WebPageEmpty{ID: 3}}, Entities: roostEntities()}
	g := &gotd.UpdateShortSentMessage{Out: true, ID: 14, Pts: 52, PtsCount: 1, Date: 1_700_000_700,
		Media: &gotd.MessageMediaWebPage{ForceLargeMedia: true, Webpage: &gotd.WebPageEmpty{ID: 3}}, Entities: gotdEntities()}
	gg, rr := exchange(t, r, g)
	if gm := gg.(*gotd.UpdateShortSentMessage); gm.ID != 14 || !gm.Media.(*gotd.MessageMediaWebPage).ForceLargeMedia {
		t.Errorf("gotd read %+v", gm)
	}
	if rm := rr.(*tg.UpdateShortSentMessage); !rm.Out || rm.Media.(*tg.MessageMediaWebPage).Webpage.(*tg.WebPageEmpty).ID != 3 {
		t.Errorf("Roost read %+v", rm)
	}
}

func TestValueUpdatesTooLong(t *testing.T) {
	gg, rr := exchange(t, &tg.UpdatesTooLong{}, &gotd.UpdatesTooLong{})
	if _, ok := gg.(*gotd.UpdatesTooLong); !ok {
		t.Errorf("gotd read %T", gg)
	}
	if _, ok := rr.(tg.UpdatesClass); !ok {
		t.Errorf("Roost read %T, not an Updates", rr)
	}
}

func TestValueConfig(t *testing.T) {
	r := &tg.Config{ForceTryIpv6: true, Date: 1_700_000_000, Expires: 1_700_003_600, ThisDC: 2,
		DCOptions: []tg.DcOption{
			{ID: 2, IPAddress: "149.154.167.50", Port: 443},
			{Ipv6: true, MediaOnly: true, TcpoOnly: true, Static: true, ID: 2, IPAddress: "2001:67c:4e8:f002::a", Port: 443, Secret: []byte{0xee, 1}},
		},
		DCTxtDomainName: "apv3.stel.com", ChatSizeMax: 200, MegagroupSizeMax: 200000, ForwardedCountMax: 100,
		OnlineUpdatePeriodMs: 210000, OfflineBlurTimeoutMs: 5000, OfflineIdleTimeoutMs: 30000, OnlineCloudTimeoutMs: 300000,
		NotifyCloudDelayMs: 30000, NotifyDefaultDelayMs: 1500, PushChatPeriodMs: 60000, PushChatLimit: 2,
		EditTimeLimit: 172800, RevokeTimeLimit: 2147483647, RevokePmTimeLimit: 2147483647, RatingEDecay: 2419200,
		StickersRecentLimit: 200, ChannelsReadMediaPeriod: 604800, TmpSessions: 3, CallReceiveTimeoutMs: 20000,
		CallRingTimeoutMs: 90000, CallConnectTimeoutMs: 30000, CallPacketTimeoutMs: 10000, MeURLPrefix: "https://t.me/",
		CaptionLengthMax: 1024, MessageLengthMax: 4096, WebfileDCID: 4, SuggestedLangCode: "en", LangPackVersion: 5,
		ReactionsDefault: &tg.ReactionEmoji{Emoticon: "👍"}}
	g := &gotd.Config{ForceTryIpv6: true, Date: 1_700_000_000, Expires: 1_700_003_600, ThisDC: 2,
		DCOptions: []gotd.DCOption{
			{ID: 2, IPAddress: "149.154.167.50", Port: 443},
			{Ipv6: true, MediaOnly: true, TCPObfuscatedOnly: true, Static: true, ID: 2, IPAddress: "2001:67c:4e8:f002::a", Port: 443, Secret: []byte{0xee, 1}},
		},
		DCTxtDomainName: "apv3.stel.com", ChatSizeMax: 200, MegagroupSizeMax: 200000, ForwardedCountMax: 100,
		OnlineUpdatePeriodMs: 210000, OfflineBlurTimeoutMs: 5000, OfflineIdleTimeoutMs: 30000, OnlineCloudTimeoutMs: 300000,
		NotifyCloudDelayMs: 30000, NotifyDefaultDelayMs: 1500, PushChatPeriodMs: 60000, PushChatLimit: 2,
		EditTimeLimit: 172800, RevokeTimeLimit: 2147483647, RevokePmTimeLimit: 2147483647, RatingEDecay: 2419200,
		StickersRecentLimit: 200, ChannelsReadMediaPeriod: 604800, TmpSessions: 3, CallReceiveTimeoutMs: 20000,
		CallRingTimeoutMs: 90000, CallConnectTimeoutMs: 30000, CallPacketTimeoutMs: 10000, MeURLPrefix: "https://t.me/",
		CaptionLengthMax: 1024, MessageLengthMax: 4096, WebfileDCID: 4, SuggestedLangCode: "en", LangPackVersion: 5,
		ReactionsDefault: &gotd.ReactionEmoji{Emoticon: "👍"}}
	gg, rr := exchange(t, r, g)
	gc := gg.(*gotd.Config)
	if gc.ThisDC != 2 || gc.TmpSessions != 3 || gc.LangPackVersion != 5 || gc.BaseLangPackVersion != 0 ||
		!gc.DCOptions[1].TCPObfuscatedOnly || gc.DCOptions[1].CDN || gc.DCOptions[0].IPAddress != "149.154.167.50" {
		t.Errorf("gotd read %+v", gc)
	}
	rc := rr.(*tg.Config)
	if rc.WebfileDCID != 4 || !rc.ForceTryIpv6 || rc.MeURLPrefix != "https://t.me/" || string(rc.DCOptions[1].Secret) != "\xee\x01" ||
		rc.ReactionsDefault.(*tg.ReactionEmoji).Emoticon != "👍" {
		t.Errorf("Roost read %+v", rc)
	}
}

func TestValueAuthAuthorization(t *testing.T) {
	r := &tg.AuthAuthorization{SetupPasswordRequired: true, OtherwiseReloginDays: 30, TmpSessions: 2,
		FutureAuthToken: []byte("token"), User: roostUser(0)}
	g := &gotd.AuthAuthorization{SetupPasswordRequired: true, OtherwiseReloginDays: 30, TmpSessions: 2,
		FutureAuthToken: []byte("token"), User: gotdUser(0)}
	gg, rr := exchange(t, r, g)
	ga := gg.(*gotd.AuthAuthorization)
	if !ga.SetupPasswordRequired || ga.OtherwiseReloginDays != 30 || string(ga.FutureAuthToken) != "token" || !ga.User.(*gotd.User).Self {
		t.Errorf("gotd read %+v", ga)
	}
	if ra := rr.(*tg.AuthAuthorization); ra.TmpSessions != 2 || ra.User.(*tg.User).FirstName != "User 0" {
		t.Errorf("Roost read %+v", ra)
	}
}
