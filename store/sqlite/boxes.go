package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/internal/rules"
)

// boxes is the store.Boxes of a Store. Writes go through the writer
// (writer.go, boxtx.go); reads run on the pool with prepared statements.
type boxes struct{ s *Store }

func (b boxes) Update(ctx context.Context, f func(tx store.BoxTx) error) error {
	return b.s.writer.do(ctx, f)
}

func (b boxes) State(ctx context.Context, owner int64) (store.BoxState, error) {
	var last, pts, seq int64
	err := b.s.stmts[rState].QueryRowContext(ctx, owner).Scan(&last, &pts, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return store.BoxState{}, nil
	}
	if err != nil {
		return store.BoxState{}, fmt.Errorf("box state of user %d: %w", owner, err)
	}
	return store.BoxState{Pts: int32(pts), LastID: int32(last), Seq: int32(seq)}, nil
}

func (b boxes) Message(ctx context.Context, owner int64, id int32) (store.Message, error) {
	m, err := scanMessage(b.s.stmts[rMessage].QueryRowContext(ctx, owner, int64(id)))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Message{}, fmt.Errorf("message %d of user %d: %w", id, owner, err)
	}
	return m, nil
}

func (b boxes) Messages(ctx context.Context, owner int64, ids []int32) ([]store.Message, error) {
	uniq := slices.Clone(ids)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	var out []store.Message
	for chunk := range slices.Chunk(uniq, maxParams) {
		in, args := inList(chunk, owner)
		q := selectMessage + ` WHERE owner_id = ? AND id` + in + ` ORDER BY id`
		ms, err := scanMessages(b.s.db.QueryContext(ctx, q, args...))
		if err != nil {
			return nil, fmt.Errorf("%d messages of user %d: %w", len(ids), owner, err)
		}
		out = append(out, ms...)
	}
	return out, nil
}

func (b boxes) History(ctx context.Context, owner int64, peer store.Peer, q store.HistoryQuery) ([]store.Message, error) {
	if err := rules.History(peer, q); err != nil {
		return nil, fmt.Errorf("history of user %d: %w", owner, err)
	}
	var id stmtID
	switch {
	case q.Before && q.OnlyMentions:
		id = rMentionsBefore
	case q.Before:
		id = rHistoryBefore
	case q.OnlyMentions:
		id = rMentionsAfter
	default:
		id = rHistoryAfter
	}
	ms, err := scanMessages(b.s.stmts[id].QueryContext(ctx, owner, int64(peer.Kind), peer.ID, int64(q.MinID),
		idBelow(q.MaxID), dateBelow(q.MaxDate), q.Limit))
	if err != nil {
		return nil, fmt.Errorf("history of user %d with %d:%d: %w", owner, peer.Kind, peer.ID, err)
	}
	return ms, nil
}

func (b boxes) Count(ctx context.Context, owner int64, peer store.Peer) (int, error) {
	var n int
	if err := b.s.stmts[rCount].QueryRowContext(ctx, owner, int64(peer.Kind), peer.ID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count messages of user %d with %d:%d: %w", owner, peer.Kind, peer.ID, err)
	}
	return n, nil
}

func (b boxes) Dialogs(ctx context.Context, owner int64, q store.DialogQuery) ([]store.Dialog, error) {
	if err := rules.Dialogs(q); err != nil {
		return nil, fmt.Errorf("dialogs of user %d: %w", owner, err)
	}
	first := q.OffsetDate.IsZero() && q.OffsetID == 0
	var out []store.Dialog
	if first && !q.ExcludePinned {
		ds, err := b.dialogs(ctx, rDialogsPinned, owner, int64(q.FolderID), q.Limit)
		if err != nil {
			return nil, fmt.Errorf("pinned dialogs of user %d: %w", owner, err)
		}
		out = ds
	}
	if q.PinnedOnly || len(out) == q.Limit {
		return out, nil
	}
	// See rDialogs: top_date <= d AND (top_date < d2 OR top_message < id).
	d, d2, id := noMaxDate, noMaxDate, int64(q.OffsetID)
	switch {
	case !q.OffsetDate.IsZero():
		d = q.OffsetDate.Unix()
		d2 = d
	case q.OffsetID != 0:
		d2 = noMinDate // by id alone
	}
	ds, err := b.dialogs(ctx, rDialogs, owner, int64(q.FolderID), d, d2, id, q.Limit-len(out))
	if err != nil {
		return nil, fmt.Errorf("dialogs of user %d: %w", owner, err)
	}
	return append(out, ds...), nil
}

// dialogs runs a query of selectDialog.
func (b boxes) dialogs(ctx context.Context, id stmtID, args ...any) ([]store.Dialog, error) {
	rows, err := b.s.stmts[id].QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Dialog
	for rows.Next() {
		d, err := scanDialog(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (b boxes) Dialog(ctx context.Context, owner int64, peer store.Peer) (store.Dialog, error) {
	d, err := scanDialog(b.s.stmts[rDialog].QueryRowContext(ctx, owner, int64(peer.Kind), peer.ID))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Dialog{}, fmt.Errorf("dialog %d:%d of user %d: %w", peer.Kind, peer.ID, owner, err)
	}
	return d, nil
}

func (b boxes) Updates(ctx context.Context, owner int64, after int32, limit int) ([]store.Update, error) {
	if err := rules.Updates(after, limit); err != nil {
		return nil, fmt.Errorf("updates of user %d: %w", owner, err)
	}
	rows, err := b.s.stmts[rUpdates].QueryContext(ctx, owner, int64(after), limit)
	if err != nil {
		return nil, fmt.Errorf("updates of user %d: %w", owner, err)
	}
	defer rows.Close()
	var out []store.Update
	for rows.Next() {
		var (
			pts, count, date int64
			payload          []byte
		)
		if err := rows.Scan(&pts, &count, &date, &payload); err != nil {
			return nil, fmt.Errorf("updates of user %d: %w", owner, err)
		}
		out = append(out, store.Update{OwnerID: owner, Pts: int32(pts), PtsCount: int32(count),
			Date: fromUnix(date), Payload: nilEmpty(payload)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("updates of user %d: %w", owner, err)
	}
	return out, nil
}

func (b boxes) Search(ctx context.Context, owner int64, q store.SearchQuery) ([]store.Message, error) {
	if err := rules.Search(q); err != nil {
		return nil, fmt.Errorf("search messages of user %d: %w", owner, err)
	}
	from := noMinDate
	if !q.From.IsZero() {
		from = q.From.Unix()
	}
	args := []any{owner}
	id := rSearch
	if q.Peer != (store.Peer{}) {
		args = append(args, int64(q.Peer.Kind), q.Peer.ID)
		id = rSearchPeer
	}
	args = append(args, idBelow(q.MaxID), from, dateBelow(q.To), rules.Like(rules.Fold(q.Text)), q.Limit)
	ms, err := scanMessages(b.s.stmts[id].QueryContext(ctx, args...))
	if err != nil {
		return nil, fmt.Errorf("search messages of user %d: %w", owner, err)
	}
	return ms, nil
}
