package mtproto

import (
	"context"
	"errors"
	"time"

	"github.com/roostchat/roost/mt"
	"github.com/roostchat/roost/tl"
)

// dispatch handles a service message or hands an API query to the
// Invoker.
func (s *Session) dispatch(ctx context.Context, c *conn, msgID int64, seqNo int32, body []byte) bool {
	o := mt.New(tl.Uint32Of(body))
	if o == nil {
		if tl.Uint32Of(body) == tl.GzipPackedID {
			plain, err := unpack(body)
			// One level only: gzip_packed stands in for a query, and
			// nesting would let each level inflate up to the limit again.
			if err != nil || tl.Uint32Of(plain) == tl.GzipPackedID || tl.Uint32Of(plain) == containerID {
				s.badMsg(msgID, seqNo, 64)
				return true
			}
			// An API query is content-related however it is packed.
			if !isService(tl.Uint32Of(plain)) && seqNo&1 == 0 {
				s.badMsg(msgID, seqNo, 35)
				return true
			}
			return s.dispatch(ctx, c, msgID, seqNo, plain)
		}
		s.call(ctx, msgID, body)
		return true
	}
	d := tl.NewDecoder(body, mt.New)
	o = d.Object()
	if d.Err() != nil {
		s.reply(rpcError(msgID, 400, "INPUT_CONSTRUCTOR_INVALID"))
		return true
	}
	switch v := o.(type) {
	case *mt.MsgsAck:
		s.acked(v.MsgIDs)
	case *mt.PingRequest:
		s.reply(&mt.Pong{MsgID: msgID, PingID: v.PingID})
	case *mt.PingDelayDisconnectRequest:
		c.armDisconnect(time.Duration(v.DisconnectDelay) * time.Second)
		s.reply(&mt.Pong{MsgID: msgID, PingID: v.PingID})
	case *mt.GetFutureSaltsRequest:
		s.futureSalts(ctx, msgID, int(v.Num))
	case *mt.DestroySessionRequest:
		s.reply(s.srv.destroySession(s.key.ID, v.SessionID))
	case *mt.DestroyAuthKeyRequest:
		s.destroyKey(ctx)
		return false
	case *mt.MsgsStateReq:
		s.reply(s.stateInfo(msgID, v.MsgIDs))
	case *mt.MsgResendReq:
		s.resend(msgID, v.MsgIDs)
	case *mt.RpcDropAnswerRequest:
		s.dropAnswer(msgID, v.ReqMsgID)
	case *mt.HTTPWaitRequest, *mt.MsgsAllInfo, *mt.MsgsStateInfo:
		// Nothing to answer: http_wait only matters on the HTTP transport.
	default:
		s.reply(rpcError(msgID, 400, "INPUT_METHOD_INVALID"))
	}
	switch o.(type) {
	case *mt.PingRequest, *mt.PingDelayDisconnectRequest, *mt.GetFutureSaltsRequest, *mt.MsgsStateReq:
		// Answered: the answer acknowledges the query.
	default:
		if seqNo&1 == 1 {
			s.ack(msgID)
		}
	}
	return true
}

func unpack(body []byte) ([]byte, error) {
	d := tl.NewDecoder(body[4:], nil)
	packed := d.Blob()
	if d.Err() != nil {
		return nil, d.Err()
	}
	return tl.Gunzip(packed)
}

// call runs an API query in its own goroutine and answers it.
func (s *Session) call(ctx context.Context, msgID int64, body []byte) {
	srv := s.srv
	srv.mu.Lock()
	if srv.closing {
		srv.mu.Unlock()
		return
	}
	srv.calls.Add(1)
	srv.mu.Unlock()
	s.mu.Lock()
	s.running[msgID] = true
	s.mu.Unlock()
	go func() {
		defer srv.calls.Done()
		res, err := srv.Invoker.Invoke(ctx, s, msgID, body)
		s.mu.Lock()
		dropped := !s.running[msgID]
		delete(s.running, msgID)
		s.mu.Unlock()
		if dropped {
			s.result(msgID, &mt.RpcAnswerDroppedRunning{}, nil)
			return
		}
		if err != nil {
			code, msg := asRPCError(err)
			if code == 500 {
				srv.log().Error("rpc failed", "err", err)
			} else {
				srv.log().Debug("rpc error", "err", err)
			}
			s.result(msgID, &mt.RpcError{ErrorCode: code, ErrorMessage: msg}, nil)
			return
		}
		layer, _ := s.Layer()
		s.result(msgID, res, layer)
	}()
}

// RPCError is the form of an error that becomes rpc_error.
type RPCError interface {
	error
	RPCError() (code int32, message string)
}

