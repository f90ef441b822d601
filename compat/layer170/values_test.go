package layer170_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/gotd/td/bin"
	gotd "github.com/gotd/td/tg"

	"github.com/roostchat/roost/layers"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// The value tests build each object twice: canonically in Roost, with
// some fields layer 170 does not have, and in gotd v0.93.0 as a layer-170
// client sees it. Roost's layer-170 bytes must equal gotd's (the extra
// fields left out, changed ones converted), gotd must read the expected
// values from Roost's bytes, and Roost must read gotd's bytes into the
// expected canonical values and write the same bytes back.

// pair runs both directions and returns what gotd read from Roost and
// what Roost read from gotd.
func pair(t *testing.T, r tl.Object, g bin.Object) (bin.Object, tl.Object) {
	t.Helper()
	l := layers.For(layer)
	rb, err := tl.EncodeLayer(r, l)
	if err != nil {
		t.Fatalf("Roost encode for layer 170: %v", err)
	}
	gb := gotdEncodeNoErr(t, g)
	if !bytes.Equal(rb, gb) {
		t.Fatalf("layer-170 bytes differ:\nRoost %x\ngotd  %x", rb, gb)
	}
	fromRoost, err := gotdDecode(gotdMap(), rb)
	if err != nil {
		t.Fatalf("gotd v0.93.0 decode: %v", err)
	}
	d := tl.NewDecoder(gb, tg.New)
	d.Layer = l
	fromGotd := d.Object()
	if err := d.Err(); err != nil || d.Len() != 0 {
		t.Fatalf("Roost decode of layer 170: %v (%d bytes left)", err, d.Len())
	}
	if _, err := tl.Encode(fromGotd); err != nil {
		t.Fatalf("canonical object read from layer 170 cannot be written: %v", err)
	}
	if again, err := tl.EncodeLayer(fromGotd, l); err != nil || !bytes.Equal(again, gb) {
		t.Fatalf("Roost wrote what it read differently (%v):\n%x\n%x", err, gb, again)
	}
	return fromRoost, fromGotd
}

// roostUser is a canonical user with fields layer 170 lacks
// (BotActiveUsers, SendPaidMessagesStars, BotVerificationIcon,
// StoriesMaxID.Live); stories_max_id is an int in layer 170.
func roostUser(i int) *tg.User {
	return &tg.User{
		Self: i == 0, Contact: true, Premium: true, StoriesUnavailable: true, BotBusiness: true,
		ID: 1000 + int64(i), AccessHash: -77 * int64(i+1),
		FirstName: fmt.Sprintf("User %d", i), LastName: "Ließ", Username: fmt.Sprintf("user%d", i), Phone: "15550001",
		Photo:          &tg.UserProfilePhoto{HasVideo: true, PhotoID: 5000, StrippedThumb: []byte{1, 2, 3}, DCID: 2},
		Status:         &tg.UserStatusOnline{Expires: 1_700_000_000},
		LangCode:       "en",
		Usernames:      []tg.Username{{Active: true, Username: fmt.Sprintf("user%d", i)}},
		StoriesMaxID:   &tg.RecentStory{Live: true, MaxID: 9},
		Color:          &tg.PeerColor{Color: 5, BackgroundEmojiID: 77},
		BotActiveUsers: 12, SendPaidMessagesStars: 100, BotVerificationIcon: 4,
	}
}

func gotdUser(i int) *gotd.User {
	return &gotd.User{
		Self: i == 0, Contact: true, Premium: true, StoriesUnavailable: true,
		ID: 1000 + int64(i), AccessHash: -77 * int64(i+1),
		FirstName: fmt.Sprintf("User %d", i), LastName: "Ließ", Username: fmt.Sprintf("user%d", i), Phone: "15550001",
		Photo:        &gotd.UserProfilePhoto{HasVideo: true, PhotoID: 5000, StrippedThumb: []byte{1, 2, 3}, DCID: 2},
		Status:       &gotd.UserStatusOnline{Expires: 1_700_000_000},
		LangCode:     "en",
		Usernames:    []gotd.Username{{Active: true, Username: fmt.Sprintf("user%d", i)}},
		StoriesMaxID: 9,
		Color:        gotd.PeerColor{Color: 5, BackgroundEmojiID: 77},
	}
}

