package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/roostchat/roost/mtproto/crypto"
)

func TestFactorPQ(t *testing.T) {
	for i := range 200 {
		pq, err := crypto.GeneratePQ(nil)
		if err != nil {
			t.Fatal(err)
		}
		p, q, err := factorPQ(pq.Product())
		if err != nil {
			t.Fatalf("%d: factor %d: %v", i, pq.Product(), err)
		}
		wantP, wantQ := uint64(min(pq.P, pq.Q)), uint64(max(pq.P, pq.Q))
		if p != wantP || q != wantQ {
			t.Fatalf("factor %d = %d × %d, want %d × %d", pq.Product(), p, q, wantP, wantQ)
		}
	}
	// The example of "Creating an Authorization Key".
	if p, q, err := factorPQ(0x17ED48941A08F981); err != nil || p != 0x494C553B || q != 0x53911073 {
		t.Errorf("factor 0x17ED48941A08F981 = %#x, %#x, %v", p, q, err)
	}
	for _, n := range []uint64{0, 1, 3, 4294967291 /* prime */} {
		if p, q, err := factorPQ(n); err == nil && p*q != n {
			t.Errorf("factor %d = %d × %d", n, p, q)
		}
	}
}

func le32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
func le64(b []byte, v int64) []byte  { return binary.LittleEndian.AppendUint64(b, uint64(v)) }

func TestInboxScan(t *testing.T) {
	const want = 0x1000
	rpcResult := le64(le32(nil, idRPCResult), want)
	rpcResult = le32(le32(le32(le32(rpcResult, idNearestDc), 0), 2), 2)

	in := inbox{want: want}
	if err := in.scan(rpcResult, 0); err != nil || !in.done || in.err != nil {
		t.Fatalf("rpc_result: done=%v err=%v scan=%v", in.done, in.err, err)
	}

	other := le64(le32(nil, idRPCResult), want-4)
	other = le32(other, idNearestDc)
	in = inbox{want: want}
	if err := in.scan(other, 0); err != nil || in.done {
		t.Fatalf("rpc_result of another request completed the round trip")
	}
	in = inbox{want: want, echo: true}
	if err := in.scan(other, 0); err != nil || !in.done {
		t.Fatalf("echo: any rpc_result must complete the round trip")
	}

	rpcErr := le64(le32(nil, idRPCResult), want)
	rpcErr = le32(le32(rpcErr, idRPCError), 400)
	rpcErr = append(rpcErr, 11, 'B', 'A', 'D', '_', 'R', 'E', 'Q', 'U', 'E', 'S', 'T')
	in = inbox{want: want}
	if err := in.scan(rpcErr, 0); err != nil || !in.done || in.err == nil || !strings.Contains(in.err.Error(), "400 BAD_REQUEST") {
		t.Fatalf("rpc_error: %v", in.err)
	}

	salt := le64(le64(le64(le32(nil, idBadServerSalt), want), 0), 77)
	salt = salt[:20]
	salt = le64(salt, 77)
	in = inbox{want: want}
	if err := in.scan(salt, 0); err != nil || !in.resend || in.salt != 77 {
		t.Fatalf("bad_server_salt: resend=%v salt=%d err=%v", in.resend, in.salt, err)
	}

	pong := le64(le64(le32(nil, idPong), want), 5)
	session := le64(le64(le64(le32(nil, idNewSession), 1), 2), 99)
	var cont []byte
	cont = le32(le32(cont, idContainer), 2)
	cont = append(le32(le32(le64(cont, 11), 1), uint32(len(session))), session...)
	cont = append(le32(le32(le64(cont, 13), 3), uint32(len(pong))), pong...)
	in = inbox{want: want}
	if err := in.scan(cont, 0); err != nil || !in.done || in.salt != 99 {
		t.Fatalf("container: done=%v salt=%d err=%v", in.done, in.salt, err)
	}
	if len(in.acks) != 2 || in.acks[0] != 11 || in.acks[1] != 13 {
		t.Errorf("container acks = %v, want [11 13]", in.acks)
	}

	bad := le32(le32(le64(le64(le32(nil, idBadMsg), want), 0), 0), 16)
	in = inbox{want: want}
	if err := in.scan(bad[:20], 0); err != nil || !in.done || in.err == nil {
		t.Fatalf("bad_msg_notification: %v", in.err)
	}

	for _, short := range [][]byte{nil, {1, 2}, rpcResult[:10], pong[:12], cont[:20]} {
		in = inbox{want: want}
		if err := in.scan(short, 0); err == nil && len(short) < 4 {
			t.Errorf("scan of %d bytes: no error", len(short))
		}
	}
	nested := le32(le32(nil, idContainer), 1)
	nested = append(le32(le32(le64(nested, 1), 0), uint32(len(cont))), cont...)
	nested2 := le32(le32(nil, idContainer), 1)
	nested2 = append(le32(le32(le64(nested2, 1), 0), uint32(len(nested))), nested...)
	in = inbox{want: want}
	if err := in.scan(nested2, 0); err == nil {
		t.Error("containers nested three deep: no error")
	}
}

