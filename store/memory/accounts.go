package memory

import (
	"fmt"
	"time"

	"github.com/roostchat/roost/store"
)

// accounts is the part of Store that holds accounts. The Store's lock
// guards it.
type accounts struct {
	users      map[int64]store.User
	phones     map[string]int64 // phone → user id
	usernames  map[string]int64 // lower-cased username → user id
	lastUserID int64            // highest user id given or assigned

	codes     map[string]store.LoginCode // hash → code
	codeSends map[string][]int64         // phone → when codes were sent (Unix seconds)

	passwords map[int64]store.Password
	contacts  map[int64]map[int64]store.Contact // owner → user → contact
	blocked   map[int64]map[int64]time.Time     // owner → user → when
	privacy   map[int64]map[string][]byte       // user → key → rules
	apps      map[int32]store.App
	lastAppID int32 // highest app id given or assigned
	botTokens map[int64][32]byte
	botSealed map[int64][]byte // sealed copies of tokens; made on first use
}

func newAccounts() accounts {
	return accounts{
		users:     make(map[int64]store.User),
		phones:    make(map[string]int64),
		usernames: make(map[string]int64),
		codes:     make(map[string]store.LoginCode),
		codeSends: make(map[string][]int64),
		passwords: make(map[int64]store.Password),
		contacts:  make(map[int64]map[int64]store.Contact),
		blocked:   make(map[int64]map[int64]time.Time),
		privacy:   make(map[int64]map[string][]byte),
		apps:      make(map[int32]store.App),
		botTokens: make(map[int64][32]byte),
	}
}

// mustUser fails with store.ErrNotFound if the user id does not exist.
// The caller holds the lock.
func (s *Store) mustUser(id int64) error {
	if _, ok := s.users[id]; !ok {
		return fmt.Errorf("user %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// clone copies b, so that the store and its callers never share memory.
// nil stays nil.
func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
