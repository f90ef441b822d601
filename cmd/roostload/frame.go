package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// intermediateTag opens a connection in the intermediate framing: every
// frame is a 4-byte little-endian length and that many bytes.
const intermediateTag = 0xeeeeeeee

// maxFrame bounds the frames the client accepts.
const maxFrame = 1 << 20

// TransportError is a 4-byte frame with a negative code, such as -404
// for an unknown auth key.
type TransportError struct{ Code int32 }

func (e *TransportError) Error() string { return fmt.Sprintf("transport error %d", e.Code) }

// frameConn is the client end of an intermediate connection.
type frameConn struct {
	nc   net.Conn
	r    *bufio.Reader
	wbuf []byte
}

// dialFrame connects to addr and sends the intermediate tag.
func dialFrame(ctx context.Context, addr string) (*frameConn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	c := newFrameConn(nc)
	var tag [4]byte
	binary.LittleEndian.PutUint32(tag[:], intermediateTag)
	if _, err := nc.Write(tag[:]); err != nil {
		nc.Close()
		return nil, fmt.Errorf("send transport tag: %w", err)
	}
	return c, nil
}

func newFrameConn(nc net.Conn) *frameConn {
	return &frameConn{nc: nc, r: bufio.NewReaderSize(nc, 1024)}
}

// writeFrame sends p as one frame with a single write.
func (c *frameConn) writeFrame(p []byte) error {
	b := binary.LittleEndian.AppendUint32(c.wbuf[:0], uint32(len(p)))
	b = append(b, p...)
	c.wbuf = b
	if _, err := c.nc.Write(b); err != nil {
		return fmt.Errorf("write frame: %w", err)
	}
	return nil
}

// readFrame reads the next frame into buf (reused when large enough). A
// 4-byte frame holding a negative number is returned as *TransportError.
func (c *frameConn) readFrame(buf []byte) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
		return nil, fmt.Errorf("read frame: %w", err)
	}
	n := binary.LittleEndian.Uint32(hdr[:])
	if n > maxFrame {
		return nil, fmt.Errorf("read frame: length %d exceeds %d", n, maxFrame)
	}
	if cap(buf) < int(n) {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(c.r, buf); err != nil {
		return nil, fmt.Errorf("read frame: %w", err)
	}
	if n == 4 {
		if code := int32(binary.LittleEndian.Uint32(buf)); code < 0 {
			return nil, &TransportError{Code: code}
		}
	}
	return buf, nil
}

// setDeadline bounds the next reads and writes; zero removes the bound.
func (c *frameConn) setDeadline(t time.Time) error { return c.nc.SetDeadline(t) }

func (c *frameConn) Close() error { return c.nc.Close() }

// isClosed reports errors that mean the connection went away, which end a
// worker quietly when the run is over.
func isClosed(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
