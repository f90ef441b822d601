// Package rpc sits between the MTProto session engine and the API
// handlers: it reads the client's layer from invokeWithLayer, decodes the
// query in that layer, unwraps initConnection, invokeWithoutUpdates and
// invokeAfterMsg(s), enforces authorization and routes the call to the
// handler registered in a tg.Server. Errors become Telegram's rpc_error.
package rpc
