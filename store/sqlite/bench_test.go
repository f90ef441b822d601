package sqlite_test

import (
	"testing"

	"github.com/roostchat/roost/store/storetest"
)

// BenchmarkAuthKeyGet measures the lookup every encrypted packet starts
// with, in a table of 10 000 keys.
func BenchmarkAuthKeyGet(b *testing.B) {
	s, _ := openTemp(b)
	defer s.Close()
	const n = 10_000
	ctx := b.Context()
	for i := range n {
		if err := s.AuthKeys().Create(ctx, storetest.NewKey(int64(i+1))); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("Serial", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := s.AuthKeys().Get(ctx, int64(i%n+1)); err != nil {
				b.Fatal(err)
			}
			i += 7919
		}
	})
	b.Run("Parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := s.AuthKeys().Get(ctx, int64(i%n+1)); err != nil {
					b.Error(err)
					return
				}
				i += 7919
			}
		})
	})
}
