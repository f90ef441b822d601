package transport

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"time"
)

// readBufferSize is the size of the buffered reader over a connection: it serves
// the detection peeks (at least the 64-byte obfuscated2 init) and saves a
// system call per small frame, while an idle connection keeps it small (the
// load generator measured 36 KiB per idle connection with 16 KiB here, 20 KiB
// with 512). Larger frames are read straight into their payload buffer.
const readBufferSize = 512

// Accept detects the transport of a freshly accepted connection from its first
// bytes (see the package documentation) and returns it as a [Conn].
//
// The caller keeps ownership of c on error and should close it. With
// Options.HandshakeTimeout set, Accept bounds the detection with a read deadline
// and clears it afterwards; otherwise deadlines are left to the caller.
func Accept(c net.Conn, opt Options) (Conn, error) {
	cfg, err := opt.config()
	if err != nil {
		return nil, fmt.Errorf("transport options: %w", err)
	}
	if cfg.handshake > 0 {
		if err := c.SetReadDeadline(time.Now().Add(cfg.handshake)); err != nil {
			return nil, fmt.Errorf("set handshake deadline: %w", err)
		}
	}
	br := bufio.NewReaderSize(c, readBufferSize)
	codec, obf, err := detect(br, cfg.secret, false)
	if err != nil {
		return nil, fmt.Errorf("detect transport: %w", err)
	}
	if cfg.handshake > 0 {
		if err := c.SetReadDeadline(time.Time{}); err != nil {
			return nil, fmt.Errorf("clear handshake deadline: %w", err)
		}
	}
	return newConn(c, br, codec, obf, cfg), nil
}

// detect consumes the transport header from br: the plain marker of abridged,
// intermediate or padded intermediate, nothing for full (its first bytes are
// already frame 1), or the obfuscated2 init block. With obfuscatedOnly, the
// stream must start with an init block.
func detect(br *bufio.Reader, secret []byte, obfuscatedOnly bool) (Codec, *obfuscation, error) {
	if !obfuscatedOnly {
		codec, err := detectPlain(br)
		if err != nil || codec != 0 {
			return codec, nil, err
		}
	}
	var init [initSize]byte
	if _, err := io.ReadFull(br, init[:]); err != nil {
		return 0, nil, fmt.Errorf("read obfuscated2 init: %w", err)
	}
	obf, err := newObfuscation(&init, secret)
	if err != nil {
		return 0, nil, err
	}
	return obf.codec, obf, nil
}

// detectPlain recognises the unobfuscated transports by peeking at the first
// bytes; it returns 0 when the stream should be an obfuscated2 init block.
func detectPlain(br *bufio.Reader) (Codec, error) {
	b, err := br.Peek(1)
	if err != nil {
		return 0, fmt.Errorf("read transport header: %w", err)
	}
	if b[0] == abridgedMarker {
		_, err := br.Discard(1)
		return Abridged, err
	}
	if b, err = br.Peek(4); err != nil {
		return 0, fmt.Errorf("read transport header: %w", midFrame(err))
	}
	switch first := binary.LittleEndian.Uint32(b); first {
	case tagIntermed:
		_, err := br.Discard(4)
		return Intermediate, err
	case tagPadded:
		_, err := br.Discard(4)
		return PaddedIntermediate, err
	case prefixHEAD, prefixPOST, prefixGET, prefixOPTI:
		return 0, fmt.Errorf("HTTP request %q on the MTProto port: %w", b, ErrUnknownTransport)
	case prefixTLS:
		return 0, fmt.Errorf("TLS handshake on the MTProto port: %w", ErrUnknownTransport)
	}
	if b, err = br.Peek(8); err != nil {
		return 0, fmt.Errorf("read transport header: %w", midFrame(err))
	}
	if binary.LittleEndian.Uint32(b[4:8]) == 0 {
		// The length and sequence number 0 of the first full frame.
		return Full, nil
	}
	return 0, nil
}
