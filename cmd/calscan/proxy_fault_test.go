package main

// faultProxy stands between calscan and a directory on plain LDAP and plays a
// domain controller that fails between two pages of a paged search. It reads
// the server's LDAP messages, so "after the first page" is exact: right after
// the first SearchResultDone has been passed on to calscan.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
)

// proxyFault is what the proxy does once the first page is through.
type proxyFault int

const (
	faultCut   proxyFault = iota + 1 // close every connection and refuse new ones: the DC died
	faultReset                       // the same, with TCP resets instead of an orderly close
	faultStall                       // keep every connection open and pass nothing on: the DC hangs
	faultHold                        // pass nothing on until release: the test kills the real DC meanwhile
)

// ldapSearchResultDone is the BER tag of a SearchResultDone ([APPLICATION 5], constructed).
const ldapSearchResultDone = 0x65

type faultProxy struct {
	t       *testing.T
	ln      net.Listener
	backend string
	fault   proxyFault

	firstPage chan struct{} // closed once the first page has been passed on
	released  chan struct{} // closed by release (faultHold)

	mu      sync.Mutex
	tripped bool
	conns   []net.Conn
	wg      sync.WaitGroup
}

func startFaultProxy(t *testing.T, backend string, fault proxyFault) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{t: t, ln: ln, backend: backend, fault: fault,
		firstPage: make(chan struct{}), released: make(chan struct{})}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

// url is the proxy's ldap:// URL.
func (p *faultProxy) url() string { return "ldap://" + p.ln.Addr().String() }

// release lets a held proxy pass bytes on again.
func (p *faultProxy) release() {
	select {
	case <-p.released:
	default:
		close(p.released)
	}
}

func (p *faultProxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.backend)
		if err != nil {
			_ = client.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, client, server)
		p.mu.Unlock()
		p.wg.Add(2)
		go p.toServer(client, server)
		go p.toClient(server, client)
	}
}

// toServer passes the client's requests on, unless the DC is meant to be gone.
func (p *faultProxy) toServer(client, server net.Conn) {
	defer p.wg.Done()
	buf := make([]byte, 32<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			if !p.pass() {
				continue // a hanging DC reads and never answers
			}
			if _, werr := server.Write(buf[:n]); werr != nil {
				_ = client.Close()
				return
			}
		}
		if err != nil {
			_ = server.Close()
			return
		}
	}
}

// toClient passes the server's messages on one at a time and trips the
// fault after the first SearchResultDone.
func (p *faultProxy) toClient(server, client net.Conn) {
	defer p.wg.Done()
	r := bufio.NewReader(server)
	for {
		msg, tag, err := readLDAPMessage(r)
		if err != nil {
			_ = client.Close()
			return
		}
		if !p.pass() {
			continue
		}
		if _, err := client.Write(msg); err != nil {
			_ = server.Close()
			return
		}
		if tag == ldapSearchResultDone {
			p.trip()
		}
	}
}

// pass reports whether bytes may go through now; a held proxy waits here.
func (p *faultProxy) pass() bool {
	p.mu.Lock()
	tripped := p.tripped
	p.mu.Unlock()
	if !tripped {
		return true
	}
	switch p.fault {
	case faultHold:
		<-p.released
		return true
	case faultStall:
		return false
	}
	return false
}

func (p *faultProxy) trip() {
	p.mu.Lock()
	if p.tripped {
		p.mu.Unlock()
		return
	}
	p.tripped = true
	conns := p.conns
	p.mu.Unlock()
	close(p.firstPage)
	switch p.fault {
	case faultCut, faultReset:
		_ = p.ln.Close()
		for _, c := range conns {
			if tc, ok := c.(*net.TCPConn); ok && p.fault == faultReset {
				_ = tc.SetLinger(0)
			}
			_ = c.Close()
		}
	}
}

func (p *faultProxy) close() {
	p.release()
	_ = p.ln.Close()
	p.mu.Lock()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// readLDAPMessage reads one BER-encoded LDAPMessage (SEQUENCE { messageID,
// protocolOp, ... }) and returns its bytes and the protocolOp's tag.
func readLDAPMessage(r *bufio.Reader) (msg []byte, opTag byte, err error) {
	head := make([]byte, 2, 16)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, 0, err
	}
	if head[0] != 0x30 {
		return nil, 0, fmt.Errorf("not an LDAPMessage: tag %#x", head[0])
	}
	length := int(head[1])
	if head[1]&0x80 != 0 {
		n := int(head[1] & 0x7f)
		if n == 0 || n > 4 {
			return nil, 0, errors.New("unsupported BER length")
		}
		lb := make([]byte, n)
		if _, err := io.ReadFull(r, lb); err != nil {
			return nil, 0, err
		}
		head = append(head, lb...)
		length = 0
		for _, b := range lb {
			length = length<<8 | int(b)
		}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, 0, err
	}
	// body: INTEGER messageID (tag, one length byte, value), then the protocolOp's tag.
	if len(body) < 3 || body[0] != 0x02 || int(body[1])+2 >= len(body) {
		return nil, 0, errors.New("LDAPMessage without a messageID")
	}
	return append(head, body...), body[2+int(body[1])], nil
}
