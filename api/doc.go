// Package api holds the MTProto method handlers, one file per namespace.
// Handlers are thin: they validate input, call core and convert results to
// canonical TL types.
package api
