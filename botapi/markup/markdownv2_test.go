package markup

import "testing"

func reservedMsg(c string) string {
	return cp("Character '" + c + "' is reserved and must be escaped with the preceding '\\'")
}

func TestMarkdownV2Reserved(t *testing.T) {
	// Every ASCII character on its own: the reserved ones fail unless
	// escaped, the others are plain text; '\' escapes any of them.
	var cases []tc
	for c := byte(1); c < 127; c++ {
		s := string(rune(c))
		switch c {
		case '_', '*', '[', '~', '`', '>':
			continue // entity starts, tested below
		case ']', '(', ')', '#', '+', '-', '=', '|', '{', '}', '.', '!':
			cases = append(cases, tc{in: s, err: reservedMsg(s)})
		case '\\':
			cases = append(cases, tc{in: s, out: s})
		default:
			cases = append(cases, tc{in: s, out: s})
		}
		cases = append(cases, tc{in: "\\" + s, out: s})
	}
	runCases(t, MarkdownV2, cases)
}

func TestMarkdownV2Errors(t *testing.T) {
	runCases(t, MarkdownV2, []tc{
		{in: "Hello.", err: reservedMsg(".")},
		{in: "a-b", err: reservedMsg("-")},
		{in: "*a.b*", err: reservedMsg(".")},
		{in: "🏟 🏟_abacaba", err: cp("Can't find end of Italic entity at byte offset 9")},
		{in: "🏟 🏟_abac * asd ", err: cp("Can't find end of Bold entity at byte offset 15")},
		{in: "🏟 🏟_abac * asd _", err: cp("Can't find end of Italic entity at byte offset 21")},
		{in: "🏟 🏟`", err: cp("Can't find end of Code entity at byte offset 9")},
		{in: "🏟 🏟```", err: cp("Can't find end of Pre entity at byte offset 9")},
		{in: "🏟 🏟```a", err: cp("Can't find end of Pre entity at byte offset 9")},
		{in: "🏟 🏟```a ", err: cp("Can't find end of PreCode entity at byte offset 9")},
		{in: "🏟 🏟__🏟 🏟_", err: cp("Can't find end of Italic entity at byte offset 20")},
		{in: "🏟 🏟_🏟 🏟__", err: cp("Can't find end of Underline entity at byte offset 19")},
		{in: "🏟 🏟```🏟 🏟`", err: cp("Can't find end of Code entity at byte offset 21")},
		{in: "🏟 🏟```🏟 🏟_", err: cp("Can't find end of PreCode entity at byte offset 9")},
		{in: "🏟 🏟```🏟 🏟\\`", err: cp("Can't find end of PreCode entity at byte offset 9")},
		{in: "[telegram\\.org](asd\\)", err: cp("Can't find end of a URL at byte offset 16")},
		{in: "[telegram\\.org](", err: cp("Can't find end of a URL at byte offset 16")},
		{in: "[telegram\\.org](asd", err: cp("Can't find end of a URL at byte offset 16")},
		{in: "[a", err: cp("Can't find end of TextUrl entity at byte offset 0")},
		{in: "~a", err: cp("Can't find end of Strikethrough entity at byte offset 0")},
		{in: "🏟 🏟__🏟 _🏟___", err: cp("Can't find end of Italic entity at byte offset 23")},
		{in: "___a___", err: cp("Can't find end of Italic entity at byte offset 6")},
		{in: "🏟 🏟__", err: cp("Can't find end of Underline entity at byte offset 9")},
		{in: "🏟 🏟||test\\|", err: cp("Can't find end of Spoiler entity at byte offset 9")},
		{in: "a|b", err: reservedMsg("|")},
		{in: "🏟 🏟!", err: reservedMsg("!")},
		{in: "🏟 🏟>", err: reservedMsg(">")},
		{in: "> >", err: reservedMsg(">")},
		{in: "🏟 🏟![", err: cp("Can't find end of CustomEmoji entity at byte offset 9")},
		{in: "🏟 🏟![👍", err: cp("Can't find end of CustomEmoji entity at byte offset 9")},
		{in: "🏟 🏟![👍]", err: cp("The entity must contain a tg://emoji or tg://time URL")},
		{in: "🏟 🏟![👍](tg://emoji?id=1234", err: cp("Can't find end of a URL at byte offset 17")},
		{in: "🏟 🏟![👍](t://emoji?id=1234)", err: cp("Invalid tg://emoji or tg://time URL specified")},
		{in: "🏟 🏟![👍](tg:emojis?id=1234)", err: cp("Invalid tg://emoji or tg://time URL specified")},
		{in: "🏟 🏟![👍](tg://emoji#test)", err: cp("Invalid tg://emoji or tg://time URL specified")},
		{in: "🏟 🏟![👍](tg://emoji?test=1#&id=25)", err: cp("Invalid tg://emoji or tg://time URL specified")},
		{in: "🏟 🏟![👍](tg://emoji?test=1231&id=025)", err: cp("Invalid tg://emoji or tg://time URL specified")},
		{in: "![x](tg://emoji?id=0)", err: cp("Invalid tg://emoji or tg://time URL specified")},
		{in: "🏟 🏟![👍](tg://time?id=1234", err: cp("Can't find end of a URL at byte offset 17")},
		{in: "🏟 🏟![👍](t://time?id=1234)", err: cp("Invalid tg://emoji or tg://time URL specified")},
		{in: "🏟 🏟![👍](tg://time?test=1231&date=025)", err: cp("Invalid tg://emoji or tg://time URL specified")},
		{in: "![x](tg://time?unix=0)", err: cp("Invalid tg://emoji or tg://time URL specified")},
		{in: "![x](tg://time?unix=5&unix=-1)", err: cp("Invalid tg://emoji or tg://time URL specified")},
		{in: "![x](tg://time?unix=5&format=x)", err: cp("Invalid date format used")},
		{in: "![](tg://time?unix=5&format=rw)", err: cp("Invalid date format used")}, // checked even when empty
		{in: ">*b\n>ld \n>bo\nld*\nasd\ndef", err: cp("Can't find end of Bold entity at byte offset 1")},
		{in: ">\n*a*>2", err: reservedMsg(">")},
		{in: ">asd\n>q||e||w||\n||asdad", err: cp("Can't find end of Spoiler entity at byte offset 16")},
		{in: ">asd\n>q||ew\n||asdad", err: cp("Can't find end of Spoiler entity at byte offset 7")},
		{in: ">asd\n>q||e||w__\n||asdad", err: cp("Can't find end of Underline entity at byte offset 13")},
		{in: ">asd\n>q||e||w||a\n||asdad", err: cp("Can't find end of Spoiler entity at byte offset 13")},
		{in: "*>a*", err: cp("Can't find end of Bold entity at byte offset 3")},
	})
}

