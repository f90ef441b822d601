package tl

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"sync"
)

// MaxUnpacked bounds the bytes gzip_packed values may inflate to in one
// decode, all of them together (nested and sibling values share it), so a
// small input cannot expand without limit.
const MaxUnpacked = 16 << 20

// ErrUnpackedTooLarge is returned for gzip_packed data that expands beyond
// MaxUnpacked.
var ErrUnpackedTooLarge = errors.New("tl: gzip_packed payload too large")

// readers keeps gzip readers for reuse: a new one allocates some 40 KB of
// decompressor state, far more than a small gzip_packed value is worth.
var readers sync.Pool

// gzipped reads the rest of a gzip_packed value and decodes the object
// inside it with the same registry, layer and depth.
func (d *Decoder) gzipped() Object {
	packed := d.Blob()
	if d.err != nil {
		return nil
	}
	plain, err := gunzip(packed, MaxUnpacked-d.unpacked)
	if err != nil {
		d.Fail(err)
		return nil
	}
	inner := Decoder{buf: plain, Types: d.Types, Layer: d.Layer, depth: d.depth, unpacked: d.unpacked + len(plain)}
	o := inner.Object()
	d.unpacked = inner.unpacked
	if inner.err != nil {
		d.Fail(inner.err)
		return nil
	}
	return o
}

// Gunzip decompresses data, refusing output beyond MaxUnpacked.
func Gunzip(data []byte) ([]byte, error) { return gunzip(data, MaxUnpacked) }

// gunzip decompresses data, refusing output beyond limit bytes.
func gunzip(data []byte, limit int) ([]byte, error) {
	var err error
	r, _ := readers.Get().(*gzip.Reader)
	if r == nil {
		r, err = gzip.NewReader(bytes.NewReader(data))
	} else {
		err = r.Reset(bytes.NewReader(data))
	}
	if err != nil {
		return nil, err
	}
	defer readers.Put(r)
	out, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(out) > limit {
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