const messageText = "Hello https://example.org @someone, see you"

func roostMessage(i int, media tg.MessageMediaClass) *tg.Message {
	return &tg.Message{
		Out: true, Mentioned: true, ID: int32(i + 1), Offline: true,
		FromID: &tg.PeerUser{UserID: 1000 + int64(i)}, PeerID: &tg.PeerChat{ChatID: 42},
		ReplyTo: &tg.MessageReplyHeader{ReplyToMsgID: 3, Quote: true, QuoteText: "Hello", TodoItemID: 5},
		Date:    1_700_000_000, Message: messageText, Media: media,
		Entities: []tg.MessageEntityClass{
			&tg.MessageEntityBold{Offset: 0, Length: 5},
			&tg.MessageEntityUrl{Offset: 6, Length: 19},
			&tg.MessageEntityMention{Offset: 26, Length: 8},
			&tg.MessageEntityTextUrl{Offset: 36, Length: 3, URL: "https://t.me/x"},
		},
		Views: 10, EditDate: 1_700_000_500, GroupedID: 1 << 40,
		Effect: 99, PaidMessageStars: 5, FromBoostsApplied: 2,
	}
}

func gotdMessage(i int, media gotd.MessageMediaClass) *gotd.Message {
	return &gotd.Message{
		Out: true, Mentioned: true, ID: i + 1,
		FromID: &gotd.PeerUser{UserID: 1000 + int64(i)}, PeerID: &gotd.PeerChat{ChatID: 42},
		ReplyTo: &gotd.MessageReplyHeader{ReplyToMsgID: 3, Quote: true, QuoteText: "Hello"},
		Date:    1_700_000_000, Message: messageText, Media: media,
		Entities: []gotd.MessageEntityClass{
			&gotd.MessageEntityBold{Offset: 0, Length: 5},
			&gotd.MessageEntityURL{Offset: 6, Length: 19},
			&gotd.MessageEntityMention{Offset: 26, Length: 8},
			&gotd.MessageEntityTextURL{Offset: 36, Length: 3, URL: "https://t.me/x"},
		},
		Views: 10, EditDate: 1_700_000_500, GroupedID: 1 << 40,
	}
}

func TestValueUser(t *testing.T) {
	g, r := pair(t, roostUser(3), gotdUser(3))
	gu := g.(*gotd.User)
	if gu.ID != 1003 || gu.FirstName != "User 3" || !gu.Premium || gu.StoriesMaxID != 9 || gu.Color.Color != 5 ||
		gu.Color.BackgroundEmojiID != 77 || gu.Usernames[0].Username != "user3" {
		t.Errorf("gotd read %+v", gu)
	}
	ru := r.(*tg.User)
	if ru.StoriesMaxID == nil || ru.StoriesMaxID.MaxID != 9 || ru.BotActiveUsers != 0 || ru.LastName != "Ließ" ||
		ru.Color.(*tg.PeerColor).BackgroundEmojiID != 77 || ru.Status.(*tg.UserStatusOnline).Expires != 1_700_000_000 {
		t.Errorf("Roost read %+v", ru)
	}
}

func TestValueChat(t *testing.T) {
	r := &tg.Chat{Creator: true, ID: 42, Title: "Group", Date: 1_600_000_000, Version: 3, ParticipantsCount: 12,
		Photo: &tg.ChatPhoto{PhotoID: 1, DCID: 2},
		// chatAdminRights and chatBannedRights keep their ids across
		// layers while gaining true flags (manage_ranks, edit_rank): such
		// bits reach an old client as they are, and it ignores them.
		AdminRights:         &tg.ChatAdminRights{ChangeInfo: true, BanUsers: true},
		DefaultBannedRights: &tg.ChatBannedRights{SendMedia: true, UntilDate: 2_000_000_000}}
	g := &gotd.Chat{Creator: true, ID: 42, Title: "Group", Date: 1_600_000_000, Version: 3, ParticipantsCount: 12,
		Photo:               &gotd.ChatPhoto{PhotoID: 1, DCID: 2},
		AdminRights:         gotd.ChatAdminRights{ChangeInfo: true, BanUsers: true},
		DefaultBannedRights: gotd.ChatBannedRights{SendMedia: true, UntilDate: 2_000_000_000}}
	gg, rr := pair(t, r, g)
	if gc := gg.(*gotd.Chat); gc.Title != "Group" || !gc.AdminRights.BanUsers || gc.DefaultBannedRights.UntilDate != 2_000_000_000 {
		t.Errorf("gotd read %+v", gc)
	}
	if rc := rr.(*tg.Chat); rc.ParticipantsCount != 12 || !rc.DefaultBannedRights.SendMedia || rc.AdminRights.PostMessages {
		t.Errorf("Roost read %+v", rc)
	}
}

