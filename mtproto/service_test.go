package mtproto

import (
	"context"
	"testing"
	"time"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// rpc_drop_answer: for a running query both the drop and the query get
// rpc_answer_dropped_running; for an unknown one rpc_answer_unknown.
func TestDropAnswer(t *testing.T) {
	h := newHarness(t)
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	h.inv.fn = func(ctx context.Context, _ *Session, _ int64, q tl.Object) (tl.Object, error) {
		started <- struct{}{}
		<-release
		return &tg.NearestDc{ThisDC: 2}, nil
	}
	c := h.connect(0)
	q := c.sendObj(&tg.HelpGetNearestDcRequest{}, true)
	<-started
	drop := c.sendObj(&mt.RpcDropAnswerRequest{ReqMsgID: q}, true)
	r, _, _ := expect[*mt.RpcResult](c)
	if _, ok := r.Result.(*mt.RpcAnswerDroppedRunning); !ok || r.ReqMsgID != drop {
		t.Fatalf("drop answered rpc_result{%x, %T}, want {%x, rpc_answer_dropped_running}", r.ReqMsgID, r.Result, drop)
	}
	close(release)
	r, _, _ = expect[*mt.RpcResult](c)
	if _, ok := r.Result.(*mt.RpcAnswerDroppedRunning); !ok || r.ReqMsgID != q {
		t.Fatalf("query answered rpc_result{%x, %T}, want {%x, rpc_answer_dropped_running}", r.ReqMsgID, r.Result, q)
	}
	drop = c.sendObj(&mt.RpcDropAnswerRequest{ReqMsgID: q}, true)
	r, _, _ = expect[*mt.RpcResult](c)
	if _, ok := r.Result.(*mt.RpcAnswerUnknown); !ok || r.ReqMsgID != drop {
		t.Fatalf("second drop answered rpc_result{%x, %T}, want {%x, rpc_answer_unknown}", r.ReqMsgID, r.Result, drop)
	}
}

// destroy_auth_key: answered, then the key is gone and later payloads
// under it get -404.
func TestDestroyAuthKey(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	c.sendObj(&mt.DestroyAuthKeyRequest{}, false)
	expect[*mt.DestroyAuthKeyOk](c)
	c.expectClosed()
	c2 := h.connect(0)
	c2.sendRaw(c2.payload(c2.msgID(), 0, encode(t, &mt.PingRequest{})))
	c2.expectTransportError(-404)
}

// destroy_session: ok for a session the key has, none for another.
func TestDestroySession(t *testing.T) {
	h := newHarness(t)
	other := h.connect(0)
	other.roundTrip()
	c := h.connect(0)
	c.sendObj(&mt.DestroySessionRequest{SessionID: other.session}, false)
	ok, _, _ := expect[*mt.DestroySessionOk](c)
	if ok.SessionID != other.session {
		t.Errorf("destroy_session_ok{%x}, want %x", ok.SessionID, other.session)
	}
	c.sendObj(&mt.DestroySessionRequest{SessionID: 99}, false)
	none, _, _ := expect[*mt.DestroySessionNone](c)
	if none.SessionID != 99 {
		t.Errorf("destroy_session_none{%x}, want 99", none.SessionID)
	}
}

// msgs_state_req: one status byte per id.
func TestMsgsStateReq(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	seen := c.sendObj(&mt.PingRequest{}, false)
	c.roundTrip()
	unseen := c.lastID - 400
	future := clientMsgID(time.Now().Add(time.Hour))
	req := c.sendObj(&mt.MsgsStateReq{MsgIDs: []int64{seen, unseen, future}}, false)
	info, _, _ := expect[*mt.MsgsStateInfo](c)
	if info.ReqMsgID != req || len(info.Info) != 3 {
		t.Fatalf("msgs_state_info{%x, %v}", info.ReqMsgID, info.Info)
	}
	if info.Info[0]&7 != 4 || info.Info[1] != 2 || info.Info[2] != 3 {
		t.Errorf("states %v, want [4+flags 2 3]", info.Info)
	}
}

// msg_resend_req resends pending messages once each, in a container, or
// answers msgs_state_info when an id is not pending.
func TestMsgResendReq(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	c.sendObj(&tg.HelpGetConfigRequest{}, true)
	_, res, _ := expect[*mt.RpcResult](c)
	c.sendObj(&mt.MsgResendReq{MsgIDs: []int64{res.msgID, res.msgID, res.msgID}}, false)
	f := c.recvFrame()
	if len(f.msgs) != 1 || f.msgs[0].container == 0 || f.msgs[0].msgID != res.msgID {
		t.Fatalf("resend: %d messages, want the result once in a container", len(f.msgs))
	}
	req := c.sendObj(&mt.MsgResendReq{MsgIDs: []int64{res.msgID, 12}}, false)
	info, _, _ := expect[*mt.MsgsStateInfo](c)
	if info.ReqMsgID != req || len(info.Info) != 2 {
		t.Errorf("msgs_state_info{%x, %v}, want {%x, 2 states}", info.ReqMsgID, info.Info, req)
	}
}

// get_future_salts answers future_salts with num salts, the first the
// current one.
func TestGetFutureSalts(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	id := c.sendObj(&mt.GetFutureSaltsRequest{Num: 4}, false)
	fs, m, _ := expect[*mt.FutureSalts](c)
	if fs.ReqMsgID != id || len(fs.Salts) != 4 || fs.Salts[0].Salt != h.salt {
		t.Fatalf("future_salts{%x, %d salts}, want {%x, 4} starting with %x", fs.ReqMsgID, len(fs.Salts), id, h.salt)
	}
	if m.seqNo&1 != 0 || m.msgID&3 != 1 {
		t.Errorf("future_salts seq_no %d msg_id %x", m.seqNo, m.msgID)
	}
	c.sendObj(&mt.GetFutureSaltsRequest{Num: 1000}, false)
	fs, _, _ = expect[*mt.FutureSalts](c)
	if len(fs.Salts) != 64 {
		t.Errorf("%d salts for 1000, want the limit 64", len(fs.Salts))
	}
}

// A service message the client may not send (a server answer) and an
// undecodable one are answered with rpc_error, the session going on.
func TestInvalidServiceMessage(t *testing.T) {
	h := newHarness(t)
	c := h.connect(0)
	id := c.sendObj(&mt.Pong{MsgID: 1, PingID: 2}, false)
	r, _, _ := expect[*mt.RpcResult](c)
	if e, ok := r.Result.(*mt.RpcError); !ok || r.ReqMsgID != id || e.ErrorMessage != "INPUT_METHOD_INVALID" {
		t.Errorf("rpc_result{%x, %#v}", r.ReqMsgID, r.Result)
	}
	id = c.msgID()
	c.send(id, c.seqNo(false), encode(t, &mt.PingRequest{})[:8])
	r, _, _ = expect[*mt.RpcResult](c)
	if e, ok := r.Result.(*mt.RpcError); !ok || r.ReqMsgID != id || e.ErrorMessage != "INPUT_CONSTRUCTOR_INVALID" {
		t.Errorf("rpc_result{%x, %#v}", r.ReqMsgID, r.Result)
	}
	c.roundTrip()
}
