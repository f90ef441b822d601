package botfather

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/roostchat/roost/core"
)

// MaxBots is how many bots one account may own, as on Telegram without
// Premium.
const MaxBots = 20

// choosePrompts are the commands that act on one of the user's bots, with
// the question that offers the bots.
var choosePrompts = map[string]string{
	"/token":          textChooseToken,
	"/revoke":         textChooseRevoke,
	"/setcommands":    textChooseCommands,
	"/setdescription": textChooseDesc,
	"/setabouttext":   textChooseAbout,
	"/setname":        textChooseName,
	"/deletebot":      textChooseDelete,
}

// commandOf returns the command a text starts with, lower-cased and
// without "@BotFather", or false when it starts with none.
func commandOf(text string) (string, bool) {
	if !strings.HasPrefix(text, "/") {
		return "", false
	}
	cmd, _, _ := strings.Cut(text, " ")
	cmd, _, _ = strings.Cut(cmd, "\n")
	cmd, _, _ = strings.Cut(cmd, "@") // /newbot@BotFather
	return strings.ToLower(cmd), len(cmd) > 1
}

// onText answers a message: a command starts over, anything else answers
// the question in progress.
func (b *BotFather) onText(t *turn, text string) {
	text = strings.TrimSpace(text)
	cv := b.conv(t.user)
	if cmd, ok := commandOf(text); ok && !(cv.step == stepInput && cv.cmd == "/setcommands" && cmd != "/empty" && strings.Contains(text, "-")) {
		if cmd == "/empty" && cv.step == stepInput {
			b.input(t, cv, "")
			return
		}
		b.command(t, cmd, cv)
		return
	}
	switch cv.step {
	case stepNone:
		t.send(say(textUnrecognized))
	case stepName:
		b.newBotName(t, text)
	case stepUsername:
		b.newBotUsername(t, cv, text)
	case stepChoose:
		bot, ok := b.pick(t, text)
		if !ok {
			t.send(say(textInvalidBot))
			return
		}
		b.chosen(t, cv.cmd, bot, false)
	case stepInput:
		b.input(t, cv, text)
	case stepConfirm:
		b.confirmDelete(t, cv, text)
	}
}

// command starts a command; it ends the one in progress.
func (b *BotFather) command(t *turn, cmd string, cv conv) {
	switch cmd {
	case "/start", "/help":
		b.clearConv(t.user)
		t.send(b.help())
	case "/cancel":
		b.clearConv(t.user)
		if cv.step == stepNone {
			t.send(say(textNoCommand).hideKeyboard())
			return
		}
		t.send(say(fmt.Sprintf(textCancelled, cv.cmd)).url(urlBots).hideKeyboard())
	case "/newbot":
		b.clearConv(t.user)
		bots, err := b.Core.BotsOf(t.ctx, t.user)
		if err != nil {
			t.failed("list bots", err)
			return
		}
		if len(bots) >= MaxBots {
			t.send(say(fmt.Sprintf(textTooManyBots, MaxBots)).hideKeyboard())
			return
		}
		b.setConv(t.user, conv{cmd: cmd, step: stepName})
		t.send(say(textNewBot).hideKeyboard())
	case "/mybots":
		b.clearConv(t.user)
		b.myBots(t)
	default:
		prompt, ok := choosePrompts[cmd]
		if !ok {
			t.send(say(textUnrecognized))
			return
		}
		b.clearConv(t.user)
		bots, err := b.Core.BotsOf(t.ctx, t.user)
		if err != nil {
			t.failed("list bots", err)
			return
		}
		if len(bots) == 0 {
			t.send(say(textNoBots).hideKeyboard())
			return
		}
		names := make([]string, len(bots))
		for i, u := range bots {
			names[i] = "@" + u.Username
		}
		b.setConv(t.user, conv{cmd: cmd, step: stepChoose})
		t.send(say(prompt).keyboard(names))
	}
}

// help is the answer to /start and /help.
func (b *BotFather) help() *reply {
	before, after, _ := strings.Cut(textHelp, textHelpLink)
	return say(before).link(textHelpLink, urlBots).text(after).hideKeyboard()
}

// newBotName takes the name of a new bot.
func (b *BotFather) newBotName(t *turn, name string) {
	if name == "" || utf8.RuneCountInString(name) > core.MaxNameLength {
		t.send(say(textBadName))
		return
	}
	b.setConv(t.user, conv{cmd: "/newbot", step: stepUsername, name: name})
	t.send(say(textAskUsername))
}

// newBotUsername takes the username of a new bot and creates it.
func (b *BotFather) newBotUsername(t *turn, cv conv, text string) {
	username := strings.TrimPrefix(text, "@")
	switch {
	case !core.ValidUsername(username):
		t.send(say(textBadUsername))
		return
	case !strings.HasSuffix(strings.ToLower(username), "bot"):
		t.send(say(textUsernameNoBot))
		return
	}
	bot, token, err := b.Core.CreateBot(t.ctx, t.user, username, cv.name)
	switch {
	case errors.Is(err, core.ErrUsernameOccupied):
		t.send(say(textUsernameTaken))
		return
	case errors.Is(err, core.ErrUsernameInvalid):
		t.send(say(textBadUsername))
		return
	case errors.Is(err, core.ErrFirstNameInvalid):
		b.setConv(t.user, conv{cmd: cv.cmd, step: stepName})
		t.send(say(textBadName))
		return
	case err != nil:
		b.clearConv(t.user)
		t.failed("create bot", err)
		return
	}
	b.clearConv(t.user)
	b.Log.Info("botfather: bot created", "bot", bot.ID, "owner", t.user)
	t.send(say(fmt.Sprintf(textCreated, bot.Username)).code(token).text(textCreatedKeep).url(urlBotAPI))
}
