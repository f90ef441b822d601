package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/roostchat/roost/store"
)

func testHistory(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	bx := s.Boxes()
	ids := mustUsers(t, s, 2)
	a, b := ids[0], ids[1]
	chat := chatPeer(5)
	// Messages 1..12 of a, dated i*10 s: every third with the chat, the
	// others with b; 4 and 7 are unread mentions, 5 a read one.
	for i := 1; i <= 12; i++ {
		m := store.Message{OwnerID: a, Peer: userPeer(b), Date: at(i * 10), Text: fmt.Sprint(i)}
		if i%3 == 0 {
			m.Peer = chat
		}
		m.Mentioned, m.MediaUnread = i == 4 || i == 7 || i == 5, i == 4 || i == 7
		putMessage(t, s, m)
	}
	putMessage(t, s, store.Message{OwnerID: b, Peer: userPeer(a), Date: at(10)}) // b's own box

	for _, c := range []struct {
		name string
		peer store.Peer
		q    store.HistoryQuery
		want []int32
	}{
		{"all, newest first", userPeer(b), store.HistoryQuery{Before: true, Limit: 100}, []int32{11, 10, 8, 7, 5, 4, 2, 1}},
		{"all, oldest first", userPeer(b), store.HistoryQuery{Limit: 100}, []int32{1, 2, 4, 5, 7, 8, 10, 11}},
		{"newest", userPeer(b), store.HistoryQuery{Before: true, Limit: 3}, []int32{11, 10, 8}},
		{"oldest", userPeer(b), store.HistoryQuery{Limit: 2}, []int32{1, 2}},
		{"below max id", userPeer(b), store.HistoryQuery{Before: true, MaxID: 8, Limit: 100}, []int32{7, 5, 4, 2, 1}},
		{"below max id, limited", userPeer(b), store.HistoryQuery{Before: true, MaxID: 8, Limit: 2}, []int32{7, 5}},
		{"between, newest first", userPeer(b), store.HistoryQuery{Before: true, MaxID: 8, MinID: 2, Limit: 100}, []int32{7, 5, 4}},
		{"above min id, newest first", userPeer(b), store.HistoryQuery{Before: true, MinID: 7, Limit: 100}, []int32{11, 10, 8}},
		{"above min id", userPeer(b), store.HistoryQuery{MinID: 4, Limit: 100}, []int32{5, 7, 8, 10, 11}},
		{"above min id, limited", userPeer(b), store.HistoryQuery{MinID: 4, Limit: 2}, []int32{5, 7}},
		{"between, oldest first", userPeer(b), store.HistoryQuery{MinID: 4, MaxID: 10, Limit: 100}, []int32{5, 7, 8}},
		{"empty range", userPeer(b), store.HistoryQuery{MinID: 7, MaxID: 8, Limit: 100}, nil},
		{"before a date", userPeer(b), store.HistoryQuery{Before: true, MaxDate: at(75), Limit: 100}, []int32{7, 5, 4, 2, 1}},
		{"strictly before a date", userPeer(b), store.HistoryQuery{Before: true, MaxDate: at(70), Limit: 100}, []int32{5, 4, 2, 1}},
		{"date and ids", userPeer(b), store.HistoryQuery{MinID: 2, MaxDate: at(75), Limit: 100}, []int32{4, 5, 7}},
		{"date and max id", userPeer(b), store.HistoryQuery{Before: true, MaxID: 5, MaxDate: at(75), Limit: 1}, []int32{4}},
		{"unread mentions", userPeer(b), store.HistoryQuery{Before: true, OnlyMentions: true, Limit: 100}, []int32{7, 4}},
		{"unread mentions above", userPeer(b), store.HistoryQuery{MinID: 4, OnlyMentions: true, Limit: 100}, []int32{7}},
		{"unread mentions below", userPeer(b), store.HistoryQuery{Before: true, MaxID: 7, OnlyMentions: true, Limit: 100}, []int32{4}},
		{"chat", chat, store.HistoryQuery{Before: true, Limit: 100}, []int32{12, 9, 6, 3}},
		{"chat oldest", chat, store.HistoryQuery{MinID: 3, Limit: 2}, []int32{6, 9}},
		{"no such dialog", chatPeer(6), store.HistoryQuery{Before: true, Limit: 100}, nil},
		{"a user as a chat", chatPeer(b), store.HistoryQuery{Before: true, Limit: 100}, nil},
	} {
		ms, err := bx.History(ctx, a, c.peer, c.q)
		if got := msgIDs(ms); err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: history = %v, %v; want %v", c.name, got, err, c.want)
		}
		for _, m := range ms {
			if m.OwnerID != a || m.Peer != c.peer || m.Text != fmt.Sprint(m.ID) {
				t.Errorf("%s: message %+v", c.name, m)
			}
		}
	}
	if ms, err := bx.History(ctx, b, userPeer(a), store.HistoryQuery{Limit: 10}); err != nil || len(ms) != 1 {
		t.Errorf("history of b = %v, %v", msgIDs(ms), err)
	}
	for name, c := range map[string]struct {
		peer store.Peer
		q    store.HistoryQuery
	}{
		"limit 0":        {userPeer(b), store.HistoryQuery{}},
		"negative limit": {userPeer(b), store.HistoryQuery{Limit: -1}},
		"negative min":   {userPeer(b), store.HistoryQuery{MinID: -1, Limit: 1}},
		"negative max":   {userPeer(b), store.HistoryQuery{MaxID: -1, Limit: 1}},
		"zero peer":      {store.Peer{}, store.HistoryQuery{Limit: 1}},
		"unknown kind":   {store.Peer{Kind: 3, ID: 1}, store.HistoryQuery{Limit: 1}},
	} {
		if _, err := bx.History(ctx, a, c.peer, c.q); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("history with %s: err = %v, want ErrInvalid", name, err)
		}
	}

	for _, c := range []struct {
		peer store.Peer
		want int
	}{{userPeer(b), 8}, {chat, 4}, {chatPeer(6), 0}} {
		if n, err := bx.Count(ctx, a, c.peer); err != nil || n != c.want {
			t.Errorf("count with %v = %d, %v; want %d", c.peer, n, err, c.want)
		}
	}
	mustUpdate(t, s, func(tx store.BoxTx) error { return tx.DeleteMessages(a, []int32{8, 9}) })
	if n, err := bx.Count(ctx, a, userPeer(b)); err != nil || n != 7 {
		t.Errorf("count after a delete = %d, %v; want 7", n, err)
	}
	if ms, err := bx.History(ctx, a, userPeer(b), store.HistoryQuery{Before: true, MaxID: 11, Limit: 2}); err != nil ||
		!slices.Equal(msgIDs(ms), []int32{10, 7}) {
		t.Errorf("history after a delete = %v, %v", msgIDs(ms), err)
	}
}

