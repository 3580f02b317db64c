package adsim

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

func TestBind(t *testing.T) {
	t.Parallel()
	strict := startServer(t, Options{AccountErrors: map[string]string{
		"locked@ex.test":                       "775",
		"CN=Expired,OU=Staff,DC=ex,DC=test":    "532",
		"cn=Disabled , ou=Staff,DC=ex,DC=test": "533",
	}})
	open := startServer(t, Options{AllowAnonymous: true})
	tests := []struct {
		name       string
		srv        *Server
		user, pass string
		wantCode   uint16 // 0: success
		wantData   string
	}{
		{"DN", strict, testBindDN, testPassword, 0, ""},
		{"UPN in another case", strict, strings.ToUpper(testUPN), testPassword, 0, ""},
		{"DN with spaces and other case", strict, "cn=SVC-reader, ou=service accounts, dc=ex, dc=test", testPassword, 0, ""},
		{"wrong password", strict, testBindDN, "wrong", ldap.LDAPResultInvalidCredentials, "52e"},
		{"password in another case", strict, testUPN, strings.ToLower(testPassword), ldap.LDAPResultInvalidCredentials, "52e"},
		{"unknown user", strict, "nobody@ex.test", testPassword, ldap.LDAPResultInvalidCredentials, "52e"},
		{"account locked", strict, "LOCKED@ex.test", "any", ldap.LDAPResultInvalidCredentials, "775"},
		{"password expired", strict, "cn=expired,ou=staff,dc=ex,dc=test", testPassword, ldap.LDAPResultInvalidCredentials, "532"},
		{"account disabled", strict, "CN=Disabled,OU=Staff,DC=ex,DC=test", testPassword, ldap.LDAPResultInvalidCredentials, "533"},
		{"anonymous refused", strict, "", "", ldap.LDAPResultInvalidCredentials, "52e"},
		{"unauthenticated refused", strict, testUPN, "", ldap.LDAPResultInvalidCredentials, "52e"},
		{"anonymous allowed", open, "", "", 0, ""},
		{"unauthenticated is anonymous", open, "someone@ex.test", "", 0, ""},
		{"wrong password with anonymous allowed", open, testUPN, "wrong", ldap.LDAPResultInvalidCredentials, "52e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := dial(t, tt.srv.URL())
			_, err := c.SimpleBind(&ldap.SimpleBindRequest{Username: tt.user, Password: tt.pass, AllowEmptyPassword: true})
			if tt.wantCode == 0 {
				if err != nil {
					t.Fatalf("bind: %v", err)
				}
				if _, err := c.Search(ldap.NewSearchRequest(testBase, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", nil, nil)); err != nil {
					t.Errorf("search after bind: %v", err)
				}
				return
			}
			if !ldap.IsErrorWithCode(err, tt.wantCode) {
				t.Fatalf("bind error = %v, want result %d", err, tt.wantCode)
			}
			want := "80090308: LdapErr: DSID-0C090439, comment: AcceptSecurityContext error, data " + tt.wantData + ", v4563"
			if !strings.Contains(err.Error(), want) {
				t.Errorf("bind error %q does not carry AD's text %q", err, want)
			}
		})
	}
}

