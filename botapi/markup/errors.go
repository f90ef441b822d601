package markup

import "fmt"

// Error is a text that could not be parsed. Its Error() is the Bot API's
// description with the "Bad Request: " prefix left off, so a caller
// answers with code 400 and "Bad Request: " + err.Error().
type Error struct {
	msg string
}

// Error returns the description, for example
// "can't parse entities: Can't find end of the entity starting at byte offset 5".
func (e *Error) Error() string { return e.msg }

// errUnsupportedParseMode is the answer to a parse_mode the Bot API does
// not know; TDLib's "Unsupported parse_mode" with the first letter
// lower-cased, as the Bot API server does with every description.
var errUnsupportedParseMode = &Error{msg: "unsupported parse_mode"}

// errNotUTF8 is parseTextEntities' answer to text that is not valid UTF-8.
var errNotUTF8 = &Error{msg: "text must be encoded in UTF-8"}

// entitiesError is a parser failure: TDLib prefixes the parser's message
// with "Can't parse entities: " and the Bot API lower-cases the "C".
func entitiesError(format string, args ...any) *Error {
	return &Error{msg: "can't parse entities: " + fmt.Sprintf(format, args...)}
}

// reservedError is MarkdownV2's answer to an unescaped reserved character.
func reservedError(c byte) *Error {
	return entitiesError("Character '%c' is reserved and must be escaped with the preceding '\\'", c)
}
