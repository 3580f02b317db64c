package adsim

import (
	"crypto/tls"
	"crypto/x509"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// testNow is the fixed clock of every generated company in the tests.
var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

const (
	testBase     = "DC=ex,DC=test"
	testBindDN   = "CN=svc-reader,OU=Service Accounts,DC=ex,DC=test"
	testUPN      = "svc-reader@ex.test"
	testPassword = "Corr3ct-Horse"
)

// smallDirectory is a hand-made domain for filter and scope tests: nested
// groups (Remote → RDS Users → App Users), a group cycle (Loop A ⇄ Loop B),
// users with different flags, and one computer.
func smallDirectory() *Directory {
	person := "CN=Person,CN=Schema,CN=Configuration," + testBase
	group := "CN=Group,CN=Schema,CN=Configuration," + testBase
	staff, groups := "OU=Staff,"+testBase, "OU=Groups,"+testBase
	app, rds, remote := "CN=App Users,"+groups, "CN=RDS Users,"+groups, "CN=Remote,"+groups
	loopA, loopB := "CN=Loop A,"+groups, "CN=Loop B,"+groups
	alice, bob, erin := "CN=Alice,"+staff, "CN=Bob,"+staff, "CN=Erin,"+staff
	user := func(dn, sam, uac string, extra map[string][]string) *Entry {
		attrs := map[string][]string{
			"objectClass": {"top", "person", "organizationalPerson", "user"}, "objectCategory": {person},
			"sAMAccountName": {sam}, "cn": {sam}, "userAccountControl": {uac}, "distinguishedName": {dn},
		}
		for k, v := range extra {
			attrs[k] = v
		}
		return &Entry{DN: dn, Attrs: attrs}
	}
	grp := func(dn, name string, memberOf, members []string) *Entry {
		return &Entry{DN: dn, Attrs: map[string][]string{
			"objectClass": {"top", "group"}, "objectCategory": {group}, "sAMAccountName": {name},
			"groupType": {"-2147483646"}, "memberOf": memberOf, "member": members, "distinguishedName": {dn},
		}}
	}
	return &Directory{BaseDN: testBase, DNSDomain: "ex.test", Entries: []*Entry{
		{DN: testBase, Attrs: map[string][]string{"objectClass": {"top", "domain", "domainDNS"}, "dc": {"ex"}}},
		{DN: staff, Attrs: map[string][]string{"objectClass": {"top", "organizationalUnit"}, "ou": {"Staff"}}},
		{DN: groups, Attrs: map[string][]string{"objectClass": {"top", "organizationalUnit"}, "ou": {"Groups"}}},
		grp(app, "App Users", nil, []string{rds}),
		grp(rds, "RDS Users", []string{app}, []string{remote, bob}),
		grp(remote, "Remote", []string{rds}, []string{alice}),
		grp(loopA, "Loop A", []string{loopB}, []string{loopB}),
		grp(loopB, "Loop B", []string{loopA}, []string{loopA, erin}),
		user(alice, "alice", "512", map[string][]string{
			"memberOf": {remote}, "lastLogonTimestamp": {"134000000000000000"}, "mail": {"alice@ex.test"},
			"objectSid": {encodeSID(21, 1, 2, 3, 1105)},
		}),
		user(bob, "bob", "514", map[string][]string{"memberOf": {rds}, "lastLogonTimestamp": {"133000000000000000"}}),
		user("CN=Carol,"+staff, "carol", "66048", nil),
		user("CN=José Müller,"+staff, "jmuller", "512", map[string][]string{"displayName": {"José Müller"}}),
		user(erin, "erin", "512", map[string][]string{"memberOf": {loopB}}),
		{DN: "CN=WS01," + staff, Attrs: map[string][]string{
			"objectClass":    {"top", "person", "organizationalPerson", "user", "computer"},
			"objectCategory": {"CN=Computer,CN=Schema,CN=Configuration," + testBase},
			"sAMAccountName": {"WS01$"}, "userAccountControl": {"4096"},
		}},
	}}
}

// startServer starts a server with the test credentials unless o says
// otherwise, and closes it when the test ends.
func startServer(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Directory == nil {
		o.Directory = smallDirectory()
	}
	if o.BindDN == "" {
		o.BindDN, o.UPN, o.Password = testBindDN, testUPN, testPassword
	}
	s, err := Start(o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// dial connects a go-ldap client, closed when the test ends.
func dial(t testing.TB, url string, opts ...ldap.DialOpt) *ldap.Conn {
	t.Helper()
	c, err := ldap.DialURL(url, opts...)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// bound dials and binds with the test credentials.
func bound(t testing.TB, url string, opts ...ldap.DialOpt) *ldap.Conn {
	t.Helper()
	c := dial(t, url, opts...)
	if err := c.Bind(testBindDN, testPassword); err != nil {
		t.Fatalf("bind: %v", err)
	}
	return c
}

func clientTLS(t testing.TB, caPEM []byte) *tls.Config {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("CA PEM does not parse")
	}
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// sams is the sAMAccountNames of entries, sorted and comma-separated.
func sams(entries []*Entry) string {
	var out []string
	for _, e := range entries {
		if v := attrValues(e, "sAMAccountName"); len(v) > 0 {
			out = append(out, v[0])
		}
	}
	return sortedCSV(out...)
}

// sortedCSV sorts values and joins them with commas.
func sortedCSV(values ...string) string {
	s := slices.Clone(values)
	slices.Sort(s)
	return strings.Join(s, ",")
}

// sortCSV sorts a comma-separated list.
func sortCSV(list string) string {
	if list == "" {
		return ""
	}
	return sortedCSV(strings.Split(list, ",")...)
}
