package tl

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
)

// MaxUnpacked bounds the size of a gzip_packed payload after decompression,
// so a small packed value cannot expand without limit.
const MaxUnpacked = 16 << 20

// ErrUnpackedTooLarge is returned for gzip_packed data that expands beyond
// MaxUnpacked.
var ErrUnpackedTooLarge = errors.New("tl: gzip_packed payload too large")

// gzipped reads the rest of a gzip_packed value and decodes the object
// inside it with the same registry, layer and depth.
func (d *Decoder) gzipped() Object {
	packed := d.Blob()
	if d.err != nil {
		return nil
	}
	plain, err := Gunzip(packed)
	if err != nil {
		d.Fail(err)
		return nil
	}
	inner := Decoder{buf: plain, Types: d.Types, Layer: d.Layer, depth: d.depth}
	o := inner.Object()
	if inner.err != nil {
		d.Fail(inner.err)
		return nil
	}
	return o
}

// Gunzip decompresses data, refusing output beyond MaxUnpacked.
func Gunzip(data []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, MaxUnpacked+1))
	if err != nil {
		return nil, err
	}
	if len(out) > MaxUnpacked {
		return nil, ErrUnpackedTooLarge
	}
	return out, nil
}

// GzipPacked returns the boxed gzip_packed value holding the encoded
// object plain.
func GzipPacked(plain []byte) []byte {
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
	w.Write(plain)
	w.Close()
	var e Encoder
	e.Uint32(GzipPackedID)
	e.Blob(z.Bytes())
	return e.buf
}
