package transport

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
)

// fullOverhead is the envelope of a full frame: length, sequence number, CRC32.
const fullOverhead = 12

// full is the full codec: a little-endian length counting the whole frame, a
// per-direction sequence number starting at 0, the payload and an IEEE CRC32 of
// everything before it. The transport defines no quick ACK.
type full struct {
	readSeq  uint32
	writeSeq uint32
	hdr      [8]byte
}

func (f *full) readFrame(r io.Reader, max int) ([]byte, bool, error) {
	if _, err := io.ReadFull(r, f.hdr[:]); err != nil {
		return nil, false, fmt.Errorf("read full header: %w", err)
	}
	total := binary.LittleEndian.Uint32(f.hdr[0:4])
	seq := binary.LittleEndian.Uint32(f.hdr[4:8])
	switch {
	case total <= fullOverhead:
		return nil, false, fmt.Errorf("full frame length %d: %w", total, ErrMalformedFrame)
	case total%4 != 0:
		return nil, false, fmt.Errorf("full frame length %d is not 4-byte aligned: %w", total, ErrMalformedFrame)
	case uint64(total)-fullOverhead > uint64(max):
		return nil, false, fmt.Errorf("full frame of %d bytes exceeds %d: %w", uint64(total)-fullOverhead, max, ErrFrameTooLarge)
	case seq != f.readSeq:
		return nil, false, fmt.Errorf("full frame seq_no %d, want %d: %w", seq, f.readSeq, ErrSeqNo)
	}
	p, err := readPayload(r, int(total)-fullOverhead)
	if err != nil {
		return nil, false, fmt.Errorf("full: %w", err)
	}
	var sum [4]byte
	if _, err := io.ReadFull(r, sum[:]); err != nil {
		return nil, false, fmt.Errorf("read full crc: %w", midFrame(err))
	}
	want := crc32.Update(crc32.ChecksumIEEE(f.hdr[:]), crc32.IEEETable, p)
	if got := binary.LittleEndian.Uint32(sum[:]); got != want {
		return nil, false, fmt.Errorf("full frame crc %#08x, want %#08x: %w", got, want, ErrChecksum)
	}
	f.readSeq++
	return p, false, nil
}

func (f *full) appendFrame(dst, payload []byte) ([]byte, error) {
	start := len(dst)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(payload)+fullOverhead))
	dst = binary.LittleEndian.AppendUint32(dst, f.writeSeq)
	dst = append(dst, payload...)
	dst = binary.LittleEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
	f.writeSeq++
	return dst, nil
}

func (f *full) appendQuickAck(dst []byte, _ uint32) ([]byte, error) {
	return dst, fmt.Errorf("full: %w", ErrQuickAckUnsupported)
}
