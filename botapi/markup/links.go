package markup

import (
	"net/netip"
	"strconv"
	"strings"
)

// This file holds the link rules the parsers share: TDLib's
// LinkManager::get_link_user_id, get_checked_link, get_link_custom_emoji_id
// and get_link_date_format, and tdutils' parse_url beneath them.

// maxUserID is TDLib's UserId::MAX_USER_ID.
const maxUserID = 1<<40 - 1

// parseInt64 is tdutils' to_integer_safe<int64>: s must be exactly the
// decimal form of an int64 ("-" allowed, no "+", no leading zeros, no "-0").
func parseInt64(s string) (int64, bool) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(v, 10) != s {
		return 0, false
	}
	return v, true
}

// parseInt32 is tdutils' to_integer_safe<int32>.
func parseInt32(s string) (int32, bool) {
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil || strconv.FormatInt(v, 10) != s {
		return 0, false
	}
	return int32(v), true
}

// toInt32 is tdutils' unchecked to_integer<int32>: an optional '-', then
// digits up to the first non-digit, wrapping on overflow.
func toInt32(s string) int32 {
	i, neg := 0, false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	var v uint32
	for ; i < len(s) && isDigit(s[i]); i++ {
		v = v*10 + uint32(s[i]-'0')
	}
	if v > 1<<31-1 {
		v = ^v + 1
		neg = !neg
		if v > 1<<31-1 {
			return -1 << 31
		}
	}
	if neg {
		return -int32(v)
	}
	return int32(v)
}

// forEachParam calls f with every key and value of an a=b&c=d query, as
// TDLib's full_split on '&' and split on the first '='; f returns false
// to stop.
func forEachParam(query string, f func(key, value string) bool) {
	if query == "" {
		return
	}
	for _, p := range strings.Split(query, "&") {
		key, value, _ := strings.Cut(p, "=")
		if !f(key, value) {
			return
		}
	}
}

// linkUserID is get_link_user_id: the id of a tg://user?id=N link, valid
// when 0 < id < 2^40. The whole link is lower-cased first.
func linkUserID(link string) (int64, bool) {
	u := asciiLower(link)
	rest, ok := strings.CutPrefix(u, "tg:")
	if !ok {
		return 0, false
	}
	rest = strings.TrimPrefix(rest, "//")
	if !strings.HasPrefix(rest, "user") || (len(rest) > 4 && strings.IndexByte("/?#", rest[4]) < 0) {
		return 0, false
	}
	rest = strings.TrimPrefix(rest[4:], "/")
	rest, ok = strings.CutPrefix(rest, "?")
	if !ok {
		return 0, false
	}
	rest, _, _ = strings.Cut(rest, "#")
	var id int64
	found := false
	forEachParam(rest, func(key, value string) bool {
		if key != "id" {
			return true
		}
		id, found = parseInt64(value)
		return false
	})
	return id, found && id > 0 && id <= maxUserID
}

// tgQuery is TDLib's check_tg_url_host: for tg://host?query (scheme and
// host case-insensitive, "//" and a '/' before '?' optional) it returns
// the query without its #fragment.
func tgQuery(link, host string) (string, bool) {
	prefix := link
	if n := 3 + 2 + len(host) + 1; len(prefix) > n {
		prefix = prefix[:n]
	}
	lower := asciiLower(prefix)
	if !strings.HasPrefix(lower, "tg:") {
		return "", false
	}
	lower, link = lower[3:], link[3:]
	if strings.HasPrefix(link, "//") {
		lower, link = lower[2:], link[2:]
	}
	if !strings.HasPrefix(lower, host) || (len(link) > len(host) && strings.IndexByte("/?#", link[len(host)]) < 0) {
		return "", false
	}
	link = strings.TrimPrefix(link[len(host):], "/")
	link, ok := strings.CutPrefix(link, "?")
	if !ok {
		return "", false
	}
	link, _, _ = strings.Cut(link, "#")
	return link, true
}

// linkCustomEmojiID is get_link_custom_emoji_id: the id of a
// tg://emoji?id=N link; the first "id" decides, and it must be non-zero.
func linkCustomEmojiID(link string) (int64, bool) {
	query, ok := tgQuery(link, "emoji")
	if !ok {
		return 0, false
	}
	var id int64
	found := false
	forEachParam(query, func(key, value string) bool {
		if key != "id" {
			return true
		}
		id, found = parseInt64(value)
		found = found && id != 0
		return false
	})
	return id, found
}

// linkDateTime is get_link_date_format: the unix time and format of a
// tg://time?unix=N&format=F link. A non-positive or malformed unix time
// fails at once; the last format wins.
func linkDateTime(link string) (unix int32, format string, ok bool) {
	query, ok := tgQuery(link, "time")
	if !ok {
		return 0, "", false
	}
	bad := false
	forEachParam(query, func(key, value string) bool {
		if key == "unix" {
			v, good := parseInt32(value)
			if !good || v <= 0 {
				bad = true
				return false
			}
			unix = v
		}
		if key == "format" {
			format = value
		}
		return true
	})
	if bad || unix == 0 {
		return 0, "", false
	}
	return unix, format, true
}

// parsedURL is tdutils' HttpUrl.
type parsedURL struct {
	https         bool
	userinfo      string
	host          string // lower-cased
	ipv6          bool
	specifiedPort int
	query         string // begins with '/'
}

