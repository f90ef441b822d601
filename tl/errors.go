package tl

import (
	"errors"
	"fmt"
)

// ErrUnexpectedEOF is returned when the input ends inside a value.
var ErrUnexpectedEOF = errors.New("tl: unexpected end of input")

// ErrTooDeep is returned when objects nest deeper than MaxDepth.
var ErrTooDeep = errors.New("tl: objects nested too deeply")

var errRawDecode = errors.New("tl: type cannot be decoded bare")

// UnknownConstructorError reports a constructor id that the registry in use
// does not know.
type UnknownConstructorError struct {
	ID uint32
}

func (e *UnknownConstructorError) Error() string {
	return fmt.Sprintf("tl: unknown constructor %#08x", e.ID)
}

// UnexpectedConstructorError reports a known constructor in a place whose
// type does not admit it.
type UnexpectedConstructorError struct {
	ID   uint32
	Want string
}

func (e *UnexpectedConstructorError) Error() string {
	return fmt.Sprintf("tl: constructor %#08x is not a %s", e.ID, e.Want)
}

// LengthError reports a length prefix that cannot be right for the input.
type LengthError struct {
	What string
	N    int
}

func (e *LengthError) Error() string {
	return fmt.Sprintf("tl: bad %s length %d", e.What, e.N)
}

// NilError reports a required field that holds no value at encode time.
type NilError struct {
	What string
}

func (e *NilError) Error() string {
	return fmt.Sprintf("tl: nil %s", e.What)
}
