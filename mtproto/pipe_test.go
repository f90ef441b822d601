package mtproto

import (
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/mtproto/crypto"
	"github.com/roostchat/roost/mtproto/transport"
)

// pipeServer serves one end of a net.Pipe through the real transport
// detection and returns the client end and a channel closed when the
// server is done with the connection.
func pipeServer(t *testing.T, h *harness) (net.Conn, chan struct{}) {
	t.Helper()
	srvEnd, cliEnd := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		tc, err := transport.Accept(srvEnd, transport.Options{})
		if err != nil {
			srvEnd.Close()
			return
		}
		h.srv.ServeConn(tc)
	}()
	t.Cleanup(func() {
		cliEnd.Close()
		<-done
	})
	return cliEnd, done
}

func writeIntermediate(t *testing.T, w io.Writer, payload []byte) {
	t.Helper()
	if _, err := w.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(payload)))); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(payload); err != nil {
		t.Fatal(err)
	}
}

func readIntermediate(t *testing.T, r net.Conn) []byte {
	t.Helper()
	r.SetReadDeadline(time.Now().Add(recvTimeout))
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		t.Fatal(err)
	}
	p := make([]byte, binary.LittleEndian.Uint32(hdr[:]))
	if _, err := io.ReadFull(r, p); err != nil {
		t.Fatal(err)
	}
	return p
}

// The engine over the real intermediate codec: ping in, pong out.
func TestPipePing(t *testing.T) {
	h := newHarness(t)
	nc, _ := pipeServer(t, h)
	if _, err := nc.Write([]byte{0xee, 0xee, 0xee, 0xee}); err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, cipher: crypto.NewCipher(h.key, crypto.Client, nil), session: 5, salt: h.salt}
	id := c.msgID()
	writeIntermediate(t, nc, c.payload(id, 0, encode(t, &mt.PingRequest{PingID: 6})))
	for {
		m, _, err := c.cipher.Decrypt(nil, readIntermediate(t, nc))
		if err != nil {
			t.Fatal(err)
		}
		if p, ok := decodeServer(t, m.Data).(*mt.Pong); ok {
			if p.MsgID != id || p.PingID != 6 {
				t.Errorf("pong{%x, %d}, want {%x, 6}", p.MsgID, p.PingID, id)
			}
			return
		}
	}
}

// A client that stops reading does not hold the server: the blocked
// write gives up after writeTimeout and the connection is closed.
func TestWriteTimeout(t *testing.T) {
	defer func(d time.Duration) { writeTimeout = d }(writeTimeout)
	writeTimeout = 50 * time.Millisecond
	h := newHarness(t)
	nc, done := pipeServer(t, h)
	if _, err := nc.Write([]byte{0xee, 0xee, 0xee, 0xee}); err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, cipher: crypto.NewCipher(h.key, crypto.Client, nil), session: 5, salt: h.salt}
	writeIntermediate(t, nc, c.payload(c.msgID(), 0, encode(t, &mt.PingRequest{PingID: 6})))
	// net.Pipe has no buffer: the server's answer blocks until read.
	select {
	case <-done:
	case <-time.After(recvTimeout):
		t.Fatal("server still blocked on a client that does not read")
	}
	// The session is free for the next connection.
	c2 := h.connect(c.session)
	c2.lastID, c2.content = c.lastID, c.content
	c2.roundTrip()
}

// ping_delay_disconnect answers pong and closes the connection when no
// other one comes within the delay.
func TestPingDelayDisconnect(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	id := c.sendObj(&mt.PingDelayDisconnectRequest{PingID: 3, DisconnectDelay: 1}, false)
	p, _, _ := expect[*mt.Pong](c)
	if p.MsgID != id || p.PingID != 3 {
		t.Errorf("pong{%x, %d}, want {%x, 3}", p.MsgID, p.PingID, id)
	}
	c.expectClosed()
}

// A connection that ends stops its ping_delay_disconnect timer, which
// would otherwise hold it in memory for as long as the client asked.
func TestDisconnectTimerStopped(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	c.sendObj(&mt.PingDelayDisconnectRequest{PingID: 3, DisconnectDelay: 1 << 30}, false)
	expect[*mt.Pong](c)
	var sc *conn
	h.srv.mu.Lock()
	for x := range h.srv.conns {
		if x.tc == transport.Conn(c.conn) {
			sc = x
		}
	}
	h.srv.mu.Unlock()
	if sc == nil {
		t.Fatal("connection not found")
	}
	c.conn.Close()
	<-c.done
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.disconnect != nil {
		t.Error("timer still armed after the connection ended")
	}
}