// parseURL is tdutils' parse_url with HTTP as the default protocol:
// [http[s]://][userinfo@]host[:port][/path?query#fragment].
func parseURL(u string) (parsedURL, bool) {
	var r parsedURL
	pos := 0
	end := strings.IndexAny(u, ":/?#@[]")
	if end < 0 {
		end = len(u)
	}
	if strings.HasPrefix(u[end:], "://") {
		switch asciiLower(u[:end]) {
		case "http":
		case "https":
			r.https = true
		default:
			return r, false
		}
		pos = end + 3
	}
	end = len(u)
	if k := strings.IndexAny(u[pos:], "/?#"); k >= 0 {
		end = pos + k
	}
	hostPort, query := u[pos:end], u[end:]

	port := 0
	hostPart := hostPort
	j := len(hostPort) - 1
	for j > 0 && hostPort[j] != ':' && hostPort[j] != ']' && hostPort[j] != '@' {
		j--
	}
	if j > 0 && hostPort[j] == ':' {
		p := hostPort[j+1:]
		for len(p) > 1 && p[0] == '0' {
			p = p[1:]
		}
		if v, ok := parseInt32(p); ok && v != 0 {
			port = int(v)
		} else {
			port = -1
		}
		hostPart = hostPort[:j]
	}
	if port < 0 || port > 65535 {
		return r, false
	}
	host := hostPart
	if at := strings.LastIndexByte(hostPart, '@'); at >= 0 {
		r.userinfo, host = hostPart[:at], hostPart[at+1:]
	}
	if host != "" && host[0] == '[' && host[len(host)-1] == ']' {
		inner := host
		if len(inner) > 2 {
			inner = inner[1 : len(inner)-1]
		}
		a, err := netip.ParseAddr(inner)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return r, false
		}
		r.ipv6 = true
	}
	if host == "" || host == "." {
		return r, false
	}
	r.specifiedPort = port

	for query != "" && isSpace(query[len(query)-1]) {
		query = query[:len(query)-1]
	}
	if query == "" {
		query = "/"
	}
	var q strings.Builder
	if query[0] != '/' {
		q.WriteByte('/')
	}
	for i := 0; i < len(query); i++ {
		if c := query[i]; c <= 0x20 {
			q.WriteByte('%')
			q.WriteByte("0123456789ABCDEF"[c/16])
			q.WriteByte("0123456789ABCDEF"[c%16])
		} else {
			q.WriteByte(c)
		}
	}
	r.query = q.String()

	r.host = asciiLower(host)
	if !validHost(r.host, r.ipv6) {
		return r, false
	}
	return r, true
}

// validHost is parse_url's check of the lower-cased host: RFC 3986
// characters, %XX escapes and raw UTF-8 bytes; for an IPv6 literal,
// brackets around hex digits, ':' and '.'.
func validHost(h string, ipv6 bool) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		if ipv6 {
			if i == 0 || i+1 == len(h) || c == ':' || isDigit(c) || ('a' <= c && c <= 'f') || c == '.' {
				continue
			}
			return false
		}
		if ('a' <= c && c <= 'z') || isDigit(c) || strings.IndexByte(".-_!$,~*'();&+=", c) >= 0 {
			continue
		}
		if c == '%' {
			i++
			if c = byteAt(h, i); isDigit(c) || ('a' <= c && c <= 'f') {
				i++
				if c = byteAt(h, i); isDigit(c) || ('a' <= c && c <= 'f') {
					continue
				}
			}
			return false
		}
		if c >= 0x80 {
			continue
		}
		return false
	}
	return true
}

// String is HttpUrl::get_url.
func (r parsedURL) String() string {
	s := "http://"
	if r.https {
		s = "https://"
	}
	if r.userinfo != "" {
		s += r.userinfo + "@"
	}
	s += r.host
	if r.specifiedPort > 0 {
		s += ":" + strconv.Itoa(r.specifiedPort)
	}
	return s + r.query
}

// hasPrefixFold is LinkManager's tolower_begins_with: prefix is lower-case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && asciiLower(s[:len(prefix)]) == prefix
}

// checkedLink is get_checked_link: the normalised form of an http(s)
// link (which needs a dot in the host, or an IPv6 literal) or of a tg:,
// ton: or tonsite: link, or "" when the link is unusable.
func checkedLink(link string) string {
	scheme := ""
	for _, s := range []string{"tg", "ton", "tonsite"} {
		if hasPrefixFold(link, s+":") {
			scheme = s
			link = link[len(s)+1:]
			link = strings.TrimPrefix(link, "//")
			break
		}
	}
	u, ok := parseURL(link)
	if !ok {
		return ""
	}
	if scheme == "" {
		if !u.ipv6 && strings.IndexByte(u.host, '.') < 0 {
			return ""
		}
		return u.String()
	}
	if hasPrefixFold(link, "http://") || u.https || u.userinfo != "" || u.specifiedPort != 0 || u.ipv6 {
		return ""
	}
	query := u.query
	if len(query) > 1 && query[1] == '?' {
		query = query[1:]
	}
	for i := 0; i < len(u.host); i++ {
		c := u.host[i]
		if !isAlnum(c) && c != '-' && c != '_' && !(scheme == "tonsite" && c == '.') {
			return ""
		}
	}
	return scheme + "://" + u.host + query
}

// linkEntity is what an [text](url) or <a href> becomes: a mention for
// tg://user?id=N, a text link for any other usable link, or nothing.
func linkEntity(url string, offset, length int32) (rawEntity, bool) {
	if id, ok := linkUserID(url); ok {
		return rawEntity{kind: kMentionName, offset: offset, length: length, id: id}, true
	}
	if u := checkedLink(url); u != "" {
		return rawEntity{kind: kTextURL, offset: offset, length: length, arg: u}, true
	}
	return rawEntity{}, false
}
