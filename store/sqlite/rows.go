package sqlite

import (
	"math"
	"strings"
	"time"

	"github.com/roostchat/roost/store"
)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// scanMessage reads one row of selectMessage. Integers are scanned into
// int64 and booleans into bool, which database/sql assigns without
// reflection.
func scanMessage(row scanner) (store.Message, error) {
	var (
		m                                        store.Message
		id, kind, date, edit, replyTo            int64
		entities, media, fwdFrom, action, markup []byte
	)
	err := row.Scan(&m.OwnerID, &id, &kind, &m.Peer.ID, &m.FromID, &m.Out, &date, &edit, &m.Text,
		&entities, &media, &fwdFrom, &action, &replyTo, &m.RandomID, &m.GlobalID, &m.Silent,
		&m.NoForwards, &m.Mentioned, &m.MediaUnread, &m.Pinned, &markup)
	if err != nil {
		return store.Message{}, err
	}
	m.ID, m.Peer.Kind, m.ReplyTo = int32(id), store.PeerKind(kind), int32(replyTo)
	m.Date, m.EditDate = fromUnix(date), fromUnix(edit)
	m.Entities, m.Media, m.FwdFrom, m.Action = nilEmpty(entities), nilEmpty(media), nilEmpty(fwdFrom), nilEmpty(action)
	m.ReplyMarkup = nilEmpty(markup)
	return m, nil
}

// messageArgs returns the columns of m in the order of messageCols.
func messageArgs(m store.Message) []any {
	return []any{m.OwnerID, int64(m.ID), int64(m.Peer.Kind), m.Peer.ID, m.FromID, m.Out, unix(m.Date),
		unix(m.EditDate), m.Text, blob(m.Entities), blob(m.Media), blob(m.FwdFrom), blob(m.Action),
		int64(m.ReplyTo), nullID(m.RandomID), nullID(m.GlobalID), m.Silent, m.NoForwards, m.Mentioned,
		m.MediaUnread, m.Pinned, blob(m.ReplyMarkup)}
}

// scanMessages reads every row of a selectMessage query.
var scanMessages = scanAll(scanMessage)

// scanDialog reads one row of selectDialog.
func scanDialog(row scanner) (store.Dialog, error) {
	var (
		d    store.Dialog
		n    [9]int64
		date int64
	)
	err := row.Scan(&d.OwnerID, &n[0], &d.Peer.ID, &n[1], &date, &n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &d.Draft)
	if err != nil {
		return store.Dialog{}, err
	}
	d.Peer.Kind, d.TopMessage, d.TopDate = store.PeerKind(n[0]), int32(n[1]), fromUnix(date)
	d.ReadInboxMaxID, d.ReadOutboxMaxID = int32(n[2]), int32(n[3])
	d.UnreadCount, d.UnreadMentions, d.PinnedOrder, d.FolderID = int32(n[4]), int32(n[5]), int32(n[6]), int32(n[7])
	d.Draft = nilEmpty(d.Draft)
	return d, nil
}

// dialogArgs returns the columns of d in the order of wPutDialog.
func dialogArgs(d store.Dialog) []any {
	return []any{d.OwnerID, int64(d.Peer.Kind), d.Peer.ID, int64(d.TopMessage), unix(d.TopDate),
		int64(d.ReadInboxMaxID), int64(d.ReadOutboxMaxID), int64(d.UnreadCount), int64(d.UnreadMentions),
		int64(d.PinnedOrder), int64(d.FolderID), blob(d.Draft)}
}

// nilEmpty returns b, or nil when it is empty.
func nilEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// blob binds b as a BLOB, an empty one as NULL: the stores read empty
// byte slices back as nil.
func blob(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// Bounds that stand for "unbounded" in range conditions.
const (
	noMaxID   = int64(math.MaxInt32) + 1 // above every int32 id
	noMaxDate = int64(math.MaxInt64)
	noMinDate = int64(math.MinInt64)
)

// idBelow is the exclusive upper bound of ids for maxID (0: none).
func idBelow(maxID int32) int64 {
	if maxID == 0 {
		return noMaxID
	}
	return int64(maxID)
}

// dateBelow is the exclusive upper bound of dates for t (zero: none).
func dateBelow(t time.Time) int64 {
	if t.IsZero() {
		return noMaxDate
	}
	return t.Unix()
}

// inList returns " IN (?, ?, …)" for ids and the statement's arguments:
// before, then the ids. ids must not be empty.
func inList[T ~int32 | ~int64](ids []T, before ...any) (string, []any) {
	args := make([]any, 0, len(before)+len(ids))
	args = append(args, before...)
	for _, id := range ids {
		args = append(args, int64(id))
	}
	return ` IN (?` + strings.Repeat(`, ?`, len(ids)-1) + `)`, args
}

// uniqueIDs returns ids without repeats, each at its first place.
func uniqueIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
