package markup

import "unicode/utf8"

// This file is the HTML parse mode, after TDLib's parse_html and
// decode_html_entity. The input is read as TDLib reads its NUL-terminated
// copy: byteAt returns 0 past the end, and a NUL byte inside a tag ends
// the tag just as the end of the text would.

// htmlTags are the start tags the HTML mode accepts; any other fails with
// "Unsupported start tag".
var htmlTags = map[string]bool{
	"a": true, "b": true, "strong": true, "i": true, "em": true,
	"s": true, "strike": true, "del": true, "u": true, "ins": true,
	"tg-spoiler": true, "tg-emoji": true, "tg-time": true, "span": true,
	"pre": true, "code": true, "blockquote": true,
}

// decodeHTMLEntity decodes the character reference starting with the '&'
// at s[pos]: &lt; &gt; &amp; &quot; (case-sensitive), &#DDD; and &#xHHH;
// (lower-case x), the ';' optional. It returns the code point and the
// index after the reference, or 0 when there is nothing to decode (an
// unknown name, zero, U+10FFFF and above, or a reference of 10 bytes or
// more), in which case the '&' is kept as text.
func decodeHTMLEntity(s string, pos int) (uint32, int) {
	end := pos + 1
	var code uint32
	if byteAt(s, pos+1) == '#' {
		end++
		if byteAt(s, pos+2) == 'x' {
			end++
			for isHexDigit(byteAt(s, end)) {
				code = code*16 + hexValue(s[end])
				end++
			}
		} else {
			for isDigit(byteAt(s, end)) {
				code = code*10 + uint32(s[end]-'0')
				end++
			}
		}
		if code == 0 || code >= 0x10ffff || end-pos >= 10 {
			return 0, pos
		}
	} else {
		for isAlpha(byteAt(s, end)) {
			end++
		}
		switch s[pos+1 : end] {
		case "lt":
			code = '<'
		case "gt":
			code = '>'
		case "amp":
			code = '&'
		case "quot":
			code = '"'
		default:
			return 0, pos
		}
	}
	if byteAt(s, end) == ';' {
		end++
	}
	return code, end
}

// appendCode appends code as UTF-8 the way TDLib does, which also writes
// lone surrogates (as three bytes that are not valid UTF-8).
func appendCode(b []byte, code uint32) []byte {
	switch {
	case code < 0x80:
		return append(b, byte(code))
	case code < 0x800:
		return append(b, byte(0xc0|code>>6), byte(0x80|code&0x3f))
	case code < 0x10000:
		return append(b, byte(0xe0|code>>12), byte(0x80|(code>>6)&0x3f), byte(0x80|code&0x3f))
	}
	return append(b, byte(0xf0|code>>18), byte(0x80|(code>>12)&0x3f), byte(0x80|(code>>6)&0x3f), byte(0x80|code&0x3f))
}

// htmlOpen is a start tag waiting for its end tag.
type htmlOpen struct {
	tag    string
	arg    string // href, language, "spoiler", emoji id, "1" for expandable, time format
	unix   int32  // tg-time
	offset int32  // UTF-16 offset in the result
	begin  int    // byte offset in the result
}

// parseHTML is TDLib's parse_html.
func parseHTML(s string) (string, []rawEntity, error) {
	out := make([]byte, 0, len(s))
	var ents []rawEntity
	var stack []htmlOpen
	var u16 int32
	recheck := false

	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '&' {
			if code, next := decodeHTMLEntity(s, i); code != 0 {
				u16++
				if code > 0xffff {
					u16++
				}
				if code >= 0xd800 && code <= 0xdfff {
					recheck = true
				}
				out = appendCode(out, code)
				i = next - 1
				continue
			}
		}
		if c != '<' {
			u16 += utf16Units(c)
			out = append(out, c)
			continue
		}

		begin := i
		i++
		if byteAt(s, i) != '/' {
			open, next, err := parseStartTag(s, begin, i)
			if err != nil {
				return "", nil, err
			}
			open.offset, open.begin = u16, len(out)
			stack = append(stack, open)
			i = next
			continue
		}

		// An end tag.
		if len(stack) == 0 {
			return "", nil, entitiesError("Unexpected end tag at byte offset %d", begin)
		}
		for !isSpace(byteAt(s, i)) && byteAt(s, i) != '>' {
			i++
		}
		name := asciiLower(s[begin+2 : i])
		for isSpace(byteAt(s, i)) && byteAt(s, i) != 0 {
			i++
		}
		if byteAt(s, i) != '>' {
			return "", nil, entitiesError("Unclosed end tag at byte offset %d", begin)
		}
		top := stack[len(stack)-1]
		if name != "" && name != top.tag {
			return "", nil, entitiesError("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", begin, top.tag, name)
		}
		if u16 > top.offset {
			var err error
			ents, err = closeTag(ents, top, u16-top.offset, out)
			if err != nil {
				return "", nil, err
			}
		}
		stack = stack[:len(stack)-1]
	}
	if len(stack) > 0 {
		return "", nil, entitiesError("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].tag)
	}
	for k := range ents {
		if ents[k].kind == kCode {
			ents[k].arg = ""
		}
	}
	if recheck && !utf8.Valid(out) {
		return "", nil, entitiesError("Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units")
	}
	return string(out), ents, nil
}

