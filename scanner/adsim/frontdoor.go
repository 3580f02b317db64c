package adsim

import (
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// frontDoor is the listener clients connect to. It relays every connection
// to gldap's own listener and remembers it: gldap's Stop waits for clients to
// hang up, so Close needs a way to end connections itself.
type frontDoor struct {
	ln      net.Listener
	backend string // gldap's address

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	dialed int // connections made to gldap
	wg     sync.WaitGroup
}

func newFrontDoor(ln net.Listener, backend string) *frontDoor {
	f := &frontDoor{ln: ln, backend: backend, conns: make(map[net.Conn]struct{})}
	f.wg.Add(1)
	go f.accept()
	return f
}

func (f *frontDoor) accept() {
	defer f.wg.Done()
	for {
		c, err := f.ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return // listener closed
		}
		f.wg.Add(1)
		go f.relay(c)
	}
}

// relay copies bytes both ways until either side ends. A client that shuts
// its sending side still receives the answers in flight.
func (f *frontDoor) relay(client net.Conn) {
	defer f.wg.Done()
	backend, err := net.DialTimeout("tcp", f.backend, 10*time.Second)
	if err != nil {
		_ = client.Close()
		return
	}
	f.mu.Lock()
	f.dialed++
	f.mu.Unlock()
	if !f.track(client, backend) {
		_ = client.Close()
		_ = backend.Close()
		return
	}
	defer f.untrack(client, backend)
	upstreamDone := make(chan struct{})
	go func() {
		defer close(upstreamDone)
		_, _ = io.Copy(backend, client)
		if tc, ok := backend.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		} else {
			_ = backend.Close()
		}
	}()
	_, _ = io.Copy(client, backend)
	_ = client.Close()
	_ = backend.Close()
	<-upstreamDone
}

func (f *frontDoor) track(conns ...net.Conn) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	for _, c := range conns {
		f.conns[c] = struct{}{}
	}
	return true
}

func (f *frontDoor) untrack(conns ...net.Conn) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range conns {
		delete(f.conns, c)
	}
}

// connections is how many connections the relays made to gldap.
func (f *frontDoor) connections() int {
	if f == nil {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dialed
}

// close stops accepting, ends every connection and waits for the relays.
func (f *frontDoor) close() error {
	err := f.ln.Close()
	f.mu.Lock()
	f.closed = true
	for c := range f.conns {
		_ = c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
	return err
}
