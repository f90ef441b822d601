// Package core is Roost's domain: accounts and authorization, users and
// contacts, and (as they arrive) chats, messages, the updates engine and
// bots. Its types are Roost's own, free of TL and of JSON, so that one
// piece of logic serves the MTProto API in every layer and the Bot API.
//
// Errors carry Telegram's error strings (PHONE_CODE_INVALID, ...): they
// are the domain's vocabulary, and the Bot API edge translates them.
package core
