package botfather

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

func TestEnsure(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	u, err := w.c.User(ctx, ID)
	if err != nil || !u.Bot || u.Username != Username || u.FirstName != Name {
		t.Fatalf("BotFather = %+v, %v", u, err)
	}
	if err := Ensure(ctx, w.c); err != nil {
		t.Fatalf("second Ensure: %v", err)
	}
	cmds, err := w.c.VisibleCommands(ctx, ID, "")
	if err != nil || len(cmds) != len(commands) || cmds[0].Command != "newbot" {
		t.Errorf("commands = %+v, %v", cmds, err)
	}
	if d, _ := w.c.BotText(ctx, ID, core.TextDescription, ""); d != textAboutSelf {
		t.Errorf("description = %q", d)
	}
	// BotFather has no token: nobody can act as it over the Bot API.
	if _, err := w.c.Store.Bots().TokenHash(ctx, ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("BotFather has a token: %v", err)
	}
	if got, err := w.c.ResolveUsername(ctx, "@botfather"); err != nil || got.ID != ID {
		t.Errorf("resolve @botfather = %+v, %v", got, err)
	}
}

func TestEnsureUsernameTaken(t *testing.T) {
	w2 := newWorld(t)
	ctx := t.Context()
	other, err := w2.c.Store.Users().Create(ctx, store.User{Phone: "15550009", FirstName: "Squatter"})
	if err != nil {
		t.Fatal(err)
	}
	// Free BotFather's name, delete it and give the name to a person.
	if err := w2.c.Store.Bots().Delete(ctx, ID); err != nil {
		t.Fatal(err)
	}
	if err := w2.c.Store.Users().SetUsername(ctx, other.ID, "BotFather"); err != nil {
		t.Fatal(err)
	}
	if err := Ensure(ctx, w2.c); err != nil {
		t.Fatalf("Ensure with the username taken: %v", err)
	}
	if u, err := w2.c.User(ctx, ID); err != nil || !u.Bot || u.Username != "" {
		t.Errorf("BotFather without its username = %+v, %v", u, err)
	}
}

func TestNewBot(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	alice := w.person("15550001")

	help := alice.ask("/start")
	wantText(t, help, "I can help you create and manage Telegram bots.")
	if !strings.Contains(help.Text, "/newbot - create a new bot") {
		t.Errorf("help: %q", help.Text)
	}

	wantText(t, alice.ask("/newbot"), "Alright, a new bot. How are we going to call it? Please choose a name for your bot.")
	wantText(t, alice.ask(strings.Repeat("n", 65)), textBadName)
	wantText(t, alice.ask("Weather"), "Good. Now let's choose a username for your bot. It must end in `bot`.")
	wantText(t, alice.ask("weather"), "Sorry, the username must end in 'bot'.")
	wantText(t, alice.ask("we ather_bot"), textBadUsername)
	if _, _, err := w.c.CreateBot(ctx, 0, "taken_bot", ""); err != nil {
		t.Fatal(err)
	}
	wantText(t, alice.ask("@Taken_Bot"), textUsernameTaken)
	done := alice.ask("@Weather_bot")
	wantText(t, done, "Done! Congratulations on your new bot. You will find it at t.me/Weather_bot.")
	if !strings.Contains(done.Text, "Use this token to access the HTTP API:\n") ||
		!strings.Contains(done.Text, "Keep your token secure") {
		t.Errorf("congratulations: %q", done.Text)
	}
	token := tokenIn(t, done)
	bot, err := w.c.BotByToken(ctx, token)
	if err != nil {
		t.Fatalf("token %q does not work: %v", token, err)
	}
	if bot.Username != "Weather_bot" || bot.FirstName != "Weather" || bot.BotOwnerID != alice.id {
		t.Errorf("bot = %+v", bot)
	}
	// The conversation is over.
	wantText(t, alice.ask("hello"), textUnrecognized)
}

