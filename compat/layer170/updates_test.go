package layer170_test

import (
	"testing"

	gotd "github.com/gotd/td/tg"

	"github.com/roostchat/roost/tg"
)

// Layer-170 value tests of every Updates container, config and
// auth.authorization (see pair in values_test.go).

func TestValueUpdates(t *testing.T) {
	r := &tg.Updates{
		Updates: []tg.UpdateClass{
			&tg.UpdateNewMessage{Message: roostMessage(2, nil), Pts: 100, PtsCount: 1},
			&tg.UpdateUserStatus{UserID: 1002, Status: &tg.UserStatusOffline{WasOnline: 1_700_000_100}},
			&tg.UpdateDeleteMessages{Messages: []int32{1, 2, 3}, Pts: 103, PtsCount: 3},
		},
		Users: []tg.UserClass{roostUser(2)},
		Chats: []tg.ChatClass{&tg.ChatForbidden{ID: 42, Title: "x"}},
		Date:  1_700_000_200, Seq: 7,
	}
	g := &gotd.Updates{
		Updates: []gotd.UpdateClass{
			&gotd.UpdateNewMessage{Message: gotdMessage(2, nil), Pts: 100, PtsCount: 1},
			&gotd.UpdateUserStatus{UserID: 1002, Status: &gotd.UserStatusOffline{WasOnline: 1_700_000_100}},
			&gotd.UpdateDeleteMessages{Messages: []int{1, 2, 3}, Pts: 103, PtsCount: 3},
		},
		Users: []gotd.UserClass{gotdUser(2)},
		Chats: []gotd.ChatClass{&gotd.ChatForbidden{ID: 42, Title: "x"}},
		Date:  1_700_000_200, Seq: 7,
	}
	gg, rr := pair(t, r, g)
	gu := gg.(*gotd.Updates)
	if gu.Seq != 7 || gu.Updates[0].(*gotd.UpdateNewMessage).Message.(*gotd.Message).ID != 3 || gu.Users[0].(*gotd.User).StoriesMaxID != 9 {
		t.Errorf("gotd read %+v", gu)
	}
	ru := rr.(*tg.Updates)
	if ru.Updates[2].(*tg.UpdateDeleteMessages).Messages[1] != 2 || ru.Updates[1].(*tg.UpdateUserStatus).UserID != 1002 {
		t.Errorf("Roost read %+v", ru)
	}
}

func TestValueUpdatesCombined(t *testing.T) {
	r := &tg.UpdatesCombined{
		Updates: []tg.UpdateClass{&tg.UpdateReadHistoryInbox{Peer: &tg.PeerChannel{ChannelID: 5}, MaxID: 10,
			StillUnreadCount: 2, Pts: 11, PtsCount: 1}},
		Date: 1_700_000_300, SeqStart: 8, Seq: 9,
	}
	g := &gotd.UpdatesCombined{
		Updates: []gotd.UpdateClass{&gotd.UpdateReadHistoryInbox{Peer: &gotd.PeerChannel{ChannelID: 5}, MaxID: 10,
			StillUnreadCount: 2, Pts: 11, PtsCount: 1}},
		Date: 1_700_000_300, SeqStart: 8, Seq: 9,
	}
	gg, rr := pair(t, r, g)
	if gu := gg.(*gotd.UpdatesCombined); gu.SeqStart != 8 || gu.Updates[0].(*gotd.UpdateReadHistoryInbox).MaxID != 10 {
		t.Errorf("gotd read %+v", gu)
	}
	if ru := rr.(*tg.UpdatesCombined); ru.Seq != 9 || ru.Updates[0].(*tg.UpdateReadHistoryInbox).Peer.(*tg.PeerChannel).ChannelID != 5 {
		t.Errorf("Roost read %+v", ru)
	}
}

