package adsim

import (
	"bytes"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// TestCloseLeavesNoGoroutines is not parallel: it counts goroutines while
// the parallel tests are still paused.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	serverTLS, caPEM, err := TestTLS()
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	s, err := Start(Options{Directory: smallDirectory(), BindDN: testBindDN, Password: testPassword, TLSConfig: serverTLS})
	if err != nil {
		t.Fatal(err)
	}
	var clients []*ldap.Conn
	for i := range 3 {
		c, err := ldap.DialURL(s.URL())
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
		if i == 1 {
			if err := c.StartTLS(clientTLS(t, caPEM)); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.Bind(testBindDN, testPassword); err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			if _, _, err := pagedScan(c, testBase, "(objectClass=*)", 3); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range clients {
		c.Close()
	}
	// goroutines wind down just after Close returns; poll, bounded
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		var buf bytes.Buffer
		_ = pprof.Lookup("goroutine").WriteTo(&buf, 1)
		t.Errorf("%d goroutines before Start, %d after Close:\n%s", before, after, buf.String())
	}
}
