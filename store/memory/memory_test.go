package memory_test

import (
	"testing"

	"github.com/roostchat/roost/store"
	"github.com/roostchat/roost/store/memory"
	"github.com/roostchat/roost/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Store { return memory.New() })
}