func asRPCError(err error) (int32, string) {
	var re RPCError
	if errors.As(err, &re) {
		return re.RPCError()
	}
	return 500, "INTERNAL"
}

func rpcError(msgID int64, code int32, msg string) tl.Object {
	return &mt.RpcResult{ReqMsgID: msgID, Result: &mt.RpcError{ErrorCode: code, ErrorMessage: msg}}
}

// stopDisconnect stops the ping_delay_disconnect timer of a connection
// that ended: a timer armed for a long delay would otherwise keep the
// connection, and its buffers, in memory until it fires.
func (c *conn) stopDisconnect() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.disconnect != nil {
		c.disconnect.Stop()
		c.disconnect = nil
	}
}

func (c *conn) armDisconnect(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.disconnect != nil {
		c.disconnect.Stop()
	}
	c.disconnect = time.AfterFunc(d, func() { c.tc.Close() })
}

func (s *Session) futureSalts(ctx context.Context, msgID int64, n int) {
	n = min(max(n, 1), 64)
	now := time.Now()
	salts, err := s.key.futureSalts(ctx, s.srv.Store.Salts(), now, n)
	if err != nil {
		s.reply(rpcError(msgID, 500, "INTERNAL"))
		return
	}
	out := &mt.FutureSalts{ReqMsgID: msgID, Now: int32(now.Unix())}
	for _, v := range salts {
		out.Salts = append(out.Salts, mt.FutureSalt{ValidSince: int32(v.ValidSince.Unix()), ValidUntil: int32(v.ValidUntil.Unix()), Salt: v.Salt})
	}
	s.reply(out)
}

func (s *Server) destroySession(keyID, id int64) tl.Object {
	s.mu.Lock()
	sk := sessionKey{keyID, id}
	_, ok := s.sessions[sk]
	delete(s.sessions, sk)
	s.mu.Unlock()
	if err := s.Store.Sessions().Delete(context.Background(), keyID, id); err == nil {
		ok = true
	}
	if ok {
		return &mt.DestroySessionOk{SessionID: id}
	}
	return &mt.DestroySessionNone{SessionID: id}
}

// destroyKey answers destroy_auth_key and forgets the key; later packets
// with its id get -404.
func (s *Session) destroyKey(ctx context.Context) {
	var res tl.Object = &mt.DestroyAuthKeyOk{}
	if err := s.srv.Store.AuthKeys().Delete(ctx, s.key.ID); err != nil {
		res = &mt.DestroyAuthKeyFail{}
	}
	s.reply(res)
	s.srv.forgetKey(s.key.ID)
}

// stateInfo answers msgs_state_req with one status byte per id.
func (s *Session) stateInfo(msgID int64, ids []int64) tl.Object {
	if len(ids) > maxServiceList {
		ids = ids[:maxServiceList]
	}
	info := make([]byte, len(ids))
	s.mu.Lock()
	for i, id := range ids {
		switch {
		case s.seen[id] && s.running[id]:
			info[i] = 4 | 32
		case s.seen[id]:
			info[i] = 4 | 32 | 64
		case id < s.minSeen:
			info[i] = 1
		case time.Unix(id>>32, 0).After(time.Now().Add(maxFuture)):
			info[i] = 3
		default:
			info[i] = 2
		}
	}
	s.mu.Unlock()
	return &mt.MsgsStateInfo{ReqMsgID: msgID, Info: info}
}

// resend sends again the server messages the client asks for, or the
// state of the ids when one of them is not pending.
func (s *Session) resend(msgID int64, ids []int64) {
	if len(ids) > maxServiceList {
		ids = ids[:maxServiceList]
	}
	s.mu.Lock()
	var msgs []outMsg
	asked := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m, ok := s.pending[id]
		if !ok {
			s.mu.Unlock()
			s.reply(s.stateInfo(msgID, ids))
			return
		}
		// Each message once, however often the list names it: a short
		// request must not make the server write a huge container.
		if !asked[id] {
			asked[id] = true
			msgs = append(msgs, m)
		}
	}
	if len(msgs) > 0 {
		s.writeLocked(msgs, true)
	}
	s.mu.Unlock()
}

// dropAnswer handles rpc_drop_answer.
func (s *Session) dropAnswer(msgID, req int64) {
	s.mu.Lock()
	var res tl.Object = &mt.RpcAnswerUnknown{}
	if s.running[req] {
		delete(s.running, req)
		res = &mt.RpcAnswerDroppedRunning{}
	}
	s.mu.Unlock()
	s.result(msgID, res, nil)
}