// parseStartTag reads the start tag whose '<' is at s[begin], i being the
// byte after it. It returns the tag and the index of its closing '>'.
func parseStartTag(s string, begin, i int) (htmlOpen, int, error) {
	for !isSpace(byteAt(s, i)) && byteAt(s, i) != '>' {
		i++
	}
	if byteAt(s, i) == 0 {
		return htmlOpen{}, 0, entitiesError("Unclosed start tag at byte offset %d", begin)
	}
	tag := asciiLower(s[begin+1 : i])
	if !htmlTags[tag] {
		return htmlOpen{}, 0, entitiesError("Unsupported start tag \"%s\" at byte offset %d", tag, begin)
	}
	open := htmlOpen{tag: tag}
	for byteAt(s, i) != '>' {
		for byteAt(s, i) != 0 && isSpace(s[i]) {
			i++
		}
		if byteAt(s, i) == '>' {
			break
		}
		nameBegin := i
		for {
			c := byteAt(s, i)
			if isSpace(c) || c == '=' || c == '>' || c == '/' || c == '"' || c == '\'' {
				break
			}
			i++
		}
		name := s[nameBegin:i]
		if name == "" {
			return htmlOpen{}, 0, entitiesError("Empty attribute name in the tag \"%s\" at byte offset %d", tag, begin)
		}
		for byteAt(s, i) != 0 && isSpace(s[i]) {
			i++
		}
		if byteAt(s, i) != '=' {
			if byteAt(s, i) == 0 {
				return htmlOpen{}, 0, entitiesError("Unclosed start tag \"%s\" at byte offset %d", tag, begin)
			}
			if tag == "blockquote" && name == "expandable" {
				open.arg = "1"
			}
			continue
		}
		i++
		for byteAt(s, i) != 0 && isSpace(s[i]) {
			i++
		}
		if byteAt(s, i) == 0 {
			return htmlOpen{}, 0, entitiesError("Unclosed start tag \"%s\" at byte offset %d", tag, begin)
		}

		var value string
		if q := s[i]; q != '\'' && q != '"' {
			// A name token: letters, digits, '.' and '-', case-insensitive.
			tokenBegin := i
			for isAlnum(byteAt(s, i)) || byteAt(s, i) == '.' || byteAt(s, i) == '-' {
				i++
			}
			value = asciiLower(s[tokenBegin:i])
			if !isSpace(byteAt(s, i)) && byteAt(s, i) != '>' {
				return htmlOpen{}, 0, entitiesError("Unexpected end of name token at byte offset %d", tokenBegin)
			}
		} else {
			// A quoted string, with character references decoded.
			i++
			var v []byte
			for byteAt(s, i) != q && byteAt(s, i) != 0 {
				if s[i] == '&' {
					if code, next := decodeHTMLEntity(s, i); code != 0 {
						v = appendCode(v, code)
						i = next
						continue
					}
				}
				v = append(v, s[i])
				i++
			}
			if byteAt(s, i) == q {
				i++
			}
			value = string(v)
		}
		if byteAt(s, i) == 0 {
			return htmlOpen{}, 0, entitiesError("Unclosed start tag at byte offset %d", begin)
		}

		switch {
		case tag == "a" && name == "href":
			open.arg = value
		case tag == "code" && name == "class" && len(value) >= 9 && value[:9] == "language-":
			open.arg = value[9:]
		case tag == "span" && name == "class" && len(value) >= 3 && value[:3] == "tg-":
			open.arg = value[3:]
		case tag == "tg-emoji" && name == "emoji-id":
			open.arg = value
		case tag == "blockquote" && name == "expandable":
			open.arg = "1"
		case tag == "tg-time" && name == "unix":
			open.unix = toInt32(value)
		case tag == "tg-time" && name == "format":
			open.arg = value
		}
	}
	if tag == "span" && open.arg != "spoiler" {
		return htmlOpen{}, 0, entitiesError("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
	}
	return open, i, nil
}

// closeTag adds the entity of a non-empty tag that has just been closed.
// out is the result so far, whose tail is the text of an <a> without href.
func closeTag(ents []rawEntity, top htmlOpen, length int32, out []byte) ([]rawEntity, error) {
	e := rawEntity{offset: top.offset, length: length}
	switch top.tag {
	case "i", "em":
		e.kind = kItalic
	case "b", "strong":
		e.kind = kBold
	case "s", "strike", "del":
		e.kind = kStrikethrough
	case "u", "ins":
		e.kind = kUnderline
	case "tg-spoiler", "span":
		e.kind = kSpoiler
	case "tg-emoji":
		id, ok := parseInt64(top.arg)
		if !ok || id == 0 {
			return nil, entitiesError("Invalid custom emoji identifier specified")
		}
		e.kind, e.id = kCustomEmoji, id
	case "tg-time":
		flags, err := parseDateFlags(top.arg)
		if err != nil {
			return nil, err
		}
		if top.unix <= 0 {
			return ents, nil
		}
		e.kind, e.id, e.dateFlags = kDateTime, int64(top.unix), flags
	case "a":
		url := top.arg
		if url == "" {
			url = string(out[top.begin:])
		}
		link, ok := linkEntity(url, top.offset, length)
		if !ok {
			return ents, nil
		}
		e = link
	case "pre":
		if n := len(ents); n > 0 && ents[n-1].kind == kCode && ents[n-1].offset == e.offset &&
			ents[n-1].length == length && ents[n-1].arg != "" {
			ents[n-1].kind = kPreCode
			return ents, nil
		}
		e.kind = kPre
	case "code":
		if n := len(ents); n > 0 && ents[n-1].kind == kPre && ents[n-1].offset == e.offset &&
			ents[n-1].length == length && top.arg != "" {
			ents[n-1].kind, ents[n-1].arg = kPreCode, top.arg
			return ents, nil
		}
		e.kind, e.arg = kCode, top.arg
	case "blockquote":
		e.kind = kBlockQuote
		if top.arg != "" {
			e.kind = kExpandableBlockQuote
		}
	}
	return append(ents, e), nil
}