func TestValueUpdateShort(t *testing.T) {
	// updateUserTyping gained top_msg_id after layer 170: it is dropped.
	r := &tg.UpdateShort{Update: &tg.UpdateUserTyping{UserID: 3, TopMsgID: 9, Action: &tg.SendMessageTypingAction{}}, Date: 1_700_000_400}
	g := &gotd.UpdateShort{Update: &gotd.UpdateUserTyping{UserID: 3, Action: &gotd.SendMessageTypingAction{}}, Date: 1_700_000_400}
	gg, rr := pair(t, r, g)
	if u := gg.(*gotd.UpdateShort).Update.(*gotd.UpdateUserTyping); u.UserID != 3 {
		t.Errorf("gotd read %+v", u)
	}
	if u := rr.(*tg.UpdateShort).Update.(*tg.UpdateUserTyping); u.UserID != 3 || u.TopMsgID != 0 {
		t.Errorf("Roost read %+v", u)
	}
}

func TestValueUpdateShortMessage(t *testing.T) {
	r := &tg.UpdateShortMessage{Out: true, ID: 12, UserID: 1001, Message: "hi", Pts: 50, PtsCount: 1, Date: 1_700_000_500,
		FwdFrom:  &tg.MessageFwdHeader{FromID: &tg.PeerUser{UserID: 8}, Date: 1_600_000_000},
		ReplyTo:  &tg.MessageReplyHeader{ReplyToMsgID: 11},
		Entities: []tg.MessageEntityClass{&tg.MessageEntityBold{Length: 2}}, TtlPeriod: 86400}
	g := &gotd.UpdateShortMessage{Out: true, ID: 12, UserID: 1001, Message: "hi", Pts: 50, PtsCount: 1, Date: 1_700_000_500,
		FwdFrom:  gotd.MessageFwdHeader{FromID: &gotd.PeerUser{UserID: 8}, Date: 1_600_000_000},
		ReplyTo:  &gotd.MessageReplyHeader{ReplyToMsgID: 11},
		Entities: []gotd.MessageEntityClass{&gotd.MessageEntityBold{Length: 2}}, TTLPeriod: 86400}
	gg, rr := pair(t, r, g)
	if gm := gg.(*gotd.UpdateShortMessage); !gm.Out || gm.TTLPeriod != 86400 || gm.FwdFrom.Date != 1_600_000_000 {
		t.Errorf("gotd read %+v", gm)
	}
	if rm := rr.(*tg.UpdateShortMessage); rm.FwdFrom.FromID.(*tg.PeerUser).UserID != 8 || rm.ReplyTo.(*tg.MessageReplyHeader).ReplyToMsgID != 11 {
		t.Errorf("Roost read %+v", rm)
	}
}

func TestValueUpdateShortChatMessage(t *testing.T) {
	r := &tg.UpdateShortChatMessage{Mentioned: true, ID: 13, FromID: 1001, ChatID: 42, Message: "hi @all", Pts: 51, PtsCount: 1,
		Date: 1_700_000_600, Entities: []tg.MessageEntityClass{&tg.MessageEntityMention{Offset: 3, Length: 4}}}
	g := &gotd.UpdateShortChatMessage{Mentioned: true, ID: 13, FromID: 1001, ChatID: 42, Message: "hi @all", Pts: 51, PtsCount: 1,
		Date: 1_700_000_600, Entities: []gotd.MessageEntityClass{&gotd.MessageEntityMention{Offset: 3, Length: 4}}}
	gg, rr := pair(t, r, g)
	if gm := gg.(*gotd.UpdateShortChatMessage); gm.ChatID != 42 || !gm.Mentioned {
		t.Errorf("gotd read %+v", gm)
	}
	if rm := rr.(*tg.UpdateShortChatMessage); rm.FromID != 1001 || rm.Entities[0].(*tg.MessageEntityMention).Length != 4 {
		t.Errorf("Roost read %+v", rm)
	}
}

func TestValueUpdateShortSentMessage(t *testing.T) {
	r := &tg.UpdateShortSentMessage{Out: true, ID: 14, Pts: 52, PtsCount: 1, Date: 1_700_000_700,
		Media: &tg.MessageMediaWebPage{Manual: true, Webpage: &tg.WebPageEmpty{ID: 3}}}
	g := &gotd.UpdateShortSentMessage{Out: true, ID: 14, Pts: 52, PtsCount: 1, Date: 1_700_000_700,
		Media: &gotd.MessageMediaWebPage{Manual: true, Webpage: &gotd.WebPageEmpty{ID: 3}}}
	gg, rr := pair(t, r, g)
	if gm := gg.(*gotd.UpdateShortSentMessage); gm.ID != 14 || !gm.Media.(*gotd.MessageMediaWebPage).Manual {
		t.Errorf("gotd read %+v", gm)
	}
	if rm := rr.(*tg.UpdateShortSentMessage); rm.Media.(*tg.MessageMediaWebPage).Webpage.(*tg.WebPageEmpty).ID != 3 {
		t.Errorf("Roost read %+v", rm)
	}
}

