package core

import (
	"encoding/json"
	"unicode/utf8"
)

// Kinds of reply markup a bot attaches to its message.
const (
	MarkupInline     = "inline"      // buttons under the message
	MarkupKeyboard   = "keyboard"    // a custom keyboard replacing the user's
	MarkupRemove     = "remove"      // removes a custom keyboard
	MarkupForceReply = "force_reply" // opens a reply to the message
)

// Kinds of button.
const (
	ButtonText             = "text" // keyboard: sends its text
	ButtonRequestPhone     = "request_phone"
	ButtonRequestLocation  = "request_location"
	ButtonCallback         = "callback" // inline: a callback query with Data
	ButtonURL              = "url"
	ButtonSwitchInline     = "switch_inline"         // Query in another chat
	ButtonSwitchInlineSame = "switch_inline_current" // Query in this chat
	ButtonCopyText         = "copy_text"
)

// Limits of reply markup, as the official server has them.
const (
	MaxCallbackData   = 64  // bytes of a button's callback data
	MaxButtonText     = 200 // bytes is what official clients show; longer is cut
	MaxKeyboardRows   = 100
	MaxButtonsPerRow  = 100
	MaxKeyboardButton = 200 // buttons in all
)

// Errors of reply markup, with the official strings.
var (
	ErrButtonDataInvalid  = bad("BUTTON_DATA_INVALID")
	ErrButtonTypeInvalid  = bad("BUTTON_TYPE_INVALID")
	ErrButtonURLInvalid   = bad("BUTTON_URL_INVALID")
	ErrButtonTextInvalid  = bad("BUTTON_TEXT_INVALID")
	ErrReplyMarkupInvalid = bad("REPLY_MARKUP_INVALID")
	ErrReplyMarkupTooLong = bad("REPLY_MARKUP_TOO_LONG")
)

// ReplyMarkup is a bot's keyboard attached to a message: inline buttons,
// a custom keyboard, its removal or a forced reply.
type ReplyMarkup struct {
	Kind string     `json:"k"`
	Rows [][]Button `json:"r,omitempty"`
	// Keyboard options.
	Resize     bool `json:"rs,omitempty"`
	SingleUse  bool `json:"su,omitempty"`
	Selective  bool `json:"se,omitempty"`
	Persistent bool `json:"pe,omitempty"`
	// Placeholder is the input field's hint (keyboard, force reply).
	Placeholder string `json:"ph,omitempty"`
}

// Button is one button of a reply markup.
type Button struct {
	Kind string `json:"k"`
	Text string `json:"t"`
	// Data is the callback data of a callback button.
	Data []byte `json:"d,omitempty"`
	// URL of a url button; Query of a switch-inline button; the copied
	// text of a copy button.
	URL   string `json:"u,omitempty"`
	Query string `json:"q,omitempty"`
}

// Check validates a markup as the official server does before storing it.
func (m *ReplyMarkup) Check() error {
	switch m.Kind {
	case MarkupRemove, MarkupForceReply:
		if len(m.Rows) != 0 {
			return ErrReplyMarkupInvalid
		}
		return nil
	case MarkupInline, MarkupKeyboard:
	default:
		return ErrReplyMarkupInvalid
	}
	if len(m.Rows) > MaxKeyboardRows {
		return ErrReplyMarkupTooLong
	}
	total := 0
	for _, row := range m.Rows {
		if len(row) > MaxButtonsPerRow {
			return ErrReplyMarkupTooLong
		}
		total += len(row)
		for _, b := range row {
			if err := b.check(m.Kind == MarkupInline); err != nil {
				return err
			}
		}
	}
	if total > MaxKeyboardButton {
		return ErrReplyMarkupTooLong
	}
	return nil
}

func (b *Button) check(inline bool) error {
	if b.Text == "" || !utf8.ValidString(b.Text) {
		return ErrButtonTextInvalid
	}
	switch b.Kind {
	case ButtonCallback:
		if !inline {
			return ErrButtonTypeInvalid
		}
		if len(b.Data) == 0 || len(b.Data) > MaxCallbackData {
			return ErrButtonDataInvalid
		}
	case ButtonURL:
		if !inline {
			return ErrButtonTypeInvalid
		}
		if !validButtonURL(b.URL) {
			return ErrButtonURLInvalid
		}
	case ButtonSwitchInline, ButtonSwitchInlineSame, ButtonCopyText:
		if !inline {
			return ErrButtonTypeInvalid
		}
	case ButtonText, ButtonRequestPhone, ButtonRequestLocation:
		if inline {
			return ErrButtonTypeInvalid
		}
	default:
		return ErrButtonTypeInvalid
	}
	return nil
}

// validButtonURL accepts the schemes official clients open from a button.
func validButtonURL(u string) bool {
	for _, p := range []string{"http://", "https://", "tg://", "ton://"} {
		if len(u) > len(p) && equalFoldASCII(u[:len(p)], p) {
			return true
		}
	}
	return false
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// CallbackButton finds the callback button of m whose data is data.
func (m *ReplyMarkup) CallbackButton(data []byte) (Button, bool) {
	if m == nil || m.Kind != MarkupInline {
		return Button{}, false
	}
	for _, row := range m.Rows {
		for _, b := range row {
			if b.Kind == ButtonCallback && string(b.Data) == string(data) {
				return b, true
			}
		}
	}
	return Button{}, false
}

// EncodeMarkup and DecodeMarkup are the stored form of reply markup; nil
// stands for none.
func EncodeMarkup(m *ReplyMarkup) []byte {
	if m == nil {
		return nil
	}
	b, _ := json.Marshal(m)
	return b
}

// DecodeMarkup reads markup stored by EncodeMarkup; nil when none.
func DecodeMarkup(b []byte) *ReplyMarkup {
	if len(b) == 0 {
		return nil
	}
	var m ReplyMarkup
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return &m
}
