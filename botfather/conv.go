package botfather

// step is where a conversation stands.
type step int

const (
	stepNone     step = iota
	stepName          // /newbot: waiting for the bot's name
	stepUsername      // /newbot: waiting for its username
	stepChoose        // waiting for "@username" of one of the user's bots
	stepInput         // waiting for what the command sets (commands, a text)
	stepConfirm       // /deletebot: waiting for confirmDelete
)

// conv is the state of one user's conversation with BotFather. It lives
// in memory only (see the package doc).
type conv struct {
	cmd  string // the command in progress, "/newbot", ...
	step step
	name string // /newbot: the name chosen
	bot  int64  // the bot chosen
}

func (b *BotFather) conv(user int64) conv {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.convs[user]
}

func (b *BotFather) setConv(user int64, c conv) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.convs[user] = c
}

func (b *BotFather) clearConv(user int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.convs, user)
}
