package store

import "testing"

func TestTrimUpTo(t *testing.T) {
	for _, c := range []struct {
		before, after, upTo int32
		due                 bool
	}{
		{0, 1, 0, false},
		{UpdateLogKeep - 1, UpdateLogKeep, 0, false},     // nothing old enough yet
		{UpdateLogKeep + 1, UpdateLogKeep + 2, 0, false}, // not at a multiple
		{10239, 10240, 240, true},                        // reaches a multiple
		{10240, 10241, 0, false},                         // just past it
		{10200, 10300, 300, true},                        // jumps over one
		{UpdateLogKeep + 5, UpdateLogKeep + 5 + UpdateLogTrimEvery, 5 + UpdateLogTrimEvery, true}, // a wide entry
	} {
		upTo, due := TrimUpTo(c.before, c.after)
		if upTo != c.upTo || due != c.due {
			t.Errorf("TrimUpTo(%d, %d) = %d, %v; want %d, %v", c.before, c.after, upTo, due, c.upTo, c.due)
		}
	}
}