func TestSearchNeedsBind(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	tests := []struct {
		name string
		bind func(c *ldap.Conn) error
	}{
		{"no bind", func(*ldap.Conn) error { return nil }},
		{"after a failed bind", func(c *ldap.Conn) error { _ = c.Bind(testBindDN, "wrong"); return nil }},
		{"after a good then a failed bind", func(c *ldap.Conn) error {
			if err := c.Bind(testBindDN, testPassword); err != nil {
				return err
			}
			_ = c.Bind(testBindDN, "wrong")
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := dial(t, s.URL())
			if err := tt.bind(c); err != nil {
				t.Fatal(err)
			}
			_, err := c.Search(ldap.NewSearchRequest(testBase, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", nil, nil))
			if !ldap.IsErrorWithCode(err, ldap.LDAPResultOperationsError) {
				t.Fatalf("search error = %v, want operationsError", err)
			}
			if !strings.Contains(err.Error(), "In order to perform this operation a successful bind must be completed on the connection.") {
				t.Errorf("error %q lacks AD's text", err)
			}
		})
	}
}

func TestRootDSE(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	c := dial(t, s.URL()) // AD answers the RootDSE before any bind
	res, err := c.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)",
		[]string{"defaultNamingContext", "dnsHostName", "serverName", "domainFunctionality", "supportedControl", "supportedLDAPVersion"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 1 {
		t.Fatalf("got %d RootDSE entries, want 1", len(res.Entries))
	}
	e := res.Entries[0]
	tests := []struct{ attr, want string }{
		{"defaultNamingContext", testBase},
		{"dnsHostName", "dc01.ex.test"},
		{"serverName", "CN=DC01,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration," + testBase},
		{"domainFunctionality", "7"},
		{"supportedControl", "1.2.840.113556.1.4.319"},
		{"supportedLDAPVersion", "3"},
	}
	for _, tt := range tests {
		t.Run(tt.attr, func(t *testing.T) {
			if got := e.GetAttributeValues(tt.attr); !slices.Contains(got, tt.want) {
				t.Errorf("%s = %q, want it to hold %q", tt.attr, got, tt.want)
			}
		})
	}
	if n := len(e.Attributes); n != len(tests) {
		t.Errorf("got %d attributes, want only the %d requested", n, len(tests))
	}
}

func TestSearchScopes(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	c := bound(t, s.URL())
	tests := []struct {
		name, base string
		scope      int
		filter     string
		want       string
	}{
		{"subtree from the root", testBase, ldap.ScopeWholeSubtree, "(objectCategory=person)", "alice,bob,carol,erin,jmuller"},
		{"subtree from an OU, base included", "OU=Groups," + testBase, ldap.ScopeWholeSubtree, "(|(ou=*)(sAMAccountName=R*))", "RDS Users,Remote"},
		{"one level", testBase, ldap.ScopeSingleLevel, "(objectClass=*)", ""},
		{"one level under an OU", "ou=staff, dc=EX,dc=test", ldap.ScopeSingleLevel, "(sAMAccountName=*)", "WS01$,alice,bob,carol,erin,jmuller"},
		{"base object", "CN=Alice,OU=Staff," + testBase, ldap.ScopeBaseObject, "(objectClass=*)", "alice"},
		{"base object not matching", "CN=Alice,OU=Staff," + testBase, ldap.ScopeBaseObject, "(objectClass=computer)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := c.Search(ldap.NewSearchRequest(tt.base, tt.scope, ldap.NeverDerefAliases, 0, 0, false, tt.filter, []string{"sAMAccountName"}, nil))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range res.Entries {
				if v := e.GetAttributeValue("sAMAccountName"); v != "" {
					got = append(got, v)
				}
			}
			if g, w := sortedCSV(got...), sortCSV(tt.want); g != w {
				t.Errorf("got %q, want %q", g, w)
			}
		})
	}

	t.Run("one level counts OUs", func(t *testing.T) {
		res, err := c.Search(ldap.NewSearchRequest(testBase, ldap.ScopeSingleLevel, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", []string{"1.1"}, nil))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Entries) != 2 {
			t.Errorf("got %d children of the root, want 2 OUs", len(res.Entries))
		}
	})
	t.Run("missing base", func(t *testing.T) {
		_, err := c.Search(ldap.NewSearchRequest("OU=Nowhere,OU=Staff,"+testBase, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", nil, nil))
		if !ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
			t.Fatalf("error = %v, want noSuchObject", err)
		}
		if !strings.Contains(err.Error(), "best match of:\n\t'OU=Staff,"+testBase+"'") {
			t.Errorf("error %q does not name the best match", err)
		}
	})
}

func TestSearchAttributes(t *testing.T) {
	t.Parallel()
	dir := smallDirectory()
	s := startServer(t, Options{Directory: dir})
	c := bound(t, s.URL())
	const alice = "CN=Alice,OU=Staff," + testBase
	var aliceEntry *Entry
	for _, e := range dir.Entries {
		if e.DN == alice {
			aliceEntry = e
		}
	}
	tests := []struct {
		name      string
		attrs     []string
		typesOnly bool
		want      []string // attribute names returned
	}{
		{"only the requested, in AD's spelling", []string{"SAMACCOUNTNAME", "mail", "noSuchAttribute"}, false, []string{"mail", "sAMAccountName"}},
		{"no attributes", []string{"1.1"}, false, nil},
		{"all when none requested", nil, false, slices.Collect(maps.Keys(aliceEntry.Attrs))},
		{"all with a star", []string{"*", "mail"}, false, slices.Collect(maps.Keys(aliceEntry.Attrs))},
		{"types only", []string{"mail", "cn"}, true, []string{"cn", "mail"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := c.Search(ldap.NewSearchRequest(alice, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, tt.typesOnly, "(objectClass=*)", tt.attrs, nil))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Entries) != 1 {
				t.Fatalf("got %d entries, want 1", len(res.Entries))
			}
			var names []string
			for _, a := range res.Entries[0].Attributes {
				names = append(names, a.Name)
				if tt.typesOnly && len(a.Values) > 0 {
					t.Errorf("types only returned values for %s", a.Name)
				}
				if !tt.typesOnly && len(a.Values) == 0 {
					t.Errorf("%s came without values", a.Name)
				}
			}
			if g, w := sortedCSV(names...), sortedCSV(tt.want...); g != w {
				t.Errorf("attributes %q, want %q", g, w)
			}
		})
	}
	t.Run("objectSid is raw bytes", func(t *testing.T) {
		res, err := c.Search(ldap.NewSearchRequest(alice, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", []string{"objectSid"}, nil))
		if err != nil {
			t.Fatal(err)
		}
		got := res.Entries[0].GetRawAttributeValue("objectSid")
		if want := []byte(encodeSID(21, 1, 2, 3, 1105)); !bytes.Equal(got, want) {
			t.Errorf("objectSid = %x, want %x", got, want)
		}
	})
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	c := bound(t, s.URL())
	tests := []struct {
		name string
		do   func() error
		code uint16
	}{
		{"modify", func() error {
			m := ldap.NewModifyRequest("CN=Alice,OU=Staff,"+testBase, nil)
			m.Replace("mail", []string{"x@ex.test"})
			return c.Modify(m)
		}, ldap.LDAPResultUnwillingToPerform},
		{"delete", func() error { return c.Del(ldap.NewDelRequest("CN=Alice,OU=Staff,"+testBase, nil)) }, ldap.LDAPResultUnwillingToPerform},
		{"unknown critical control", func() error {
			_, err := c.Search(ldap.NewSearchRequest(testBase, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", nil,
				[]ldap.Control{ldap.NewControlString("1.2.3.4.5", true, "")}))
			return err
		}, ldap.LDAPResultUnavailableCriticalExtension},
		{"StartTLS without a certificate", func() error { return dial(t, s.URL()).StartTLS(nil) }, ldap.LDAPResultUnavailable},
		{"filter the server cannot evaluate", func() error {
			_, err := c.Search(ldap.NewSearchRequest(testBase, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
				"(userAccountControl:1.2.840.113556.1.4.803:=disabled)", nil, nil))
			return err
		}, ldap.LDAPResultProtocolError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.do(); !ldap.IsErrorWithCode(err, tt.code) {
				t.Errorf("error = %v, want result %d", err, tt.code)
			}
		})
	}
}

func TestStartRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		o    Options
	}{
		{"no directory", Options{}},
		{"no base DN", Options{Directory: &Directory{}}},
		{"entry outside the base", Options{Directory: &Directory{BaseDN: testBase, Entries: []*Entry{{DN: "CN=x,DC=other"}}}}},
		{"duplicate entry", Options{Directory: &Directory{BaseDN: testBase, Entries: []*Entry{{DN: "CN=x," + testBase}, {DN: "cn=X, " + testBase}}}}},
		{"nil entry", Options{Directory: &Directory{BaseDN: testBase, Entries: []*Entry{nil}}}},
		{"LDAPS without TLS", Options{Directory: smallDirectory(), LDAPS: true}},
		{"bad address", Options{Directory: smallDirectory(), Addr: "256.0.0.1:0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Start(tt.o)
			if err == nil {
				_ = s.Close()
				t.Fatal("Start succeeded")
			}
		})
	}
}
