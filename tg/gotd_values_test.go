package tg_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/gotd/td/bin"
	gotd "github.com/gotd/td/tg"

	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// The value tests build the same object independently in Roost and in
// gotd, require both to write the same bytes, and read each side's bytes
// with the other, checking named fields and then every field (crossDiff).

// exchange encodes r with Roost and g with gotd, requires equal bytes, and
// returns what gotd reads from Roost's bytes and what Roost reads from
// gotd's.
func exchange(t *testing.T, r tl.Object, g bin.Object) (bin.Object, tl.Object) {
	t.Helper()
	rb, err := tl.Encode(r)
	if err != nil {
		t.Fatalf("Roost encode: %v", err)
	}
	gb, err := gotdEncode(g)
	if err != nil {
		t.Fatalf("gotd encode: %v", err)
	}
	if !bytes.Equal(rb, gb) {
		t.Fatalf("bytes differ:\nRoost %x\ngotd  %x", rb, gb)
	}
	fromRoost, err := gotdDecode(gotdMap(), rb)
	if err != nil {
		t.Fatalf("gotd decode: %v", err)
	}
	if d := crossDiff(r, fromRoost, false); d != "" {
		t.Fatalf("gotd read Roost's bytes differently at %s", d)
	}
	fromGotd, err := tl.Decode(gb, tg.New)
	if err != nil {
		t.Fatalf("Roost decode: %v", err)
	}
	// Flag words are not compared: gotd sets them while encoding, but on
	// copies for elements held by value ([]Username).
	if d := crossDiff(fromGotd, g, false); d != "" {
		t.Fatalf("Roost read gotd's bytes differently at %s", d)
	}
	return fromRoost, fromGotd
}

// botInfoVersion is set for bots only: it shares its flag bit with bot.
func botInfoVersion(i int) int {
	if i%7 == 3 {
		return i%5 + 1
	}
	return 0
}

func roostUser(i int) *tg.User {
	return &tg.User{
		Self: i == 0, Contact: true, Bot: i%7 == 3, BotInfoVersion: int32(botInfoVersion(i)),
		ID: 1000 + int64(i), AccessHash: -77 * int64(i+1),
		FirstName: fmt.Sprintf("User %d", i), LastName: "Ließ", Username: fmt.Sprintf("user%d", i),
		Phone:        "1555000" + fmt.Sprint(i),
		Photo:        &tg.UserProfilePhoto{HasVideo: true, PhotoID: 5000 + int64(i), StrippedThumb: []byte{1, 2, 3}, DCID: 2},
		Status:       &tg.UserStatusOnline{Expires: 1_700_000_000 + int32(i)},
		LangCode:     "en",
		Usernames:    []tg.Username{{Active: true, Username: fmt.Sprintf("user%d", i)}, {Editable: true, Username: "alt"}},
		StoriesMaxID: &tg.RecentStory{MaxID: 9},
	}
}

func gotdUser(i int) *gotd.User {
	return &gotd.User{
		Self: i == 0, Contact: true, Bot: i%7 == 3, BotInfoVersion: botInfoVersion(i),
		ID: 1000 + int64(i), AccessHash: -77 * int64(i+1),
		FirstName: fmt.Sprintf("User %d", i), LastName: "Ließ", Username: fmt.Sprintf("user%d", i),
		Phone:        "1555000" + fmt.Sprint(i),
		Photo:        &gotd.UserProfilePhoto{HasVideo: true, PhotoID: 5000 + int64(i), StrippedThumb: []byte{1, 2, 3}, DCID: 2},
		Status:       &gotd.UserStatusOnline{Expires: 1_700_000_000 + i},
		LangCode:     "en",
		Usernames:    []gotd.Username{{Active: true, Username: fmt.Sprintf("user%d", i)}, {Editable: true, Username: "alt"}},
		StoriesMaxID: gotd.RecentStory{MaxID: 9},
	}
}

// messageText is the text of the built messages: a bold word, a link and
// a mention, each covered by an entity.
const messageText = "Hello https://example.org @someone, see you"

func roostEntities() []tg.MessageEntityClass {
	return []tg.MessageEntityClass{
		&tg.MessageEntityBold{Offset: 0, Length: 5},
		&tg.MessageEntityUrl{Offset: 6, Length: 19},
		&tg.MessageEntityMention{Offset: 26, Length: 8},
		&tg.MessageEntityTextUrl{Offset: 36, Length: 3, URL: "https://t.me/x"},
	}
}

