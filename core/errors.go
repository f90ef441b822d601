package core

import (
	"fmt"
	"strings"
)

// Error is a domain error with Telegram's code and message.
type Error struct {
	Code    int32
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

// RPCError returns the code and message of the rpc_error it becomes.
func (e *Error) RPCError() (int32, string) { return e.Code, e.Message }

// Is matches errors with the same message, so errors.Is works with the
// variables below.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == e.Message
}

func bad(msg string) *Error { return &Error{400, msg} }

// FloodWait returns FLOOD_WAIT_X for a wait of sec seconds.
func FloodWait(sec int) *Error { return &Error{420, fmt.Sprintf("FLOOD_WAIT_%d", sec)} }

// IsFloodWait reports a FLOOD_WAIT_X error.
func IsFloodWait(err error) bool {
	e, ok := err.(*Error)
	return ok && strings.HasPrefix(e.Message, "FLOOD_WAIT_")
}

// The errors of accounts, with the official strings.
var (
	ErrPhoneNumberInvalid    = bad("PHONE_NUMBER_INVALID")
	ErrPhoneCodeEmpty        = bad("PHONE_CODE_EMPTY")
	ErrPhoneCodeHashEmpty    = bad("PHONE_CODE_HASH_EMPTY")
	ErrPhoneCodeExpired      = bad("PHONE_CODE_EXPIRED")
	ErrPhoneCodeInvalid      = bad("PHONE_CODE_INVALID")
	ErrPhoneNumberOccupied   = bad("PHONE_NUMBER_OCCUPIED")
	ErrPhoneNumberUnoccupied = bad("PHONE_NUMBER_UNOCCUPIED")
	ErrFirstNameInvalid      = bad("FIRSTNAME_INVALID")
	ErrLastNameInvalid       = bad("LASTNAME_INVALID")
	ErrAboutTooLong          = bad("ABOUT_TOO_LONG")
	ErrAPIIDInvalid          = bad("API_ID_INVALID")
	ErrUsernameInvalid       = bad("USERNAME_INVALID")
	ErrUsernameOccupied      = bad("USERNAME_OCCUPIED")
	ErrUsernameNotModified   = bad("USERNAME_NOT_MODIFIED")
	ErrUsernameNotOccupied   = bad("USERNAME_NOT_OCCUPIED")
	ErrUserIDInvalid         = bad("USER_ID_INVALID")
	ErrPeerIDInvalid         = bad("PEER_ID_INVALID")
	ErrPasswordHashInvalid   = bad("PASSWORD_HASH_INVALID")
	ErrSRPIDInvalid          = bad("SRP_ID_INVALID")
	ErrPasswordNeeded        = &Error{401, "SESSION_PASSWORD_NEEDED"}
	ErrAuthKeyUnregistered   = &Error{401, "AUTH_KEY_UNREGISTERED"}
	ErrAccessTokenInvalid    = bad("ACCESS_TOKEN_INVALID")
	ErrInternal              = &Error{500, "INTERNAL"}
)
