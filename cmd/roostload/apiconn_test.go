package main

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// walkConn is an apiConn without a connection, for feeding walk.
func walkConn(onMessage func(*tg.UpdateShortMessage, time.Time)) *apiConn {
	return &apiConn{s: &session{}, pending: map[int64]chan apiAnswer{}, onMessage: onMessage, done: make(chan struct{})}
}

func TestAPIConnWalk(t *testing.T) {
	push, err := tl.Encode(&tg.UpdateShortMessage{ID: 7, UserID: 42, Message: textPrefix + "123", Pts: 1, PtsCount: 1, Date: 1})
	if err != nil {
		t.Fatal(err)
	}
	// A container with the push, gzip_packed, and an rpc_result for 99.
	res := binary.LittleEndian.AppendUint32(nil, idRPCResult)
	res = binary.LittleEndian.AppendUint64(res, 99)
	res = binary.LittleEndian.AppendUint32(res, 0x997275b5) // boolTrue
	cont := binary.LittleEndian.AppendUint32(nil, idContainer)
	cont = binary.LittleEndian.AppendUint32(cont, 2)
	for i, m := range [][]byte{tl.GzipPacked(push), res} {
		cont = binary.LittleEndian.AppendUint64(cont, uint64(1000+4*i))
		cont = binary.LittleEndian.AppendUint32(cont, 1)
		cont = binary.LittleEndian.AppendUint32(cont, uint32(len(m)))
		cont = append(cont, m...)
	}
	var got []*tg.UpdateShortMessage
	c := walkConn(func(u *tg.UpdateShortMessage, _ time.Time) { got = append(got, u) })
	ch := make(chan apiAnswer, 1)
	c.pending[99] = ch
	var acks []int64
	if err := c.walk(cont, 0, time.Now(), &acks); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Message != textPrefix+"123" || got[0].UserID != 42 {
		t.Errorf("pushes = %+v, want the one updateShortMessage", got)
	}
	select {
	case a := <-ch:
		if a.err != nil || len(a.body) != 4 || binary.LittleEndian.Uint32(a.body) != 0x997275b5 {
			t.Errorf("answer = %+v, want boolTrue", a)
		}
	default:
		t.Error("no answer for request 99")
	}
	if len(acks) != 2 {
		t.Errorf("acks = %v, want both content-related messages", acks)
	}
}

func TestAPIConnWalkRPCError(t *testing.T) {
	res := binary.LittleEndian.AppendUint32(nil, idRPCResult)
	res = binary.LittleEndian.AppendUint64(res, 5)
	res = binary.LittleEndian.AppendUint32(res, idRPCError)
	res = binary.LittleEndian.AppendUint32(res, 400)
	e := tl.NewEncoder(nil)
	e.String("PEER_ID_INVALID")
	res = append(res, e.Bytes()...)
	c := walkConn(nil)
	ch := make(chan apiAnswer, 1)
	c.pending[5] = ch
	if err := c.walk(res, 0, time.Now(), new([]int64)); err != nil {
		t.Fatal(err)
	}
	select {
	case a := <-ch:
		if a.err == nil || a.err.Error() != "rpc_error: 400 PEER_ID_INVALID" {
			t.Errorf("answer error = %v, want rpc_error: 400 PEER_ID_INVALID", a.err)
		}
	default:
		t.Error("no answer for request 5")
	}
}

// FuzzAPIConnWalk feeds walk arbitrary server messages: it must return
// an error or nothing, never panic.
func FuzzAPIConnWalk(f *testing.F) {
	push, _ := tl.Encode(&tg.UpdateShortMessage{ID: 1, UserID: 2, Message: "hi"})
	f.Add(push)
	f.Add(tl.GzipPacked(push))
	f.Add([]byte{0xdc, 0xf8, 0xf1, 0x73, 1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		c := walkConn(func(*tg.UpdateShortMessage, time.Time) {})
		_ = c.walk(b, 0, time.Now(), new([]int64))
	})
}
