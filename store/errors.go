package store

import "errors"

// Errors returned (wrapped) by every implementation. Compare with errors.Is.
var (
	// ErrNotFound means the requested row does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists means a row with the same identity already exists.
	ErrExists = errors.New("already exists")
	// ErrAlreadyBound means a temporary key is bound to a different
	// permanent key (Telegram: TEMP_AUTH_KEY_ALREADY_BOUND).
	ErrAlreadyBound = errors.New("temporary key already bound to another permanent key")
	// ErrInvalid means an argument breaks a rule of the data model, such as
	// an auth key id of zero or binding a permanent key as a temporary one.
	ErrInvalid = errors.New("invalid argument")
)
