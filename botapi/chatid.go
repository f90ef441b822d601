package botapi

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

// peer resolves a chat_id parameter: a user id, minus a group id, or a
// public @username.
func (c *call) peer(name string) (store.Peer, error) {
	raw := strings.TrimSpace(c.p.get(name))
	if raw == "" {
		return store.Peer{}, errChatIDEmpty
	}
	if strings.HasPrefix(raw, "@") {
		u, err := c.s.Core.ResolveUsername(c.ctx, raw[1:])
		if err != nil {
			return store.Peer{}, errChatNotFound
		}
		c.remember(u)
		return store.Peer{Kind: store.PeerUser, ID: u.ID}, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id == 0 {
		return store.Peer{}, errChatNotFound
	}
	if id > 0 {
		u, err := c.s.Core.User(c.ctx, id)
		if err != nil {
			return store.Peer{}, errChatNotFound
		}
		c.remember(u)
		return store.Peer{Kind: store.PeerUser, ID: id}, nil
	}
	if _, err := c.s.Core.Store.Chats().Get(c.ctx, -id); err != nil {
		return store.Peer{}, errChatNotFound
	}
	return store.Peer{Kind: store.PeerChat, ID: -id}, nil
}

// userID reads a user_id parameter.
func (c *call) userID(name string) (int64, error) {
	id := c.p.int64(name, 0)
	if id <= 0 {
		return 0, errInvalidUserID
	}
	if _, err := c.s.Core.User(c.ctx, id); err != nil {
		return 0, errUserNotFound
	}
	return id, nil
}

// messageID reads a message id parameter of the bot's box in peer.
func (c *call) message(peer store.Peer, name string, notFound *Error) (store.Message, error) {
	id := c.p.int64(name, 0)
	if id <= 0 || id > 1<<31-1 {
		return store.Message{}, notFound
	}
	m, err := c.s.Core.Store.Boxes().Message(c.ctx, c.bot.ID, int32(id))
	if errors.Is(err, store.ErrNotFound) || err == nil && m.Peer != peer {
		return store.Message{}, notFound
	}
	return m, err
}

// entityJSON is a MessageEntity as a request gives it.
type entityJSON struct {
	Type   string `json:"type"`
	Offset int32  `json:"offset"`
	Length int32  `json:"length"`
	URL    string `json:"url"`
	User   *struct {
		ID int64 `json:"id"`
	} `json:"user"`
	Language      string `json:"language"`
	CustomEmojiID string `json:"custom_emoji_id"`
}

// entityTypes are the entity types a bot may give.
var entityTypes = map[string]bool{"mention": true, "hashtag": true, "cashtag": true, "bot_command": true,
	"url": true, "email": true, "phone_number": true, "bold": true, "italic": true, "underline": true,
	"strikethrough": true, "spoiler": true, "blockquote": true, "expandable_blockquote": true, "code": true,
	"pre": true, "text_link": true, "text_mention": true, "custom_emoji": true}

// entities reads a JSON-serialized list of MessageEntity.
func (c *call) entities(name string) ([]core.Entity, error) {
	raw := c.p.get(name)
	if raw == "" {
		return nil, nil
	}
	var in []entityJSON
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		return nil, badRequest("can't parse entities JSON object")
	}
	out := make([]core.Entity, 0, len(in))
	for _, e := range in {
		if !entityTypes[e.Type] {
			return nil, badRequest("can't parse MessageEntity: Unsupported type specified")
		}
		ce := core.Entity{Type: e.Type, Offset: e.Offset, Length: e.Length, URL: e.URL, Language: e.Language}
		if e.Type == "text_mention" {
			if e.User == nil {
				return nil, badRequest(`can't parse MessageEntity: Field "user" must be of type Object`)
			}
			ce.UserID = e.User.ID
		}
		if e.Type == "custom_emoji" {
			ce.EmojiID, _ = strconv.ParseInt(e.CustomEmojiID, 10, 64)
		}
		out = append(out, ce)
	}
	return out, nil
}