func TestValueChannel(t *testing.T) {
	r := &tg.Channel{Megagroup: true, Forum: true, ID: 1 << 40, AccessHash: 5, Title: "Chan", Username: "chan",
		Photo: &tg.ChatPhotoEmpty{}, Date: 1_650_000_000, ParticipantsCount: 1000, Level: 4,
		StoriesMaxID: &tg.RecentStory{MaxID: 2}, Monoforum: true, SubscriptionUntilDate: 5, LinkedMonoforumID: 8}
	g := &gotd.Channel{Megagroup: true, Forum: true, ID: 1 << 40, AccessHash: 5, Title: "Chan", Username: "chan",
		Photo: &gotd.ChatPhotoEmpty{}, Date: 1_650_000_000, ParticipantsCount: 1000, Level: 4, StoriesMaxID: 2}
	gg, rr := pair(t, r, g)
	if gc := gg.(*gotd.Channel); gc.ID != 1<<40 || !gc.Forum || gc.Level != 4 || gc.StoriesMaxID != 2 || gc.ParticipantsCount != 1000 {
		t.Errorf("gotd read %+v", gc)
	}
	if rc := rr.(*tg.Channel); rc.Username != "chan" || rc.StoriesMaxID.MaxID != 2 || rc.Monoforum {
		t.Errorf("Roost read %+v", rc)
	}
}

func TestValueMessagePhoto(t *testing.T) {
	r := roostMessage(5, &tg.MessageMediaPhoto{Spoiler: true, TtlSeconds: 30, LivePhoto: true, Photo: &tg.Photo{
		ID: 77, AccessHash: 88, FileReference: []byte("ref"), Date: 1_700_000_000, DCID: 2,
		Sizes: []tg.PhotoSizeClass{&tg.PhotoStrippedSize{Type: "i", Bytes: []byte{1}}, &tg.PhotoSize{Type: "x", W: 800, H: 600, Size: 65536}},
	}})
	g := gotdMessage(5, &gotd.MessageMediaPhoto{Spoiler: true, TTLSeconds: 30, Photo: &gotd.Photo{
		ID: 77, AccessHash: 88, FileReference: []byte("ref"), Date: 1_700_000_000, DCID: 2,
		Sizes: []gotd.PhotoSizeClass{&gotd.PhotoStrippedSize{Type: "i", Bytes: []byte{1}}, &gotd.PhotoSize{Type: "x", W: 800, H: 600, Size: 65536}},
	}})
	gg, rr := pair(t, r, g)
	gm := gg.(*gotd.Message)
	if gm.ID != 6 || gm.Message != messageText || len(gm.Entities) != 4 || gm.ReplyTo.(*gotd.MessageReplyHeader).QuoteText != "Hello" {
		t.Fatalf("gotd read %+v", gm)
	}
	if u := gm.Entities[3].(*gotd.MessageEntityTextURL); u.URL != "https://t.me/x" {
		t.Errorf("gotd entity %+v", u)
	}
	if p := gm.Media.(*gotd.MessageMediaPhoto); !p.Spoiler || p.Photo.(*gotd.Photo).Sizes[1].(*gotd.PhotoSize).W != 800 {
		t.Errorf("gotd media %+v", p)
	}
	rm := rr.(*tg.Message)
	if rm.Effect != 0 || rm.FromID.(*tg.PeerUser).UserID != 1005 || rm.Entities[2].(*tg.MessageEntityMention).Length != 8 ||
		rm.Media.(*tg.MessageMediaPhoto).Photo.(*tg.Photo).ID != 77 {
		t.Errorf("Roost read %+v", rm)
	}
}

