package transport

import (
	"encoding/binary"
	"fmt"
	"io"
)

// abridged is the abridged codec: a length in 4-byte words, as one byte below
// 0x7f or as 0x7f followed by 3 little-endian bytes. The client sets the top bit
// of the first byte to ask for a quick ACK.
type abridged struct {
	hdr [4]byte
}

func (a *abridged) readFrame(r io.Reader, max int) ([]byte, bool, error) {
	if _, err := io.ReadFull(r, a.hdr[:1]); err != nil {
		return nil, false, fmt.Errorf("read abridged length: %w", err)
	}
	quickAck := a.hdr[0]&0x80 != 0
	words := int(a.hdr[0] & 0x7f)
	if words == 0x7f {
		if _, err := io.ReadFull(r, a.hdr[1:4]); err != nil {
			return nil, false, fmt.Errorf("read abridged long length: %w", midFrame(err))
		}
		words = int(a.hdr[1]) | int(a.hdr[2])<<8 | int(a.hdr[3])<<16
	}
	n := words * 4
	if err := checkLength(n, max); err != nil {
		return nil, false, fmt.Errorf("abridged: %w", err)
	}
	p, err := readPayload(r, n)
	if err != nil {
		return nil, false, fmt.Errorf("abridged: %w", err)
	}
	return p, quickAck, nil
}

func (a *abridged) appendFrame(dst, payload []byte) ([]byte, error) {
	words := len(payload) / 4
	switch {
	case words < 0x7f:
		dst = append(dst, byte(words))
	case words <= maxAbridgedWords:
		dst = append(dst, 0x7f, byte(words), byte(words>>8), byte(words>>16))
	default:
		return dst, fmt.Errorf("abridged frame of %d bytes: %w", len(payload), ErrFrameTooLarge)
	}
	return append(dst, payload...), nil
}

// appendQuickAck writes the token byte-swapped (big-endian) with no length header,
// so its first byte has the top bit set, which no server length byte has.
func (a *abridged) appendQuickAck(dst []byte, token uint32) ([]byte, error) {
	return binary.BigEndian.AppendUint32(dst, token), nil
}