func testSearch(t *testing.T, open Open) {
	s, ctx := openT(t, open)
	bx := s.Boxes()
	ids := mustUsers(t, s, 3)
	a, b, c := ids[0], ids[1], ids[2]
	chat := chatPeer(5)
	for i, m := range []store.Message{
		{Peer: userPeer(b), Text: "Hello World"},
		{Peer: userPeer(b), Text: "привет, Мир"},
		{Peer: chat, Text: "HELLO again"},
		{Peer: userPeer(b), Text: `50% off_sale \o/`},
		{Peer: userPeer(b), Text: "500 offXsale"},
		{Peer: chat, Text: "say hello"},
		{Peer: userPeer(b), Action: []byte{1}},
	} {
		m.OwnerID, m.Date = a, at((i+1)*10)
		putMessage(t, s, m)
	}
	putMessage(t, s, store.Message{OwnerID: c, Peer: userPeer(a), Date: at(10), Text: "hello"})

	for _, tc := range []struct {
		name string
		q    store.SearchQuery
		want []int32
	}{
		{"word", store.SearchQuery{Text: "hello", Limit: 100}, []int32{6, 3, 1}},
		{"upper case", store.SearchQuery{Text: "HELLO", Limit: 2}, []int32{6, 3}},
		{"mixed case", store.SearchQuery{Text: "hElLo wOrLd", Limit: 100}, []int32{1}},
		{"cyrillic", store.SearchQuery{Text: "мир", Limit: 100}, []int32{2}},
		{"cyrillic upper case", store.SearchQuery{Text: "ПРИВЕТ", Limit: 100}, []int32{2}},
		{"percent is literal", store.SearchQuery{Text: "50%", Limit: 100}, []int32{4}},
		{"lone percent", store.SearchQuery{Text: "%", Limit: 100}, []int32{4}},
		{"underscore is literal", store.SearchQuery{Text: "off_s", Limit: 100}, []int32{4}},
		{"backslash is literal", store.SearchQuery{Text: `\o/`, Limit: 100}, []int32{4}},
		{"no match", store.SearchQuery{Text: "goodbye", Limit: 100}, nil},
		{"in a dialog", store.SearchQuery{Text: "hello", Peer: chat, Limit: 100}, []int32{6, 3}},
		{"in a dialog without it", store.SearchQuery{Text: "hello", Peer: chatPeer(6), Limit: 100}, nil},
		{"below max id", store.SearchQuery{Text: "hello", MaxID: 6, Limit: 100}, []int32{3, 1}},
		{"in dates", store.SearchQuery{Text: "hello", From: at(30), To: at(60), Limit: 100}, []int32{3}},
		{"from", store.SearchQuery{Text: "hello", From: at(30), Limit: 100}, []int32{6, 3}},
		{"to", store.SearchQuery{Text: "hello", To: at(30), Limit: 100}, []int32{1}},
		{"everything", store.SearchQuery{Limit: 100}, []int32{7, 6, 5, 4, 3, 2, 1}},
		{"everything with b", store.SearchQuery{Peer: userPeer(b), Limit: 3}, []int32{7, 5, 4}},
	} {
		ms, err := bx.Search(ctx, a, tc.q)
		if got := msgIDs(ms); err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("search %s = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if ms, err := bx.Search(ctx, b, store.SearchQuery{Text: "hello", Limit: 10}); err != nil || len(ms) != 0 {
		t.Errorf("search of an empty box = %v, %v", msgIDs(ms), err)
	}
	for name, q := range map[string]store.SearchQuery{
		"limit 0":         {Text: "x"},
		"negative limit":  {Text: "x", Limit: -5},
		"peer without id": {Text: "x", Peer: store.Peer{Kind: store.PeerUser}, Limit: 1},
		"peer of no kind": {Text: "x", Peer: store.Peer{ID: 5}, Limit: 1},
		"negative max id": {Text: "x", MaxID: -1, Limit: 1},
		"NUL":             {Text: "\x00", Limit: 1},
		"not UTF-8":       {Text: "\xfe", Limit: 1},
	} {
		if _, err := bx.Search(ctx, a, q); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("search with %s: err = %v, want ErrInvalid", name, err)
		}
	}
}
