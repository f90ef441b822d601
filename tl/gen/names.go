package gen

import (
	"strings"
	"unicode"
)

// initialisms are written in capitals in Go names, as Go style asks.
var initialisms = map[string]string{
	"id": "ID", "ids": "IDs", "url": "URL", "urls": "URLs", "dc": "DC", "ip": "IP",
	"api": "API", "http": "HTTP", "json": "JSON", "uri": "URI", "pq": "PQ", "dh": "DH",
}

// goName turns a TL name (snake_case, camelCase, dotted) into an exported
// Go identifier: "auth.sentCode" -> "AuthSentCode", "msg_ids" -> "MsgIDs".
func goName(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '.' }) {
		if v, ok := initialisms[part]; ok {
			b.WriteString(v)
			continue
		}
		r := []rune(part)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

// reserved are method names of generated types that fields must not take.
var reserved = map[string]bool{"TypeID": true, "EncodeBare": true, "DecodeBare": true}

func fieldName(s string) string {
	n := goName(s)
	if reserved[n] {
		n += "_"
	}
	return n
}
