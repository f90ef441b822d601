package tg

import (
	"testing"

	"github.com/roostchat/roost/tl/tltest"
)

func TestRoundTrip(t *testing.T) {
	tltest.RoundTripAll(t, Types, New, 5)
}
