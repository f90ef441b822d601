package botapi

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/roostchat/roost/botapi/markup"
	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

// maxRawText is the most bytes of text the official server reads before
// parsing entities.
const maxRawText = 32768

// text reads a text parameter with its parse_mode or entities into the
// message text and entities.
func (c *call) text(name, modeName, entitiesName string) (string, []core.Entity, error) {
	text := c.p.get(name)
	if len(text) > maxRawText {
		return "", nil, errTextTooLong
	}
	if !utf8.ValidString(text) {
		return "", nil, errInvalidUTF8
	}
	var es []core.Entity
	if mode := c.p.get(modeName); mode != "" {
		t, parsed, err := markup.Parse(mode, text)
		if err != nil {
			return "", nil, badRequest(err.Error())
		}
		text = t
		for _, e := range parsed {
			if !entityTypes[e.Type] {
				continue // date_time: core keeps no such entity yet
			}
			es = append(es, core.Entity{Type: e.Type, Offset: e.Offset, Length: e.Length, URL: e.URL,
				UserID: e.UserID, Language: e.Language, EmojiID: parseInt(e.CustomEmojiID)})
		}
	} else {
		var err error
		if es, err = c.entities(entitiesName); err != nil {
			return "", nil, err
		}
	}
	if strings.TrimSpace(text) == "" {
		return "", nil, errTextEmpty
	}
	return text, es, nil
}

// replyTo reads reply_parameters (or the older reply_to_message_id): the
// bot's id of the message answered, 0 for none.
func (c *call) replyTo(peer store.Peer) (int32, error) {
	var rp struct {
		MessageID                int64 `json:"message_id"`
		AllowSendingWithoutReply bool  `json:"allow_sending_without_reply"`
	}
	if raw := c.p.get("reply_parameters"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &rp); err != nil {
			return 0, badRequest("can't parse reply parameters JSON object")
		}
	} else {
		rp.MessageID = c.p.int64("reply_to_message_id", 0)
		rp.AllowSendingWithoutReply = c.p.bool("allow_sending_without_reply")
	}
	if rp.MessageID == 0 {
		return 0, nil
	}
	m, err := c.s.Core.Store.Boxes().Message(c.ctx, c.bot.ID, int32(min(max(rp.MessageID, 0), 1<<31-1)))
	if err != nil || m.Peer != peer || rp.MessageID <= 0 {
		if rp.AllowSendingWithoutReply {
			return 0, nil
		}
		return 0, errReplyNotFound
	}
	return m.ID, nil
}

func sendMessage(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	text, es, err := c.text("text", "parse_mode", "entities")
	if err != nil {
		return nil, err
	}
	rm, err := replyMarkup(c.p)
	if err != nil {
		return nil, err
	}
	reply, err := c.replyTo(peer)
	if err != nil {
		return nil, err
	}
	sent, err := c.s.Core.SendMessage(c.ctx, core.Send{From: c.bot.ID, To: peer, Text: text, Entities: es,
		ReplyTo: reply, Silent: c.p.bool("disable_notification"), NoForwards: c.p.bool("protect_content"),
		ReplyMarkup: rm})
	if err != nil {
		return nil, err
	}
	return newView(c).message(sent.Message, 0), nil
}

func forwardMessage(c *call) (any, error) {
	msgs, err := forward(c, []int32{int32(min(max(c.p.int64("message_id", 0), 0), 1<<31-1))})
	if err != nil {
		return nil, err
	}
	return newView(c).message(msgs[0], 0), nil
}

func forwardMessages(c *call) (any, error) {
	ids, err := messageIDs(c.p, "message_ids")
	if err != nil {
		return nil, err
	}
	msgs, err := forward(c, ids)
	if err != nil {
		return nil, err
	}
	out := make([]MessageID, len(msgs))
	for i, m := range msgs {
		out[i] = MessageID{m.ID}
	}
	return out, nil
}

// messageIDs reads a JSON list of 1-100 message ids.
func messageIDs(p *params, name string) ([]int32, error) {
	var ids []int64
	if err := json.Unmarshal([]byte(p.get(name)), &ids); err != nil {
		return nil, badRequest("can't parse message identifiers JSON object")
	}
	if len(ids) == 0 || len(ids) > core.MaxForward {
		return nil, badRequest("too many message identifiers specified")
	}
	out := make([]int32, len(ids))
	for i, id := range ids {
		out[i] = int32(min(max(id, 0), 1<<31-1))
	}
	return out, nil
}

func forward(c *call, ids []int32) ([]store.Message, error) {
	to, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	from, err := c.peer("from_chat_id")
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if m, err := c.s.Core.Store.Boxes().Message(c.ctx, c.bot.ID, id); err != nil || m.Peer != from || m.Action != nil {
			return nil, errForwardNotFound
		}
	}
	rnd := make([]int64, len(ids))
	for i := range rnd {
		rnd[i] = c.s.Core.NewRandomID()
	}
	res, err := c.s.Core.ForwardMessages(c.ctx, core.Forward{From: c.bot.ID, FromPeer: from, ToPeer: to, IDs: ids,
		RandomIDs: rnd, Silent: c.p.bool("disable_notification"), NoForwards: c.p.bool("protect_content")})
	if errors.Is(err, core.ErrMessageIDInvalid) {
		return nil, errForwardNotFound
	}
	if err != nil {
		return nil, err
	}
	if len(res.Messages) == 0 {
		return nil, errForwardNotFound
	}
	return res.Messages, nil
}

