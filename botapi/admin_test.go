package botapi

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/roostchat/roost/core"
)

// TestGroupAdministration: a bot made administrator of a basic group
// sets its title and permissions, pins, and makes invite links.
func TestGroupAdministration(t *testing.T) {
	h := newHarness(t, false)
	ctx := t.Context()
	ch, _, err := h.core.CreateChat(ctx, h.user.ID, []int64{h.bot.ID}, "Team", core.Origin{})
	if err != nil {
		t.Fatal(err)
	}
	chat := strconv.FormatInt(-ch.Chat.ID, 10)
	if err := h.core.EditChatAdmin(ctx, h.user.ID, ch.Chat.ID, h.bot.ID, true); err != nil {
		t.Fatal(err)
	}
	if r := h.call("setChatTitle", url.Values{"chat_id": {chat}, "title": {"Renamed"}}); !r.OK {
		t.Fatalf("setChatTitle: %s", r.Description)
	}
	if r := h.call("setChatDescription", url.Values{"chat_id": {chat}, "description": {"About us"}}); !r.OK {
		t.Fatalf("setChatDescription: %s", r.Description)
	}
	if r := h.call("setChatDescription", url.Values{"chat_id": {chat}, "description": {"About us"}}); r.Description != "Bad Request: chat description is not modified" {
		t.Errorf("same description again: %q", r.Description)
	}
	var info ChatFullInfo
	h.call("getChat", url.Values{"chat_id": {chat}}).into(t, &info)
	if info.Title != "Renamed" || info.Type != "group" || info.Description != "About us" {
		t.Errorf("getChat: %+v %q", info.Chat, info.Description)
	}
	var sent Message
	h.call("sendMessage", url.Values{"chat_id": {chat}, "text": {"pin me"}}).into(t, &sent)
	if r := h.call("pinChatMessage", url.Values{"chat_id": {chat}, "message_id": {strconv.Itoa(int(sent.MessageID))}}); !r.OK {
		t.Fatalf("pinChatMessage: %s", r.Description)
	}
	if r := h.call("unpinChatMessage", url.Values{"chat_id": {chat}}); !r.OK {
		t.Fatalf("unpinChatMessage: %s", r.Description)
	}
	var link string
	h.call("exportChatInviteLink", url.Values{"chat_id": {chat}}).into(t, &link)
	if !strings.HasPrefix(link, core.InviteLink) {
		t.Errorf("invite link %q", link)
	}
	var made ChatInviteLink
	h.call("createChatInviteLink", url.Values{"chat_id": {chat}, "member_limit": {"5"}}).into(t, &made)
	if made.MemberLimit != 5 || made.InviteLink == link {
		t.Errorf("created link %+v", made)
	}
	perms := `{"can_send_messages":false}`
	if r := h.call("setChatPermissions", url.Values{"chat_id": {chat}, "permissions": {perms}}); !r.OK {
		t.Fatalf("setChatPermissions: %s", r.Description)
	}
	h.call("getChat", url.Values{"chat_id": {chat}}).into(t, &info)
	if info.Permissions == nil || info.Permissions.CanSendMessages {
		t.Errorf("permissions %+v", info.Permissions)
	}
	var admins []ChatMember
	h.call("getChatAdministrators", url.Values{"chat_id": {chat}}).into(t, &admins)
	if len(admins) != 2 {
		t.Errorf("administrators %+v", admins)
	}
	var n int
	h.call("getChatMemberCount", url.Values{"chat_id": {chat}}).into(t, &n)
	if n != 2 {
		t.Errorf("member count %d", n)
	}
	if r := h.call("banChatMember", url.Values{"chat_id": {chat}, "user_id": {strconv.FormatInt(h.user.ID, 10)}}); r.Description != "Bad Request: user is an administrator of the chat" {
		t.Errorf("ban the creator: %q", r.Description)
	}
	if r := h.call("leaveChat", url.Values{"chat_id": {chat}}); !r.OK {
		t.Fatalf("leaveChat: %s", r.Description)
	}
	if r := h.call("getChat", url.Values{"chat_id": {chat}}); r.Description != "Bad Request: chat not found" {
		t.Errorf("getChat after leaving: %q", r.Description)
	}
}

// TestMyChatMember: a bot added to a group and removed from it gets
// my_chat_member with its old and new status, beside the service
// messages.
func TestMyChatMember(t *testing.T) {
	h := newHarness(t, false)
	h.call("getUpdates", url.Values{"offset": {"-1"}})
	var first []Update
	h.call("getUpdates", nil).into(t, &first)
	offset := strconv.FormatInt(first[0].UpdateID+1, 10)
	ctx := t.Context()
	ch, _, err := h.core.CreateChat(ctx, h.user.ID, []int64{h.bot.ID}, "Club", core.Origin{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.core.DeleteChatUser(ctx, h.user.ID, ch.Chat.ID, h.bot.ID, core.Origin{}); err != nil {
		t.Fatal(err)
	}
	var ups []Update
	h.call("getUpdates", url.Values{"offset": {offset}}).into(t, &ups)
	var changes []string
	var created bool
	for _, u := range ups {
		if m := u.MyChatMember; m != nil {
			if m.Chat.ID != -ch.Chat.ID || m.From.ID != h.user.ID || m.NewChatMember.User.ID != h.bot.ID {
				t.Errorf("my_chat_member %+v", m)
			}
			changes = append(changes, m.OldChatMember.Status+">"+m.NewChatMember.Status)
		}
		if u.Message != nil && u.Message.GroupChatCreate {
			created = true
		}
	}
	if strings.Join(changes, ",") != "left>member,member>left" || !created {
		t.Errorf("changes %v, group_chat_created %v in %d updates", changes, created, len(ups))
	}
}

// TestBlockedByUser: a user blocking and unblocking the bot shows as
// my_chat_member in their private chat (member → kicked → member), and
// the bot cannot write while blocked.
func TestBlockedByUser(t *testing.T) {
	h := newHarness(t, false)
	var first []Update
	h.call("getUpdates", url.Values{"offset": {"-1"}}).into(t, &first)
	offset := strconv.FormatInt(first[0].UpdateID+1, 10)
	ctx := t.Context()
	if err := h.core.Block(ctx, h.user.ID, h.bot.ID); err != nil {
		t.Fatal(err)
	}
	chat := strconv.FormatInt(h.user.ID, 10)
	if r := h.call("sendMessage", url.Values{"chat_id": {chat}, "text": {"hi"}}); r.Description != "Forbidden: bot was blocked by the user" {
		t.Errorf("send while blocked: %d %q", r.ErrorCode, r.Description)
	}
	if err := h.core.Unblock(ctx, h.user.ID, h.bot.ID); err != nil {
		t.Fatal(err)
	}
	var ups []Update
	h.call("getUpdates", url.Values{"offset": {offset}}).into(t, &ups)
	var changes []string
	for _, u := range ups {
		if m := u.MyChatMember; m != nil && m.Chat.ID == h.user.ID && m.Chat.Type == "private" {
			changes = append(changes, m.OldChatMember.Status+">"+m.NewChatMember.Status)
		}
	}
	if strings.Join(changes, ",") != "member>kicked,kicked>member" {
		t.Errorf("changes %v", changes)
	}
}
