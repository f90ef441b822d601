package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// apiConn is a lean session that calls API methods while the server
// pushes updates on the same connection: one goroutine reads every frame,
// hands each rpc_result to the call waiting for it and each
// updateShortMessage to onMessage, and acknowledges what needs it.
type apiConn struct {
	s *session

	mu      sync.Mutex // guards s's sending state and pending
	pending map[int64]chan apiAnswer

	// onMessage sees each pushed updateShortMessage with the time its
	// frame was read; it runs on the reading goroutine.
	onMessage func(u *tg.UpdateShortMessage, at time.Time)

	done chan struct{}
	err  error // why reading stopped; set before done closes
}

// apiAnswer is the result of one call: the bytes of its result object,
// or an error, or a request to send again with a new salt.
type apiAnswer struct {
	body  []byte
	err   error
	retry bool
}

// idUpdateShortMessage is the constructor of updateShortMessage, the
// push of a plain private message.
const idUpdateShortMessage = 0x313bc7f8

// errBadSalt asks the caller to send the call again.
var errBadSalt = errors.New("bad_server_salt")

func newAPIConn(s *session, onMessage func(*tg.UpdateShortMessage, time.Time)) *apiConn {
	c := &apiConn{s: s, pending: map[int64]chan apiAnswer{}, onMessage: onMessage, done: make(chan struct{})}
	go c.read()
	return c
}

// close ends the connection and waits for the reader.
func (c *apiConn) close() error {
	c.s.fc.Close()
	<-c.done
	if isClosed(c.err) {
		return nil
	}
	return c.err
}

// call invokes the method encoded in req and returns its result object.
func (c *apiConn) call(ctx context.Context, req tl.Object) (tl.Object, error) {
	body, err := tl.Encode(req)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", req, err)
	}
	ans, err := c.invoke(ctx, body)
	if err != nil {
		return nil, err
	}
	o, err := tl.Decode(ans, tg.New)
	if err != nil {
		return nil, fmt.Errorf("decode result of %T: %w", req, err)
	}
	return o, nil
}

// invoke sends body as a content-related message and waits for its
// rpc_result, sending again (at most twice) on bad_server_salt.
func (c *apiConn) invoke(ctx context.Context, body []byte) ([]byte, error) {
	for range 3 {
		ch := make(chan apiAnswer, 1)
		c.mu.Lock()
		id, err := c.s.send(body, true)
		if err == nil {
			c.pending[id] = ch
		}
		c.mu.Unlock()
		if err != nil {
			return nil, err
		}
		var a apiAnswer
		select {
		case a = <-ch:
		case <-c.done:
			return nil, fmt.Errorf("connection closed: %w", c.err)
		case <-ctx.Done():
			c.mu.Lock()
			delete(c.pending, id)
			c.mu.Unlock()
			return nil, ctx.Err()
		}
		if a.retry {
			continue
		}
		return a.body, a.err
	}
	return nil, errBadSalt
}

// answer hands a to the call waiting for reqID, if any.
func (c *apiConn) answer(reqID int64, a apiAnswer) {
	c.mu.Lock()
	ch := c.pending[reqID]
	delete(c.pending, reqID)
	c.mu.Unlock()
	if ch != nil {
		ch <- a
	}
}

// read is the reading goroutine.
func (c *apiConn) read() {
	defer close(c.done)
	var in, plain []byte
	var acks []int64
	for {
		frame, err := c.s.fc.readFrame(in)
		if err != nil {
			c.err = err
			return
		}
		at := time.Now()
		in = frame[:cap(frame)]
		m, _, err := c.s.cipher.Decrypt(plain, frame)
		if err != nil {
			c.err = fmt.Errorf("decrypt: %w", err)
			c.s.fc.Close()
			return
		}
		plain = m.Data[:0]
		if m.SeqNo&1 == 1 {
			acks = append(acks, m.MsgID)
		}
		if err := c.walk(m.Data, 0, at, &acks); err != nil {
			c.err = err
			c.s.fc.Close()
			return
		}
		if len(acks) >= ackEvery {
			c.mu.Lock()
			c.s.acks = append(c.s.acks[:0], acks...)
			err := c.s.ack()
			c.mu.Unlock()
			acks = acks[:0]
			if err != nil {
				c.err = err
				return
			}
		}
	}
}

// walk reads one server message (or one inside a container or gzip).
func (c *apiConn) walk(b []byte, depth int, at time.Time, acks *[]int64) error {
	if len(b) < 4 {
		return errShort
	}
	u32 := func(off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
	u64 := func(off int) int64 { return int64(binary.LittleEndian.Uint64(b[off:])) }
	switch u32(0) {
	case idRPCResult:
		if len(b) < 16 {
			return errShort
		}
		req, res := u64(4), b[12:]
		if binary.LittleEndian.Uint32(res) == idRPCError {
			c.answer(req, apiAnswer{err: fmt.Errorf("rpc_error: %s", rpcErrorText(res[4:]))})
			return nil
		}
		c.answer(req, apiAnswer{body: append([]byte(nil), res...)})
	case idNewSession:
		if len(b) < 28 {
			return errShort
		}
		c.mu.Lock()
		c.s.salt = u64(20)
		c.mu.Unlock()
	case idBadServerSalt:
		if len(b) < 28 {
			return errShort
		}
		c.mu.Lock()
		c.s.salt = u64(20)
		c.mu.Unlock()
		c.answer(u64(4), apiAnswer{retry: true})
	case idBadMsg:
		if len(b) < 20 {
			return errShort
		}
		c.answer(u64(4), apiAnswer{err: fmt.Errorf("bad_msg_notification: error_code %d", int32(u32(16)))})
	case idGzipPacked:
		if depth >= maxDepth {
			return errors.New("nested gzip_packed")
		}
		d := tl.NewDecoder(b[4:], nil)
		packed := d.Blob()
		if d.Err() != nil {
			return fmt.Errorf("gzip_packed: %w", d.Err())
		}
		plain, err := tl.Gunzip(packed)
		if err != nil {
			return fmt.Errorf("gzip_packed: %w", err)
		}
		return c.walk(plain, depth+1, at, acks)
	case idContainer:
		if depth >= maxDepth {
			return errors.New("nested container")
		}
		if len(b) < 8 {
			return errShort
		}
		n := int(u32(4))
		rest := b[8:]
		for range n {
			if len(rest) < 16 {
				return errShort
			}
			id := int64(binary.LittleEndian.Uint64(rest))
			seq := binary.LittleEndian.Uint32(rest[8:])
			size := int(binary.LittleEndian.Uint32(rest[12:]))
			if size < 0 || size > len(rest)-16 {
				return errShort
			}
			if seq&1 == 1 {
				*acks = append(*acks, id)
			}
			if err := c.walk(rest[16:16+size], depth+1, at, acks); err != nil {
				return err
			}
			rest = rest[16+size:]
		}
	case idUpdateShortMessage:
		var u tg.UpdateShortMessage
		d := tl.NewDecoder(b[4:], tg.New)
		u.DecodeBare(d)
		if d.Err() != nil {
			return fmt.Errorf("updateShortMessage: %w", d.Err())
		}
		if c.onMessage != nil {
			c.onMessage(&u, at)
		}
	}
	return nil
}
