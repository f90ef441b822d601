package botapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/roostchat/roost/core"
)

// Error is a failed call as the Bot API reports it: the HTTP status is
// Code, and the body {ok:false, error_code, description, parameters}.
type Error struct {
	Code        int
	Description string
	// RetryAfter and MigrateTo fill ResponseParameters.
	RetryAfter int
	MigrateTo  int64
}

func (e *Error) Error() string { return e.Description }

// Errors every method may answer, with the official strings.
var (
	errNotFound        = &Error{Code: 404, Description: "Not Found"}
	errUnauthorized    = &Error{Code: 401, Description: "Unauthorized"}
	errChatNotFound    = badRequest("chat not found")
	errChatIDEmpty     = badRequest("chat_id is empty")
	errUserNotFound    = badRequest("user not found")
	errInvalidUserID   = badRequest("invalid user_id specified")
	errTextEmpty       = badRequest("message text is empty")
	errTextTooLong     = badRequest("text is too long")
	errMessageTooLong  = badRequest("message is too long")
	errNotModified     = badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	errEditNotFound    = badRequest("message to edit not found")
	errDeleteNotFound  = badRequest("message to delete not found")
	errForwardNotFound = badRequest("message to forward not found")
	errCopyNotFound    = badRequest("message to copy not found")
	errReplyNotFound   = badRequest("message to be replied not found")
	errCantDelete      = badRequest("message can't be deleted")
	errCantEdit        = badRequest("message can't be edited")
	errQueryInvalid    = badRequest("query is too old and response timeout expired or query ID is invalid")
	errBadAction       = badRequest("wrong parameter action in request")
	errBadMarkupJSON   = badRequest("can't parse reply keyboard markup JSON object")
	errMarkupTooLong   = badRequest("reply markup is too long")
	errNotMember       = &Error{Code: 403, Description: "Forbidden: bot is not a member of the group chat"}
	errBlocked         = &Error{Code: 403, Description: "Forbidden: bot was blocked by the user"}
	errNotStarted      = &Error{Code: 403, Description: "Forbidden: bot can't initiate conversation with a user"}
	errToBot           = &Error{Code: 403, Description: "Forbidden: bot can't send messages to bots"}
	errUserAdmin       = badRequest("user is an administrator of the chat")
)

func badRequest(text string) *Error {
	return &Error{Code: 400, Description: "Bad Request: " + text}
}

// translated are core's constants the official server words itself.
var translated = map[string]*Error{
	"MESSAGE_EMPTY":             errTextEmpty,
	"MESSAGE_TOO_LONG":          errMessageTooLong,
	"MESSAGE_NOT_MODIFIED":      errNotModified,
	"QUERY_ID_INVALID":          errQueryInvalid,
	"USER_IS_BLOCKED":           errBlocked,
	"BOT_NOT_STARTED":           errNotStarted,
	"USER_IS_BOT":               errToBot,
	"PEER_ID_INVALID":           errChatNotFound,
	"CHAT_ID_INVALID":           errChatNotFound,
	"CHAT_WRITE_FORBIDDEN":      errNotMember,
	"USER_ADMIN_INVALID":        badRequest("user is an administrator of the chat"),
	"INPUT_USER_DEACTIVATED":    &Error{Code: 403, Description: "Forbidden: user is deactivated"},
	"REPLY_MARKUP_TOO_LONG":     errMarkupTooLong,
	"MESSAGE_DELETE_FORBIDDEN":  errCantDelete,
	"MESSAGE_AUTHOR_REQUIRED":   errCantEdit,
	"MESSAGE_EDIT_TIME_EXPIRED": errCantEdit,
	"CHAT_ABOUT_NOT_MODIFIED":   badRequest("chat description is not modified"),
}

// fromCore turns an error of core into the Bot API's, by the official
// server's rule: a few constants are worded, the others are prefixed by
// their class ("Bad Request: PEER_ID_INVALID").
func fromCore(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var ce *core.Error
	if !errors.As(err, &ce) {
		return &Error{Code: 500, Description: "Internal Server Error: " + lowerFirst(err.Error())}
	}
	if t, ok := translated[ce.Message]; ok {
		return t
	}
	if strings.HasPrefix(ce.Message, "FLOOD_WAIT_") {
		n, _ := strconv.Atoi(strings.TrimPrefix(ce.Message, "FLOOD_WAIT_"))
		return &Error{Code: 429, Description: "Too Many Requests: retry after " + strconv.Itoa(n), RetryAfter: n}
	}
	code := int(ce.Code)
	if code < 400 || code == 404 || code == 403 && isConstant(ce.Message) {
		code = 400
	}
	switch code {
	case 400:
		return badRequest(lowerFirst(ce.Message))
	case 401:
		return errUnauthorized
	case 403:
		return &Error{Code: 403, Description: "Forbidden: " + lowerFirst(ce.Message)}
	}
	return &Error{Code: 500, Description: "Internal Server Error: " + lowerFirst(ce.Message)}
}

// isConstant: an UPPER_CASE error constant.
func isConstant(s string) bool {
	return len(s) > 1 && (s[1] >= 'A' && s[1] <= 'Z' || s[1] == '_')
}

// lowerFirst lower-cases the first letter unless s is a constant.
func lowerFirst(s string) string {
	if s == "" || isConstant(s) || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// envelope is the body of every answer.
type envelope struct {
	OK          bool            `json:"ok"`
	Result      *resultValue    `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *responseParams `json:"parameters,omitempty"`
}

type responseParams struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int   `json:"retry_after,omitempty"`
}

// writeResult answers a successful call.
func writeResult(w http.ResponseWriter, result any, description string) {
	writeJSON(w, http.StatusOK, envelope{OK: true, Result: &resultValue{result}, Description: description})
}

// resultValue keeps false, 0 and empty arrays in "result" (omitempty
// would drop them).
type resultValue struct{ v any }

func (r resultValue) MarshalJSON() ([]byte, error) { return json.Marshal(r.v) }

// writeError answers a failed call.
func writeError(w http.ResponseWriter, e *Error) {
	env := envelope{ErrorCode: e.Code, Description: e.Description}
	if e.RetryAfter > 0 || e.MigrateTo != 0 {
		env.Parameters = &responseParams{RetryAfter: e.RetryAfter, MigrateToChatID: e.MigrateTo}
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	writeJSON(w, e.Code, env)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"ok":false,"error_code":500,"description":"Internal Server Error: can't encode the result"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}
