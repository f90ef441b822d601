package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/roostchat/roost/store"
)

// Peer fails with store.ErrInvalid unless p is a user or a chat with a
// positive id.
func Peer(p store.Peer) error {
	if (p.Kind != store.PeerUser && p.Kind != store.PeerChat) || p.ID <= 0 {
		return fmt.Errorf("peer %d:%d: %w", p.Kind, p.ID, store.ErrInvalid)
	}
	return nil
}

// Limit fails with store.ErrInvalid unless limit is positive.
func Limit(limit int) error {
	if limit <= 0 {
		return fmt.Errorf("limit %d: %w", limit, store.ErrInvalid)
	}
	return nil
}

// History checks a history query and its peer.
func History(peer store.Peer, q store.HistoryQuery) error {
	if err := Peer(peer); err != nil {
		return err
	}
	if q.MinID < 0 || q.MaxID < 0 {
		return fmt.Errorf("ids (%d, %d): %w", q.MinID, q.MaxID, store.ErrInvalid)
	}
	return Limit(q.Limit)
}

// Dialogs checks a dialog query.
func Dialogs(q store.DialogQuery) error {
	if q.PinnedOnly && q.ExcludePinned {
		return fmt.Errorf("pinned only and exclude pinned: %w", store.ErrInvalid)
	}
	if q.OffsetID < 0 {
		return fmt.Errorf("offset id %d: %w", q.OffsetID, store.ErrInvalid)
	}
	return Limit(q.Limit)
}

// Search checks a search query. Its peer is either zero (every dialog) or
// valid.
func Search(q store.SearchQuery) error {
	if q.Peer != (store.Peer{}) {
		if err := Peer(q.Peer); err != nil {
			return err
		}
	}
	if q.MaxID < 0 {
		return fmt.Errorf("max id %d: %w", q.MaxID, store.ErrInvalid)
	}
	if err := Text(q.Text); err != nil {
		return err
	}
	return Limit(q.Limit)
}

// Updates checks the arguments of Boxes.Updates.
func Updates(after int32, limit int) error {
	if after < 0 {
		return fmt.Errorf("pts %d: %w", after, store.ErrInvalid)
	}
	return Limit(limit)
}

// Text fails with store.ErrInvalid unless s is valid UTF-8 without NUL,
// which SQL text columns need (PostgreSQL refuses anything else; SQLite's
// LIKE stops at a NUL).
func Text(s string) error {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("text is not UTF-8 without NUL: %w", store.ErrInvalid)
	}
	return nil
}

// Message checks what PutMessage and UpdateMessage need of m, except that
// its id was reserved.
func Message(m store.Message) error {
	if m.ID <= 0 {
		return fmt.Errorf("message id %d: %w", m.ID, store.ErrInvalid)
	}
	if err := Text(m.Text); err != nil {
		return err
	}
	return Peer(m.Peer)
}

// Bytes returns a copy of b, nil when b is empty: the back ends read
// empty blobs back as nil.
func Bytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// Dialog checks what PutDialog needs of d.
func Dialog(d store.Dialog) error {
	if d.PinnedOrder < 0 {
		return fmt.Errorf("pinned order %d: %w", d.PinnedOrder, store.ErrInvalid)
	}
	return Peer(d.Peer)
}

// NewChat checks a basic group about to be created: an id not negative,
// no member listed twice, none of another chat.
func NewChat(c store.Chat, members []store.ChatMember) error {
	if c.ID < 0 {
		return fmt.Errorf("create chat: negative id %d: %w", c.ID, store.ErrInvalid)
	}
	seen := make(map[int64]bool, len(members))
	for _, mb := range members {
		if seen[mb.UserID] {
			return fmt.Errorf("create chat: user %d listed twice: %w", mb.UserID, store.ErrInvalid)
		}
		seen[mb.UserID] = true
		if mb.ChatID != 0 && mb.ChatID != c.ID {
			return fmt.Errorf("create chat: member of chat %d: %w", mb.ChatID, store.ErrInvalid)
		}
	}
	return nil
}
