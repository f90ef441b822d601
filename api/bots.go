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