func FuzzInboxScan(f *testing.F) {
	f.Add(le64(le32(nil, idRPCResult), 1))
	f.Add(le32(le32(nil, idContainer), 1))
	f.Add(le64(le64(le32(nil, idPong), 1), 2))
	f.Fuzz(func(t *testing.T, b []byte) {
		in := inbox{want: 1}
		in.scan(b, 0)
		in = inbox{want: 1, echo: true}
		in.scan(b, 0)
	})
}

func FuzzReadFrame(f *testing.F) {
	f.Add(le32(nil, 4), []byte{1, 2, 3, 4})
	f.Add(le32(nil, 4), []byte{0x6c, 0xfe, 0xff, 0xff})
	f.Add(le32(nil, 1<<30), []byte{})
	f.Fuzz(func(t *testing.T, hdr, body []byte) {
		c := newFrameConn(fakeConn{bytes.NewReader(append(hdr, body...))})
		p, err := c.readFrame(nil)
		if err == nil && len(hdr) >= 4 && len(p) != int(binary.LittleEndian.Uint32(hdr)) {
			t.Fatalf("frame of %d bytes for length %d", len(p), binary.LittleEndian.Uint32(hdr))
		}
	})
}

func TestReadFrameTransportError(t *testing.T) {
	c := newFrameConn(fakeConn{bytes.NewReader(append(le32(nil, 4), 0x6c, 0xfe, 0xff, 0xff))})
	_, err := c.readFrame(nil)
	var te *TransportError
	if !errors.As(err, &te) || te.Code != -404 {
		t.Fatalf("err = %v, want transport error -404", err)
	}
}

// fakeConn is a net.Conn that reads from r and discards writes.
type fakeConn struct{ r *bytes.Reader }

func (c fakeConn) Read(p []byte) (int, error)         { return c.r.Read(p) }
func (c fakeConn) Write(p []byte) (int, error)        { return len(p), nil }
func (c fakeConn) Close() error                       { return nil }
func (c fakeConn) LocalAddr() net.Addr                { return nil }
func (c fakeConn) RemoteAddr() net.Addr               { return nil }
func (c fakeConn) SetDeadline(t time.Time) error      { return nil }
func (c fakeConn) SetReadDeadline(t time.Time) error  { return nil }
func (c fakeConn) SetWriteDeadline(t time.Time) error { return nil }

func TestEchoAnswer(t *testing.T) {
	var key crypto.AuthKey
	randRead(key[:])
	for _, c := range []call{callNearestDc, callPing} {
		for _, size := range []int{0, 104, 224, 400, 10000} {
			a, err := echoAnswer(key, c, size)
			if err != nil {
				t.Fatal(err)
			}
			if size > 150 && size < 300 && (len(a) < size-8 || len(a) > size+8) {
				t.Errorf("%v, size %d: answer of %d bytes", c, size, len(a))
			}
			m, _, err := crypto.NewCipher(key, crypto.Client, nil).Decrypt(nil, a)
			if err != nil {
				t.Fatalf("%v: client cannot decrypt the echo answer: %v", c, err)
			}
			in := inbox{want: 1, echo: true}
			if err := in.scan(m.Data, 0); err != nil || !in.done {
				t.Fatalf("%v: echo answer does not complete a round trip (%v)", c, err)
			}
		}
	}
}

func TestCheckLoopback(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:1", "127.8.9.1:80", "[::1]:443", "localhost:8443"} {
		if err := checkLoopback(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"10.0.0.1:1", "192.168.1.1:443", "example.com:443", "0.0.0.0:1", "127.0.0.1"} {
		if err := checkLoopback(bad); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

func TestProc(t *testing.T) {
	if _, err := procCPU(os.Getpid()); err != nil {
		t.Fatal(err)
	}
	rss, err := procRSS(os.Getpid())
	if err != nil || rss <= 0 {
		t.Fatalf("rss = %d, %v", rss, err)
	}
	if _, err := procCPU(-1); err == nil {
		t.Error("cpu of pid -1: no error")
	}
	if m := startCPU(0); m.used() != -1 {
		t.Error("cpu of no process is not unknown")
	}
}

func TestParseFlags(t *testing.T) {
	if v, err := parseInts("1, 100,1000"); err != nil || len(v) != 3 || v[2] != 1000 {
		t.Errorf("parseInts = %v, %v", v, err)
	}
	for _, bad := range []string{"", "0", "1,x", "-5"} {
		if _, err := parseInts(bad); err == nil {
			t.Errorf("parseInts(%q): no error", bad)
		}
	}
	if c, err := parseCall("ping"); err != nil || c != callPing {
		t.Errorf("parseCall(ping) = %v, %v", c, err)
	}
	if _, err := parseCall("getConfig"); err == nil {
		t.Error("parseCall(getConfig): no error")
	}
	c := common{duration: time.Hour}
	if err := c.validate(); err == nil {
		t.Error("an hour-long run is accepted")
	}
}

func TestPercentile(t *testing.T) {
	if percentile(nil, 0.5) != -1 {
		t.Error("percentile of nothing is not unknown")
	}
	lat := []time.Duration{5, 1, 4, 2, 3}
	if p := percentile(lat, 0.5); p != 3 {
		t.Errorf("p50 = %v, want 3", p)
	}
	if p := percentile(lat, 0.99); p != 4 {
		t.Errorf("p99 of 5 = %v, want the 4th", p)
	}
}
