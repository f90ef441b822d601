package gen

// rename is a field that changed name and type between a layer and the
// canonical one, with the hand-written functions (in package layers,
// convert.go) that carry its value across. dec reads the layer's form
// and returns the canonical value; enc writes a canonical value in the
// layer's form ("" for a field only functions have: adapters read old
// requests but never write them).
type rename struct {
	oldName, oldType     string
	canonName, canonType string
	dec, enc             string
}

// renames lists the renamed fields the adapters convert. A field renamed
// without an entry here is dropped and reported lossy in docs/layers.md.
var renames = []rename{
	{"user_id", "long", "peer", "Peer", "peerFromUserID", "userIDFromPeer"},
	{"chat_id", "long", "peer", "Peer", "peerFromChatID", "chatIDFromPeer"},
	{"user_id", "InputUser", "peer", "InputPeer", "inputPeerFromUser", "inputUserFromPeer"},
	{"months", "int", "days", "int", "daysFromMonths", "monthsFromDays"},
	{"enabled", "Bool", "signatures_enabled", "true", "(*tl.Decoder).Bool", "(*tl.Encoder).Bool"},
	{"emoticon", "string", "theme", "ChatTheme", "chatThemeFromEmoticon", "emoticonFromChatTheme"},
	// Only functions (messages.setChatTheme) carry it, and adapters never
	// write functions: read-only.
	{"emoticon", "string", "theme", "InputChatTheme", "inputChatThemeFromEmoticon", ""},
	{"alt_document", "Document", "alt_documents", "Vector<Document>", "documentsFromOne", "firstDocument"},
	{"reply_to_msg_id", "int", "reply_to", "InputReplyTo", "replyToFromMsgID", "msgIDFromReplyTo"},
	{"username", "string", "usernames", "Vector<Username>", "usernamesFromOne", "activeUsername"},
}

// counterpart finds the canonical field that the layer's field f maps to:
// the one with the same name, or a renamed one from the table.
func counterpart(cc *Ctor, f *Field) (*Field, *rename) {
	if cf := canonField(cc, f.P.Name); cf != nil {
		return cf, nil
	}
	for i := range renames {
		r := &renames[i]
		if r.oldName != f.P.Name || r.oldType != f.P.Type.String() {
			continue
		}
		if cf := canonField(cc, r.canonName); cf != nil && cf.P.Type.String() == r.canonType && canonField(cc, r.oldName) == nil {
			return cf, r
		}
	}
	return nil, nil
}
