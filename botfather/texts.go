package botfather

// The texts BotFather answers with. Most are the official BotFather's,
// as its users quote them; the few marked "Roost" are ours, where Roost
// differs or no official text is known.
const (
	textHelp = `I can help you create and manage Telegram bots. If you're new to the Bot API, please see the manual.

You can control me by sending these commands:

/newbot - create a new bot
/mybots - edit your bots

Edit Bots
/setname - change a bot's name
/setdescription - change bot description
/setabouttext - change bot about info
/setcommands - change the list of commands
/deletebot - delete a bot

Bot Settings
/token - generate authorization token
/revoke - revoke bot access token`
	// textHelpLink is the word of textHelp that links to the manual.
	textHelpLink = "manual"
	urlBots      = "https://core.telegram.org/bots"
	urlBotAPI    = "https://core.telegram.org/bots/api"

	textUnrecognized = "Unrecognized command. Say what?"
	textNoCommand    = "No active command to cancel. I wasn't doing anything anyway. Zzzzz..."
	textCancelled    = "The command %s has been cancelled. Anything else I can do for you?\n\nSend /help for a list of commands. To learn more about Telegram Bots, see "
	textNoBots       = "You don't have any bots yet. Use the /newbot command to create a new bot first."
	textInvalidBot   = "Invalid bot selected."

	textNewBot          = "Alright, a new bot. How are we going to call it? Please choose a name for your bot."
	textTooManyBots     = "That I cannot do. You already have %d bots, the most one account may own. Delete one with /deletebot first." // Roost
	textBadName         = "Sorry, this isn't a proper name for a bot."
	textAskUsername     = "Good. Now let's choose a username for your bot. It must end in `bot`. Like this, for example: TetrisBot or tetris_bot."
	textBadUsername     = "Sorry, this username is invalid."
	textUsernameNoBot   = "Sorry, the username must end in 'bot'. E.g. 'Tetris_bot' or 'Tetrisbot'"
	textUsernameTaken   = "Sorry, this username is already taken. Please try something different."
	textCreated         = "Done! Congratulations on your new bot. You will find it at t.me/%s. You can now add a description, about section and profile picture for your bot, see /help for a list of commands. By the way, when you've finished creating your cool bot, ping our Bot Support if you want a better username for it. Just make sure the bot is fully operational before you do this.\n\nUse this token to access the HTTP API:\n"
	textCreatedKeep     = "\nKeep your token secure and store it safely, it can be used by anyone to control your bot.\n\nFor a description of the Bot API, see this page: "
	textSomethingFailed = "Sorry, something went wrong on my side. Please try again later." // Roost

	textChooseMyBots = "Choose a bot from the list below:"
	textHereItIs     = "Here it is: %s @%s.\nWhat do you want to do with the bot?"

	textChooseToken    = "Choose a bot to generate a new token."
	textToken          = "You can use this token to access HTTP API:\n"
	textTokenAPI       = "\n\nFor a description of the Bot API, see this page: "
	textTokenLost      = "Sorry, I can't show the token of @%s: it was issued before Roost kept tokens to show them again. Use /revoke to get a new one." // Roost
	textChooseRevoke   = "Choose a bot to generate a new token. Warning: your old token will stop working."
	textRevoked        = "Your token was replaced with a new one. You can use this token to access HTTP API:\n"
	textChooseCommands = "Choose a bot to change the list of commands."
	textAskCommands    = "OK. Send me a list of commands for your bot. Please use this format:\n\ncommand1 - Description\ncommand2 - Another description\n\nSend /empty to keep the list empty."
	textBadCommands    = "Sorry, the list of commands is invalid. Please use this format:\n\ncommand1 - Description\ncommand2 - Another description\n\nSend /empty to keep the list empty."
	textCommandsDone   = "Success! Command list updated. /help"
	textChooseDesc     = "Choose a bot to change description."
	textAskDesc        = "OK. Send me the new description for the bot. People will see this description when they open a chat with your bot, in a block titled 'What can this bot do?'."
	textBadDesc        = "Sorry, the description you provided is invalid. A description may not exceed 512 characters (line breaks included)."
	textDescDone       = "Success! Description updated. /help"
	textChooseAbout    = "Choose a bot to change the about section."
	textAskAbout       = "OK. Send me the new 'About' text. People will see this text on the bot's profile page and it will be sent together with a link to your bot when they share it with someone."
	textBadAbout       = "Sorry, the about info you provided is invalid. It must not exceed 120 characters."
	textAboutDone      = "Success! About section updated. /help"
	textChooseName     = "Choose a bot to change name."
	textAskName        = "OK. Send me the new name for your bot."
	textNameDone       = "Success! Name updated. /help"
	textChooseDelete   = "Choose a bot to delete."
	textAskDelete      = "OK, you selected @%s. Are you sure?\n\nSend '" + confirmDelete + "' to confirm you really want to delete this bot."
	textBadConfirm     = "Please enter the confirmation text exactly like this:\n" + confirmDelete + "\n\nType /cancel to cancel the operation."
	textDeleted        = "Done! The bot is gone. /help"

	// confirmDelete is the phrase /deletebot wants.
	confirmDelete = "Yes, I am totally sure."

	// Buttons of /mybots.
	buttonToken        = "API Token"
	buttonRevoke       = "Revoke current token"
	buttonName         = "Edit Name"
	buttonAbout        = "Edit About"
	buttonDescription  = "Edit Description"
	buttonEditCommands = "Edit Commands"
	buttonDelete       = "Delete Bot"
	buttonBack         = "« Back to Bot List"

	// The texts of BotFather's own profile.
	textAboutSelf = "BotFather is the one bot to rule them all. Use it to create new bot accounts and manage your existing bots."
)