func gotdEntities() []gotd.MessageEntityClass {
	return []gotd.MessageEntityClass{
		&gotd.MessageEntityBold{Offset: 0, Length: 5},
		&gotd.MessageEntityURL{Offset: 6, Length: 19},
		&gotd.MessageEntityMention{Offset: 26, Length: 8},
		&gotd.MessageEntityTextURL{Offset: 36, Length: 3, URL: "https://t.me/x"},
	}
}

func roostMessage(i int, media tg.MessageMediaClass) *tg.Message {
	return &tg.Message{
		Out: i%2 == 0, Mentioned: true, ID: int32(i + 1),
		FromID: &tg.PeerUser{UserID: 1000 + int64(i)}, PeerID: &tg.PeerChat{ChatID: 42},
		ReplyTo: &tg.MessageReplyHeader{ReplyToMsgID: int32(i), Quote: true, QuoteText: "Hello"},
		Date:    1_700_000_000 + int32(i), Message: messageText, Media: media,
		Entities: roostEntities(), Views: 10, EditDate: 1_700_000_500, GroupedID: int64(i) << 40,
	}
}

func gotdMessage(i int, media gotd.MessageMediaClass) *gotd.Message {
	return &gotd.Message{
		Out: i%2 == 0, Mentioned: true, ID: i + 1,
		FromID: &gotd.PeerUser{UserID: 1000 + int64(i)}, PeerID: &gotd.PeerChat{ChatID: 42},
		ReplyTo: &gotd.MessageReplyHeader{ReplyToMsgID: i, Quote: true, QuoteText: "Hello"},
		Date:    1_700_000_000 + i, Message: messageText, Media: media,
		Entities: gotdEntities(), Views: 10, EditDate: 1_700_000_500, GroupedID: int64(i) << 40,
	}
}

func roostPhotoMedia() *tg.MessageMediaPhoto {
	return &tg.MessageMediaPhoto{Spoiler: true, TtlSeconds: 30, Photo: &tg.Photo{
		ID: 77, AccessHash: 88, FileReference: []byte("ref"), Date: 1_700_000_000, DCID: 2,
		Sizes: []tg.PhotoSizeClass{
			&tg.PhotoStrippedSize{Type: "i", Bytes: []byte{1, 40, 40}},
			&tg.PhotoSize{Type: "x", W: 800, H: 600, Size: 65536},
		},
	}}
}

func gotdPhotoMedia() *gotd.MessageMediaPhoto {
	return &gotd.MessageMediaPhoto{Spoiler: true, TTLSeconds: 30, Photo: &gotd.Photo{
		ID: 77, AccessHash: 88, FileReference: []byte("ref"), Date: 1_700_000_000, DCID: 2,
		Sizes: []gotd.PhotoSizeClass{
			&gotd.PhotoStrippedSize{Type: "i", Bytes: []byte{1, 40, 40}},
			&gotd.PhotoSize{Type: "x", W: 800, H: 600, Size: 65536},
		},
	}}
}

func roostDocumentMedia() *tg.MessageMediaDocument {
	return &tg.MessageMediaDocument{Video: true, Document: &tg.Document{
		ID: 99, AccessHash: -1, FileReference: []byte{9}, Date: 1_700_000_001, MimeType: "video/mp4",
		Size: 5 << 30, DCID: 4, Attributes: []tg.DocumentAttributeClass{
			&tg.DocumentAttributeVideo{SupportsStreaming: true, Duration: 12.5, W: 1280, H: 720},
			&tg.DocumentAttributeFilename{FileName: "clip.mp4"},
		},
	}}
}

func gotdDocumentMedia() *gotd.MessageMediaDocument {
	return &gotd.MessageMediaDocument{Video: true, Document: &gotd.Document{
		ID: 99, AccessHash: -1, FileReference: []byte{9}, Date: 1_700_000_001, MimeType: "video/mp4",
		Size: 5 << 30, DCID: 4, Attributes: []gotd.DocumentAttributeClass{
			&gotd.DocumentAttributeVideo{SupportsStreaming: true, Duration: 12.5, W: 1280, H: 720},
			&gotd.DocumentAttributeFilename{FileName: "clip.mp4"},
		},
	}}
}

