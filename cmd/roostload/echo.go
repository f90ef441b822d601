package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/roostchat/roost/mtproto/crypto"
)

// The echo baseline: a plain TCP server that reads intermediate frames and
// answers each with one frame of the size the MTProto server answers with,
// doing no cryptography and no TL. Each connection's first frame is the
// answer it replays: an answer encrypted by the client for its own key,
// so that the client decrypts and checks every echo answer exactly as it
// does a real one and its own cost stays the same for every target.

// serveEcho runs the echo server on ln until it is closed.
func serveEcho(ln net.Listener) error {
	for {
		nc, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go echoConn(nc)
	}
}

func echoConn(nc net.Conn) {
	defer nc.Close()
	var tag [4]byte
	if _, err := io.ReadFull(nc, tag[:]); err != nil || binary.LittleEndian.Uint32(tag[:]) != intermediateTag {
		return
	}
	fc := newFrameConn(nc)
	answer, err := fc.readFrame(nil)
	if err != nil {
		return
	}
	// The answer frame is built once: length and payload in one write.
	out := binary.LittleEndian.AppendUint32(nil, uint32(len(answer)))
	out = append(out, answer...)
	var buf []byte
	for {
		if buf, err = fc.readFrame(buf); err != nil {
			return
		}
		if _, err := nc.Write(out); err != nil {
			return
		}
	}
}

// echoAnswer returns an answer to c encrypted by the server side of key,
// padded to about size bytes (the size the MTProto server answers with).
func echoAnswer(key crypto.AuthKey, c call, size int) ([]byte, error) {
	var data []byte
	if c == callPing {
		data = binary.LittleEndian.AppendUint32(nil, idPong)
		data = binary.LittleEndian.AppendUint64(data, 0) // msg_id
		data = binary.LittleEndian.AppendUint64(data, 0) // ping_id
	} else {
		data = binary.LittleEndian.AppendUint32(nil, idRPCResult)
		data = binary.LittleEndian.AppendUint64(data, 0) // req_msg_id
		data = binary.LittleEndian.AppendUint32(data, idNearestDc)
		data = binary.LittleEndian.AppendUint32(data, 0) // country: ""
		data = binary.LittleEndian.AppendUint32(data, 2) // this_dc
		data = binary.LittleEndian.AppendUint32(data, 2) // nearest_dc
	}
	// The smallest payload: auth_key_id and msg_key (24 bytes), then the
	// 32-byte header, data and 12..27 bytes of padding to a whole block;
	// each extra random block adds 16.
	n := 32 + len(data)
	pad := (16 - n%16) % 16
	if pad < 12 {
		pad += 16
	}
	base := 24 + n + pad
	extra := 0
	if size > base {
		extra = min((size-base+8)/16, 15)
	}
	enc, err := crypto.NewCipher(key, crypto.Server, &padRandom{extra: byte(extra)}).
		Encrypt(nil, crypto.Message{Salt: 1, SessionID: 1, MsgID: 1<<32 | 1, SeqNo: 1, Data: data})
	if err != nil {
		return nil, fmt.Errorf("echo answer: %w", err)
	}
	return enc, nil
}

// padRandom is a random source whose 1-byte reads (the count of extra
// padding blocks that crypto.Cipher draws) return extra.
type padRandom struct{ extra byte }

func (r *padRandom) Read(p []byte) (int, error) {
	if len(p) == 1 {
		p[0] = r.extra
		return 1, nil
	}
	return randRead(p)
}

// startEchoSession opens a connection to the echo server with a random key
// and sends the answer it will replay.
func startEchoSession(ctx context.Context, addr string, c call, ansSize int) (*session, error) {
	var key crypto.AuthKey
	randRead(key[:])
	fc, err := dialFrame(ctx, addr)
	if err != nil {
		return nil, err
	}
	answer, err := echoAnswer(key, c, ansSize)
	if err == nil {
		err = fc.writeFrame(answer)
	}
	if err != nil {
		fc.Close()
		return nil, err
	}
	s := newSession(fc, key, 1)
	s.echo = true
	return s, nil
}
