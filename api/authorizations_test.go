package api

import (
	"net/netip"
	"testing"
	"time"

	"github.com/roostchat/roost/core"
	"github.com/roostchat/roost/store"
)

func TestAuthorizationConversion(t *testing.T) {
	created := time.Unix(1700000000, 0)
	a := core.Authorization{
		KeyID:   0x1234,
		Client:  store.ClientInfo{APIID: 7, DeviceModel: "Pixel", SystemVersion: "Android 15", AppVersion: "1.2"},
		AppName: "Roost", IP: netip.MustParseAddr("2001:db8::1"),
		CreatedAt: created, ActiveAt: created.Add(time.Hour),
	}
	got := authorization(a)
	if got.Current || got.Hash != 0x1234 || got.DeviceModel != "Pixel" || got.SystemVersion != "Android 15" ||
		got.APIID != 7 || got.AppName != "Roost" || got.AppVersion != "1.2" || got.IP != "2001:db8::1" ||
		got.DateCreated != 1700000000 || got.DateActive != 1700003600 {
		t.Errorf("other device: %+v", got)
	}
	// The official server gives the current device hash 0.
	a.Current, a.PasswordPending, a.IP, a.CreatedAt = true, true, netip.Addr{}, time.Time{}
	got = authorization(a)
	if !got.Current || got.Hash != 0 || !got.PasswordPending || got.IP != "" || got.DateCreated != 0 {
		t.Errorf("current device: %+v", got)
	}
}
