package rpc

import "fmt"

// Error is an RPC error as Telegram sends it: an HTTP-like code and an
// upper-case message.
type Error struct {
	Code    int32
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message) }

// RPCError returns the code and message of rpc_error.
func (e *Error) RPCError() (int32, string) { return e.Code, e.Message }

// Errors of the invoking layer, with the official codes and messages.
var (
	ErrAuthKeyUnregistered = &Error{401, "AUTH_KEY_UNREGISTERED"}
	ErrSessionRevoked      = &Error{401, "SESSION_REVOKED"}
	ErrMethodInvalid       = &Error{400, "INPUT_METHOD_INVALID"}
	ErrConstructorInvalid  = &Error{400, "INPUT_CONSTRUCTOR_INVALID"}
	ErrLayerInvalid        = &Error{400, "INPUT_LAYER_INVALID"}
	ErrConnectionNotInited = &Error{400, "CONNECTION_NOT_INITED"}
	ErrInternal            = &Error{500, "INTERNAL"}
)

// BadRequest returns a 400 error with message.
func BadRequest(message string) *Error { return &Error{400, message} }