func TestTokenAndRevoke(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	alice := w.person("15550001")
	token := alice.newBot("Echo", "echo_bot")
	alice.newBot("Other", "other_bot")

	ask := alice.ask("/token")
	wantText(t, ask, textChooseToken)
	if mk := markup(ask); mk.Kind != core.MarkupKeyboard || buttonTexts(ask) != "@echo_bot, @other_bot" {
		t.Errorf("bots offered: %s (%s)", buttonTexts(ask), mk.Kind)
	}
	wantText(t, alice.ask("@nobody_bot"), textInvalidBot)
	shown := alice.ask("@ECHO_bot")
	wantText(t, shown, "You can use this token to access HTTP API:\n")
	if got := tokenIn(t, shown); got != token {
		t.Errorf("/token shows %q, want %q", got, token)
	}
	if markup(shown).Kind != core.MarkupRemove {
		t.Error("/token leaves the keyboard")
	}

	wantText(t, alice.ask("/revoke"), "Choose a bot to generate a new token. Warning: your old token will stop working.")
	revoked := alice.ask("echo_bot")
	wantText(t, revoked, "Your token was replaced with a new one. You can use this token to access HTTP API:\n")
	fresh := tokenIn(t, revoked)
	if fresh == token {
		t.Fatal("revoke kept the token")
	}
	if _, err := w.c.BotByToken(ctx, token); !errors.Is(err, core.ErrAccessTokenInvalid) {
		t.Errorf("old token after /revoke: %v", err)
	}
	if _, err := w.c.BotByToken(ctx, fresh); err != nil {
		t.Errorf("new token: %v", err)
	}
	alice.ask("/token")
	if got := tokenIn(t, alice.ask("@echo_bot")); got != fresh {
		t.Errorf("/token after /revoke shows %q, want %q", got, fresh)
	}
}

func TestTokenIssuedBeforeSealing(t *testing.T) {
	w := newWorld(t)
	alice := w.person("15550001")
	alice.newBot("Old", "old_bot")
	bot, err := w.c.ResolveUsername(t.Context(), "old_bot")
	if err != nil {
		t.Fatal(err)
	}
	// A token set the way Roost did before sealed copies.
	if err := w.c.Store.Bots().SetToken(t.Context(), bot.ID, [32]byte{1}); err != nil {
		t.Fatal(err)
	}
	alice.ask("/token")
	wantText(t, alice.ask("@old_bot"), "Sorry, I can't show the token of @old_bot")
}

func TestSetCommandsAndTexts(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	alice := w.person("15550001")
	token := alice.newBot("Echo", "echo_bot")
	bot, _ := w.c.BotByToken(ctx, token)

	wantText(t, alice.ask("/setcommands"), textChooseCommands)
	wantText(t, alice.ask("@echo_bot"), "OK. Send me a list of commands for your bot. Please use this format:")
	wantText(t, alice.ask("just words"), "Sorry, the list of commands is invalid.")
	wantText(t, alice.ask("Bad Command - x"), "Sorry, the list of commands is invalid.")
	wantText(t, alice.ask("start - Start the bot\n/help - Get help\n\nweather - Weather - today"), textCommandsDone)
	cmds, err := w.c.VisibleCommands(ctx, bot.ID, "")
	want := []store.BotCommand{{Command: "start", Description: "Start the bot"}, {Command: "help", Description: "Get help"},
		{Command: "weather", Description: "Weather - today"}}
	if err != nil || len(cmds) != len(want) {
		t.Fatalf("commands = %+v, %v", cmds, err)
	}
	for i := range want {
		if cmds[i] != want[i] {
			t.Errorf("command %d = %+v, want %+v", i, cmds[i], want[i])
		}
	}
	alice.ask("/setcommands")
	alice.ask("@echo_bot")
	wantText(t, alice.ask("/empty"), textCommandsDone)
	if cmds, _ := w.c.VisibleCommands(ctx, bot.ID, ""); len(cmds) != 0 {
		t.Errorf("commands after /empty = %+v", cmds)
	}

	wantText(t, alice.ask("/setdescription"), textChooseDesc)
	wantText(t, alice.ask("@echo_bot"), "OK. Send me the new description for the bot.")
	wantText(t, alice.ask(strings.Repeat("d", 513)), "Sorry, the description you provided is invalid.")
	wantText(t, alice.ask("Echoes what you say."), textDescDone)
	if d, _ := w.c.BotText(ctx, bot.ID, core.TextDescription, ""); d != "Echoes what you say." {
		t.Errorf("description = %q", d)
	}

	alice.ask("/setabouttext")
	wantText(t, alice.ask("@echo_bot"), "OK. Send me the new 'About' text.")
	wantText(t, alice.ask(strings.Repeat("a", 121)), textBadAbout)
	wantText(t, alice.ask("An echo."), textAboutDone)
	if d, _ := w.c.BotText(ctx, bot.ID, core.TextShortDescription, ""); d != "An echo." {
		t.Errorf("about = %q", d)
	}

	alice.ask("/setname")
	wantText(t, alice.ask("@echo_bot"), textAskName)
	wantText(t, alice.ask("Echo Two"), textNameDone)
	if u, _ := w.c.User(ctx, bot.ID); u.FirstName != "Echo Two" {
		t.Errorf("name = %q", u.FirstName)
	}
}