func TestValueUpdatesTooLong(t *testing.T) {
	gg, rr := pair(t, &tg.UpdatesTooLong{}, &gotd.UpdatesTooLong{})
	if _, ok := gg.(*gotd.UpdatesTooLong); !ok {
		t.Errorf("gotd read %T", gg)
	}
	if _, ok := rr.(*tg.UpdatesTooLong); !ok {
		t.Errorf("Roost read %T", rr)
	}
}

func TestValueConfig(t *testing.T) {
	r := &tg.Config{Date: 1_700_000_000, Expires: 1_700_003_600, ThisDC: 2,
		DCOptions: []tg.DcOption{{ID: 2, IPAddress: "149.154.167.50", Port: 443},
			{Ipv6: true, TcpoOnly: true, ID: 2, IPAddress: "2001:67c:4e8:f002::a", Port: 443, Secret: []byte{0xee}}},
		DCTxtDomainName: "apv3.stel.com", ChatSizeMax: 200, MegagroupSizeMax: 200000, ForwardedCountMax: 100,
		OnlineUpdatePeriodMs: 210000, EditTimeLimit: 172800, TmpSessions: 3, MeURLPrefix: "https://t.me/",
		CaptionLengthMax: 1024, MessageLengthMax: 4096, WebfileDCID: 4, ReactionsDefault: &tg.ReactionEmoji{Emoticon: "👍"}}
	g := &gotd.Config{Date: 1_700_000_000, Expires: 1_700_003_600, ThisDC: 2,
		DCOptions: []gotd.DCOption{{ID: 2, IPAddress: "149.154.167.50", Port: 443},
			{Ipv6: true, TCPObfuscatedOnly: true, ID: 2, IPAddress: "2001:67c:4e8:f002::a", Port: 443, Secret: []byte{0xee}}},
		DCTxtDomainName: "apv3.stel.com", ChatSizeMax: 200, MegagroupSizeMax: 200000, ForwardedCountMax: 100,
		OnlineUpdatePeriodMs: 210000, EditTimeLimit: 172800, TmpSessions: 3, MeURLPrefix: "https://t.me/",
		CaptionLengthMax: 1024, MessageLengthMax: 4096, WebfileDCID: 4, ReactionsDefault: &gotd.ReactionEmoji{Emoticon: "👍"}}
	gg, rr := pair(t, r, g)
	if gc := gg.(*gotd.Config); gc.ThisDC != 2 || gc.TmpSessions != 3 || !gc.DCOptions[1].TCPObfuscatedOnly || gc.MeURLPrefix != "https://t.me/" {
		t.Errorf("gotd read %+v", gc)
	}
	if rc := rr.(*tg.Config); rc.WebfileDCID != 4 || rc.ReactionsDefault.(*tg.ReactionEmoji).Emoticon != "👍" {
		t.Errorf("Roost read %+v", rc)
	}
}

func TestValueAuthAuthorization(t *testing.T) {
	r := &tg.AuthAuthorization{SetupPasswordRequired: true, OtherwiseReloginDays: 30, TmpSessions: 2,
		FutureAuthToken: []byte("token"), User: roostUser(0)}
	g := &gotd.AuthAuthorization{SetupPasswordRequired: true, OtherwiseReloginDays: 30, TmpSessions: 2,
		FutureAuthToken: []byte("token"), User: gotdUser(0)}
	gg, rr := pair(t, r, g)
	if ga := gg.(*gotd.AuthAuthorization); !ga.SetupPasswordRequired || string(ga.FutureAuthToken) != "token" || !ga.User.(*gotd.User).Self {
		t.Errorf("gotd read %+v", ga)
	}
	if ra := rr.(*tg.AuthAuthorization); ra.OtherwiseReloginDays != 30 || ra.User.(*tg.User).FirstName != "User 0" {
		t.Errorf("Roost read %+v", ra)
	}
}
