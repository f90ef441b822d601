package markup

// This file is the legacy Markdown parse mode, after TDLib's
// parse_markdown: *bold*, _italic_, `code`, ```pre```, [text](url) and
// [url], no nesting, and '\' escaping only _ * ` and [.

// parseMarkdown is TDLib's parse_markdown. TDLib rewrites the text in
// place, and so does this function, because for [text] without a (url)
// TDLib reads the URL back from that buffer after the output, shifted
// left by at least the '[', has been written over it: "[example.com]"
// links to "http://xample.comm/". Reproducing that keeps even those URLs
// identical to the official ones.
func parseMarkdown(s string) (string, []rawEntity, error) {
	buf := []byte(s)
	size := len(buf)
	at := func(i int) byte {
		if i < size {
			return buf[i]
		}
		return 0
	}
	isMarker := func(c byte) bool { return c == '_' || c == '*' || c == '`' || c == '[' }

	var ents []rawEntity
	var u16 int32
	n := 0 // bytes of result written to buf[:n]
	for i := 0; i < size; i++ {
		c := buf[i]
		if c == '\\' && isMarker(at(i+1)) {
			i++
			buf[n] = buf[i]
			n++
			u16++
			continue
		}
		if !isMarker(c) {
			u16 += utf16Units(c)
			buf[n] = c
			n++
			continue
		}

		// The start of an entity.
		begin := i
		end := c
		if c == '[' {
			end = ']'
		}
		i++
		isPre, lang := false, ""
		if c == '`' && at(i) == '`' && at(i+1) == '`' {
			i += 2
			isPre = true
			langEnd := i
			for !isSpace(at(langEnd)) && at(langEnd) != '`' {
				langEnd++
			}
			if i != langEnd && langEnd < size && buf[langEnd] != '`' {
				lang = string(buf[i:langEnd])
				i = langEnd
			}
			if c := at(i); c == '\n' || c == '\r' {
				if d := at(i + 1); (d == '\n' || d == '\r') && c != d {
					i += 2
				} else {
					i++
				}
			}
		}

		offset := u16
		for i < size && (buf[i] != end || (isPre && !(at(i+1) == '`' && at(i+2) == '`'))) {
			u16 += utf16Units(buf[i])
			buf[n] = buf[i]
			n++
			i++
		}
		if i == size {
			return "", nil, entitiesError("Can't find end of the entity starting at byte offset %d", begin)
		}

		if offset != u16 {
			e := rawEntity{offset: offset, length: u16 - offset}
			add := true
			switch c {
			case '_':
				e.kind = kItalic
			case '*':
				e.kind = kBold
			case '[':
				var url string
				if at(i+1) != '(' {
					url = string(buf[begin+1 : i])
				} else {
					i += 2
					start := i
					for i < size && buf[i] != ')' {
						i++
					}
					url = string(buf[start:i])
				}
				e, add = linkEntity(url, e.offset, e.length)
			case '`':
				switch {
				case !isPre:
					e.kind = kCode
				case lang == "":
					e.kind = kPre
				default:
					e.kind, e.arg = kPreCode, lang
				}
			}
			if add {
				ents = append(ents, e)
			}
		}
		if isPre {
			i += 2
		}
	}
	return string(buf[:n]), ents, nil
}
