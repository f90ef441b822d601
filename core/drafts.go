package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/roostchat/roost/store"
)

// EventDraft: the draft of Peer changed (Event.Draft holds the new one,
// nil when cleared). It does not move pts.
const EventDraft EventKind = "draft"

// Draft is an unsent message kept for a dialog (store.Dialog.Draft).
type Draft struct {
	Text      string    `json:"t"`
	Entities  []Entity  `json:"e,omitempty"`
	ReplyTo   int32     `json:"r,omitempty"`
	NoWebpage bool      `json:"nw,omitempty"`
	Date      time.Time `json:"d"`
}

// EncodeDraft is the stored form of a draft.
func EncodeDraft(d Draft) []byte {
	b, _ := json.Marshal(d)
	return b
}

// DecodeDraft reads a draft stored by EncodeDraft; ok is false for none
// or for unreadable bytes.
func DecodeDraft(b []byte) (Draft, bool) {
	if len(b) == 0 {
		return Draft{}, false
	}
	var d Draft
	if err := json.Unmarshal(b, &d); err != nil || d.Date.Year() < 0 || d.Date.Year() > 9999 {
		return Draft{}, false
	}
	return d, true
}

// SaveDraft sets (or, for empty text, clears) owner's draft of the
// dialog with peer, stamping it with the current date, and tells owner's
// other sessions. The entities are checked as a message's are; a draft
// may be up to MaxMessageLength long.
func (c *Core) SaveDraft(ctx context.Context, owner int64, peer store.Peer, d Draft, o Origin) error {
	var enc []byte
	if d.Text != "" {
		if err := checkText(d.Text, d.Entities); err != nil {
			return err
		}
		if !validText(d.Text) {
			return ErrMessageEmpty
		}
		d.Date = c.now().Truncate(time.Second)
		enc = EncodeDraft(d)
	}
	if peer.Kind == store.PeerUser && peer.ID != owner {
		if _, err := c.User(ctx, peer.ID); err != nil {
			return ErrPeerIDInvalid
		}
	}
	now := c.now().Truncate(time.Second)
	col := newCollector(o)
	err := c.Store.Boxes().Update(ctx, func(tx store.BoxTx) error {
		dl, err := tx.Dialog(owner, peer)
		if errors.Is(err, store.ErrNotFound) {
			if enc == nil {
				return nil
			}
			dl = store.Dialog{OwnerID: owner, Peer: peer}
		} else if err != nil {
			return fmt.Errorf("save draft: %w", err)
		}
		if string(dl.Draft) == string(enc) {
			return nil
		}
		dl.Draft = enc
		if err := tx.PutDialog(dl); err != nil {
			return fmt.Errorf("save draft: %w", err)
		}
		_, err = col.log(tx, owner, 0, now, Event{Kind: EventDraft, Peer: &peer, Draft: enc})
		return err
	})
	if err != nil {
		return err
	}
	c.notify(col.pushes())
	return nil
}

// DialogDraft is one dialog's draft.
type DialogDraft struct {
	Peer  store.Peer
	Draft Draft
}

// AllDrafts returns owner's drafts of every dialog in both folders that
// has a message (a dialog without one is not listed by the store).
func (c *Core) AllDrafts(ctx context.Context, owner int64) ([]DialogDraft, error) {
	var out []DialogDraft
	for _, folder := range []int32{0, 1} {
		q := store.DialogQuery{FolderID: folder, Limit: MaxHistoryLimit}
		for first := true; ; first = false {
			ds, err := c.Store.Boxes().Dialogs(ctx, owner, q)
			if err != nil {
				return nil, fmt.Errorf("all drafts: %w", err)
			}
			for _, d := range ds {
				if dr, ok := DecodeDraft(d.Draft); ok {
					out = append(out, DialogDraft{Peer: d.Peer, Draft: dr})
				}
			}
			if len(ds) < q.Limit {
				break
			}
			last := ds[len(ds)-1]
			q.OffsetDate, q.OffsetID = last.TopDate, last.TopMessage
			if first {
				q.ExcludePinned = true // pinned ones came on the first page
			}
		}
	}
	return out, nil
}
