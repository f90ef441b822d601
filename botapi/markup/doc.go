// Package markup turns text written in one of the Bot API's parse modes
// (HTML, MarkdownV2 and the legacy Markdown) into plain text plus message
// entities, the way the official Bot API server does it.
//
// The official server (tdlib/telegram-bot-api) does not parse markup
// itself: it lower-cases parse_mode, treats "" and "none" as plain text,
// and hands everything else to TDLib's parseTextEntities, whose
// parse_html, parse_markdown_v2 and parse_markdown live in
// td/telegram/MessageEntity.cpp, with link checks in LinkManager.cpp and
// tdutils' parse_url. This package reimplements those rules byte for
// byte, including their quirks, so that the same input gives the same
// text, the same entities and the same error description:
//
//   - errors are *Error values whose text is what follows "Bad Request: "
//     in the official answer, for example
//     "can't parse entities: Unsupported start tag \"foo\" at byte offset 0";
//     byte offsets in them are offsets into the original UTF-8 text;
//   - entity offsets and lengths are in UTF-16 code units of the returned
//     text, sorted by offset, then by length descending, then by TDLib's
//     type priority; empty entities are dropped;
//   - link targets are checked and normalised as TDLib does
//     ("example.com" becomes "http://example.com/"); an unusable link
//     silently drops its entity, and tg://user?id=N becomes a text_mention.
//
// The result is what parseTextEntities returns, before TDLib's
// fix_formatted_text: nothing is trimmed and '\r' is kept. Rejecting an
// empty result ("message text is empty") is the caller's job.
package markup
