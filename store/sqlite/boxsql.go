package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// stmtID names a statement of the messaging paths. They are prepared once
// on the database (database/sql then prepares each on a connection the
// first time it runs there, and keeps it) so that no call parses SQL.
type stmtID int

// The write side (BoxTx), run on the writer's connection.
const (
	wDataVersion stmtID = iota
	wGetBox
	wUpdateBox
	wInsertBox
	wUserExists
	wAppend
	wAppendZero
	wPutMessage
	wGetMessage
	wByRandomID
	wByGlobalID
	wUpdateMessage
	wDeleteMessage
	wGetDialog
	wUpdateDialog
	wInsertDialog
	wDeleteDialog
	wGetBotQueue
	wInsertBotQueue
	wUpdateBotQueue
	wAppendBotUpdate
	wSavepoint
	wRelease
	wRollbackTo

	// The read side (Boxes), run on the pool.
	rState
	rMessage
	rHistoryBefore
	rHistoryAfter
	rMentionsBefore
	rMentionsAfter
	rCount
	rDialogsPinned
	rDialogs
	rDialog
	rUpdates
	rSearch
	rSearchPeer

	numStmts
)

const (
	messageCols = `owner_id, id, peer_kind, peer_id, from_id, outgoing, date, edit_date, text, entities, media,
fwd_from, action, reply_to, random_id, global_id, silent, no_forwards, mentioned, media_unread, pinned, reply_markup`
	selectMessage = `SELECT owner_id, id, peer_kind, peer_id, from_id, outgoing, date, edit_date, text, entities, media,
fwd_from, action, reply_to, COALESCE(random_id, 0), COALESCE(global_id, 0), silent, no_forwards, mentioned,
media_unread, pinned, reply_markup FROM messages`
	selectDialog = `SELECT owner_id, peer_kind, peer_id, top_message, top_date, read_inbox_max_id, read_outbox_max_id,
unread_count, unread_mentions, pinned_order, folder_id, draft FROM dialogs`
	dialogOrder = ` ORDER BY top_date DESC, top_message DESC, peer_kind DESC, peer_id DESC`
	// history selects one dialog's messages with ids in (?, ?) dated before ?.
	history = selectMessage + ` WHERE owner_id = ? AND peer_kind = ? AND peer_id = ? AND id > ? AND id < ? AND date < ?`
	// mentions must repeat the condition of the partial index
	// messages_unread_mentions for SQLite to use it.
	mentions = ` AND mentioned AND media_unread`
	// search compares folded text; see fold.go.
	search = ` AND id < ? AND date >= ? AND date < ? AND roost_fold(text) LIKE ? ESCAPE '\'`
)

