// Package botfather is @BotFather inside Roost: the bot users talk to, as
// on Telegram, to create bots and manage the ones they own.
//
// BotFather is a bot account (id 93372553, username BotFather, as on
// Telegram) that Ensure creates at start when the store lacks it. It has
// no token: nothing outside the process can act as it. It runs in the
// process: Run reads its Bot API update queue (store.BotAPI), which core
// fills as for any bot, handles each message or button press, confirms
// the update and answers with core.SendMessage from its account. Core
// wakes it through core.BotWaker when its queue grows; at start it first
// handles what arrived while Roost was down.
//
// It knows /start, /help, /newbot, /mybots, /token, /revoke,
// /setcommands, /setdescription, /setabouttext, /setname, /deletebot and
// /cancel, with the official BotFather's texts where they are known (see
// texts.go). Commands that act on a bot offer the user's bots on a reply
// keyboard and take "@username"; /mybots lists them on inline buttons
// that lead to the same actions. Only a bot's owner may manage it.
//
// A conversation's state (the command in progress, the name chosen, the
// bot chosen) is kept per user in memory: a restart forgets it, and the
// user starts the command again, as after /cancel.
package botfather
