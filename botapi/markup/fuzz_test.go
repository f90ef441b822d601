package markup

import "testing"

var fuzzSeeds = []string{
	"", "plain", "*b* _i_ __u__ ~s~ ||p|| `c` ```go\nx```", "[t](example.com) [u](tg://user?id=1)",
	"![e](tg://emoji?id=5) ![t](tg://time?unix=5&format=wDT)", "**>a\n>b||\nc", ">q\n>r\ns", "\\_\\*\\.",
	"<b>x</b><i>y</i><a href=\"t.me\">z</a>", "<pre><code class=\"language-go\">x</code></pre>",
	"&lt;&#128512;&#xD800;&amp", "<tg-emoji emoji-id=\"5\">e</tg-emoji><tg-time unix=5 format=r>t</tg-time>",
	"<blockquote expandable>q</blockquote>", "😀*😀*_é_", "```\r\n`x`\\```", "[a.bc] \\_[a.bc]", "<a>t.me</a>",
}

func FuzzHTML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, HTML, s) })
}

func FuzzMarkdownV2(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, MarkdownV2, s) })
}

func FuzzMarkdown(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, Markdown, s) })
}
