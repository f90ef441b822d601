// Package botapi is the Bot API edge: the HTTP server bots and bot
// frameworks talk to at /bot<token>/<method>.
//
// A request flows through the package in this order: Server routes the
// path and finds the bot by its token (server.go), the parameters are
// gathered from the query string and the body, whichever of the four
// encodings it uses (params.go), the method's handler calls core
// (methods_*.go) and its result or error is written in the Bot API's
// envelope (errors.go). Core's messages become Bot API JSON in
// convert.go; updates wait in each bot's queue in the store and leave it
// through getUpdates (updates.go) or the webhook (webhook.go).
package botapi