func TestMarkdownV2(t *testing.T) {
	runCases(t, MarkdownV2, []tc{
		{in: "", out: ""},
		{in: "\\\\", out: "\\"},
		{in: "\\\\\\", out: "\\\\"},
		{in: "\\\\\\\\\\_\\*\\`", out: "\\\\_*`"},
		{in: "➡️ ➡️", out: "➡️ ➡️"},
		{in: "\\\\\\a\\b\\c\\d\\e\\f\\1\\2\\3\\4\\➡️\\", out: "\\abcdef1234\\➡️\\"},
		{in: "a\\\x7f", out: "a\\\x7f"},
		{in: "🏟 🏟``", out: "🏟 🏟"},
		{in: "🏟 🏟_abac \\* asd _", out: "🏟 🏟abac * asd ", ents: []Entity{ent("italic", 5, 11)}},
		{in: "🏟 \\.🏟_🏟\\. 🏟_", out: "🏟 .🏟🏟. 🏟", ents: []Entity{ent("italic", 6, 6)}},
		{in: "➡️ ➡️_➡️ ➡️_*➡️ ➡️*", out: "➡️ ➡️➡️ ➡️➡️ ➡️", ents: []Entity{ent("italic", 5, 5), ent("bold", 10, 5)}},
		{in: "🏟 🏟_🏟 *🏟*_", out: "🏟 🏟🏟 🏟", ents: []Entity{ent("italic", 5, 5), ent("bold", 8, 2)}},
		// The ___ ambiguity: "__" is always an underline marker, greedily.
		{in: "🏟 🏟_🏟 __🏟___", out: "🏟 🏟🏟 🏟", ents: []Entity{ent("italic", 5, 5), ent("underline", 8, 2)}},
		{in: "🏟 🏟__🏟 _🏟_ __", out: "🏟 🏟🏟 🏟 ", ents: []Entity{ent("underline", 5, 6), ent("italic", 8, 2)}},
		{in: "🏟 🏟__🏟 _🏟_\\___", out: "🏟 🏟🏟 🏟_", ents: []Entity{ent("underline", 5, 6), ent("italic", 8, 2)}},
		{in: "___a_\r__", out: "a\r", ents: []Entity{ent("underline", 0, 2), ent("italic", 0, 1)}},
		// Code and pre: only ` and \ are special inside.
		{in: "🏟 🏟`🏟 🏟```", out: "🏟 🏟🏟 🏟", ents: []Entity{ent("code", 5, 5)}},
		{in: "`a_b*c.d`", out: "a_b*c.d", ents: []Entity{ent("code", 0, 7)}},
		{in: "`a\\`b\\\\c\\.`", out: "a`b\\c.", ents: []Entity{ent("code", 0, 6)}},
		{in: "🏟 🏟```🏟 🏟```", out: "🏟 🏟 🏟", ents: []Entity{pre(5, 3, "🏟")}},
		{in: "🏟 🏟```🏟\n🏟```", out: "🏟 🏟🏟", ents: []Entity{pre(5, 2, "🏟")}},
		{in: "🏟 🏟```🏟\r🏟```", out: "🏟 🏟🏟", ents: []Entity{pre(5, 2, "🏟")}},
		{in: "🏟 🏟```🏟\n\r🏟```", out: "🏟 🏟🏟", ents: []Entity{pre(5, 2, "🏟")}},
		{in: "🏟 🏟```🏟\r\n🏟```", out: "🏟 🏟🏟", ents: []Entity{pre(5, 2, "🏟")}},
		{in: "🏟 🏟```🏟\n\n🏟```", out: "🏟 🏟\n🏟", ents: []Entity{pre(5, 3, "🏟")}},
		{in: "🏟 🏟```🏟\r\r🏟```", out: "🏟 🏟\r🏟", ents: []Entity{pre(5, 3, "🏟")}},
		{in: "🏟 🏟```🏟 \\\\\\`🏟```", out: "🏟 🏟 \\`🏟", ents: []Entity{pre(5, 5, "🏟")}},
		{in: "```go\nfmt.Println(\"hi\")\n```", out: "fmt.Println(\"hi\")\n", ents: []Entity{pre(0, 18, "go")}},
		{in: "```\ncode```", out: "code", ents: []Entity{pre(0, 4, "")}},
		{in: "```code```", out: "code", ents: []Entity{pre(0, 4, "")}},
		{in: "🏟 🏟**", out: "🏟 🏟"},
		{in: "||test||", out: "test", ents: []Entity{ent("spoiler", 0, 4)}},
		{in: "🏟 🏟``````", out: "🏟 🏟"},
		{in: "🏟 🏟____", out: "🏟 🏟"},
		{in: "`_* *_`__*` `*__", out: "_* *_ ",
			ents: []Entity{ent("code", 0, 5), ent("code", 5, 1), ent("bold", 5, 1), ent("underline", 5, 1)}},
		{in: "_* * ` `_", out: "   ", ents: []Entity{ent("italic", 0, 3), ent("bold", 0, 1), ent("code", 2, 1)}},
		{in: "*b _i ~s ||p|| __u__~_*", out: "b i s p u",
			ents: []Entity{ent("bold", 0, 9), ent("italic", 2, 7), ent("strikethrough", 4, 5),
				ent("spoiler", 6, 1), ent("underline", 8, 1)}},
		// Links.
		{in: "[](telegram.org)", out: ""},
		{in: "[ ](telegram.org)", out: " ", ents: []Entity{link(0, 1, "http://telegram.org/")}},
		{in: "[ ](as)", out: " "},
		{in: "[telegram\\.org]", out: "telegram.org", ents: []Entity{link(0, 12, "http://telegram.org/")}},
		{in: "[telegram\\.org]a", out: "telegram.orga", ents: []Entity{link(0, 12, "http://telegram.org/")}},
		{in: "[telegram\\.org](telegram.dog)", out: "telegram.org", ents: []Entity{link(0, 12, "http://telegram.dog/")}},
		{in: "[telegram\\.org](https://telegram.dog?)", out: "telegram.org",
			ents: []Entity{link(0, 12, "https://telegram.dog/?")}},
		{in: "[telegram\\.org](https://telegram.dog?\\\\\\()", out: "telegram.org",
			ents: []Entity{link(0, 12, "https://telegram.dog/?\\(")}},
		{in: "[telegram\\.org]()", out: "telegram.org"},
		{in: "[telegram\\.org](asdasd)", out: "telegram.org"},
		{in: "[telegram\\.org](tg:user?id=123456)", out: "telegram.org", ents: []Entity{mention(0, 12, 123456)}},
		{in: "[a *b*](example.com)", out: "a b", ents: []Entity{link(0, 3, "http://example.com/"), ent("bold", 2, 1)}},
		// Custom emoji and date-time.
		{in: "🏟 🏟![👍](TG://EMoJI/?test=1231&id=25#id=32)a", out: "🏟 🏟👍a", ents: []Entity{emoji(5, 2, "25")}},
		{in: "![👍](tg://emoji?id=5368324170671202286)", out: "👍", ents: []Entity{emoji(0, 2, "5368324170671202286")}},
		{in: "![](tg://emoji?id=1)x", out: "x"},
		{in: "🏟 🏟![👍](TG://TiME/?test=1231&unix=25#unix=32)a", out: "🏟 🏟👍a", ents: []Entity{date(5, 2, 25, "")}},
		{in: "🏟 🏟![👍](TG://TiME/?test=1231&format=R&unix=25#unix=32)a", out: "🏟 🏟👍a", ents: []Entity{date(5, 2, 25, "r")}},
		{in: "![x](tg://time?format=dt&unix=25)", out: "x", ents: []Entity{date(0, 1, 25, "dt")}},
		{in: "![x](tg://time?format=DT&unix=25)", out: "x", ents: []Entity{date(0, 1, 25, "DT")}},
		{in: "![x](tg://time?format=Wt&unix=25)", out: "x", ents: []Entity{date(0, 1, 25, "wt")}},
		// Blockquotes.
		{in: "> \n> \n>", out: " \n \n", ents: []Entity{ent("blockquote", 0, 4)}},
		{in: "> \\>\n \\> \n>", out: " >\n > \n", ents: []Entity{ent("blockquote", 0, 3)}},
		{in: "abc\n> \n> \n>\ndef", out: "abc\n \n \n\ndef", ents: []Entity{ent("blockquote", 4, 5)}},
		{in: ">", out: ""},
		{in: ">a", out: "a", ents: []Entity{ent("blockquote", 0, 1)}},
		{in: ">>a", out: "a", ents: []Entity{ent("blockquote", 0, 1)}},
		{in: "\r>a", out: "\ra", ents: []Entity{ent("blockquote", 1, 1)}},
		{in: "\r\r>\r\ra\r\n\r", out: "\r\r\r\ra\r\n\r", ents: []Entity{ent("blockquote", 2, 5)}},
		{in: ">*bold _italic bold ~italic bold strikethrough ||italic bold strikethrough spoiler||~ __underline italic bold___ bold*",
			out: "bold italic bold italic bold strikethrough italic bold strikethrough spoiler underline italic bold bold",
			ents: []Entity{ent("blockquote", 0, 103), ent("bold", 0, 103), ent("italic", 5, 93),
				ent("strikethrough", 17, 59), ent("spoiler", 43, 33), ent("underline", 77, 21)}},
		{in: ">*b\n>ld \n>bo\n>ld*\nasd\ndef", out: "b\nld \nbo\nld\nasd\ndef",
			ents: []Entity{ent("blockquote", 0, 12), ent("bold", 0, 11)}},
		{in: "*a\n>b\n>ld \n>bo\n>ld\nasd*\ndef", out: "a\nb\nld \nbo\nld\nasd\ndef",
			ents: []Entity{ent("bold", 0, 17), ent("blockquote", 2, 12)}},
		{in: ">`b\n>ld \n>bo\nld`\n>asd\ndef", out: "b\n>ld \n>bo\nld\nasd\ndef",
			ents: []Entity{ent("blockquote", 0, 18), ent("code", 0, 13)}},
		{in: "`>b\n>ld \n>bo\nld`\n>asd\ndef", out: ">b\n>ld \n>bo\nld\nasd\ndef",
			ents: []Entity{ent("code", 0, 14), ent("blockquote", 15, 4)}},
		{in: ">1", out: "1", ents: []Entity{ent("blockquote", 0, 1)}},
		{in: ">\n1", out: "\n1", ents: []Entity{ent("blockquote", 0, 1)}},
		{in: ">\n\r>2", out: "\n\r2", ents: []Entity{ent("blockquote", 0, 1), ent("blockquote", 2, 1)}},
		{in: ">\n**>2", out: "\n2", ents: []Entity{ent("blockquote", 0, 1), ent("blockquote", 1, 1)}},
		{in: ">**\n>2", out: "\n2", ents: []Entity{ent("blockquote", 0, 2)}},
		{in: ">*abcd*", out: "abcd", ents: []Entity{ent("blockquote", 0, 4), ent("bold", 0, 4)}},
		{in: ">*abcd*\n", out: "abcd\n", ents: []Entity{ent("blockquote", 0, 5), ent("bold", 0, 4)}},
		{in: "*>abcd\n*", out: "abcd\n", ents: []Entity{ent("blockquote", 0, 5), ent("bold", 0, 5)}},
		// Expandable blockquotes: **> ... || at the end of the quote.
		{in: "**>a\n>b||", out: "a\nb", ents: []Entity{ent("expandable_blockquote", 0, 3)}},
		{in: "**>a\n>b||\nc", out: "a\nb\nc", ents: []Entity{ent("expandable_blockquote", 0, 4)}},
		{in: ">asd\n>q||e||w||\nasdad", out: "asd\nqew\nasdad",
			ents: []Entity{ent("expandable_blockquote", 0, 8), ent("spoiler", 5, 1)}},
		{in: ">asd\n>q||ew||\nasdad", out: "asd\nqew\nasdad",
			ents: []Entity{ent("blockquote", 0, 8), ent("spoiler", 5, 2)}},
		{in: ">asd\r\n>q||e||w||\r\nasdad", out: "asd\r\nqew\r\nasdad",
			ents: []Entity{ent("expandable_blockquote", 0, 10), ent("spoiler", 6, 1)}},
		{in: ">asd\r\n>q||e||w||", out: "asd\r\nqew",
			ents: []Entity{ent("expandable_blockquote", 0, 8), ent("spoiler", 6, 1)}},
		{in: ">asd\r\n>q||ew||", out: "asd\r\nqew", ents: []Entity{ent("blockquote", 0, 8), ent("spoiler", 6, 2)}},
		{in: ">||", out: ""},
		// UTF-16 offsets.
		{in: "😀 *😀* é", out: "😀 😀 é", ents: []Entity{ent("bold", 3, 2)}},
	})
}