func TestValueMessageDocument(t *testing.T) {
	r := roostMessage(8, &tg.MessageMediaDocument{Video: true, VideoTimestamp: 3, Document: &tg.Document{
		ID: 99, AccessHash: -1, FileReference: []byte{9}, Date: 1_700_000_001, MimeType: "video/mp4", Size: 5 << 30, DCID: 4,
		Attributes: []tg.DocumentAttributeClass{
			&tg.DocumentAttributeVideo{SupportsStreaming: true, Duration: 12.5, W: 1280, H: 720, VideoCodec: "av1"},
			&tg.DocumentAttributeFilename{FileName: "clip.mp4"},
		}}})
	g := gotdMessage(8, &gotd.MessageMediaDocument{Video: true, Document: &gotd.Document{
		ID: 99, AccessHash: -1, FileReference: []byte{9}, Date: 1_700_000_001, MimeType: "video/mp4", Size: 5 << 30, DCID: 4,
		Attributes: []gotd.DocumentAttributeClass{
			&gotd.DocumentAttributeVideo{SupportsStreaming: true, Duration: 12.5, W: 1280, H: 720},
			&gotd.DocumentAttributeFilename{FileName: "clip.mp4"},
		}}})
	gg, rr := pair(t, r, g)
	gd := gg.(*gotd.Message).Media.(*gotd.MessageMediaDocument)
	if !gd.Video || gd.Document.(*gotd.Document).Size != 5<<30 || gd.Document.(*gotd.Document).Attributes[0].(*gotd.DocumentAttributeVideo).W != 1280 {
		t.Errorf("gotd read %+v", gd)
	}
	rd := rr.(*tg.Message).Media.(*tg.MessageMediaDocument).Document.(*tg.Document)
	if rd.MimeType != "video/mp4" || rd.Attributes[1].(*tg.DocumentAttributeFilename).FileName != "clip.mp4" {
		t.Errorf("Roost read %+v", rd)
	}
}

func TestValueMessagesDialogs(t *testing.T) {
	r := &tg.MessagesDialogs{
		Dialogs: []tg.DialogClass{&tg.Dialog{Pinned: true, Peer: &tg.PeerUser{UserID: 1001}, TopMessage: 2, UnreadCount: 5,
			UnreadPollVotesCount: 7, NotifySettings: tg.PeerNotifySettings{Silent: true, MuteUntil: 1 << 30}, Pts: 17}},
		Messages: []tg.MessageClass{roostMessage(1, nil)},
		Chats:    []tg.ChatClass{&tg.ChatForbidden{ID: 9, Title: "gone"}},
		Users:    []tg.UserClass{roostUser(1), &tg.UserEmpty{ID: 4}},
	}
	g := &gotd.MessagesDialogs{
		Dialogs: []gotd.DialogClass{&gotd.Dialog{Pinned: true, Peer: &gotd.PeerUser{UserID: 1001}, TopMessage: 2, UnreadCount: 5,
			NotifySettings: gotd.PeerNotifySettings{Silent: true, MuteUntil: 1 << 30}, Pts: 17}},
		Messages: []gotd.MessageClass{gotdMessage(1, nil)},
		Chats:    []gotd.ChatClass{&gotd.ChatForbidden{ID: 9, Title: "gone"}},
		Users:    []gotd.UserClass{gotdUser(1), &gotd.UserEmpty{ID: 4}},
	}
	gg, rr := pair(t, r, g)
	if d := gg.(*gotd.MessagesDialogs).Dialogs[0].(*gotd.Dialog); !d.Pinned || d.UnreadCount != 5 || !d.NotifySettings.Silent {
		t.Errorf("gotd read %+v", d)
	}
	rd := rr.(*tg.MessagesDialogs)
	if rd.Users[0].(*tg.User).ID != 1001 || rd.Dialogs[0].(*tg.Dialog).UnreadPollVotesCount != 0 || rd.Chats[0].(*tg.ChatForbidden).ID != 9 {
		t.Errorf("Roost read %+v", rd)
	}
}
