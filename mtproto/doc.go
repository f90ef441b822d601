// Package mtproto is the server side of the MTProto protocol. A byte from
// a socket goes through transport (framing, obfuscation), then either
// handshake (auth-key creation, for unencrypted messages) or the session
// engine here: decryption with crypto, msg_id and seq_no rules, salts,
// containers, gzip, acks and the service messages. API calls are handed
// to an Invoker (package rpc) and their results encoded back in the
// client's layer. This package knows nothing of users or messages.
package mtproto
