package mtproto

import (
	"testing"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/tg"
)

// A well-formed container: each message handled, the query answered, the
// ack inside taken, an empty container accepted.
func TestContainer(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	q, p := c.msgID(), c.msgID()
	qs := c.seqNo(true)
	id, seq := c.msgID(), c.seqNo(false)
	c.send(id, seq, containerBody(
		innerMsg{id: q, seq: qs, body: encode(t, &tg.HelpGetConfigRequest{})},
		innerMsg{id: p, seq: seq, body: encode(t, &mt.PingRequest{PingID: 8})},
	))
	var pong, result bool
	for !pong || !result {
		switch v := c.recv().obj.(type) {
		case *mt.Pong:
			pong = v.MsgID == p
		case *mt.RpcResult:
			result = v.ReqMsgID == q
		}
	}
	c.send(c.msgID(), c.seqNo(false), containerBody())
	for _, m := range c.roundTrip() {
		t.Errorf("answer to an empty container: %T", m.obj)
	}
}

// Every way a container can be malformed is answered with 64 for the
// container, and none of its messages runs.
func TestContainerInvalid(t *testing.T) {
	h := newHarness(t)
	ping := encode(t, &mt.PingRequest{PingID: 1})
	size := func(n int32) *int32 { return &n }
	cases := []struct {
		name  string
		build func(c *client, id int64, seq int32) []byte
	}{
		{"nested", func(c *client, id int64, seq int32) []byte {
			inner := containerBody(innerMsg{id: id - 12, seq: seq, body: ping})
			return containerBody(innerMsg{id: id - 8, seq: seq, body: ping}, innerMsg{id: id - 4, seq: seq, body: inner})
		}},
		{"inner bytes past the end", func(c *client, id int64, seq int32) []byte {
			return containerBody(innerMsg{id: id - 4, seq: seq, body: ping, size: size(int32(len(ping) + 4))})
		}},
		{"inner bytes short", func(c *client, id int64, seq int32) []byte {
			return containerBody(innerMsg{id: id - 4, seq: seq, body: ping, size: size(int32(len(ping) - 4))})
		}},
		{"inner bytes unaligned", func(c *client, id int64, seq int32) []byte {
			return containerBody(innerMsg{id: id - 4, seq: seq, body: ping, size: size(int32(len(ping) - 1))})
		}},
		{"inner bytes negative", func(c *client, id int64, seq int32) []byte {
			return containerBody(innerMsg{id: id - 4, seq: seq, body: ping, size: size(-4)})
		}},
		{"inner bytes zero", func(c *client, id int64, seq int32) []byte {
			return containerBody(innerMsg{id: id - 4, seq: seq, body: nil})
		}},
		{"inner msg_id not below", func(c *client, id int64, seq int32) []byte {
			return containerBody(innerMsg{id: id, seq: seq, body: ping})
		}},
		{"inner seq_no above", func(c *client, id int64, seq int32) []byte {
			return containerBody(innerMsg{id: id - 4, seq: seq + 1, body: ping})
		}},
		{"count above the messages", func(c *client, id int64, seq int32) []byte {
			b := containerBody(innerMsg{id: id - 4, seq: seq, body: ping})
			b[4] = 2
			return b
		}},
		{"count negative", func(c *client, id int64, seq int32) []byte {
			b := containerBody(innerMsg{id: id - 4, seq: seq, body: ping})
			b[4], b[5], b[6], b[7] = 0xff, 0xff, 0xff, 0xff
			return b
		}},
		{"trailing bytes", func(c *client, id int64, seq int32) []byte {
			return append(containerBody(innerMsg{id: id - 4, seq: seq, body: ping}), 0, 0, 0, 0)
		}},
		{"no count", func(c *client, id int64, seq int32) []byte {
			return containerBody()[:4]
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := h.connect(0).on(t)
			c.roundTrip()
			// Room below id for the inner messages.
			c.msgID()
			c.msgID()
			c.msgID()
			id, seq := c.msgID(), c.seqNo(false)
			c.send(id, seq, tc.build(c, id, seq))
			expectBadMsg(t, c, id, seq, 64)
			for _, m := range c.roundTrip() {
				t.Errorf("message of a rejected container answered: %T", m.obj)
			}
		})
	}
}

// More than 1024 messages in a container: -429 and the close.
func TestContainerTooLarge(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	c.roundTrip()
	body := containerBody()
	body[4], body[5] = 0x01, 0x04 // 1025
	c.send(c.msgID(), c.seqNo(false), append(body, make([]byte, 1025*20)...))
	c.expectTransportError(-429)
}

// Messages inside a container obey the msg_id rules each: a bad one is
// answered, the others run.
func TestContainerInnerRules(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	c.roundTrip()
	bad, good := c.msgID()|2, c.msgID()
	id, seq := c.msgID(), c.seqNo(false)
	c.send(id, seq, containerBody(
		innerMsg{id: bad, seq: seq, body: encode(t, &mt.PingRequest{PingID: 1})},
		innerMsg{id: good, seq: seq, body: encode(t, &mt.PingRequest{PingID: 2})},
	))
	expectBadMsg(t, c, bad, seq, 18)
	p, _, _ := expect[*mt.Pong](c)
	if p.MsgID != good {
		t.Errorf("pong for %x, want %x", p.MsgID, good)
	}
}
