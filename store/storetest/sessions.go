package storetest

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/roostchat/roost/store"
)

func testSessions(t *testing.T, open Open) {
	t.Run("SaveGetList", func(t *testing.T) {
		s, ctx := openT(t, open)
		mustCreate(t, s, NewKey(1), NewKey(2))
		ss := s.Sessions()
		first := store.Session{AuthKeyID: 1, ID: -7, CreatedAt: at(5), LastUsedAt: at(5)}
		if err := ss.Save(ctx, first); err != nil {
			t.Fatalf("save: %v", err)
		}
		got, err := ss.Get(ctx, 1, -7)
		if err != nil || got != first {
			t.Fatalf("get = %+v, %v; want %+v", got, err, first)
		}

		// initConnection fills in the client; CreatedAt keeps its value.
		full := store.Session{
			AuthKeyID: 1, ID: -7, Layer: 214,
			Client: store.ClientInfo{
				APIID: 17349, DeviceModel: "Pixel 8", SystemVersion: "Android 15",
				AppVersion: "11.2.3", SystemLangCode: "en-US", LangPack: "android", LangCode: "en",
			},
			IP:        netip.MustParseAddr("2001:db8::1"),
			CreatedAt: at(100), LastUsedAt: at(200),
		}
		if err := ss.Save(ctx, full); err != nil {
			t.Fatalf("save again: %v", err)
		}
		want := full
		want.CreatedAt = first.CreatedAt
		if got, err := ss.Get(ctx, 1, -7); err != nil || got != want {
			t.Errorf("get after update = %+v, %v; want %+v", got, err, want)
		}

		second := store.Session{AuthKeyID: 1, ID: 3, IP: netip.MustParseAddr("192.0.2.7"), CreatedAt: at(1), LastUsedAt: at(1)}
		third := store.Session{AuthKeyID: 1, ID: 2, CreatedAt: at(1), LastUsedAt: at(1)}
		other := store.Session{AuthKeyID: 2, ID: 3, CreatedAt: at(0), LastUsedAt: at(0)}
		for _, v := range []store.Session{second, third, other} {
			if err := ss.Save(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		l, err := ss.List(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		wantList := []store.Session{third, second, want}
		if len(l) != len(wantList) {
			t.Fatalf("list = %+v, want %+v", l, wantList)
		}
		for i := range l {
			if l[i] != wantList[i] {
				t.Errorf("list[%d] = %+v, want %+v", i, l[i], wantList[i])
			}
		}
		if l, err := ss.List(ctx, 9); err != nil || len(l) != 0 {
			t.Errorf("list of unknown key = %v, %v", l, err)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		s, ctx := openT(t, open)
		mustCreate(t, s, NewKey(1))
		ss := s.Sessions()
		if err := ss.Save(ctx, store.Session{AuthKeyID: 2, ID: 1}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown key: err = %v, want ErrNotFound", err)
		}
		if err := ss.Save(ctx, store.Session{AuthKeyID: 1, ID: 0}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("session id 0: err = %v, want ErrInvalid", err)
		}
		if _, err := ss.Get(ctx, 1, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("get missing: err = %v, want ErrNotFound", err)
		}
		if err := ss.Touch(ctx, 1, 1, at(0)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("touch missing: err = %v, want ErrNotFound", err)
		}
		if err := ss.Delete(ctx, 1, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete missing: err = %v, want ErrNotFound", err)
		}
	})
	t.Run("TouchDelete", func(t *testing.T) {
		s, ctx := openT(t, open)
		mustCreate(t, s, NewKey(1), NewKey(2))
		ss := s.Sessions()
		for _, v := range []store.Session{
			{AuthKeyID: 1, ID: 1, CreatedAt: at(0), LastUsedAt: at(0)},
			{AuthKeyID: 1, ID: 2, CreatedAt: at(0), LastUsedAt: at(0)},
			{AuthKeyID: 2, ID: 1, CreatedAt: at(0), LastUsedAt: at(0)},
		} {
			if err := ss.Save(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		if err := ss.Touch(ctx, 1, 1, at(500)); err != nil {
			t.Fatalf("touch: %v", err)
		}
		if v, _ := ss.Get(ctx, 1, 1); !v.LastUsedAt.Equal(at(500)) || !v.CreatedAt.Equal(at(0)) {
			t.Errorf("after touch: %+v", v)
		}
		if err := ss.Delete(ctx, 1, 2); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := ss.Get(ctx, 1, 2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted session found: %v", err)
		}
		if _, err := ss.Get(ctx, 2, 1); err != nil {
			t.Errorf("same session id under another key deleted: %v", err)
		}
		n, err := ss.DeleteIdle(ctx, at(499))
		if err != nil || n != 1 {
			t.Fatalf("delete idle = %d, %v; want 1", n, err)
		}
		if _, err := ss.Get(ctx, 1, 1); err != nil {
			t.Errorf("active session deleted: %v", err)
		}
		if n, err := ss.DeleteIdle(ctx, at(500)); err != nil || n != 1 {
			t.Errorf("delete idle at last use = %d, %v; want 1", n, err)
		}
	})
}
