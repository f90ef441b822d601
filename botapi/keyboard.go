package botapi

import (
	"bytes"
	"encoding/json"

	"github.com/roostchat/roost/core"
)

// Texts of malformed reply markup, as the official server words them.
var (
	errMarkupObject   = badRequest("Object expected as reply markup")
	errInlineRows     = badRequest(`Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array`)
	errInlineRow      = badRequest(`Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays`)
	errKeyboardRows   = badRequest(`Field "keyboard" of the ReplyKeyboardMarkup must be an Array`)
	errKeyboardRow    = badRequest(`Field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays`)
	errInlineButton   = badRequest("Can't parse inline keyboard button: InlineKeyboardButton must be an Object")
	errKeyboardButton = badRequest("Can't parse keyboard button: KeyboardButton must be a String or an Object")
	errTextButton     = badRequest("Can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	errButtonText     = badRequest(`Can't parse inline keyboard button: Field "text" must be of type String`)
)

// replyMarkup reads the reply_markup parameter; nil when absent.
func replyMarkup(p *params) (*core.ReplyMarkup, error) {
	raw := p.get("reply_markup")
	if raw == "" {
		return nil, nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, errBadMarkupJSON
	}
	return parseMarkup(v)
}

// parseMarkup reads one of the four markup objects.
func parseMarkup(v any) (*core.ReplyMarkup, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errMarkupObject
	}
	var m *core.ReplyMarkup
	var err error
	switch {
	case obj["inline_keyboard"] != nil:
		m, err = inlineKeyboard(obj["inline_keyboard"])
	case obj["keyboard"] != nil:
		m, err = keyboard(obj)
	case truthy(obj["remove_keyboard"]) || truthy(obj["hide_keyboard"]):
		m = &core.ReplyMarkup{Kind: core.MarkupRemove, Selective: truthy(obj["selective"])}
	case truthy(obj["force_reply"]):
		m = &core.ReplyMarkup{Kind: core.MarkupForceReply, Selective: truthy(obj["selective"]),
			Placeholder: str(obj["input_field_placeholder"])}
	default:
		return nil, nil // an object of none of them sends no markup
	}
	if err != nil {
		return nil, err
	}
	if m.Kind == core.MarkupInline && len(m.Rows) == 0 {
		return nil, nil // an empty inline keyboard is no keyboard
	}
	return m, nil
}

func inlineKeyboard(v any) (*core.ReplyMarkup, error) {
	rows, ok := v.([]any)
	if !ok {
		return nil, errInlineRows
	}
	m := &core.ReplyMarkup{Kind: core.MarkupInline}
	for _, r := range rows {
		row, ok := r.([]any)
		if !ok {
			return nil, errInlineRow
		}
		var out []core.Button
		for _, b := range row {
			btn, err := inlineButton(b)
			if err != nil {
				return nil, err
			}
			out = append(out, btn)
		}
		if len(out) > 0 {
			m.Rows = append(m.Rows, out)
		}
	}
	return m, nil
}

func inlineButton(v any) (core.Button, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return core.Button{}, errInlineButton
	}
	text, ok := obj["text"].(string)
	if !ok {
		return core.Button{}, errButtonText
	}
	b := core.Button{Text: text}
	switch {
	case obj["url"] != nil:
		b.Kind, b.URL = core.ButtonURL, str(obj["url"])
	case obj["callback_data"] != nil:
		b.Kind, b.Data = core.ButtonCallback, []byte(str(obj["callback_data"]))
	case obj["switch_inline_query"] != nil:
		b.Kind, b.Query = core.ButtonSwitchInline, str(obj["switch_inline_query"])
	case obj["switch_inline_query_current_chat"] != nil:
		b.Kind, b.Query = core.ButtonSwitchInlineSame, str(obj["switch_inline_query_current_chat"])
	case obj["copy_text"] != nil:
		ct, _ := obj["copy_text"].(map[string]any)
		b.Kind, b.Query = core.ButtonCopyText, str(ct["text"])
	case obj["login_url"] != nil, obj["web_app"] != nil, obj["callback_game"] != nil, obj["pay"] != nil,
		obj["switch_inline_query_chosen_chat"] != nil:
		return core.Button{}, badRequest("BUTTON_TYPE_INVALID")
	default:
		return core.Button{}, errTextButton
	}
	return b, nil
}

func keyboard(obj map[string]any) (*core.ReplyMarkup, error) {
	rows, ok := obj["keyboard"].([]any)
	if !ok {
		return nil, errKeyboardRows
	}
	m := &core.ReplyMarkup{Kind: core.MarkupKeyboard, Resize: truthy(obj["resize_keyboard"]),
		SingleUse: truthy(obj["one_time_keyboard"]), Selective: truthy(obj["selective"]),
		Persistent: truthy(obj["is_persistent"]), Placeholder: str(obj["input_field_placeholder"])}
	for _, r := range rows {
		row, ok := r.([]any)
		if !ok {
			return nil, errKeyboardRow
		}
		var out []core.Button
		for _, b := range row {
			switch b := b.(type) {
			case string:
				out = append(out, core.Button{Kind: core.ButtonText, Text: b})
			case map[string]any:
				text, ok := b["text"].(string)
				if !ok {
					return nil, badRequest(`Can't parse keyboard button: Field "text" must be of type String`)
				}
				btn := core.Button{Kind: core.ButtonText, Text: text}
				if truthy(b["request_contact"]) {
					btn.Kind = core.ButtonRequestPhone
				} else if truthy(b["request_location"]) {
					btn.Kind = core.ButtonRequestLocation
				}
				out = append(out, btn)
			default:
				return nil, errKeyboardButton
			}
		}
		if len(out) > 0 {
			m.Rows = append(m.Rows, out)
		}
	}
	return m, nil
}

func truthy(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return v == "true" || v == "1"
	case json.Number:
		return v.String() != "0"
	}
	return false
}

func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}