var stmtSQL = [numStmts]string{
	wDataVersion: `PRAGMA data_version`,
	// Counters are read once into the writer's cache and written back
	// once per batch (cache.go).
	wGetBox:     `SELECT last_id, pts, seq FROM boxes WHERE owner_id = ?`,
	wUpdateBox:  `UPDATE boxes SET last_id = ?, pts = ?, seq = ? WHERE owner_id = ?`,
	wInsertBox:  `INSERT INTO boxes (owner_id, last_id, pts, seq) VALUES (?, ?, ?, ?)`,
	wAppend:     `INSERT INTO updates (owner_id, pts, ord, pts_count, date, payload) VALUES (?, ?, 0, ?, ?, ?)`,
	wUserExists: `SELECT COUNT(*) FROM users WHERE id = ?`,
	// An entry that does not move pts takes the next ord at its pts.
	wAppendZero: `INSERT INTO updates (owner_id, pts, ord, pts_count, date, payload)
VALUES (?, ?, (SELECT COALESCE(MAX(ord), 0) + 1 FROM updates WHERE owner_id = ? AND pts = ?), 0, ?, ?)`,
	wPutMessage: `INSERT INTO messages (` + messageCols + `)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	wGetMessage: selectMessage + ` WHERE owner_id = ? AND id = ?`,
	wByRandomID: selectMessage + ` WHERE owner_id = ? AND random_id = ?`,
	wByGlobalID: selectMessage + ` WHERE global_id = ? ORDER BY owner_id, id`,
	wUpdateMessage: `UPDATE messages SET peer_kind = ?, peer_id = ?, from_id = ?, outgoing = ?, date = ?,
edit_date = ?, text = ?, entities = ?, media = ?, fwd_from = ?, action = ?, reply_to = ?, random_id = ?, global_id = ?,
silent = ?, no_forwards = ?, mentioned = ?, media_unread = ?, pinned = ?, reply_markup = ? WHERE owner_id = ? AND id = ?`,
	wDeleteMessage: `DELETE FROM messages WHERE owner_id = ? AND id = ?`,
	wGetDialog:     selectDialog + ` WHERE owner_id = ? AND peer_kind = ? AND peer_id = ?`,
	// PutDialog updates; it inserts (after checking the owner) only when
	// the update found no row.
	wUpdateDialog: `UPDATE dialogs SET top_message = ?, top_date = ?, read_inbox_max_id = ?, read_outbox_max_id = ?,
unread_count = ?, unread_mentions = ?, pinned_order = ?, folder_id = ?, draft = ?
WHERE owner_id = ? AND peer_kind = ? AND peer_id = ?`,
	wInsertDialog: `INSERT INTO dialogs (owner_id, peer_kind, peer_id, top_message, top_date, read_inbox_max_id,
read_outbox_max_id, unread_count, unread_mentions, pinned_order, folder_id, draft)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	wDeleteDialog: `DELETE FROM dialogs WHERE owner_id = ? AND peer_kind = ? AND peer_id = ?`,
	// A bot's queue row remembers its last update_id; see botapi.go.
	wGetBotQueue:    `SELECT last_id FROM bot_queues WHERE bot_id = ?`,
	wInsertBotQueue: `INSERT INTO bot_queues (bot_id, last_id) VALUES (?, ?)`,
	wUpdateBotQueue: `UPDATE bot_queues SET last_id = ? WHERE bot_id = ?`,
	wAppendBotUpdate: `INSERT INTO bot_updates (bot_id, update_id, kind, payload, date, expires)
VALUES (?, ?, ?, ?, ?, ?)`,
	wSavepoint:  `SAVEPOINT box_update`,
	wRelease:    `RELEASE box_update`,
	wRollbackTo: `ROLLBACK TO box_update`,

	rState:          `SELECT last_id, pts, seq FROM boxes WHERE owner_id = ?`,
	rMessage:        selectMessage + ` WHERE owner_id = ? AND id = ?`,
	rHistoryBefore:  history + ` ORDER BY id DESC LIMIT ?`,
	rHistoryAfter:   history + ` ORDER BY id LIMIT ?`,
	rMentionsBefore: history + mentions + ` ORDER BY id DESC LIMIT ?`,
	rMentionsAfter:  history + mentions + ` ORDER BY id LIMIT ?`,
	rCount:          `SELECT COUNT(*) FROM messages WHERE owner_id = ? AND peer_kind = ? AND peer_id = ?`,
	rDialogsPinned: selectDialog + ` WHERE owner_id = ? AND folder_id = ? AND pinned_order > 0 AND top_message <> 0
ORDER BY pinned_order DESC, top_date DESC, top_message DESC, peer_kind DESC, peer_id DESC LIMIT ?`,
	// The offset (date, id) is written so that the date bound is a range
	// of the index dialogs_order: top_date <= d AND (top_date < d2 OR
	// top_message < id), with d2 = d for a (date, id) offset.
	rDialogs: selectDialog + ` WHERE owner_id = ? AND folder_id = ? AND pinned_order = 0 AND top_message <> 0
AND top_date <= ? AND (top_date < ? OR top_message < ?)` + dialogOrder + ` LIMIT ?`,
	rDialog:     selectDialog + ` WHERE owner_id = ? AND peer_kind = ? AND peer_id = ?`,
	rUpdates:    `SELECT pts, pts_count, date, payload FROM updates WHERE owner_id = ? AND pts > ? ORDER BY pts, ord LIMIT ?`,
	rSearch:     selectMessage + ` WHERE owner_id = ?` + search + ` ORDER BY id DESC LIMIT ?`,
	rSearchPeer: selectMessage + ` WHERE owner_id = ? AND peer_kind = ? AND peer_id = ?` + search + ` ORDER BY id DESC LIMIT ?`,
}

// prepare prepares every statement of stmtSQL on db.
func prepare(ctx context.Context, db *sql.DB) (*[numStmts]*sql.Stmt, error) {
	var stmts [numStmts]*sql.Stmt
	for i, q := range stmtSQL {
		if q == "" {
			return nil, errors.Join(fmt.Errorf("statement %d has no SQL", i), closeStmts(stmts[:i]))
		}
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("prepare statement %d: %w", i, err), closeStmts(stmts[:i]))
		}
		stmts[i] = st
	}
	return &stmts, nil
}

// closeStmts closes prepared statements, skipping nil ones.
func closeStmts(stmts []*sql.Stmt) error {
	var errs []error
	for _, st := range stmts {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}
