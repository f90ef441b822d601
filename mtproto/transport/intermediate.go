package transport

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Padding bounds of padded intermediate. Incoming frames may carry up to
// maxReadPadding bytes after the payload; outgoing frames carry up to
// maxWritePadding (see the package documentation for why less than allowed).
const (
	maxReadPadding     = 15
	maxWritePadding    = 3
	maxQuickAckPadding = 8
)

// intermediate is the intermediate codec (a 4-byte little-endian length) and,
// with padded set, padded intermediate. Bit 31 of an incoming length asks for a
// quick ACK.
type intermediate struct {
	padded bool
	rand   io.Reader                    // padding source, padded only
	hdr    [4]byte                      // read side
	rnd    [1 + maxQuickAckPadding]byte // write side: padding length and bytes
}

func (c *intermediate) name() string {
	if c.padded {
		return "padded intermediate"
	}
	return "intermediate"
}

func (c *intermediate) readFrame(r io.Reader, max int) ([]byte, bool, error) {
	if _, err := io.ReadFull(r, c.hdr[:]); err != nil {
		return nil, false, fmt.Errorf("read %s length: %w", c.name(), err)
	}
	v := binary.LittleEndian.Uint32(c.hdr[:])
	quickAck := v&quickAckBit != 0
	n := int(v &^ quickAckBit)

	limit := max
	if c.padded {
		limit += maxReadPadding
	}
	if err := checkLength(n, limit); err != nil {
		return nil, false, fmt.Errorf("%s: %w", c.name(), err)
	}
	if !c.padded && n%4 != 0 {
		return nil, false, fmt.Errorf("intermediate frame of %d bytes is not 4-byte aligned: %w", n, ErrMalformedFrame)
	}
	p, err := readPayload(r, n)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", c.name(), err)
	}
	if !c.padded {
		return p, quickAck, nil
	}
	p = trimPadding(p)
	if err := checkLength(len(p), max); err != nil {
		return nil, false, fmt.Errorf("padded intermediate: %w", err)
	}
	return p, quickAck, nil
}

// trimPadding removes the random padding of a padded intermediate frame using the
// MTProto envelope, which the frame does not delimit itself:
//
//   - unencrypted (auth_key_id 0): auth_key_id, msg_id, message_data_length
//     (bytes 16..20) and the message data, so the payload is 20+length bytes;
//   - encrypted: auth_key_id, msg_key, then AES-IGE data in 16-byte blocks, so
//     the payload is the longest 24+16k prefix (padding is below 16 bytes).
//
// Anything else keeps its 4-byte aligned prefix for the session layer to reject.
func trimPadding(p []byte) []byte {
	if len(p) >= 20 && binary.LittleEndian.Uint64(p) == 0 {
		if end := 20 + uint64(binary.LittleEndian.Uint32(p[16:20])); end <= uint64(len(p)) {
			return p[:end]
		}
	} else if len(p) >= 24 {
		return p[:24+(len(p)-24)&^15]
	}
	return p[:len(p)&^3]
}

func (c *intermediate) appendFrame(dst, payload []byte) ([]byte, error) {
	if !c.padded {
		dst = binary.LittleEndian.AppendUint32(dst, uint32(len(payload)))
		return append(dst, payload...), nil
	}
	rnd := c.rnd[:1+maxWritePadding]
	if _, err := io.ReadFull(c.rand, rnd); err != nil {
		return dst, fmt.Errorf("padding: %w", err)
	}
	pad := int(rnd[0]) % (maxWritePadding + 1)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(payload)+pad))
	dst = append(dst, payload...)
	return append(dst, rnd[1:1+pad]...), nil
}

// appendQuickAck writes the token as 4 raw little-endian bytes with no header
// (as a length it is at least 0x80000000, which no frame can be). Padded
// intermediate instead sends a normal frame of ff ff ff ff, the token and 0..8
// random bytes, which a client tells from a transport error by the ff ff ff ff.
func (c *intermediate) appendQuickAck(dst []byte, token uint32) ([]byte, error) {
	if !c.padded {
		return binary.LittleEndian.AppendUint32(dst, token), nil
	}
	rnd := c.rnd[:]
	if _, err := io.ReadFull(c.rand, rnd); err != nil {
		return dst, fmt.Errorf("padding: %w", err)
	}
	pad := int(rnd[0]) % (maxQuickAckPadding + 1)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(8+pad))
	dst = append(dst, 0xff, 0xff, 0xff, 0xff)
	dst = binary.LittleEndian.AppendUint32(dst, token)
	return append(dst, rnd[1:1+pad]...), nil
}
