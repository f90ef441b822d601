package core

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/memory"
)

// deviceWorld is a core on a memory store with a clock the test moves.
type deviceWorld struct {
	t    *testing.T
	ctx  context.Context
	c    *Core
	now  time.Time
	keys *recordingKeys
}

func newDeviceWorld(t *testing.T) *deviceWorld {
	w := &deviceWorld{t: t, ctx: context.Background(), now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	st := memory.New()
	w.c = &Core{Store: st, Secret: []byte("0123456789abcdef0123456789abcdef"), Now: func() time.Time { return w.now },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	w.keys = &recordingKeys{st: st}
	return w
}

// recordingKeys stands in for the MTProto server: it applies logins and
// logouts to the store and records them.
type recordingKeys struct {
	st      store.Store
	dropped []int64
	logins  map[int64]int64
}

func (r *recordingKeys) SetUser(ctx context.Context, keyID, userID int64) error {
	if r.logins == nil {
		r.logins = map[int64]int64{}
	}
	r.logins[keyID] = userID
	return r.st.AuthKeys().SetUser(ctx, keyID, userID)
}

func (r *recordingKeys) RevokeKey(ctx context.Context, keyID int64) error {
	r.dropped = append(r.dropped, keyID)
	return r.st.AuthKeys().Delete(ctx, keyID)
}

func (w *deviceWorld) user(phone string) store.User {
	w.t.Helper()
	u, err := w.c.Store.Users().Create(w.ctx, store.User{Phone: phone, FirstName: "U" + phone, CreatedAt: w.now})
	if err != nil {
		w.t.Fatal(err)
	}
	return u
}

// device makes a permanent key created at the current time, logged in
// as userID (0: nobody).
func (w *deviceWorld) device(id, userID int64) int64 {
	w.t.Helper()
	if err := w.c.Store.AuthKeys().Create(w.ctx, store.AuthKey{ID: id, CreatedAt: w.now}); err != nil {
		w.t.Fatal(err)
	}
	if userID != 0 {
		if err := w.c.Store.AuthKeys().SetUser(w.ctx, id, userID); err != nil {
			w.t.Fatal(err)
		}
	}
	return id
}

func (w *deviceWorld) session(keyID, id int64, at time.Time, ci store.ClientInfo, ip string) {
	w.t.Helper()
	s := store.Session{AuthKeyID: keyID, ID: id, Layer: 229, Client: ci, CreatedAt: at, LastUsedAt: at}
	if ip != "" {
		s.IP = netip.MustParseAddr(ip)
	}
	if err := w.c.Store.Sessions().Save(w.ctx, s); err != nil {
		w.t.Fatal(err)
	}
}

func (w *deviceWorld) exists(keyID int64) bool {
	_, err := w.c.Store.AuthKeys().Get(w.ctx, keyID)
	return err == nil
}

func TestAuthorizations(t *testing.T) {
	w := newDeviceWorld(t)
	d := &Devices{Core: w.c}
	alice, bob := w.user("15550001"), w.user("15550002")
	app, err := w.c.Store.Apps().Create(w.ctx, store.App{Hash: "h", Title: "Roost Desktop", CreatedAt: w.now})
	if err != nil {
		t.Fatal(err)
	}
	created := w.now
	phone := w.device(101, alice.ID)
	w.now = w.now.Add(time.Hour)
	laptop := w.device(102, alice.ID)
	w.device(103, bob.ID)
	w.device(104, 0)

	// The phone talks through a temporary key; its initConnection is
	// there, and a later session without initConnection counts as
	// activity only.
	if err := w.c.Store.AuthKeys().Create(w.ctx, store.AuthKey{ID: 201, CreatedAt: w.now, ExpiresAt: w.now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := w.c.Store.AuthKeys().BindTemp(w.ctx, 201, phone); err != nil {
		t.Fatal(err)
	}
	ci := store.ClientInfo{APIID: int(app.ID), DeviceModel: "Pixel", SystemVersion: "Android 15", AppVersion: "1.2"}
	w.session(201, 1, w.now.Add(time.Minute), ci, "192.0.2.7")
	w.session(phone, 2, w.now.Add(2*time.Minute), store.ClientInfo{}, "")
	w.session(laptop, 3, w.now.Add(time.Second), store.ClientInfo{APIID: 4, DeviceModel: "ThinkPad"}, "")

	list, err := d.Authorizations(w.ctx, alice.ID, laptop)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("%d authorizations, want 2: %+v", len(list), list)
	}
	cur, other := list[0], list[1]
	if !cur.Current || cur.KeyID != laptop || cur.Client.DeviceModel != "ThinkPad" || cur.AppName != "" {
		t.Errorf("current device: %+v", cur)
	}
	if other.Current || other.KeyID != phone || other.Client != ci || other.AppName != "Roost Desktop" ||
		other.IP.String() != "192.0.2.7" || !other.CreatedAt.Equal(created) || !other.ActiveAt.Equal(w.now.Add(2*time.Minute)) {
		t.Errorf("other device: %+v", other)
	}
	// Without a current device, the most recently active comes first.
	list, err = d.Authorizations(w.ctx, alice.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].KeyID != phone || list[0].Current || list[1].Current {
		t.Errorf("order by activity: %+v", list)
	}
	if _, err := d.Authorization(w.ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Authorization of a missing key: %v", err)
	}
}

func TestResetAuthorization(t *testing.T) {
	w := newDeviceWorld(t)
	d := &Devices{Core: w.c}
	alice, bob := w.user("15550001"), w.user("15550002")
	old := w.device(1, alice.ID)
	other := w.device(2, alice.ID)
	bobs := w.device(3, bob.ID)
	if err := w.c.Store.AuthKeys().Create(w.ctx, store.AuthKey{ID: 4, CreatedAt: w.now, ExpiresAt: w.now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := w.c.Store.AuthKeys().BindTemp(w.ctx, 4, other); err != nil {
		t.Fatal(err)
	}
	d.SetDeviceLocked(other, time.Minute)

	for _, hash := range []int64{0, old, bobs, 4, 999} {
		if err := d.ResetAuthorization(w.ctx, w.keys, alice.ID, old, hash); !errors.Is(err, ErrHashInvalid) {
			t.Errorf("reset hash %d: %v, want HASH_INVALID", hash, err)
		}
	}
	// A login younger than a day may not terminate others.
	if err := d.ResetAuthorization(w.ctx, w.keys, alice.ID, old, other); !errors.Is(err, ErrFreshReset) {
		t.Fatalf("fresh reset: %v", err)
	}
	if err := d.ResetAuthorizations(w.ctx, w.keys, alice.ID, old); !errors.Is(err, ErrFreshReset) {
		t.Fatalf("fresh reset of all: %v", err)
	}
	if !w.exists(other) || len(w.keys.dropped) != 0 {
		t.Fatal("a refused reset dropped keys")
	}
	w.now = w.now.Add(FreshResetPeriod)
	if err := d.ResetAuthorization(w.ctx, w.keys, alice.ID, old, other); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.keys.dropped, []int64{4, other}) || w.exists(other) || w.exists(4) || !w.exists(old) || !w.exists(bobs) {
		t.Errorf("dropped %v", w.keys.dropped)
	}
	if d.DeviceLocked(other) != 0 {
		t.Error("lock period of a dropped device kept")
	}
	if err := d.ResetAuthorization(w.ctx, w.keys, alice.ID, old, other); !errors.Is(err, ErrHashInvalid) {
		t.Errorf("reset twice: %v", err)
	}
}

func TestResetAuthorizations(t *testing.T) {
	w := newDeviceWorld(t)
	w.c.Dev = true // a test deployment has no waiting period
	d := &Devices{Core: w.c}
	alice, bob := w.user("15550001"), w.user("15550002")
	cur := w.device(1, alice.ID)
	w.device(2, alice.ID)
	w.device(3, alice.ID)
	bobs := w.device(4, bob.ID)
	if err := d.ResetAuthorizations(w.ctx, w.keys, alice.ID, cur); err != nil {
		t.Fatal(err)
	}
	left, err := w.c.Store.AuthKeys().ByUser(w.ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].ID != cur || !w.exists(bobs) {
		t.Errorf("left %+v; bob's key kept: %v", left, w.exists(bobs))
	}
	// Nothing else to end: still a success.
	if err := d.ResetAuthorizations(w.ctx, w.keys, alice.ID, cur); err != nil {
		t.Error(err)
	}
}

func TestDeviceLocked(t *testing.T) {
	d := &Devices{Core: newDeviceWorld(t).c}
	if d.DeviceLocked(1) != 0 {
		t.Error("locked before set")
	}
	d.SetDeviceLocked(1, time.Hour)
	if d.DeviceLocked(1) != time.Hour || d.DeviceLocked(2) != 0 {
		t.Error("period not kept per device")
	}
	d.SetDeviceLocked(1, -time.Second)
	if d.DeviceLocked(1) != 0 {
		t.Error("a negative period does not turn the lock off")
	}
}

func TestExportImportAuthorization(t *testing.T) {
	w := newDeviceWorld(t)
	d := &Devices{Core: w.c}
	alice, bob := w.user("15550001"), w.user("15550002")
	fresh := w.device(1, 0)
	b, err := d.ExportAuthorization(alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != exportedAuthSize {
		t.Fatalf("%d bytes", len(b))
	}
	if _, err := d.ImportAuthorization(w.ctx, w.keys, fresh, 0, alice.ID, b[:10]); !errors.Is(err, ErrAuthBytesInvalid) {
		t.Errorf("short bytes: %v", err)
	}
	u, err := d.ImportAuthorization(w.ctx, w.keys, fresh, 0, alice.ID, b)
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := w.c.Store.AuthKeys().Get(w.ctx, fresh); u.ID != alice.ID || k.UserID != alice.ID {
		t.Errorf("imported %+v, key user %d", u, k.UserID)
	}
	// Once only.
	if _, err := d.ImportAuthorization(w.ctx, w.keys, w.device(2, 0), 0, alice.ID, b); !errors.Is(err, ErrAuthBytesInvalid) {
		t.Errorf("second import: %v", err)
	}
	// The id must be the exporting user's; the bytes are spent anyway.
	b, _ = d.ExportAuthorization(alice.ID)
	if _, err := d.ImportAuthorization(w.ctx, w.keys, 2, 0, bob.ID, b); !errors.Is(err, ErrUserIDInvalid) {
		t.Errorf("wrong user: %v", err)
	}
	if _, err := d.ImportAuthorization(w.ctx, w.keys, 2, 0, alice.ID, b); !errors.Is(err, ErrAuthBytesInvalid) {
		t.Errorf("import after a wrong id: %v", err)
	}
	// A key logged in as someone else cannot take the login; one logged
	// in as the same user already has it.
	b, _ = d.ExportAuthorization(alice.ID)
	if _, err := d.ImportAuthorization(w.ctx, w.keys, 3, bob.ID, alice.ID, b); !errors.Is(err, ErrAuthBytesInvalid) {
		t.Errorf("import on another user's key: %v", err)
	}
	b, _ = d.ExportAuthorization(alice.ID)
	delete(w.keys.logins, fresh)
	if _, err := d.ImportAuthorization(w.ctx, w.keys, fresh, alice.ID, alice.ID, b); err != nil {
		t.Errorf("import on a key of the same user: %v", err)
	}
	if _, ok := w.keys.logins[fresh]; ok {
		t.Error("logged in again")
	}
	// Expired bytes.
	b, _ = d.ExportAuthorization(alice.ID)
	w.now = w.now.Add(ExportedAuthTTL)
	if _, err := d.ImportAuthorization(w.ctx, w.keys, w.device(4, 0), 0, alice.ID, b); !errors.Is(err, ErrAuthBytesInvalid) {
		t.Errorf("expired bytes: %v", err)
	}
}

func FuzzImportAuthorization(f *testing.F) {
	f.Add(int64(1), []byte("0123456789abcdef0123456789abcdef"))
	f.Add(int64(0), []byte{})
	st := memory.New()
	d := &Devices{Core: &Core{Store: st}}
	keys := &recordingKeys{st: st}
	f.Fuzz(func(t *testing.T, id int64, b []byte) {
		// Bytes never exported are refused, whatever they are.
		_, err := d.ImportAuthorization(context.Background(), keys, 1, 0, id, b)
		if !errors.Is(err, ErrAuthBytesInvalid) {
			t.Fatalf("import of %x: %v", b, err)
		}
	})
}
