package layers

import (
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// The conversions of renamed fields (tl/gen/layers_renames.go): each pair
// reads an older layer's field into its canonical successor and writes
// the canonical value back in the older form. Values the older form
// cannot express are written as its zero value.

// peerFromUserID reads a user_id that became peer:Peer.
func peerFromUserID(d *tl.Decoder) tg.PeerClass { return &tg.PeerUser{UserID: d.Long()} }

// userIDFromPeer writes peer:Peer as the user_id it replaced.
func userIDFromPeer(e *tl.Encoder, p tg.PeerClass) {
	u, _ := p.(*tg.PeerUser)
	if u == nil {
		e.Long(0)
		return
	}
	e.Long(u.UserID)
}

// peerFromChatID reads a chat_id that became peer:Peer.
func peerFromChatID(d *tl.Decoder) tg.PeerClass { return &tg.PeerChat{ChatID: d.Long()} }

// chatIDFromPeer writes peer:Peer as the chat_id it replaced.
func chatIDFromPeer(e *tl.Encoder, p tg.PeerClass) {
	c, _ := p.(*tg.PeerChat)
	if c == nil {
		e.Long(0)
		return
	}
	e.Long(c.ChatID)
}

// inputPeerFromUser reads a user_id:InputUser that became peer:InputPeer.
func inputPeerFromUser(d *tl.Decoder) tg.InputPeerClass {
	switch u := tl.As[tg.InputUserClass](d).(type) {
	case *tg.InputUser:
		return &tg.InputPeerUser{UserID: u.UserID, AccessHash: u.AccessHash}
	case *tg.InputUserSelf:
		return &tg.InputPeerSelf{}
	case *tg.InputUserFromMessage:
		return &tg.InputPeerUserFromMessage{Peer: u.Peer, MsgID: u.MsgID, UserID: u.UserID}
	}
	return &tg.InputPeerEmpty{}
}

// inputUserFromPeer writes peer:InputPeer as the user_id:InputUser it
// replaced.
func inputUserFromPeer(e *tl.Encoder, p tg.InputPeerClass) {
	switch v := p.(type) {
	case *tg.InputPeerUser:
		e.Object(&tg.InputUser{UserID: v.UserID, AccessHash: v.AccessHash})
	case *tg.InputPeerSelf:
		e.Object(&tg.InputUserSelf{})
	case *tg.InputPeerUserFromMessage:
		e.Object(&tg.InputUserFromMessage{Peer: v.Peer, MsgID: v.MsgID, UserID: v.UserID})
	default:
		e.Object(&tg.InputUserEmpty{})
	}
}

// daysPerMonth converts premium gift periods, counted in months before
// and in days now.
const daysPerMonth = 30

func daysFromMonths(d *tl.Decoder) int32 { return d.Int() * daysPerMonth }

func monthsFromDays(e *tl.Encoder, days int32) { e.Int(days / daysPerMonth) }

// chatThemeFromEmoticon reads a theme emoticon that became theme:ChatTheme.
func chatThemeFromEmoticon(d *tl.Decoder) tg.ChatThemeClass {
	return &tg.ChatTheme{Emoticon: d.String()}
}

// emoticonFromChatTheme writes theme:ChatTheme as its emoticon ("" for a
// gift theme, which older layers cannot show).
func emoticonFromChatTheme(e *tl.Encoder, t tg.ChatThemeClass) {
	c, _ := t.(*tg.ChatTheme)
	if c == nil {
		e.String("")
		return
	}
	e.String(c.Emoticon)
}

func inputChatThemeFromEmoticon(d *tl.Decoder) tg.InputChatThemeClass {
	if s := d.String(); s != "" {
		return &tg.InputChatTheme{Emoticon: s}
	}
	return &tg.InputChatThemeEmpty{}
}

// documentsFromOne reads alt_document, which became alt_documents.
func documentsFromOne(d *tl.Decoder) []tg.DocumentClass {
	return []tg.DocumentClass{tl.As[tg.DocumentClass](d)}
}

// firstDocument writes the first of alt_documents as alt_document.
func firstDocument(e *tl.Encoder, docs []tg.DocumentClass) {
	if len(docs) == 0 {
		e.Object(&tg.DocumentEmpty{})
		return
	}
	e.Object(docs[0])
}

// replyToFromMsgID reads reply_to_msg_id, which became
// reply_to:InputReplyTo.
func replyToFromMsgID(d *tl.Decoder) tg.InputReplyToClass {
	return &tg.InputReplyToMessage{ReplyToMsgID: d.Int()}
}

// msgIDFromReplyTo writes reply_to as the message id it replies to (0 for
// a reply to a story, which older layers cannot express).
func msgIDFromReplyTo(e *tl.Encoder, r tg.InputReplyToClass) {
	m, _ := r.(*tg.InputReplyToMessage)
	if m == nil {
		e.Int(0)
		return
	}
	e.Int(m.ReplyToMsgID)
}

// usernamesFromOne reads the single username that became a list.
func usernamesFromOne(d *tl.Decoder) []tg.Username {
	if s := d.String(); s != "" {
		return []tg.Username{{Editable: true, Active: true, Username: s}}
	}
	return []tg.Username{}
}

// activeUsername writes the first active username of the list.
func activeUsername(e *tl.Encoder, us []tg.Username) {
	for _, u := range us {
		if u.Active {
			e.String(u.Username)
			return
		}
	}
	e.String("")
}
