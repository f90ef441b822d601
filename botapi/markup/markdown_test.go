package markup

import "testing"

func endErr(off string) string {
	return cp("Can't find end of the entity starting at byte offset " + off)
}

func TestMarkdownErrors(t *testing.T) {
	runCases(t, Markdown, []tc{
		{in: "*a", err: endErr("0")},
		{in: "hello *world", err: endErr("6")},
		{in: "ab _c", err: endErr("3")},
		{in: "`code", err: endErr("0")},
		{in: "[text", err: endErr("0")},
		{in: "😀*b", err: endErr("4")},
		{in: "```", err: endErr("0")},
		{in: "```pre``", err: endErr("0")},
		{in: "*a* _b", err: endErr("4")},
		{in: "snake_case", err: endErr("5")},
	})
}

func TestMarkdown(t *testing.T) {
	runCases(t, Markdown, []tc{
		{in: "", out: ""},
		{in: "plain. text! (with) #reserved-v2 {chars}", out: "plain. text! (with) #reserved-v2 {chars}"},
		{in: "*bold*", out: "bold", ents: []Entity{ent("bold", 0, 4)}},
		{in: "_it_ *b*", out: "it b", ents: []Entity{ent("italic", 0, 2), ent("bold", 3, 1)}},
		{in: "`code`", out: "code", ents: []Entity{ent("code", 0, 4)}},
		{in: "😀*b*é_i_", out: "😀béi", ents: []Entity{ent("bold", 2, 1), ent("italic", 4, 1)}},
		// No nesting: markers inside an entity are text.
		{in: "*a _b_ c*", out: "a _b_ c", ents: []Entity{ent("bold", 0, 7)}},
		{in: "_a\nb_", out: "a\nb", ents: []Entity{ent("italic", 0, 3)}},
		{in: "`a\\`", out: "a\\", ents: []Entity{ent("code", 0, 2)}},
		// Escapes: only _ * ` [ and only outside entities.
		{in: "\\*not bold\\*", out: "*not bold*"},
		{in: "a\\`b\\_c\\[d", out: "a`b_c[d"},
		{in: "\\. \\\\ \\]", out: "\\. \\\\ \\]"},
		// Empty entities vanish.
		{in: "**", out: ""},
		{in: "a__b", out: "ab"},
		{in: "``````", out: ""},
		// Pre blocks: a language before the first whitespace, one line break skipped.
		{in: "```\npre```", out: "pre", ents: []Entity{pre(0, 3, "")}},
		{in: "```python\nprint(1)```", out: "print(1)", ents: []Entity{pre(0, 8, "python")}},
		{in: "```python code```", out: " code", ents: []Entity{pre(0, 5, "python")}},
		{in: "```js```", out: "js", ents: []Entity{pre(0, 2, "")}},
		{in: "```\r\ncode```", out: "code", ents: []Entity{pre(0, 4, "")}},
		{in: "```\n\ncode```", out: "\ncode", ents: []Entity{pre(0, 5, "")}},
		{in: "```a`b```", out: "a`b", ents: []Entity{pre(0, 3, "")}},
		{in: "```go\n*x* _y_```z", out: "*x* _y_z", ents: []Entity{pre(0, 7, "go")}},
		// Links.
		{in: "[text](http://example.com)", out: "text", ents: []Entity{link(0, 4, "http://example.com/")}},
		// TDLib reads the URL of [url] back from the buffer it is rewriting in
		// place, after the text has been shifted over it: the URL comes out
		// mangled ("xample.comm"), or is lost when escapes shift it further.
		{in: "[example.com]", out: "example.com", ents: []Entity{link(0, 11, "http://xample.comm/")}},
		{in: "[a.bc]", out: "a.bc", ents: []Entity{link(0, 4, "http://.bcc/")}},
		{in: "\\_[a.bc]", out: "_a.bc"},
		{in: "[x]", out: "x"},
		{in: "[user](tg://user?id=123)", out: "user", ents: []Entity{mention(0, 4, 123)}},
		{in: "[x](bad)", out: "x"},
		{in: "[x](http://a.com", out: "x", ents: []Entity{link(0, 1, "http://a.com/")}},
		{in: "[](http://x.com)", out: "(http://x.com)"},
		{in: "[a *b*](http://x.com)", out: "a *b*", ents: []Entity{link(0, 5, "http://x.com/")}},
		{in: "[x](tg://resolve?domain=roost) y", out: "x y", ents: []Entity{link(0, 1, "tg://resolve?domain=roost")}},
	})
}
