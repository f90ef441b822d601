package transport

import "errors"

// Errors returned by [Accept] and by [Conn] methods; match them with errors.Is.
var (
	// ErrUnknownTransport means the first bytes of a connection select no supported
	// transport: an HTTP request, a TLS ClientHello, a reserved obfuscated2 prefix or
	// an unknown obfuscated2 protocol tag.
	ErrUnknownTransport = errors.New("unknown transport")
	// ErrFrameTooLarge means a frame is longer than Options.MaxFrameSize.
	ErrFrameTooLarge = errors.New("frame too large")
	// ErrMalformedFrame means a frame envelope is invalid: empty, or a length that is
	// not a multiple of 4 where the codec requires one.
	ErrMalformedFrame = errors.New("malformed frame")
	// ErrChecksum means a full-transport frame failed its CRC32 check.
	ErrChecksum = errors.New("frame checksum mismatch")
	// ErrSeqNo means a full-transport frame carried an unexpected sequence number.
	ErrSeqNo = errors.New("frame sequence number mismatch")
	// ErrQuickAckUnsupported means the codec (full) has no quick ACK encoding.
	ErrQuickAckUnsupported = errors.New("quick ack not supported by codec")
)