func TestValueUser(t *testing.T) {
	g, r := exchange(t, roostUser(3), gotdUser(3))
	gu, ru := g.(*gotd.User), r.(*tg.User)
	if gu.ID != 1003 || gu.FirstName != "User 3" || gu.LastName != "Ließ" || !gu.Bot || gu.BotInfoVersion != 4 ||
		gu.StoriesMaxID.MaxID != 9 || len(gu.Usernames) != 2 || !gu.Usernames[1].Editable {
		t.Errorf("gotd read %+v", gu)
	}
	if st, ok := gu.Status.(*gotd.UserStatusOnline); !ok || st.Expires != 1_700_000_003 {
		t.Errorf("gotd status %v", gu.Status)
	}
	if ru.AccessHash != -77*4 || ru.Username != "user3" || ru.Phone != "15550003" || ru.StoriesMaxID.MaxID != 9 ||
		ru.Photo.(*tg.UserProfilePhoto).PhotoID != 5003 {
		t.Errorf("Roost read %+v", ru)
	}
}

func TestValueChat(t *testing.T) {
	r := &tg.Chat{Creator: true, ID: 42, Title: "Group", Date: 1_600_000_000, Version: 3, ParticipantsCount: 12,
		Photo:               &tg.ChatPhoto{PhotoID: 1, DCID: 2},
		AdminRights:         &tg.ChatAdminRights{ChangeInfo: true, BanUsers: true},
		DefaultBannedRights: &tg.ChatBannedRights{SendMedia: true, UntilDate: 2_000_000_000}}
	g := &gotd.Chat{Creator: true, ID: 42, Title: "Group", Date: 1_600_000_000, Version: 3, ParticipantsCount: 12,
		Photo:               &gotd.ChatPhoto{PhotoID: 1, DCID: 2},
		AdminRights:         gotd.ChatAdminRights{ChangeInfo: true, BanUsers: true},
		DefaultBannedRights: gotd.ChatBannedRights{SendMedia: true, UntilDate: 2_000_000_000}}
	gg, rr := exchange(t, r, g)
	gc, rc := gg.(*gotd.Chat), rr.(*tg.Chat)
	if gc.ID != 42 || gc.Title != "Group" || !gc.Creator || !gc.AdminRights.BanUsers || gc.DefaultBannedRights.UntilDate != 2_000_000_000 {
		t.Errorf("gotd read %+v", gc)
	}
	if rc.ParticipantsCount != 12 || rc.Version != 3 || !rc.DefaultBannedRights.SendMedia || rc.AdminRights.PostMessages {
		t.Errorf("Roost read %+v", rc)
	}
}

func TestValueChannel(t *testing.T) {
	r := &tg.Channel{Megagroup: true, Forum: true, Signatures: true, ID: 1 << 40, AccessHash: 5, Title: "Chan",
		Username: "chan", Photo: &tg.ChatPhotoEmpty{}, Date: 1_650_000_000, ParticipantsCount: 1000,
		RestrictionReason: []tg.RestrictionReason{{Platform: "ios", Reason: "porn", Text: "no"}},
		Restricted:        true, Level: 4, StoriesMaxID: &tg.RecentStory{Live: true, MaxID: 2}}
	g := &gotd.Channel{Megagroup: true, Forum: true, Signatures: true, ID: 1 << 40, AccessHash: 5, Title: "Chan",
		Username: "chan", Photo: &gotd.ChatPhotoEmpty{}, Date: 1_650_000_000, ParticipantsCount: 1000,
		RestrictionReason: []gotd.RestrictionReason{{Platform: "ios", Reason: "porn", Text: "no"}},
		Restricted:        true, Level: 4, StoriesMaxID: gotd.RecentStory{Live: true, MaxID: 2}}
	gg, rr := exchange(t, r, g)
	gc, rc := gg.(*gotd.Channel), rr.(*tg.Channel)
	if gc.ID != 1<<40 || !gc.Forum || !gc.Megagroup || gc.Broadcast || gc.Level != 4 || gc.RestrictionReason[0].Platform != "ios" {
		t.Errorf("gotd read %+v", gc)
	}
	if rc.Username != "chan" || rc.ParticipantsCount != 1000 || !rc.StoriesMaxID.Live || !rc.Restricted {
		t.Errorf("Roost read %+v", rc)
	}
}