// copyMessage sends a message's text again, without a link to the
// original.
func copyMessage(c *call) (any, error) {
	to, from, err := copyPeers(c)
	if err != nil {
		return nil, err
	}
	m, err := copyOne(c, to, from, c.p.int64("message_id", 0))
	if err != nil {
		return nil, err
	}
	return MessageID{m.ID}, nil
}

func copyMessages(c *call) (any, error) {
	to, from, err := copyPeers(c)
	if err != nil {
		return nil, err
	}
	ids, err := messageIDs(c.p, "message_ids")
	if err != nil {
		return nil, err
	}
	out := make([]MessageID, 0, len(ids))
	for _, id := range ids {
		m, err := copyOne(c, to, from, int64(id))
		if err != nil {
			return nil, err
		}
		out = append(out, MessageID{m.ID})
	}
	return out, nil
}

func copyPeers(c *call) (to, from store.Peer, err error) {
	if to, err = c.peer("chat_id"); err == nil {
		from, err = c.peer("from_chat_id")
	}
	return to, from, err
}

// copyOne sends the text of the bot's message id of from to to.
func copyOne(c *call, to, from store.Peer, id int64) (store.Message, error) {
	src, err := c.s.Core.Store.Boxes().Message(c.ctx, c.bot.ID, int32(min(max(id, 0), 1<<31-1)))
	if err != nil || src.Peer != from || id <= 0 {
		return store.Message{}, errCopyNotFound
	}
	if src.Action != nil || src.Media != nil {
		return store.Message{}, badRequest("message can't be copied")
	}
	rm, err := replyMarkup(c.p)
	if err != nil {
		return store.Message{}, err
	}
	reply, err := c.replyTo(to)
	if err != nil {
		return store.Message{}, err
	}
	sent, err := c.s.Core.SendMessage(c.ctx, core.Send{From: c.bot.ID, To: to, Text: src.Text,
		Entities: core.DecodeEntities(src.Entities), ReplyTo: reply, Silent: c.p.bool("disable_notification"),
		NoForwards: c.p.bool("protect_content"), ReplyMarkup: rm})
	return sent.Message, err
}

// editTarget finds the message an edit names, with the new reply markup;
// inline messages (inline_message_id) do not exist here.
func editTarget(c *call) (core.Edit, error) {
	if c.p.get("inline_message_id") != "" {
		return core.Edit{}, badRequest("MESSAGE_ID_INVALID")
	}
	peer, err := c.peer("chat_id")
	if err != nil {
		return core.Edit{}, err
	}
	m, err := c.message(peer, "message_id", errEditNotFound)
	if err != nil {
		return core.Edit{}, err
	}
	rm, err := replyMarkup(c.p)
	if err != nil {
		return core.Edit{}, err
	}
	return core.Edit{Editor: c.bot.ID, Peer: peer, ID: m.ID, Markup: rm, SetMarkup: true}, nil
}

func editMessageText(c *call) (any, error) {
	e, err := editTarget(c)
	if err != nil {
		return nil, err
	}
	text, es, err := c.text("text", "parse_mode", "entities")
	if err != nil {
		return nil, err
	}
	e.Text, e.Entities = &text, es
	return edit(c, e)
}

func editMessageReplyMarkup(c *call) (any, error) {
	e, err := editTarget(c)
	if err != nil {
		return nil, err
	}
	return edit(c, e)
}

func edit(c *call, e core.Edit) (any, error) {
	if e.Markup != nil && e.Markup.Kind != core.MarkupInline {
		return nil, badRequest("inline keyboard expected")
	}
	m, _, err := c.s.Core.Edit(c.ctx, e)
	if errors.Is(err, core.ErrMessageIDInvalid) {
		return nil, errEditNotFound
	}
	if err != nil {
		return nil, err
	}
	return newView(c).message(m, 0), nil
}

func deleteMessage(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	m, err := c.message(peer, "message_id", errDeleteNotFound)
	if err != nil {
		return nil, err
	}
	if !deletable(c, m) {
		return nil, errCantDelete
	}
	if _, err := c.s.Core.DeleteMessages(c.ctx, c.bot.ID, []int32{m.ID}, true, core.Origin{}); err != nil {
		return nil, err
	}
	return true, nil
}

// deletable applies the Bot API's rule: a bot deletes any message of a
// private chat and its own messages in groups, within 48 hours.
func deletable(c *call, m store.Message) bool {
	if c.s.Core.Time().Sub(m.Date) > core.EditTimeLimit {
		return false
	}
	return m.Peer.Kind == store.PeerUser || m.FromID == c.bot.ID
}

func deleteMessages(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	ids, err := messageIDs(c.p, "message_ids")
	if err != nil {
		return nil, err
	}
	var ok []int32
	for _, id := range ids {
		m, err := c.s.Core.Store.Boxes().Message(c.ctx, c.bot.ID, id)
		if err == nil && m.Peer == peer && deletable(c, m) {
			ok = append(ok, id)
		}
	}
	if len(ok) > 0 {
		if _, err := c.s.Core.DeleteMessages(c.ctx, c.bot.ID, ok, true, core.Origin{}); err != nil {
			return nil, err
		}
	}
	return true, nil
}

// chatActions are sendChatAction's actions.
var chatActions = map[string]bool{"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true, "choose_sticker": true,
	"find_location": true, "record_video_note": true, "upload_video_note": true}

func sendChatAction(c *call) (any, error) {
	peer, err := c.peer("chat_id")
	if err != nil {
		return nil, err
	}
	action := c.p.get("action")
	if !chatActions[action] {
		return nil, errBadAction
	}
	if err := c.s.Core.SetTyping(c.ctx, c.bot.ID, peer, action); err != nil {
		return nil, err
	}
	return true, nil
}
