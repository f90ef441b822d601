package core

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/roostchat/roost/store/sqlite"
)

// BenchmarkSignIn measures a whole code login of an existing account on
// the embedded SQLite store: auth.sendCode then auth.signIn, as a client
// with an auth key does it. Run in parallel to see the store's write
// throughput.
func BenchmarkSignIn(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "roost.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	c := &Core{Store: st, Secret: []byte("0123456789abcdef0123456789abcdef"), Dev: true, Log: slog.New(slog.DiscardHandler)}
	const accounts = 1000
	for i := 0; i < accounts; i++ {
		phone := fmt.Sprintf("99966%d%04d", 2, i)
		sent, err := c.SendCode(ctx, phone, 1, 1, "x")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.SignIn(ctx, 1, phone, sent.Hash, "22222"); err != ErrSignUpRequired {
			b.Fatal(err)
		}
		if _, err := c.SignUp(ctx, phone, sent.Hash, "U", ""); err != nil {
			b.Fatal(err)
		}
	}
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			phone := fmt.Sprintf("99966%d%04d", 2, n.Add(1)%accounts)
			sent, err := c.SendCode(ctx, phone, 1, 1, "x")
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := c.SignIn(ctx, 1, phone, sent.Hash, "22222"); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signins/s")
}
