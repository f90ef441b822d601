package api

import (
	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/tg"
)

// Entities travel as TL in MTProto and as core.Entity inside, named as
// the Bot API names them (bold, text_link, text_mention, ...).

// coreEntities converts a client's entities; kinds Roost does not keep
// are dropped, as unknown entities are.
func coreEntities(es []tg.MessageEntityClass) []core.Entity {
	out := make([]core.Entity, 0, len(es))
	for _, e := range es {
		var c core.Entity
		switch v := e.(type) {
		case *tg.MessageEntityBold:
			c = core.Entity{Type: "bold", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityItalic:
			c = core.Entity{Type: "italic", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityUnderline:
			c = core.Entity{Type: "underline", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityStrike:
			c = core.Entity{Type: "strikethrough", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntitySpoiler:
			c = core.Entity{Type: "spoiler", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityCode:
			c = core.Entity{Type: "code", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityPre:
			c = core.Entity{Type: "pre", Offset: v.Offset, Length: v.Length, Language: v.Language}
		case *tg.MessageEntityTextUrl:
			c = core.Entity{Type: "text_link", Offset: v.Offset, Length: v.Length, URL: v.URL}
		case *tg.MessageEntityMentionName:
			c = core.Entity{Type: "text_mention", Offset: v.Offset, Length: v.Length, UserID: v.UserID}
		case *tg.InputMessageEntityMentionName:
			u, _ := v.UserID.(*tg.InputUser)
			if u == nil {
				continue
			}
			c = core.Entity{Type: "text_mention", Offset: v.Offset, Length: v.Length, UserID: u.UserID}
		case *tg.MessageEntityMention:
			c = core.Entity{Type: "mention", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityHashtag:
			c = core.Entity{Type: "hashtag", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityCashtag:
			c = core.Entity{Type: "cashtag", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityBotCommand:
			c = core.Entity{Type: "bot_command", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityUrl:
			c = core.Entity{Type: "url", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityEmail:
			c = core.Entity{Type: "email", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityPhone:
			c = core.Entity{Type: "phone_number", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityBankCard:
			c = core.Entity{Type: "bank_card", Offset: v.Offset, Length: v.Length}
		case *tg.MessageEntityBlockquote:
			c = core.Entity{Type: "blockquote", Offset: v.Offset, Length: v.Length}
			if v.Collapsed {
				c.Type = "expandable_blockquote"
			}
		case *tg.MessageEntityCustomEmoji:
			c = core.Entity{Type: "custom_emoji", Offset: v.Offset, Length: v.Length, EmojiID: v.DocumentID}
		default:
			continue
		}
		out = append(out, c)
	}
	return out
}

// tgEntities converts stored entities for clients.
func tgEntities(es []core.Entity) []tg.MessageEntityClass {
	if len(es) == 0 {
		return nil
	}
	out := make([]tg.MessageEntityClass, 0, len(es))
	for _, e := range es {
		o, l := e.Offset, e.Length
		var t tg.MessageEntityClass
		switch e.Type {
		case "bold":
			t = &tg.MessageEntityBold{Offset: o, Length: l}
		case "italic":
			t = &tg.MessageEntityItalic{Offset: o, Length: l}
		case "underline":
			t = &tg.MessageEntityUnderline{Offset: o, Length: l}
		case "strikethrough":
			t = &tg.MessageEntityStrike{Offset: o, Length: l}
		case "spoiler":
			t = &tg.MessageEntitySpoiler{Offset: o, Length: l}
		case "code":
			t = &tg.MessageEntityCode{Offset: o, Length: l}
		case "pre":
			t = &tg.MessageEntityPre{Offset: o, Length: l, Language: e.Language}
		case "text_link":
			t = &tg.MessageEntityTextUrl{Offset: o, Length: l, URL: e.URL}
		case "text_mention":
			t = &tg.MessageEntityMentionName{Offset: o, Length: l, UserID: e.UserID}
		case "mention":
			t = &tg.MessageEntityMention{Offset: o, Length: l}
		case "hashtag":
			t = &tg.MessageEntityHashtag{Offset: o, Length: l}
		case "cashtag":
			t = &tg.MessageEntityCashtag{Offset: o, Length: l}
		case "bot_command":
			t = &tg.MessageEntityBotCommand{Offset: o, Length: l}
		case "url":
			t = &tg.MessageEntityUrl{Offset: o, Length: l}
		case "email":
			t = &tg.MessageEntityEmail{Offset: o, Length: l}
		case "phone_number":
			t = &tg.MessageEntityPhone{Offset: o, Length: l}
		case "bank_card":
			t = &tg.MessageEntityBankCard{Offset: o, Length: l}
		case "blockquote":
			t = &tg.MessageEntityBlockquote{Offset: o, Length: l}
		case "expandable_blockquote":
			t = &tg.MessageEntityBlockquote{Collapsed: true, Offset: o, Length: l}
		case "custom_emoji":
			t = &tg.MessageEntityCustomEmoji{Offset: o, Length: l, DocumentID: e.EmojiID}
		default:
			continue
		}
		out = append(out, t)
	}
	return out
}
