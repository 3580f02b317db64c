package adsim

import (
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// BenchmarkPagedScan100k reads every user of a 100,000-user company over
// LDAP, 1000 per page, with the attributes the scanner asks for.
func BenchmarkPagedScan100k(b *testing.B) {
	dir := Company(CompanyOptions{Users: 100_000, Computers: 1000, Now: testNow})
	s := startServer(b, Options{Directory: dir})
	c := bound(b, s.URL())
	attrs := []string{
		"objectSid", "sAMAccountName", "userPrincipalName", "displayName", "mail", "distinguishedName",
		"userAccountControl", "primaryGroupID", "lastLogonTimestamp", "accountExpires", "whenCreated",
		"memberOf", "servicePrincipalName", "objectClass", "msTSLicenseVersion", "msTSExpireDate", "msTSManagingLS",
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		paging := ldap.NewControlPaging(1000)
		for {
			res, err := c.Search(ldap.NewSearchRequest(dir.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
				userFilter, attrs, []ldap.Control{paging}))
			if err != nil {
				b.Fatal(err)
			}
			n += len(res.Entries)
			cookie := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging).Cookie
			if len(cookie) == 0 {
				break
			}
			paging.SetCookie(cookie)
		}
		if n != 100_000 {
			b.Fatalf("scanned %d users, want 100000", n)
		}
		b.ReportMetric(float64(n), "users/op")
	}
}

// BenchmarkFilterScan100k is the server's own share of a paged scan, without
// the wire: 100 pages of 1000 users, each page compiled and resumed from its
// cookie position.
func BenchmarkFilterScan100k(b *testing.B) {
	dir := Company(CompanyOptions{Users: 100_000, Computers: 1000, Now: testNow})
	ix, err := newIndex(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		count := func(*Entry) error { n++; return nil }
		for next := 0; next >= 0; {
			m, err := compileFilter(ix, userFilter)
			if err != nil {
				b.Fatal(err)
			}
			q := &scan{ix: ix, scope: 2, base: ix.baseDN, filter: m}
			if next, err = q.run(next, 1000, count); err != nil {
				b.Fatal(err)
			}
		}
		if n != 100_000 {
			b.Fatalf("matched %d users, want 100000", n)
		}
	}
}
