package core

import (
	"sort"
	"unicode"
)

// autoEntities adds the entities the server finds in a text itself, as
// Telegram does for every message: bot commands (/start, /help@my_bot)
// and @username mentions, where they do not overlap an entity the client
// sent. Bot frameworks route commands by these entities.
func autoEntities(text string, es []Entity) []Entity {
	found := scanEntities(text)
	if len(found) == 0 {
		return es
	}
	out := append([]Entity(nil), es...)
	for _, f := range found {
		if !overlaps(es, f) {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Offset < out[j].Offset })
	return out
}

func overlaps(es []Entity, f Entity) bool {
	for _, e := range es {
		if f.Offset < e.Offset+e.Length && e.Offset < f.Offset+f.Length {
			return true
		}
	}
	return false
}

// scanEntities finds commands and mentions, with offsets and lengths in
// UTF-16 code units. A command or mention starts the text or follows a
// space.
func scanEntities(text string) []Entity {
	rs := []rune(text)
	var out []Entity
	pos := make([]int32, len(rs)+1) // UTF-16 offset of each rune
	for i, r := range rs {
		pos[i+1] = pos[i] + 1
		if r >= 0x10000 {
			pos[i+1]++
		}
	}
	word := func(r rune) bool { return r == '_' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	for i := 0; i < len(rs); i++ {
		if i > 0 && !unicode.IsSpace(rs[i-1]) {
			continue
		}
		switch rs[i] {
		case '/':
			j := i + 1
			for j < len(rs) && word(rs[j]) && j-i <= 64 {
				j++
			}
			if j == i+1 {
				continue
			}
			if j < len(rs) && rs[j] == '@' { // /cmd@bot_name
				k := j + 1
				for k < len(rs) && word(rs[k]) {
					k++
				}
				if k-j-1 >= 5 {
					j = k
				}
			}
			if j < len(rs) && !unicode.IsSpace(rs[j]) && !unicode.IsPunct(rs[j]) {
				continue
			}
			out = append(out, Entity{Type: "bot_command", Offset: pos[i], Length: pos[j] - pos[i]})
			i = j - 1
		case '@':
			j := i + 1
			for j < len(rs) && word(rs[j]) {
				j++
			}
			if name := string(rs[i+1 : j]); ValidUsername(name) && (j == len(rs) || !word(rs[j])) {
				out = append(out, Entity{Type: "mention", Offset: pos[i], Length: pos[j] - pos[i]})
				i = j - 1
			}
		}
	}
	return out
}