func TestDeleteBot(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	alice := w.person("15550001")
	token := alice.newBot("Doomed", "doomed_bot")

	wantText(t, alice.ask("/deletebot"), textChooseDelete)
	ask := alice.ask("@doomed_bot")
	wantText(t, ask, "OK, you selected @doomed_bot. Are you sure?\n\nSend 'Yes, I am totally sure.' to confirm")
	wantText(t, alice.ask("yes"), "Please enter the confirmation text exactly like this:\nYes, I am totally sure.")
	if _, err := w.c.BotByToken(ctx, token); err != nil {
		t.Fatalf("bot gone before the confirmation: %v", err)
	}
	wantText(t, alice.ask("Yes, I am totally sure."), textDeleted)
	if _, err := w.c.BotByToken(ctx, token); !errors.Is(err, core.ErrAccessTokenInvalid) {
		t.Errorf("token of a deleted bot: %v", err)
	}
	if _, err := w.c.ResolveUsername(ctx, "doomed_bot"); err == nil {
		t.Error("the username still resolves")
	}
	wantText(t, alice.ask("/deletebot"), textNoBots)
	// The username is free again.
	alice.newBot("Reborn", "doomed_bot")
}

func TestOnlyOwner(t *testing.T) {
	w := newWorld(t)
	alice, bob := w.person("15550001"), w.person("15550002")
	alice.newBot("Mine", "alices_bot")
	for _, cmd := range []string{"/token", "/revoke", "/setcommands", "/setdescription", "/deletebot", "/mybots"} {
		wantText(t, bob.ask(cmd), textNoBots)
	}
	bob.newBot("Bob's", "bobs_bot")
	bob.ask("/token")
	wantText(t, bob.ask("@alices_bot"), textInvalidBot)
	bob.ask("/deletebot")
	wantText(t, bob.ask("@alices_bot"), textInvalidBot)
	if _, err := w.c.ResolveUsername(t.Context(), "alices_bot"); err != nil {
		t.Errorf("alice's bot: %v", err)
	}
}

func TestCancelAndUnknown(t *testing.T) {
	w := newWorld(t)
	alice := w.person("15550001")
	wantText(t, alice.ask("/cancel"), textNoCommand)
	wantText(t, alice.ask("/frobnicate"), textUnrecognized)
	wantText(t, alice.ask("hello"), textUnrecognized)
	alice.ask("/newbot")
	m := alice.ask("/cancel")
	wantText(t, m, "The command /newbot has been cancelled. Anything else I can do for you?")
	wantText(t, alice.ask("My Bot"), textUnrecognized)
	// A new command ends the one in progress.
	alice.ask("/newbot")
	wantText(t, alice.ask("/help@BotFather"), "I can help you")
	wantText(t, alice.ask("My Bot"), textUnrecognized)
}

