package botfather

import (
	"strconv"
	"strings"

	"github.com/roostchat/roost/core"
)

// reply is a message BotFather is about to send: text, entities with
// UTF-16 offsets, and a keyboard. Commands and @mentions in the text get
// their entities from core.
type reply struct {
	b        strings.Builder
	n        int32 // length of b in UTF-16 code units
	entities []core.Entity
	markup   *core.ReplyMarkup
}

// say starts a reply with plain text.
func say(s string) *reply { return new(reply).text(s) }

// text appends plain text.
func (r *reply) text(s string) *reply {
	r.b.WriteString(s)
	r.n += core.UTF16Len(s)
	return r
}

// entity appends s as an entity of kind typ (url is that of a
// text_link).
func (r *reply) entity(typ, s, url string) *reply {
	r.entities = append(r.entities, core.Entity{Type: typ, Offset: r.n, Length: core.UTF16Len(s), URL: url})
	return r.text(s)
}

// code appends s in monospace, as tokens are shown.
func (r *reply) code(s string) *reply { return r.entity("code", s, "") }

// url appends a link that shows itself.
func (r *reply) url(s string) *reply { return r.entity("url", s, "") }

// link appends s linking to url.
func (r *reply) link(s, url string) *reply { return r.entity("text_link", s, url) }

// hideKeyboard removes the reply keyboard a question showed.
func (r *reply) hideKeyboard() *reply {
	r.markup = &core.ReplyMarkup{Kind: core.MarkupRemove}
	return r
}

// keyboard shows a reply keyboard with one button per text, two a row.
func (r *reply) keyboard(texts []string) *reply {
	m := &core.ReplyMarkup{Kind: core.MarkupKeyboard, Resize: true, SingleUse: true}
	for i, t := range texts {
		if i%2 == 0 {
			m.Rows = append(m.Rows, nil)
		}
		m.Rows[len(m.Rows)-1] = append(m.Rows[len(m.Rows)-1], core.Button{Kind: core.ButtonText, Text: t})
	}
	r.markup = m
	return r
}

// button is an inline callback button.
type button struct {
	text string
	data string
}

// buttons shows inline callback buttons, in the rows given.
func (r *reply) buttons(rows ...[]button) *reply {
	m := &core.ReplyMarkup{Kind: core.MarkupInline}
	for _, row := range rows {
		var out []core.Button
		for _, b := range row {
			out = append(out, core.Button{Kind: core.ButtonCallback, Text: b.text, Data: []byte(b.data)})
		}
		m.Rows = append(m.Rows, out)
	}
	r.markup = m
	return r
}

// action names the callback data of a button acting on a bot:
// "verb:botID".
func action(verb string, bot int64) string { return verb + ":" + strconv.FormatInt(bot, 10) }

// parseAction reads callback data made by action.
func parseAction(data []byte) (verb string, bot int64, ok bool) {
	v, id, ok := strings.Cut(string(data), ":")
	if !ok {
		return "", 0, false
	}
	bot, err := strconv.ParseInt(id, 10, 64)
	return v, bot, err == nil && bot > 0
}
