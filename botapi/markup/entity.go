package markup

import (
	"sort"
	"strconv"
	"unicode/utf8"
)

// Entity is a span of text in UTF-16 code units, as the Bot API's
// MessageEntity.
type Entity struct {
	// Type is one of "bold", "italic", "underline", "strikethrough",
	// "spoiler", "code", "pre", "text_link", "text_mention",
	// "custom_emoji", "blockquote", "expandable_blockquote" and
	// "date_time".
	Type string
	// Offset and Length are in UTF-16 code units of the parsed text.
	Offset, Length int32
	// URL is the checked, normalised target of a "text_link".
	URL string
	// UserID is the user of a "text_mention" (from a tg://user?id=N link).
	UserID int64
	// Language is the language of a "pre" block, if one was given.
	Language string
	// CustomEmojiID is the decimal identifier of a "custom_emoji", from
	// <tg-emoji emoji-id="..."> or ![x](tg://emoji?id=...).
	CustomEmojiID string
	// UnixTime is the moment of a "date_time", from <tg-time unix="...">
	// or ![x](tg://time?unix=...).
	UnixTime int64
	// DateTimeFormat is the format of a "date_time": "r", or a string
	// matching w?[dD]?[tT]?, or empty.
	DateTimeFormat string
}

// kind is an entity type as TDLib's MessageEntity::Type knows it.
type kind uint8

const (
	kBold kind = iota
	kItalic
	kUnderline
	kStrikethrough
	kSpoiler
	kCode
	kPre
	kPreCode
	kTextURL
	kMentionName
	kCustomEmoji
	kBlockQuote
	kExpandableBlockQuote
	kDateTime
)

// kinds holds, per kind, the name TDLib prints in its error messages and
// the priority that orders entities sharing offset and length.
var kinds = [...]struct {
	name     string
	priority int
}{
	kBold:                 {"Bold", 90},
	kItalic:               {"Italic", 91},
	kUnderline:            {"Underline", 92},
	kStrikethrough:        {"Strikethrough", 93},
	kSpoiler:              {"Spoiler", 94},
	kCode:                 {"Code", 20},
	kPre:                  {"Pre", 11},
	kPreCode:              {"PreCode", 10},
	kTextURL:              {"TextUrl", 49},
	kMentionName:          {"MentionName", 49},
	kCustomEmoji:          {"CustomEmoji", 99},
	kBlockQuote:           {"BlockQuote", 0},
	kExpandableBlockQuote: {"ExpandableBlockQuote", 0},
	kDateTime:             {"Date", 30},
}

// String is the type's name in TDLib's messages ("Can't find end of Bold
// entity ...").
func (k kind) String() string { return kinds[k].name }

// rawEntity is an entity as a parser finds it, before it becomes an Entity.
type rawEntity struct {
	kind           kind
	offset, length int32
	arg            string // URL of kTextURL, language of kPreCode
	id             int64  // user of kMentionName, emoji of kCustomEmoji, time of kDateTime
	dateFlags      int32  // kDateTime
}

// Date flags as TDLib's MessageEntity::DateFlags.
const (
	dateRelative  = 1
	dateShortTime = 2
	dateLongTime  = 4
	dateShortDate = 8
	dateLongDate  = 16
	dateDayOfWeek = 32
)

// parseDateFlags reads a date_time format as TDLib's get_date_flags: "r"
// or "R" alone is relative, otherwise any mix (repeats allowed) of t, T,
// d, D, w and W.
func parseDateFlags(format string) (int32, error) {
	if format == "r" || format == "R" {
		return dateRelative, nil
	}
	var flags int32
	for i := 0; i < len(format); i++ {
		switch format[i] {
		case 't':
			flags |= dateShortTime
		case 'T':
			flags |= dateLongTime
		case 'd':
			flags |= dateShortDate
		case 'D':
			flags |= dateLongDate
		case 'w', 'W':
			flags |= dateDayOfWeek
		default:
			return 0, entitiesError("Invalid date format used")
		}
	}
	return flags, nil
}

// dateFormat writes flags back as the Bot API's date_time_format: TDLib
// keeps the short variant when both short and long are set, and the
// order is day of week, date, time.
func dateFormat(flags int32) string {
	if flags&dateRelative != 0 {
		return "r"
	}
	s := ""
	if flags&dateDayOfWeek != 0 {
		s += "w"
	}
	switch {
	case flags&dateShortDate != 0:
		s += "d"
	case flags&dateLongDate != 0:
		s += "D"
	}
	switch {
	case flags&dateShortTime != 0:
		s += "t"
	case flags&dateLongTime != 0:
		s += "T"
	}
	return s
}

