package memory

import (
	"errors"
	"sync"
	"time"

	"github.com/roostchat/roost/store"
)

// errClosed is returned by every call made after Close.
var errClosed = errors.New("memory store: closed")

// Store is an in-memory store.Store. The zero value is not usable; call New.
type Store struct {
	mu       sync.RWMutex
	closed   bool
	keys     map[int64]store.AuthKey
	bound    map[int64]int64                   // permanent key id → temporary key id
	salts    map[int64]map[int64]store.Salt    // key id → salt value → salt
	sessions map[int64]map[int64]store.Session // key id → session id → session
	accounts
	chatData

	// Message boxes have locks of their own, so that a Boxes.Update
	// function may read accounts: boxWriter serialises Update calls and
	// boxMu guards boxData. Lock order: boxWriter, then mu or boxMu.
	boxWriter sync.Mutex
	boxMu     sync.RWMutex
	boxData

	// botMu guards botAPIData (botapi.go). Lock order: boxWriter, mu,
	// boxMu, then botMu.
	botMu sync.RWMutex
	botAPIData
}

var _ store.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		keys:     make(map[int64]store.AuthKey),
		bound:    make(map[int64]int64),
		salts:    make(map[int64]map[int64]store.Salt),
		sessions: make(map[int64]map[int64]store.Session),
		accounts: newAccounts(),
		chatData: newChatData(),
		boxData:  newBoxData(),

		botAPIData: newBotAPIData(),
	}
}

// AuthKeys implements store.Store.
func (s *Store) AuthKeys() store.AuthKeys { return authKeys{s} }

// Salts implements store.Store.
func (s *Store) Salts() store.Salts { return salts{s} }

// Sessions implements store.Store.
func (s *Store) Sessions() store.Sessions { return sessions{s} }

// Users implements store.Store.
func (s *Store) Users() store.Users { return users{s} }

// LoginCodes implements store.Store.
func (s *Store) LoginCodes() store.LoginCodes { return loginCodes{s} }

// Passwords implements store.Store.
func (s *Store) Passwords() store.Passwords { return passwords{s} }

// Contacts implements store.Store.
func (s *Store) Contacts() store.Contacts { return contacts{s} }

// Privacy implements store.Store.
func (s *Store) Privacy() store.Privacy { return privacy{s} }

// Apps implements store.Store.
func (s *Store) Apps() store.Apps { return apps{s} }

// Bots implements store.Store.
func (s *Store) Bots() store.Bots { return bots{s} }

// Boxes implements store.Store.
func (s *Store) Boxes() store.Boxes { return boxes{s} }

// Chats implements store.Store.
func (s *Store) Chats() store.Chats { return chats{s} }

// Close drops all data. Later calls fail.
func (s *Store) Close() error {
	s.mu.Lock()
	s.closed = true
	s.keys, s.bound, s.salts, s.sessions = nil, nil, nil, nil
	s.accounts = accounts{}
	s.chatData = chatData{}
	s.mu.Unlock()
	s.boxMu.Lock()
	s.boxData = boxData{}
	s.boxMu.Unlock()
	s.botMu.Lock()
	s.botAPIData = botAPIData{}
	s.botMu.Unlock()
	return nil
}

// read runs f under the read lock, failing if the store is closed.
func (s *Store) read(f func() error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	return f()
}

// write runs f under the write lock, failing if the store is closed.
func (s *Store) write(f func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	return f()
}

// deleteKey removes a key and everything that hangs off it. The caller
// holds the write lock.
func (s *Store) deleteKey(id int64) {
	k, ok := s.keys[id]
	if !ok {
		return
	}
	delete(s.keys, id)
	delete(s.salts, id)
	delete(s.sessions, id)
	if k.PermKeyID != 0 && s.bound[k.PermKeyID] == id {
		delete(s.bound, k.PermKeyID)
	}
	if temp, ok := s.bound[id]; ok {
		delete(s.bound, id)
		s.deleteKey(temp)
	}
}

// second drops the sub-second part and the location of t, as the SQL
// back ends do, so both return the same values.
func second(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.Unix(t.Unix(), 0).UTC()
}

// unix is t in Unix seconds, 0 for the zero time, as the SQL back ends
// store it.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
