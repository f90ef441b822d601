package botapi

import "github.com/roostchat/roost/core"

// methods are the Bot API methods Roost serves, by lower-cased name. Any
// other method answers 404 Not Found, as the official server answers a
// method it does not know.
var methods map[string]handler

func init() {
	methods = map[string]handler{
		"getme":                  getMe,
		"logout":                 logOut,
		"close":                  closeBot,
		"getupdates":             getUpdates,
		"setwebhook":             setWebhook,
		"deletewebhook":          deleteWebhook,
		"getwebhookinfo":         getWebhookInfo,
		"sendmessage":            sendMessage,
		"forwardmessage":         forwardMessage,
		"forwardmessages":        forwardMessages,
		"copymessage":            copyMessage,
		"copymessages":           copyMessages,
		"editmessagetext":        editMessageText,
		"editmessagereplymarkup": editMessageReplyMarkup,
		"deletemessage":          deleteMessage,
		"deletemessages":         deleteMessages,
		"sendchataction":         sendChatAction,
		"answercallbackquery":    answerCallbackQuery,
		"setmycommands":          setMyCommands,
		"getmycommands":          getMyCommands,
		"deletemycommands":       deleteMyCommands,
		"setmyname":              setText(core.TextName, "name"),
		"getmyname":              getMyName,
		"setmydescription":       setText(core.TextDescription, "description"),
		"getmydescription":       getMyDescription,
		"setmyshortdescription":  setText(core.TextShortDescription, "short_description"),
		"getmyshortdescription":  getMyShortDescription,
		"getchat":                getChat,
		"getchatmember":          getChatMember,
		"getchatmembercount":     getChatMemberCount,
		"getchatmemberscount":    getChatMemberCount, // the old name, still served
		"getchatadministrators":  getChatAdministrators,
		"leavechat":              leaveChat,
		"banchatmember":          banChatMember,
		"kickchatmember":         banChatMember, // the old name, still served
		"unbanchatmember":        unbanChatMember,
		"getuserprofilephotos":   getUserProfilePhotos,
		"pinchatmessage":         pinChatMessage,
		"unpinchatmessage":       unpinChatMessage,
		"unpinallchatmessages":   unpinAllChatMessages,
		"setchattitle":           setChatTitle,
		"setchatdescription":     setChatDescription,
		"setchatpermissions":     setChatPermissions,
		"promotechatmember":      promoteChatMember,
		"exportchatinvitelink":   exportChatInviteLink,
		"createchatinvitelink":   createChatInviteLink,
	}
}