// public turns the entity into the Bot API's form.
func (r rawEntity) public() Entity {
	e := Entity{Offset: r.offset, Length: r.length}
	switch r.kind {
	case kBold:
		e.Type = "bold"
	case kItalic:
		e.Type = "italic"
	case kUnderline:
		e.Type = "underline"
	case kStrikethrough:
		e.Type = "strikethrough"
	case kSpoiler:
		e.Type = "spoiler"
	case kCode:
		e.Type = "code"
	case kPre:
		e.Type = "pre"
	case kPreCode:
		e.Type, e.Language = "pre", r.arg
	case kTextURL:
		e.Type, e.URL = "text_link", r.arg
	case kMentionName:
		e.Type, e.UserID = "text_mention", r.id
	case kCustomEmoji:
		e.Type, e.CustomEmojiID = "custom_emoji", strconv.FormatInt(r.id, 10)
	case kBlockQuote:
		e.Type = "blockquote"
	case kExpandableBlockQuote:
		e.Type = "expandable_blockquote"
	case kDateTime:
		e.Type, e.UnixTime, e.DateTimeFormat = "date_time", r.id, dateFormat(r.dateFlags)
	}
	return e
}

// finish sorts the entities as TDLib's sort_entities (offset, then
// length descending, then type priority) and converts them. std::sort is
// not stable; a stable sort gives the same order whenever TDLib's input
// was already sorted, which is when it does not sort at all.
func finish(text string, raw []rawEntity) (string, []Entity) {
	sort.SliceStable(raw, func(i, j int) bool {
		a, b := raw[i], raw[j]
		if a.offset != b.offset {
			return a.offset < b.offset
		}
		if a.length != b.length {
			return a.length > b.length
		}
		return kinds[a.kind].priority < kinds[b.kind].priority
	})
	var out []Entity
	for _, r := range raw {
		if r.length > 0 {
			out = append(out, r.public())
		}
	}
	return text, out
}

// maxTextLength is parseTextEntities' limit, in Unicode code points.
const maxTextLength = 65536

// run applies parseTextEntities' checks, then the parser.
func run(text string, parse func(string) (string, []rawEntity, error)) (string, []Entity, error) {
	if !utf8.ValidString(text) {
		return "", nil, errNotUTF8
	}
	if utf8.RuneCountInString(text) > maxTextLength {
		return "", nil, entitiesError("Text is too long")
	}
	out, raw, err := parse(text)
	if err != nil {
		return "", nil, err
	}
	t, ents := finish(out, raw)
	return t, ents, nil
}

// Parse parses text in the given parse mode as the Bot API does for a
// parse_mode parameter. The mode is matched case-insensitively against
// "HTML", "MarkdownV2" and "Markdown"; "" and "none" mean plain text,
// which is returned unchanged with no entities, as is an empty text
// whatever the mode. Any other mode fails with "unsupported parse_mode".
func Parse(mode, text string) (string, []Entity, error) {
	m := asciiLower(mode)
	if text == "" || m == "" || m == "none" {
		return text, nil, nil
	}
	switch m {
	case "html":
		return HTML(text)
	case "markdownv2":
		return MarkdownV2(text)
	case "markdown":
		return Markdown(text)
	}
	return "", nil, errUnsupportedParseMode
}

// HTML parses text in the HTML parse mode.
func HTML(text string) (string, []Entity, error) { return run(text, parseHTML) }

// MarkdownV2 parses text in the MarkdownV2 parse mode.
func MarkdownV2(text string) (string, []Entity, error) { return run(text, parseMarkdownV2) }

// Markdown parses text in the legacy Markdown parse mode.
func Markdown(text string) (string, []Entity, error) { return run(text, parseMarkdown) }

// Byte classes as tdutils defines them; all are ASCII-only.

// isSpace is tdutils' is_space: note that it includes NUL and excludes '\f'.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0 || c == '\v'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlpha(c byte) bool { c |= 0x20; return 'a' <= c && c <= 'z' }

func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

func isHexDigit(c byte) bool {
	if isDigit(c) {
		return true
	}
	c |= 0x20
	return 'a' <= c && c <= 'f'
}

func hexValue(c byte) uint32 {
	if isDigit(c) {
		return uint32(c - '0')
	}
	return uint32(c|0x20) - 'a' + 10
}

// asciiLower is tdutils' to_lower: only A-Z change.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// utf16Units is how many UTF-16 code units the UTF-8 byte c adds when it
// starts a character: TDLib counts lead bytes, two for a 4-byte sequence.
func utf16Units(c byte) int32 {
	if c&0xC0 == 0x80 {
		return 0
	}
	if c >= 0xF0 {
		return 2
	}
	return 1
}

// byteAt is s[i], or 0 past the end, where TDLib reads the terminating NUL.
func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}
