package botfather

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

// pick finds the bot the user named ("@username" or "username") among
// the bots they own.
func (b *BotFather) pick(t *turn, text string) (store.User, bool) {
	name := strings.TrimPrefix(strings.TrimSpace(text), "@")
	bots, err := b.Core.BotsOf(t.ctx, t.user)
	if err != nil || name == "" {
		return store.User{}, false
	}
	for _, u := range bots {
		if strings.EqualFold(u.Username, name) {
			return u, true
		}
	}
	return store.User{}, false
}

// owned returns bot id if the user owns it.
func (b *BotFather) owned(t *turn, id int64) (store.User, bool) {
	u, err := b.Core.User(t.ctx, id)
	if err != nil || !u.Bot || u.BotOwnerID != t.user || t.user == 0 {
		return store.User{}, false
	}
	return u, true
}

// chosen goes on with a command once the user chose its bot, from the
// keyboard or (fromButton) from /mybots' buttons.
func (b *BotFather) chosen(t *turn, cmd string, bot store.User, fromButton bool) {
	b.clearConv(t.user)
	switch cmd {
	case "/token":
		b.showToken(t, bot, fromButton)
	case "/revoke":
		token, err := b.Core.RevokeBotToken(t.ctx, bot.ID)
		if err != nil {
			t.failed("revoke token", err)
			return
		}
		b.Log.Info("botfather: token revoked", "bot", bot.ID, "owner", t.user)
		t.send(say(textRevoked).code(token).text(textTokenAPI).url(urlBotAPI).hideKeyboard())
	case "/setcommands":
		b.ask(t, cmd, bot, textAskCommands)
	case "/setdescription":
		b.ask(t, cmd, bot, textAskDesc)
	case "/setabouttext":
		b.ask(t, cmd, bot, textAskAbout)
	case "/setname":
		b.ask(t, cmd, bot, textAskName)
	case "/deletebot":
		b.setConv(t.user, conv{cmd: cmd, step: stepConfirm, bot: bot.ID})
		t.send(say(fmt.Sprintf(textAskDelete, bot.Username)).hideKeyboard())
	}
}

// ask asks for what cmd sets on bot.
func (b *BotFather) ask(t *turn, cmd string, bot store.User, question string) {
	b.setConv(t.user, conv{cmd: cmd, step: stepInput, bot: bot.ID})
	t.send(say(question).hideKeyboard())
}

// showToken shows the bot's current token; from /mybots, with a button
// to revoke it.
func (b *BotFather) showToken(t *turn, bot store.User, fromButton bool) {
	token, err := b.Core.BotToken(t.ctx, bot.ID)
	if errors.Is(err, core.ErrTokenUnavailable) {
		t.send(say(fmt.Sprintf(textTokenLost, bot.Username)).hideKeyboard())
		return
	} else if err != nil {
		t.failed("show token", err)
		return
	}
	r := say(textToken).code(token).text(textTokenAPI).url(urlBotAPI)
	if fromButton {
		r.buttons([]button{{buttonRevoke, action("revoke", bot.ID)}}, []button{{buttonBack, "mybots"}})
	} else {
		r.hideKeyboard()
	}
	t.send(r)
}

