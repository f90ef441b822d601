package api

import (
	"reflect"
	"testing"

	"github.com/roostchat/roost/core"
)

// TestEntitiesRoundTrip: every entity type Roost keeps survives core →
// TL → core.
func TestEntitiesRoundTrip(t *testing.T) {
	in := []core.Entity{
		{Type: "bold", Offset: 0, Length: 1}, {Type: "italic", Offset: 1, Length: 1},
		{Type: "underline", Offset: 2, Length: 1}, {Type: "strikethrough", Offset: 3, Length: 1},
		{Type: "spoiler", Offset: 4, Length: 1}, {Type: "code", Offset: 5, Length: 1},
		{Type: "pre", Offset: 6, Length: 1, Language: "go"}, {Type: "text_link", Offset: 7, Length: 1, URL: "https://x.org/"},
		{Type: "text_mention", Offset: 8, Length: 1, UserID: 42}, {Type: "mention", Offset: 9, Length: 1},
		{Type: "hashtag", Offset: 10, Length: 1}, {Type: "cashtag", Offset: 11, Length: 1},
		{Type: "bot_command", Offset: 12, Length: 1}, {Type: "url", Offset: 13, Length: 1},
		{Type: "email", Offset: 14, Length: 1}, {Type: "phone_number", Offset: 15, Length: 1},
		{Type: "bank_card", Offset: 16, Length: 1}, {Type: "blockquote", Offset: 17, Length: 1},
		{Type: "expandable_blockquote", Offset: 18, Length: 1},
		{Type: "custom_emoji", Offset: 19, Length: 2, EmojiID: 5368324170671202286},
	}
	if out := coreEntities(tgEntities(in)); !reflect.DeepEqual(out, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", out, in)
	}
}
