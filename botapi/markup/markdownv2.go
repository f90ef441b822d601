package markup

import "strings"

// This file is the MarkdownV2 parse mode, after TDLib's parse_markdown_v2.

// v2Open is an entity whose end marker has not been seen yet.
type v2Open struct {
	kind    kind
	arg     string // language of kPreCode
	offset  int32  // UTF-16 offset in the result
	byteOff int    // byte offset of the start marker in the input
	begin   int    // byte offset in the result
}

// v2Reserved are the characters that must be escaped outside code and
// pre; inside those only '`' matters. The newline is listed because it
// ends blockquotes.
const v2Reserved = "_*[]()~`>#+-=|{}.!\n"

// parseMarkdownV2 is TDLib's parse_markdown_v2.
func parseMarkdownV2(s string) (string, []rawEntity, error) {
	out := make([]byte, 0, len(s))
	var ents []rawEntity
	var stack []v2Open
	var u16 int32
	haveBlockquote := false
	canStartBlockquote := true

	for i := 0; i < len(s); i++ {
		c := s[i]
		if next := byteAt(s, i+1); c == '\\' && next >= 1 && next <= 126 {
			i++
			u16++
			out = append(out, next)
			if next != '\r' {
				canStartBlockquote = next == '\n'
			}
			continue
		}

		reserved := v2Reserved
		if n := len(stack); n > 0 {
			if k := stack[n-1].kind; k == kCode || k == kPre || k == kPreCode {
				reserved = "`"
			}
		}
		if strings.IndexByte(reserved, c) < 0 {
			if units := utf16Units(c); units > 0 {
				u16 += units
				if c != '\r' {
					canStartBlockquote = false
				}
			}
			out = append(out, c)
			continue
		}

		if !v2IsEnd(s, i, stack, haveBlockquote) {
			// The start of an entity.
			open := v2Open{offset: u16, byteOff: i}
			switch c {
			case '_':
				open.kind = kItalic
				if byteAt(s, i+1) == '_' {
					open.kind = kUnderline
					i++
				}
			case '*':
				open.kind = kBold
			case '~':
				open.kind = kStrikethrough
			case '|':
				if byteAt(s, i+1) != '|' {
					return "", nil, reservedError(c)
				}
				i++
				open.kind = kSpoiler
			case '[':
				open.kind = kTextURL
			case '`':
				open.kind = kCode
				if byteAt(s, i+1) == '`' && byteAt(s, i+2) == '`' {
					open.kind, open.arg, i = v2PreStart(s, i+3)
					i--
				}
			case '!':
				if byteAt(s, i+1) != '[' {
					return "", nil, reservedError(c)
				}
				i++
				open.kind = kCustomEmoji
			case '\n':
				u16++
				out = append(out, '\n')
				canStartBlockquote = true
				continue
			case '>':
				if !canStartBlockquote {
					return "", nil, reservedError(c)
				}
				if haveBlockquote {
					// A '>' continuing the quote on a new line.
					continue
				}
				open.kind = kBlockQuote
				haveBlockquote = true
			default:
				return "", nil, reservedError(c)
			}
			open.begin = len(out)
			stack = append(stack, open)
			continue
		}

		// The end of the innermost entity.
		top := stack[len(stack)-1]
		typ := top.kind
		if c == '\n' && typ != kBlockQuote {
			// Only "||" right before the newline (optionally "||\r")
			// may end a quote, making it expandable.
			if typ != kSpoiler || !(top.byteOff == i-2 || (top.byteOff == i-3 && len(out) != 0 && out[len(out)-1] == '\r')) {
				return "", nil, entitiesError("Can't find end of %s entity at byte offset %d", typ, top.byteOff)
			}
			stack = stack[:len(stack)-1]
			top = stack[len(stack)-1]
			if top.kind != kBlockQuote {
				return "", nil, entitiesError("Can't find end of %s entity at byte offset %d", top.kind, top.byteOff)
			}
			typ = kExpandableBlockQuote
		}
		e := rawEntity{kind: typ, offset: top.offset, arg: top.arg}
		skip := u16 == top.offset
		switch typ {
		case kUnderline, kSpoiler:
			i++
		case kPre, kPreCode:
			i += 2
		case kTextURL:
			var url string
			if byteAt(s, i+1) != '(' {
				url = string(out[top.begin:])
			} else {
				var err error
				if url, i, err = v2URL(s, i+2); err != nil {
					return "", nil, err
				}
			}
			if link, ok := linkEntity(url, e.offset, 0); ok {
				e = link
			} else {
				skip = true
			}
		case kCustomEmoji:
			if byteAt(s, i+1) != '(' {
				return "", nil, entitiesError("The entity must contain a tg://emoji or tg://time URL")
			}
			url, next, err := v2URL(s, i+2)
			if err != nil {
				return "", nil, err
			}
			i = next
			if id, ok := linkCustomEmojiID(url); ok {
				e.id = id
			} else if unix, format, ok := linkDateTime(url); ok {
				flags, err := parseDateFlags(format)
				if err != nil {
					return "", nil, err
				}
				e.kind, e.id, e.dateFlags = kDateTime, int64(unix), flags
			} else {
				return "", nil, entitiesError("Invalid tg://emoji or tg://time URL specified")
			}
		case kBlockQuote, kExpandableBlockQuote:
			haveBlockquote = false
			out = append(out, s[i])
			canStartBlockquote = true
			u16++
			skip = false
		}
		if !skip {
			e.length = u16 - e.offset
			ents = append(ents, e)
		}
		stack = stack[:len(stack)-1]
	}

	if haveBlockquote {
		typ := kBlockQuote
		if top := stack[len(stack)-1]; top.kind == kSpoiler && top.byteOff == len(s)-2 {
			stack = stack[:len(stack)-1]
			typ = kExpandableBlockQuote
		}
		if top := stack[len(stack)-1]; top.kind == kBlockQuote {
			if u16 != top.offset {
				ents = append(ents, rawEntity{kind: typ, offset: top.offset, length: u16 - top.offset})
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return "", nil, entitiesError("Can't find end of %s entity at byte offset %d", top.kind, top.byteOff)
	}
	return string(out), ents, nil
}

// v2IsEnd reports whether the reserved character at s[i] closes the
// innermost open entity. In a blockquote, a newline not followed by '>'
// closes whatever is open (and is an error unless that is the quote).
func v2IsEnd(s string, i int, stack []v2Open, haveBlockquote bool) bool {
	if len(stack) == 0 {
		return false
	}
	c := s[i]
	if haveBlockquote && c == '\n' && (i+1 == len(s) || s[i+1] != '>') {
		return true
	}
	switch stack[len(stack)-1].kind {
	case kBold:
		return c == '*'
	case kItalic:
		return c == '_' && byteAt(s, i+1) != '_'
	case kUnderline:
		return c == '_' && byteAt(s, i+1) == '_'
	case kCode:
		return c == '`'
	case kPre, kPreCode:
		return c == '`' && byteAt(s, i+1) == '`' && byteAt(s, i+2) == '`'
	case kTextURL, kCustomEmoji:
		return c == ']'
	case kStrikethrough:
		return c == '~'
	case kSpoiler:
		return c == '|' && byteAt(s, i+1) == '|'
	}
	return false // kBlockQuote
}

// v2PreStart reads what follows an opening "```" at s[i]: a language (a
// run of non-space, non-'`' bytes that is followed by something other
// than '`' and the end of the text) and then one optional line break
// ("\n", "\r", "\r\n" or "\n\r"). It returns the index of the first byte
// of the content.
func v2PreStart(s string, i int) (kind, string, int) {
	k, lang := kPre, ""
	end := i
	for !isSpace(byteAt(s, end)) && byteAt(s, end) != '`' {
		end++
	}
	if i != end && end < len(s) && s[end] != '`' {
		k, lang, i = kPreCode, s[i:end], end
	}
	return k, lang, skipLineBreak(s, i)
}

// skipLineBreak skips one line break at s[i], as TDLib does right after
// the opening "```" of a pre block.
func skipLineBreak(s string, i int) int {
	if c := byteAt(s, i); c == '\n' || c == '\r' {
		if d := byteAt(s, i+1); (d == '\n' || d == '\r') && c != d {
			return i + 2
		}
		return i + 1
	}
	return i
}

// v2URL reads the URL of [text](url) or ![emoji](url) starting at s[i],
// just after the '(': up to the first unescaped ')', with '\' escaping
// any ASCII character. It returns the URL and the index of the ')'.
func v2URL(s string, i int) (string, int, error) {
	begin := i
	var url []byte
	for i < len(s) && s[i] != ')' {
		if next := byteAt(s, i+1); s[i] == '\\' && next >= 1 && next <= 126 {
			url = append(url, next)
			i += 2
			continue
		}
		url = append(url, s[i])
		i++
	}
	if byteAt(s, i) != ')' {
		return "", 0, entitiesError("Can't find end of a URL at byte offset %d", begin)
	}
	return string(url), i, nil
}
