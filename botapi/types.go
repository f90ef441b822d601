package botapi

// The Bot API's JSON objects, with the fields Roost fills. Field names
// and optionality follow the specification (../shared/botapi/api.json).

// User is a Telegram user or bot.
type User struct {
	ID                      int64  `json:"id"`
	IsBot                   bool   `json:"is_bot"`
	FirstName               string `json:"first_name"`
	LastName                string `json:"last_name,omitempty"`
	Username                string `json:"username,omitempty"`
	LanguageCode            string `json:"language_code,omitempty"`
	CanJoinGroups           *bool  `json:"can_join_groups,omitempty"`
	CanReadAllGroupMessages *bool  `json:"can_read_all_group_messages,omitempty"`
	SupportsInlineQueries   *bool  `json:"supports_inline_queries,omitempty"`
	CanConnectToBusiness    *bool  `json:"can_connect_to_business,omitempty"`
	HasMainWebApp           *bool  `json:"has_main_web_app,omitempty"`
}

// Chat is a private chat or a group.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
}

// ChatFullInfo is getChat's answer.
type ChatFullInfo struct {
	Chat
	AccentColorID          int              `json:"accent_color_id"`
	MaxReactionCount       int              `json:"max_reaction_count"`
	Bio                    string           `json:"bio,omitempty"`
	Description            string           `json:"description,omitempty"`
	InviteLink             string           `json:"invite_link,omitempty"`
	Permissions            *ChatPermissions `json:"permissions,omitempty"`
	HasProtectedContent    bool             `json:"has_protected_content,omitempty"`
	AcceptedGiftTypes      *AcceptedGifts   `json:"accepted_gift_types,omitempty"`
	HasPrivateForwards     bool             `json:"has_private_forwards,omitempty"`
	HasRestrictedVoiceNote bool             `json:"has_restricted_voice_and_video_messages,omitempty"`
}

// AcceptedGifts is required in ChatFullInfo; Roost has no gifts.
type AcceptedGifts struct {
	UnlimitedGifts      bool `json:"unlimited_gifts"`
	LimitedGifts        bool `json:"limited_gifts"`
	UniqueGifts         bool `json:"unique_gifts"`
	PremiumSubscription bool `json:"premium_subscription"`
	GiftsFromChannels   bool `json:"gifts_from_channels"`
}

// ChatPermissions are the default rights of a group's members.
type ChatPermissions struct {
	CanSendMessages       bool `json:"can_send_messages"`
	CanSendAudios         bool `json:"can_send_audios"`
	CanSendDocuments      bool `json:"can_send_documents"`
	CanSendPhotos         bool `json:"can_send_photos"`
	CanSendVideos         bool `json:"can_send_videos"`
	CanSendVideoNotes     bool `json:"can_send_video_notes"`
	CanSendVoiceNotes     bool `json:"can_send_voice_notes"`
	CanSendPolls          bool `json:"can_send_polls"`
	CanSendOtherMessages  bool `json:"can_send_other_messages"`
	CanAddWebPagePreviews bool `json:"can_add_web_page_previews"`
	CanChangeInfo         bool `json:"can_change_info"`
	CanInviteUsers        bool `json:"can_invite_users"`
	CanPinMessages        bool `json:"can_pin_messages"`
	CanManageTopics       bool `json:"can_manage_topics"`
}

// MessageEntity is a span of a message text.
type MessageEntity struct {
	Type          string `json:"type"`
	Offset        int32  `json:"offset"`
	Length        int32  `json:"length"`
	URL           string `json:"url,omitempty"`
	User          *User  `json:"user,omitempty"`
	Language      string `json:"language,omitempty"`
	CustomEmojiID string `json:"custom_emoji_id,omitempty"`
}

