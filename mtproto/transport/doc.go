// Package transport is the server side of the MTProto transport layer: it turns a
// raw byte stream (a TCP connection or a WebSocket) into a stream of MTProto frames.
//
// A frame payload is whatever the layer above exchanges with the client: an
// unencrypted message (auth_key_id = 0) during the key exchange, an encrypted
// message afterwards, or a 4-byte transport error. The transport never looks inside
// a payload, with one exception described below for padded intermediate.
//
// # Detection
//
// One listening port serves every transport. [Accept] looks at the first bytes of
// the connection (see https://core.telegram.org/mtproto/mtproto-transports):
//
//   - 0xef: abridged;
//   - ee ee ee ee: intermediate;
//   - dd dd dd dd: padded intermediate;
//   - "POST", "GET ", "HEAD", "OPTI" or 16 03 01 02: HTTP or TLS, rejected with
//     [ErrUnknownTransport] (those transports are served elsewhere);
//   - bytes 4..7 all zero: full (the first bytes are the length and the
//     TCP sequence number 0 of the first frame);
//   - anything else: a 64-byte obfuscated2 init block. Its decrypted protocol tag
//     (ef ef ef ef, ee ee ee ee, dd dd dd dd) selects the codec, and every later byte
//     in both directions goes through AES-256-CTR. The DC id in the init block is
//     ignored, because several clients fill it with random bytes.
//
// [WebSocketHandler] serves the /apiws endpoint of web clients, where obfuscation is
// mandatory: the WebSocket messages are concatenated into one byte stream, so a
// message may hold part of a frame or several frames.
//
// # Frames
//
// [Conn.ReadFrame] returns one payload per call and reports whether the client asked
// for a quick ACK (the top bit of the length in abridged, intermediate and padded
// intermediate; full has no quick ACK). The server answers with [Conn.WriteQuickAck]
// once the payload is decrypted and accepted, and reports problems with
// [Conn.WriteError] (-404, -429, -444).
//
// Padded intermediate adds 0..15 random bytes after each payload and does not say
// where the payload ends. ReadFrame removes that padding, so every codec yields the
// exact payload: an unencrypted message ends after its message_data_length, and an
// encrypted one is 24+16k bytes long (the AES-IGE block size). A payload that fits
// neither rule is returned with only its unaligned tail removed, and the session
// layer rejects it as a malformed message. On write, padding is 0..3 bytes: gotd/td
// and Telethon strip only "length mod 4" bytes of padding, so longer padding would
// corrupt the encrypted messages they receive.
//
// # Limits
//
// A declared frame length is checked against [Options.MaxFrameSize] before any
// buffer is allocated, and the payload buffer grows only as bytes actually arrive,
// so a client cannot make the server reserve memory it does not fill. Deadlines are
// the caller's business ([Conn.SetReadDeadline]); [Options.HandshakeTimeout] bounds
// the transport detection only.
package transport
