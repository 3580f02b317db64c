package adsim

import (
	"sync"
	"time"
)

// session is what the server remembers about one client connection.
type session struct {
	bound bool // a bind succeeded (anonymous counts when allowed)
	tls   bool // StartTLS completed
}

// sessions maps gldap connection ids to their state. Requests on one
// connection are served concurrently, so every access is locked.
type sessions struct {
	mu     sync.Mutex
	m      map[int]session
	closed int // connections gldap has closed
}

func newSessions() *sessions { return &sessions{m: make(map[int]session)} }

func (s *sessions) get(id int) session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}

func (s *sessions) update(id int, change func(*session)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.m[id]
	change(&st)
	s.m[id] = st
}

// drop forgets a closed connection (gldap's OnClose callback).
func (s *sessions) drop(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	s.closed++
}

// waitClosed waits, up to timeout, until gldap has closed n connections.
func (s *sessions) waitClosed(n int, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for {
		s.mu.Lock()
		done := s.closed >= n
		s.mu.Unlock()
		if done || time.Now().After(deadline) {
			return
		}
		time.Sleep(time.Millisecond)
	}
}