func TestValueMessagePhoto(t *testing.T) {
	gg, rr := exchange(t, roostMessage(5, roostPhotoMedia()), gotdMessage(5, gotdPhotoMedia()))
	gm, rm := gg.(*gotd.Message), rr.(*tg.Message)
	if gm.ID != 6 || gm.Message != messageText || len(gm.Entities) != 4 || gm.Views != 10 {
		t.Fatalf("gotd read %+v", gm)
	}
	if u, ok := gm.Entities[3].(*gotd.MessageEntityTextURL); !ok || u.URL != "https://t.me/x" || u.Offset != 36 {
		t.Errorf("gotd entity %v", gm.Entities[3])
	}
	mp, ok := gm.Media.(*gotd.MessageMediaPhoto)
	if !ok || !mp.Spoiler || mp.TTLSeconds != 30 {
		t.Fatalf("gotd media %v", gm.Media)
	}
	if p := mp.Photo.(*gotd.Photo); p.ID != 77 || len(p.Sizes) != 2 || p.Sizes[1].(*gotd.PhotoSize).W != 800 {
		t.Errorf("gotd photo %+v", p)
	}
	if rm.FromID.(*tg.PeerUser).UserID != 1005 || rm.ReplyTo.(*tg.MessageReplyHeader).QuoteText != "Hello" ||
		rm.Entities[2].(*tg.MessageEntityMention).Length != 8 {
		t.Errorf("Roost read %+v", rm)
	}
	if p := rm.Media.(*tg.MessageMediaPhoto).Photo.(*tg.Photo); string(p.FileReference) != "ref" || p.DCID != 2 {
		t.Errorf("Roost photo %+v", p)
	}
}

func TestValueMessageDocument(t *testing.T) {
	gg, rr := exchange(t, roostMessage(8, roostDocumentMedia()), gotdMessage(8, gotdDocumentMedia()))
	gd := gg.(*gotd.Message).Media.(*gotd.MessageMediaDocument).Document.(*gotd.Document)
	if gd.Size != 5<<30 || gd.MimeType != "video/mp4" || gd.Attributes[0].(*gotd.DocumentAttributeVideo).Duration != 12.5 {
		t.Errorf("gotd document %+v", gd)
	}
	rd := rr.(*tg.Message).Media.(*tg.MessageMediaDocument)
	if !rd.Video || rd.Document.(*tg.Document).Attributes[1].(*tg.DocumentAttributeFilename).FileName != "clip.mp4" {
		t.Errorf("Roost document %+v", rd)
	}
}

func TestValueMessagesDialogs(t *testing.T) {
	r := &tg.MessagesDialogs{
		Dialogs: []tg.DialogClass{&tg.Dialog{Pinned: true, Peer: &tg.PeerUser{UserID: 1001}, TopMessage: 2,
			UnreadCount: 5, NotifySettings: tg.PeerNotifySettings{Silent: true, MuteUntil: 1 << 30}, Pts: 17}},
		Messages: []tg.MessageClass{roostMessage(1, nil)},
		Chats:    []tg.ChatClass{&tg.ChatForbidden{ID: 9, Title: "gone"}},
		Users:    []tg.UserClass{roostUser(1), &tg.UserEmpty{ID: 4}},
	}
	g := &gotd.MessagesDialogs{
		Dialogs: []gotd.DialogClass{&gotd.Dialog{Pinned: true, Peer: &gotd.PeerUser{UserID: 1001}, TopMessage: 2,
			UnreadCount: 5, NotifySettings: gotd.PeerNotifySettings{Silent: true, MuteUntil: 1 << 30}, Pts: 17}},
		Messages: []gotd.MessageClass{gotdMessage(1, nil)},
		Chats:    []gotd.ChatClass{&gotd.ChatForbidden{ID: 9, Title: "gone"}},
		Users:    []gotd.UserClass{gotdUser(1), &gotd.UserEmpty{ID: 4}},
	}
	gg, rr := exchange(t, r, g)
	gd := gg.(*gotd.MessagesDialogs)
	if d := gd.Dialogs[0].(*gotd.Dialog); !d.Pinned || d.UnreadCount != 5 || d.Pts != 17 || !d.NotifySettings.Silent {
		t.Errorf("gotd dialog %+v", d)
	}
	rd := rr.(*tg.MessagesDialogs)
	if len(rd.Users) != 2 || rd.Users[1].(*tg.UserEmpty).ID != 4 || rd.Chats[0].(*tg.ChatForbidden).Title != "gone" {
		t.Errorf("Roost read %+v", rd)
	}
}
