package rpc

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/roostchat/roost/layers"
	"github.com/roostchat/roost/mtproto"
	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/tg"
	"github.com/roostchat/roost/tl"
)

// Invoker implements mtproto.Invoker over a tg.Server.
type Invoker struct {
	Server *tg.Server
	Store  store.Store
	// CheckAPIID vets the api_id of initConnection (API_ID_INVALID for
	// an unknown client outside --dev); optional.
	CheckAPIID func(ctx context.Context, apiID int32) error
	// Observe is told the method name and error message of every call
	// (metrics); optional.
	Observe func(method, errMessage string, took time.Duration)
}

var _ mtproto.Invoker = (*Invoker)(nil)

// Constructor ids of the wrappers read straight from the bytes.
const (
	invokeWithLayerID      = 0xda9b0d0d
	invokeWithoutUpdatesID = 0xbf9459b7
	invokeAfterMsgID       = 0xcb9f372d
)

// Invoke decodes and runs one query of session s.
func (in *Invoker) Invoke(ctx context.Context, s *mtproto.Session, msgID int64, body []byte) (tl.Object, error) {
	start := time.Now()
	res, method, err := in.invoke(ctx, s, msgID, body)
	if in.Observe != nil {
		msg := ""
		if err != nil {
			var re *Error
			if errors.As(err, &re) {
				msg = re.Message
			} else {
				msg = ErrInternal.Message
			}
		}
		in.Observe(method, msg, time.Since(start))
	}
	return res, err
}

func (in *Invoker) invoke(ctx context.Context, s *mtproto.Session, msgID int64, body []byte) (tl.Object, string, error) {
	layer, n := s.Layer()
	if n == 0 && s.Value("layer_restored") == nil {
		s.SetValue("layer_restored", true)
		layer, n = in.restoreLayer(ctx, s)
	}
	// The wrappers with fixed-size fields have the same form in every
	// layer and may nest in any order (gotd sends invokeWithoutUpdates
	// around invokeWithLayer): peel them off the bytes, so that the query
	// inside is read in the layer invokeWithLayer names.
	for peeled := true; peeled && len(body) >= 4; {
		switch tl.Uint32Of(body) {
		case invokeWithLayerID:
			if len(body) < 8 {
				return nil, "invokeWithLayer", ErrConstructorInvalid
			}
			n = int(int32(binary.LittleEndian.Uint32(body[4:])))
			if n <= 0 {
				return nil, "invokeWithLayer", ErrLayerInvalid
			}
			body = body[8:]
			if _, cur := s.Layer(); cur == n {
				// Clients wrap every call; only a change is news.
				layer, _ = s.Layer()
				continue
			}
			layer = tlLayer(n)
			s.SetLayer(n, layer)
			in.saveSession(ctx, s, nil)
		case invokeWithoutUpdatesID:
			s.SetValue("without_updates", true)
			body = body[4:]
		case invokeAfterMsgID:
			if len(body) < 12 {
				return nil, "invokeAfterMsg", ErrConstructorInvalid
			}
			body = body[12:]
		default:
			peeled = false
		}
	}
	d := tl.NewDecoder(body, tg.New)
	d.Layer = layer
	q := d.Object()
	if d.Err() != nil {
		var uc *tl.UnknownConstructorError
		if errors.As(d.Err(), &uc) && uc.ID == tl.Uint32Of(body) {
			return nil, tg.Types.Name(uc.ID), ErrMethodInvalid
		}
		return nil, tg.Types.Name(tl.Uint32Of(body)), ErrConstructorInvalid
	}
	for {
		switch w := q.(type) {
		case *tg.InitConnectionRequest:
			if in.CheckAPIID != nil {
				if err := in.CheckAPIID(ctx, w.APIID); err != nil {
					return nil, "initConnection", err
				}
			}
			in.saveSession(ctx, s, w)
			q = w.Query
			continue
		case *tg.InvokeWithoutUpdatesRequest:
			s.SetValue("without_updates", true)
			q = w.Query
			continue
		case *tg.InvokeAfterMsgRequest:
			q = w.Query
			continue
		case *tg.InvokeAfterMsgsRequest:
			q = w.Query
			continue
		case *tg.InvokeWithTakeoutRequest:
			q = w.Query
			continue
		}
		break
	}
	if q == nil {
		return nil, "", ErrConstructorInvalid
	}
	method := tg.Types.Name(q.TypeID())
	if info, ok := tg.Types.Lookup(q.TypeID()); !ok || !info.Function {
		// A constructor of a type (inputPeerSelf, say) is no query.
		return nil, method, ErrMethodInvalid
	}
	if !unauthedAllowed(method) && s.UserID() == 0 {
		if s.Revoked() {
			return nil, method, ErrSessionRevoked
		}
		return nil, method, ErrAuthKeyUnregistered
	}
	h := in.Server.Handler(q.TypeID())
	if h == nil {
		return nil, method, fmt.Errorf("%s: %w", method, ErrMethodInvalid)
	}
	res, err := h(withSession(ctx, s, msgID), q)
	return res, method, err
}

func tlLayer(n int) tl.Layer {
	if l := layers.For(n); l != nil {
		return l
	}
	return nil
}

// restoreLayer reads the layer a session announced before a restart.
func (in *Invoker) restoreLayer(ctx context.Context, s *mtproto.Session) (tl.Layer, int) {
	st, err := in.Store.Sessions().Get(ctx, s.AuthKey().ID, s.ID())
	if err != nil || st.Layer == 0 {
		return nil, 0
	}
	l := tlLayer(st.Layer)
	s.SetLayer(st.Layer, l)
	return l, st.Layer
}

// saveSession persists the session's layer and, when given, what
// initConnection told about the client.
func (in *Invoker) saveSession(ctx context.Context, s *mtproto.Session, ic *tg.InitConnectionRequest) {
	_, n := s.Layer()
	st := store.Session{AuthKeyID: s.AuthKey().ID, ID: s.ID(), Layer: n, LastUsedAt: time.Now()}
	if prev, err := in.Store.Sessions().Get(ctx, st.AuthKeyID, st.ID); err == nil {
		st.Client, st.CreatedAt = prev.Client, prev.CreatedAt
	} else {
		st.CreatedAt = st.LastUsedAt
	}
	if ic != nil {
		st.Client = store.ClientInfo{APIID: int(ic.APIID), DeviceModel: ic.DeviceModel, SystemVersion: ic.SystemVersion,
			AppVersion: ic.AppVersion, SystemLangCode: ic.SystemLangCode, LangPack: ic.LangPack, LangCode: ic.LangCode}
		s.SetValue("client", st.Client)
	}
	in.Store.Sessions().Save(ctx, st)
}

type callCtxKey struct{}

type callInfo struct {
	s     *mtproto.Session
	msgID int64
}

func withSession(ctx context.Context, s *mtproto.Session, msgID int64) context.Context {
	return context.WithValue(ctx, callCtxKey{}, callInfo{s, msgID})
}

// SessionFrom returns the session a handler runs for and the msg_id of
// the message that carried the call.
func SessionFrom(ctx context.Context) (*mtproto.Session, int64) {
	c, _ := ctx.Value(callCtxKey{}).(callInfo)
	return c.s, c.msgID
}