// input takes what a command sets ("" for /empty).
func (b *BotFather) input(t *turn, cv conv, text string) {
	bot, ok := b.owned(t, cv.bot)
	if !ok { // deleted or given away meanwhile
		b.clearConv(t.user)
		t.send(say(textInvalidBot))
		return
	}
	var (
		err  error
		bad  string
		done string
	)
	switch cv.cmd {
	case "/setcommands":
		bad, done = textBadCommands, textCommandsDone
		cmds, ok := parseCommands(text)
		if !ok {
			err = core.ErrBotCommandInvalid
			break
		}
		err = b.Core.SetBotCommands(t.ctx, bot.ID, core.ScopeDefault, "", cmds)
	case "/setdescription":
		bad, done = textBadDesc, textDescDone
		err = b.Core.SetBotText(t.ctx, bot.ID, core.TextDescription, "", text)
	case "/setabouttext":
		bad, done = textBadAbout, textAboutDone
		err = b.Core.SetBotText(t.ctx, bot.ID, core.TextShortDescription, "", text)
	case "/setname":
		bad, done = textBadName, textNameDone
		if text == "" || utf8.RuneCountInString(text) > core.MaxBotName {
			err = core.ErrFirstNameInvalid
			break
		}
		// As the Bot API's setMyName does: the name for all languages is
		// the account's first name.
		if err = b.Core.SetBotText(t.ctx, bot.ID, core.TextName, "", text); err == nil {
			_, err = b.Core.UpdateProfile(t.ctx, bot.ID, &text, nil, nil)
		}
	default:
		b.clearConv(t.user)
		return
	}
	var ce *core.Error
	switch {
	case errors.As(err, &ce) && ce.Code == 400:
		t.send(say(bad)) // the question stands: the user may try again
	case err != nil:
		b.clearConv(t.user)
		t.failed("set "+strings.TrimPrefix(cv.cmd, "/set"), err)
	default:
		b.clearConv(t.user)
		t.send(say(done))
	}
}

// parseCommands reads lines "command - Description" (a leading "/" is
// allowed). "" is the empty list (/empty).
func parseCommands(text string) ([]store.BotCommand, bool) {
	var out []store.BotCommand
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		cmd, desc, ok := strings.Cut(line, "-")
		cmd = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(cmd), "/"))
		desc = strings.TrimSpace(desc)
		if !ok || cmd == "" || desc == "" {
			return nil, false
		}
		out = append(out, store.BotCommand{Command: cmd, Description: desc})
	}
	return out, true
}

// confirmDelete deletes the bot once the user sent the phrase.
func (b *BotFather) confirmDelete(t *turn, cv conv, text string) {
	if text != confirmDelete {
		t.send(say(textBadConfirm))
		return
	}
	b.clearConv(t.user)
	bot, ok := b.owned(t, cv.bot)
	if !ok {
		t.send(say(textInvalidBot))
		return
	}
	if err := b.Core.DeleteBot(t.ctx, bot.ID); err != nil {
		t.failed("delete bot", err)
		return
	}
	b.Log.Info("botfather: bot deleted", "bot", bot.ID, "owner", t.user)
	t.send(say(textDeleted))
}

// myBots lists the user's bots on inline buttons.
func (b *BotFather) myBots(t *turn) {
	bots, err := b.Core.BotsOf(t.ctx, t.user)
	if err != nil {
		t.failed("list bots", err)
		return
	}
	if len(bots) == 0 {
		t.send(say(textNoBots).hideKeyboard())
		return
	}
	var rows [][]button
	for i, u := range bots {
		if i%2 == 0 {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], button{"@" + u.Username, action("bot", u.ID)})
	}
	t.send(say(textChooseMyBots).buttons(rows...))
}

// buttonCommands are the verbs of /mybots' buttons that go on as the
// command of the same name after the bot was chosen.
var buttonCommands = map[string]bool{
	"token": true, "revoke": true, "setcommands": true, "setdescription": true,
	"setabouttext": true, "setname": true, "deletebot": true,
}

// onButton answers a press of one of /mybots' buttons.
func (b *BotFather) onButton(t *turn, data []byte) {
	if string(data) == "mybots" {
		b.clearConv(t.user)
		b.myBots(t)
		return
	}
	verb, id, ok := parseAction(data)
	if !ok {
		return
	}
	bot, ok := b.owned(t, id)
	if !ok {
		t.send(say(textInvalidBot))
		return
	}
	switch {
	case verb == "bot":
		b.clearConv(t.user)
		t.send(say(fmt.Sprintf(textHereItIs, bot.FirstName, bot.Username)).buttons(
			[]button{{buttonToken, action("token", bot.ID)}, {buttonName, action("setname", bot.ID)}},
			[]button{{buttonAbout, action("setabouttext", bot.ID)}, {buttonDescription, action("setdescription", bot.ID)}},
			[]button{{buttonEditCommands, action("setcommands", bot.ID)}, {buttonDelete, action("deletebot", bot.ID)}},
			[]button{{buttonBack, "mybots"}},
		))
	case buttonCommands[verb]:
		b.chosen(t, "/"+verb, bot, true)
	}
}