// Message is a message as a bot sees it.
type Message struct {
	MessageID       int32                 `json:"message_id"`
	From            *User                 `json:"from,omitempty"`
	Date            int64                 `json:"date"`
	Chat            Chat                  `json:"chat"`
	ForwardOrigin   *MessageOrigin        `json:"forward_origin,omitempty"`
	ReplyToMessage  *Message              `json:"reply_to_message,omitempty"`
	EditDate        int64                 `json:"edit_date,omitempty"`
	HasProtected    bool                  `json:"has_protected_content,omitempty"`
	Text            string                `json:"text,omitempty"`
	Entities        []MessageEntity       `json:"entities,omitempty"`
	NewChatMembers  []User                `json:"new_chat_members,omitempty"`
	LeftChatMember  *User                 `json:"left_chat_member,omitempty"`
	NewChatTitle    string                `json:"new_chat_title,omitempty"`
	GroupChatCreate bool                  `json:"group_chat_created,omitempty"`
	ReplyMarkup     *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// MessageOrigin is where a forwarded message came from.
type MessageOrigin struct {
	Type       string `json:"type"`
	Date       int64  `json:"date"`
	SenderUser *User  `json:"sender_user,omitempty"`
	// SenderUserName is set for hidden users (type hidden_user).
	SenderUserName string `json:"sender_user_name,omitempty"`
}

// MessageID is the answer of copyMessage.
type MessageID struct {
	MessageID int32 `json:"message_id"`
}

// InlineKeyboardMarkup is the keyboard under a message.
type InlineKeyboardMarkup struct {
	InlineKeyboard [][]InlineKeyboardButton `json:"inline_keyboard"`
}

// InlineKeyboardButton is one button of an inline keyboard.
type InlineKeyboardButton struct {
	Text                         string        `json:"text"`
	URL                          string        `json:"url,omitempty"`
	CallbackData                 string        `json:"callback_data,omitempty"`
	SwitchInlineQuery            *string       `json:"switch_inline_query,omitempty"`
	SwitchInlineQueryCurrentChat *string       `json:"switch_inline_query_current_chat,omitempty"`
	CopyText                     *CopyTextData `json:"copy_text,omitempty"`
}

// CopyTextData is the text a copy button copies.
type CopyTextData struct {
	Text string `json:"text"`
}

// CallbackQuery is a press of a callback button.
type CallbackQuery struct {
	ID           string   `json:"id"`
	From         User     `json:"from"`
	Message      *Message `json:"message,omitempty"`
	ChatInstance string   `json:"chat_instance"`
	Data         string   `json:"data,omitempty"`
}

// Update is one entry of getUpdates and one webhook body.
type Update struct {
	UpdateID      int64              `json:"update_id"`
	Message       *Message           `json:"message,omitempty"`
	EditedMessage *Message           `json:"edited_message,omitempty"`
	CallbackQuery *CallbackQuery     `json:"callback_query,omitempty"`
	MyChatMember  *ChatMemberUpdated `json:"my_chat_member,omitempty"`
}

// ChatMemberUpdated is a change of a member's status in a chat.
type ChatMemberUpdated struct {
	Chat          Chat       `json:"chat"`
	From          User       `json:"from"`
	Date          int64      `json:"date"`
	OldChatMember ChatMember `json:"old_chat_member"`
	NewChatMember ChatMember `json:"new_chat_member"`
}

// WebhookInfo is getWebhookInfo's answer.
type WebhookInfo struct {
	URL                  string   `json:"url"`
	HasCustomCertificate bool     `json:"has_custom_certificate"`
	PendingUpdateCount   int      `json:"pending_update_count"`
	IPAddress            string   `json:"ip_address,omitempty"`
	LastErrorDate        int64    `json:"last_error_date,omitempty"`
	LastErrorMessage     string   `json:"last_error_message,omitempty"`
	MaxConnections       int      `json:"max_connections,omitempty"`
	AllowedUpdates       []string `json:"allowed_updates,omitempty"`
}

// BotCommand is one command of a bot's menu.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// ChatMember is a member of a chat and their status.
type ChatMember struct {
	Status      string `json:"status"`
	User        User   `json:"user"`
	IsAnonymous *bool  `json:"is_anonymous,omitempty"`
	// Administrator fields (all required for status "administrator").
	CanBeEdited         *bool `json:"can_be_edited,omitempty"`
	CanManageChat       *bool `json:"can_manage_chat,omitempty"`
	CanDeleteMessages   *bool `json:"can_delete_messages,omitempty"`
	CanManageVideoChats *bool `json:"can_manage_video_chats,omitempty"`
	CanRestrictMembers  *bool `json:"can_restrict_members,omitempty"`
	CanPromoteMembers   *bool `json:"can_promote_members,omitempty"`
	CanChangeInfo       *bool `json:"can_change_info,omitempty"`
	CanInviteUsers      *bool `json:"can_invite_users,omitempty"`
	CanPostStories      *bool `json:"can_post_stories,omitempty"`
	CanEditStories      *bool `json:"can_edit_stories,omitempty"`
	CanDeleteStories    *bool `json:"can_delete_stories,omitempty"`
	// UntilDate is set for status "kicked".
	UntilDate *int64 `json:"until_date,omitempty"`
}

// UserProfilePhotos is getUserProfilePhotos's answer.
type UserProfilePhotos struct {
	TotalCount int     `json:"total_count"`
	Photos     [][]any `json:"photos"`
}

// BotName, BotDescription and BotShortDescription are the getters'
// answers.
type BotName struct {
	Name string `json:"name"`
}

// BotDescription is getMyDescription's answer.
type BotDescription struct {
	Description string `json:"description"`
}

// BotShortDescription is getMyShortDescription's answer.
type BotShortDescription struct {
	ShortDescription string `json:"short_description"`
}