func TestMyBotsButtons(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	alice := w.person("15550001")
	token := alice.newBot("Echo", "echo_bot")
	alice.newBot("Other", "other_bot")

	list := alice.ask("/mybots")
	wantText(t, list, textChooseMyBots)
	if markup(list).Kind != core.MarkupInline || buttonTexts(list) != "@echo_bot, @other_bot" {
		t.Fatalf("list: %s", buttonTexts(list))
	}
	rs := alice.press(list, "@echo_bot")
	if len(rs) != 1 {
		t.Fatalf("press a bot: %+v", rs)
	}
	wantText(t, rs[0], "Here it is: Echo @echo_bot.\nWhat do you want to do with the bot?")
	menu := rs[0]

	rs = alice.press(menu, buttonToken)
	if len(rs) != 1 || tokenIn(t, rs[0]) != token {
		t.Fatalf("API Token: %+v", rs)
	}
	rs = alice.press(rs[0], buttonRevoke)
	if len(rs) != 1 {
		t.Fatalf("revoke: %+v", rs)
	}
	wantText(t, rs[0], "Your token was replaced with a new one.")
	if _, err := w.c.BotByToken(ctx, token); err == nil {
		t.Error("old token works after the revoke button")
	}

	rs = alice.press(menu, buttonEditCommands)
	wantText(t, rs[0], "OK. Send me a list of commands for your bot.")
	wantText(t, alice.ask("ping - Pong"), textCommandsDone)

	rs = alice.press(menu, buttonDelete)
	wantText(t, rs[0], "OK, you selected @echo_bot. Are you sure?")
	wantText(t, alice.ask(confirmDelete), textDeleted)

	// Buttons of a deleted bot lead nowhere.
	wantText(t, alice.press(menu, buttonToken)[0], textInvalidBot)
	// Back to the list.
	wantText(t, alice.press(menu, buttonBack)[0], textChooseMyBots)
}

func TestQueueAtStart(t *testing.T) {
	w := newWorld(t)
	alice := w.person("15550001")
	// Messages that arrive while BotFather is not running stay queued.
	for _, text := range []string{"/newbot", "Late", "late_bot"} {
		if _, err := w.c.SendMessage(t.Context(), core.Send{From: alice.id, To: bfPeer, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	if rs := alice.replies(); len(rs) != 0 {
		t.Fatalf("replies before BotFather runs: %+v", rs)
	}
	bf := New(w.c, nil)
	w.c.Bots = bf
	ctx, cancel := context.WithCancel(t.Context())
	stopped := make(chan struct{})
	go func() { bf.Run(ctx); close(stopped) }()
	defer func() { cancel(); <-stopped }()

	waitReplies := func(n int) []store.Message {
		t.Helper()
		var got []store.Message
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			got = append(got, alice.replies()...)
			if len(got) >= n {
				return got
			}
		}
		t.Fatalf("replies = %+v, want %d", got, n)
		return nil
	}
	rs := waitReplies(3)
	wantText(t, rs[2], "Done! Congratulations on your new bot.")
	// And it is woken for new ones.
	if _, err := w.c.SendMessage(t.Context(), core.Send{From: alice.id, To: bfPeer, Text: "/help"}); err != nil {
		t.Fatal(err)
	}
	wantText(t, waitReplies(1)[0], "I can help you")
	if n, err := w.c.Store.BotAPI().Pending(t.Context(), ID, w.c.Time()); err != nil || n != 0 {
		t.Errorf("pending after Run = %d, %v", n, err)
	}
}

func TestUpdateHandledTwiceRepliesOnce(t *testing.T) {
	w := newWorld(t)
	alice := w.person("15550001")
	if _, err := w.c.SendMessage(t.Context(), core.Send{From: alice.id, To: bfPeer, Text: "/help"}); err != nil {
		t.Fatal(err)
	}
	ups, err := w.c.Store.BotAPI().Updates(t.Context(), ID, 0, 10, w.c.Time())
	if err != nil || len(ups) != 1 {
		t.Fatalf("queue = %+v, %v", ups, err)
	}
	w.bf.handle(t.Context(), ups[0])
	w.bf.handle(t.Context(), ups[0]) // as after a restart before Confirm
	if rs := alice.replies(); len(rs) != 1 {
		t.Errorf("%d replies, want 1", len(rs))
	}
}

func TestWakeIgnoresOtherBots(t *testing.T) {
	bf := New(&core.Core{}, nil)
	bf.Wake(ID + 1)
	select {
	case <-bf.wake:
		t.Error("woken for another bot")
	default:
	}
	bf.Wake(ID)
	bf.Wake(ID) // does not block
	select {
	case <-bf.wake:
	default:
		t.Error("not woken for itself")
	}
}

func TestTooManyBots(t *testing.T) {
	w := newWorld(t)
	alice := w.person("15550001")
	for i := range MaxBots {
		if _, _, err := w.c.CreateBot(t.Context(), alice.id, "many"+string(rune('a'+i))+"_bot", ""); err != nil {
			t.Fatal(err)
		}
	}
	wantText(t, alice.ask("/newbot"), "That I cannot do.")
}
