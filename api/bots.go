package api

import (
	"context"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/tg"
)

// registerBots mounts what users do with bots: pressing inline buttons.
func registerBots(srv *tg.Server, cfg Config) {
	m := &msgs{cfg: cfg}
	srv.OnMessagesGetBotCallbackAnswer(m.getBotCallbackAnswer)
	srv.OnMessagesSetBotCallbackAnswer(m.setBotCallbackAnswer)
}

// setBotCallbackAnswer is a bot logged in over MTProto answering a
// button press.
func (m *msgs) setBotCallbackAnswer(ctx context.Context, req *tg.MessagesSetBotCallbackAnswerRequest) (bool, error) {
	bot, err := viewer(ctx)
	if err != nil {
		return false, err
	}
	if !m.cfg.Core.IsBot(ctx, bot) {
		return false, core.ErrQueryIDInvalid
	}
	err = m.cfg.Core.AnswerCallback(bot, req.QueryID, core.CallbackAnswer{Text: req.Message, Alert: req.Alert,
		URL: req.URL, CacheTime: req.CacheTime})
	return err == nil, err
}

// getBotCallbackAnswer presses a callback button and waits for the
// bot's answer.
func (m *msgs) getBotCallbackAnswer(ctx context.Context, req *tg.MessagesGetBotCallbackAnswerRequest) (*tg.MessagesBotCallbackAnswer, error) {
	viewer, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if req.Game || req.Password != nil {
		return nil, core.ErrDataInvalid // games and password buttons do not exist here
	}
	peer, err := m.inputPeer(ctx, viewer, req.Peer)
	if err != nil {
		return nil, err
	}
	a, err := m.cfg.Core.PressButton(ctx, viewer, peer, req.MsgID, req.Data)
	if err != nil {
		return nil, err
	}
	return &tg.MessagesBotCallbackAnswer{Alert: a.Alert, Message: a.Text, URL: a.URL, HasURL: a.URL != "",
		CacheTime: a.CacheTime}, nil
}

// replyMarkup converts a bot's keyboard for MTProto clients.
func replyMarkup(m *core.ReplyMarkup) tg.ReplyMarkupClass {
	if m == nil {
		return nil
	}
	switch m.Kind {
	case core.MarkupRemove:
		return &tg.ReplyKeyboardHide{Selective: m.Selective}
	case core.MarkupForceReply:
		return &tg.ReplyKeyboardForceReply{Selective: m.Selective, Placeholder: m.Placeholder}
	case core.MarkupKeyboard:
		rows := make([]tg.KeyboardButtonRow, 0, len(m.Rows))
		for _, r := range m.Rows {
			row := tg.KeyboardButtonRow{Buttons: make([]tg.KeyboardButton, 0, len(r))}
			for _, b := range r {
				row.Buttons = append(row.Buttons, tg.KeyboardButton{Text: b.Text, Type: buttonType(b)})
			}
			rows = append(rows, row)
		}
		return &tg.ReplyKeyboardMarkup{Resize: m.Resize, SingleUse: m.SingleUse, Selective: m.Selective,
			Persistent: m.Persistent, Rows: rows, Placeholder: m.Placeholder}
	case core.MarkupInline:
		rows := make([]tg.KeyboardInlineButtonRow, 0, len(m.Rows))
		for _, r := range m.Rows {
			row := tg.KeyboardInlineButtonRow{Buttons: make([]tg.KeyboardInlineButton, 0, len(r))}
			for _, b := range r {
				row.Buttons = append(row.Buttons, tg.KeyboardInlineButton{Text: b.Text, Type: inlineButtonType(b)})
			}
			rows = append(rows, row)
		}
		return &tg.ReplyInlineMarkup{Rows: rows}
	}
	return nil
}

func buttonType(b core.Button) tg.ButtonTypeClass {
	switch b.Kind {
	case core.ButtonRequestPhone:
		return &tg.ButtonTypeRequestPhone{}
	case core.ButtonRequestLocation:
		return &tg.ButtonTypeRequestGeoLocation{}
	}
	return &tg.ButtonTypeDefault{}
}

func inlineButtonType(b core.Button) tg.InlineButtonTypeClass {
	switch b.Kind {
	case core.ButtonCallback:
		return &tg.InlineButtonTypeCallback{Data: b.Data}
	case core.ButtonURL:
		return &tg.InlineButtonTypeUrl{URL: b.URL}
	case core.ButtonSwitchInline:
		return &tg.InlineButtonTypeSwitchInline{Query: b.Query}
	case core.ButtonSwitchInlineSame:
		return &tg.InlineButtonTypeSwitchInline{SamePeer: true, Query: b.Query}
	case core.ButtonCopyText:
		return &tg.InlineButtonTypeCopy{CopyText: b.Query}
	}
	return &tg.InlineButtonTypeDisabled{}
}

// coreMarkup converts the reply markup a bot sends over MTProto; buttons
// Roost cannot serve make BUTTON_TYPE_INVALID.
func coreMarkup(in tg.ReplyMarkupClass) (*core.ReplyMarkup, error) {
	switch m := in.(type) {
	case nil:
		return nil, nil
	case *tg.ReplyKeyboardHide:
		return &core.ReplyMarkup{Kind: core.MarkupRemove, Selective: m.Selective}, nil
	case *tg.ReplyKeyboardForceReply:
		return &core.ReplyMarkup{Kind: core.MarkupForceReply, Selective: m.Selective, Placeholder: m.Placeholder}, nil
	case *tg.ReplyKeyboardMarkup:
		out := &core.ReplyMarkup{Kind: core.MarkupKeyboard, Resize: m.Resize, SingleUse: m.SingleUse,
			Selective: m.Selective, Persistent: m.Persistent, Placeholder: m.Placeholder}
		for _, r := range m.Rows {
			var row []core.Button
			for _, b := range r.Buttons {
				kind := core.ButtonText
				switch b.Type.(type) {
				case *tg.ButtonTypeDefault, nil:
				case *tg.ButtonTypeRequestPhone:
					kind = core.ButtonRequestPhone
				case *tg.ButtonTypeRequestGeoLocation:
					kind = core.ButtonRequestLocation
				default:
					return nil, core.ErrButtonTypeInvalid
				}
				row = append(row, core.Button{Kind: kind, Text: b.Text})
			}
			out.Rows = append(out.Rows, row)
		}
		return out, nil
	case *tg.ReplyInlineMarkup:
		out := &core.ReplyMarkup{Kind: core.MarkupInline}
		for _, r := range m.Rows {
			var row []core.Button
			for _, b := range r.Buttons {
				btn := core.Button{Text: b.Text}
				switch t := b.Type.(type) {
				case *tg.InlineButtonTypeCallback:
					btn.Kind, btn.Data = core.ButtonCallback, t.Data
				case *tg.InlineButtonTypeUrl:
					btn.Kind, btn.URL = core.ButtonURL, t.URL
				case *tg.InlineButtonTypeSwitchInline:
					btn.Kind, btn.Query = core.ButtonSwitchInline, t.Query
					if t.SamePeer {
						btn.Kind = core.ButtonSwitchInlineSame
					}
				case *tg.InlineButtonTypeCopy:
					btn.Kind, btn.Query = core.ButtonCopyText, t.CopyText
				default:
					return nil, core.ErrButtonTypeInvalid
				}
				row = append(row, btn)
			}
			out.Rows = append(out.Rows, row)
		}
		if len(out.Rows) == 0 {
			return nil, nil
		}
		return out, nil
	}
	return nil, core.ErrReplyMarkupInvalid
}
