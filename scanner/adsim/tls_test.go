package adsim

import (
	"crypto/tls"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

func TestStartTLS(t *testing.T) {
	t.Parallel()
	serverTLS, caPEM, err := TestTLS()
	if err != nil {
		t.Fatal(err)
	}
	_, otherCA, err := TestTLS()
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, Options{TLSConfig: serverTLS})
	if !strings.HasPrefix(s.URL(), "ldap://127.0.0.1:") {
		t.Fatalf("URL = %q, want ldap://127.0.0.1:PORT", s.URL())
	}
	tests := []struct {
		name    string
		client  *tls.Config
		wantErr bool
	}{
		{"trusted CA", clientTLS(t, caPEM), false},
		{"trusted CA, name localhost", func() *tls.Config { c := clientTLS(t, caPEM); c.ServerName = "localhost"; return c }(), false},
		{"another CA", clientTLS(t, otherCA), true},
		{"wrong name", func() *tls.Config { c := clientTLS(t, caPEM); c.ServerName = "dc1.corp.example.test"; return c }(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := dial(t, s.URL())
			err := c.StartTLS(tt.client)
			if tt.wantErr {
				if err == nil {
					t.Fatal("StartTLS succeeded, want a verification error")
				}
				return
			}
			if err != nil {
				t.Fatalf("StartTLS: %v", err)
			}
			if _, ok := c.TLSConnectionState(); !ok {
				t.Fatal("connection is not TLS after StartTLS")
			}
			if err := c.Bind(testUPN, testPassword); err != nil {
				t.Fatalf("bind over TLS: %v", err)
			}
			dns, _, err := pagedScan(c, testBase, "(objectCategory=person)", 2)
			if err != nil || len(dns) != 5 {
				t.Errorf("paged search over TLS: %d entries, err %v", len(dns), err)
			}
			if err := c.StartTLS(tt.client); err == nil {
				t.Error("a second StartTLS succeeded")
			}
		})
	}
}

func TestLDAPS(t *testing.T) {
	t.Parallel()
	serverTLS, caPEM, err := TestTLS()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Start(Options{Directory: smallDirectory(), LDAPS: true}); err == nil {
		t.Error("Start with LDAPS and no TLS config succeeded")
	}
	s := startServer(t, Options{TLSConfig: serverTLS, LDAPS: true})
	if !strings.HasPrefix(s.URL(), "ldaps://127.0.0.1:") {
		t.Fatalf("URL = %q, want ldaps://127.0.0.1:PORT", s.URL())
	}
	t.Run("trusted", func(t *testing.T) {
		c := dial(t, s.URL(), ldap.DialWithTLSConfig(clientTLS(t, caPEM)))
		if err := c.Bind(testBindDN, testPassword); err != nil {
			t.Fatalf("bind: %v", err)
		}
		res, err := c.Search(ldap.NewSearchRequest(testBase, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(objectCategory=computer)", nil, nil))
		if err != nil || len(res.Entries) != 1 {
			t.Fatalf("search over LDAPS: %v", err)
		}
		if err := c.StartTLS(clientTLS(t, caPEM)); err == nil {
			t.Error("StartTLS inside LDAPS succeeded")
		}
	})
	t.Run("untrusted", func(t *testing.T) {
		c, err := ldap.DialURL(s.URL(), ldap.DialWithTLSConfig(&tls.Config{ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}))
		if err == nil {
			err = c.Bind(testBindDN, testPassword)
			c.Close()
		}
		if err == nil {
			t.Error("LDAPS without trusting the CA succeeded")
		}
	})
}
