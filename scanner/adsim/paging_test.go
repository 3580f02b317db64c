package adsim

import (
	"strings"
	"sync"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

const userFilter = "(&(objectCategory=person)(objectClass=user))"

// pagedScan reads every page of a search, as the scanner does, and returns
// the DNs in order and the size of each page.
func pagedScan(c *ldap.Conn, base, filter string, size uint32) (dns []string, pages []int, err error) {
	paging := ldap.NewControlPaging(size)
	for {
		res, err := c.Search(ldap.NewSearchRequest(base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
			filter, []string{"sAMAccountName"}, []ldap.Control{paging}))
		if err != nil {
			return dns, pages, err
		}
		for _, e := range res.Entries {
			dns = append(dns, e.DN)
		}
		pages = append(pages, len(res.Entries))
		ctrl, ok := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging)
		if !ok {
			return dns, pages, errNoPagingControl
		}
		if len(ctrl.Cookie) == 0 {
			return dns, pages, nil
		}
		paging.SetCookie(ctrl.Cookie)
	}
}

type testError string

func (e testError) Error() string { return string(e) }

const errNoPagingControl = testError("response has no paging control")

// expectedUsers is the DNs of user objects, found without the filter code.
func expectedUsers(d *Directory) map[string]bool {
	want := make(map[string]bool)
	for _, e := range d.Entries {
		cat := attrValues(e, "objectCategory")
		if len(cat) > 0 && strings.HasPrefix(cat[0], "CN=Person,") {
			want[e.DN] = true
		}
	}
	return want
}

func TestPagedSearch(t *testing.T) {
	t.Parallel()
	dir := Company(CompanyOptions{Users: 300, Computers: 40, Now: testNow})
	want := expectedUsers(dir)
	tests := []struct {
		name        string
		maxPageSize int
		size        uint32
		wantPage    int // the size of full pages
	}{
		{"one per page", 0, 1, 1},
		{"odd page size", 0, 7, 7},
		{"page larger than the result", 0, 1000, len(want)},
		{"capped at MaxPageSize", 50, 1000, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, Options{Directory: dir, MaxPageSize: tt.maxPageSize})
			c := bound(t, s.URL())
			dns, pages, err := pagedScan(c, dir.BaseDN, userFilter, tt.size)
			if err != nil {
				t.Fatal(err)
			}
			seen := make(map[string]bool)
			for _, dn := range dns {
				if seen[dn] {
					t.Errorf("%s returned twice", dn)
				}
				seen[dn] = true
				if !want[dn] {
					t.Errorf("%s is not a user", dn)
				}
			}
			if len(seen) != len(want) {
				t.Errorf("got %d users, want %d", len(seen), len(want))
			}
			for i, n := range pages {
				last := i == len(pages)-1
				if (!last && n != tt.wantPage) || (last && (n == 0 || n > tt.wantPage)) {
					t.Errorf("page %d of %d has %d entries, want %d per full page", i+1, len(pages), n, tt.wantPage)
				}
			}
		})
	}
}

func TestPagedSearchCookies(t *testing.T) {
	t.Parallel()
	dir := Company(CompanyOptions{Users: 100, Computers: 20, Now: testNow})
	s := startServer(t, Options{Directory: dir})
	other := startServer(t, Options{Directory: dir})
	c := bound(t, s.URL())
	firstPage := func(t *testing.T, filter string) []byte {
		t.Helper()
		res, err := c.Search(ldap.NewSearchRequest(dir.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
			filter, nil, []ldap.Control{ldap.NewControlPaging(10)}))
		if err != nil {
			t.Fatal(err)
		}
		cookie := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging).Cookie
		if len(cookie) == 0 {
			t.Fatal("first page of many has no cookie")
		}
		return cookie
	}
	cookie := firstPage(t, userFilter)
	tests := []struct {
		name   string
		conn   *ldap.Conn
		filter string
		cookie []byte
	}{
		{"garbage", c, userFilter, []byte("not a cookie")},
		{"cookie of another search", c, "(objectCategory=computer)", cookie},
		{"cookie of another server", bound(t, other.URL()), userFilter, cookie},
		{"position past the end", c, userFilter, append(append([]byte(nil), cookie[:8]...), 0xff, 0, 0, 0, 0, 0, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paging := ldap.NewControlPaging(10)
			paging.SetCookie(tt.cookie)
			_, err := tt.conn.Search(ldap.NewSearchRequest(dir.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
				tt.filter, nil, []ldap.Control{paging}))
			if !ldap.IsErrorWithCode(err, ldap.LDAPResultUnavailableCriticalExtension) {
				t.Errorf("error = %v, want AD's unavailableCriticalExtension for a bad cookie", err)
			}
		})
	}
	t.Run("the cookie still continues its own search", func(t *testing.T) {
		paging := ldap.NewControlPaging(10)
		paging.SetCookie(cookie)
		res, err := c.Search(ldap.NewSearchRequest(dir.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
			userFilter, nil, []ldap.Control{paging}))
		if err != nil || len(res.Entries) != 10 {
			t.Errorf("second page: %d entries, err %v", len(res.Entries), err)
		}
	})
	t.Run("size zero abandons", func(t *testing.T) {
		paging := ldap.NewControlPaging(0)
		paging.SetCookie(cookie)
		res, err := c.Search(ldap.NewSearchRequest(dir.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
			userFilter, nil, []ldap.Control{paging}))
		if err != nil {
			t.Fatal(err)
		}
		got := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging)
		if len(res.Entries) != 0 || len(got.Cookie) != 0 {
			t.Errorf("abandon returned %d entries and cookie %x", len(res.Entries), got.Cookie)
		}
	})
}

func TestUnpagedLimit(t *testing.T) {
	t.Parallel()
	dir := Company(CompanyOptions{Users: 1500, Computers: 20, Now: testNow})
	total := len(expectedUsers(dir))
	tests := []struct {
		name      string
		limit     int
		sizeLimit int
		want      int
		wantCode  uint16 // 0: success
	}{
		{"Windows AD: 1000 then sizeLimitExceeded", 1000, 0, 1000, ldap.LDAPResultSizeLimitExceeded},
		{"no cap", 0, 0, total, 0},
		{"client size limit below the cap", 1000, 10, 10, ldap.LDAPResultSizeLimitExceeded},
		{"cap above the result", 5000, 0, total, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, Options{Directory: dir, UnpagedLimit: tt.limit})
			c := bound(t, s.URL())
			res, err := c.Search(ldap.NewSearchRequest(dir.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, tt.sizeLimit, 0, false,
				userFilter, []string{"sAMAccountName"}, nil))
			switch {
			case tt.wantCode == 0 && err != nil:
				t.Fatalf("search: %v", err)
			case tt.wantCode != 0 && !ldap.IsErrorWithCode(err, tt.wantCode):
				t.Fatalf("error = %v, want result %d", err, tt.wantCode)
			}
			if res == nil || len(res.Entries) != tt.want {
				t.Fatalf("got %d entries, want %d", len(res.Entries), tt.want)
			}
			if tt.limit > 0 && tt.limit < total {
				dns, _, err := pagedScan(c, dir.BaseDN, userFilter, 1000)
				if err != nil || len(dns) != total {
					t.Errorf("paged search on the same server: %d entries, err %v; want %d", len(dns), err, total)
				}
			}
		})
	}
}

func TestConcurrentSearches(t *testing.T) {
	t.Parallel()
	dir := Company(CompanyOptions{Users: 400, Computers: 100, Now: testNow})
	s := startServer(t, Options{Directory: dir, MaxPageSize: 100})
	filters := []string{userFilter, "(objectCategory=computer)", "(objectCategory=group)"}
	want := make([]int, len(filters))
	ix, err := newIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range filters {
		m, err := compileFilter(ix, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range dir.Entries {
			if m.match(e) {
				want[i]++
			}
		}
	}
	shared := bound(t, s.URL())
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(filters))
	for round := range 2 {
		for i, f := range filters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := shared // one connection with requests in flight together, and one each
				if round == 1 {
					var err error
					if c, err = ldap.DialURL(s.URL()); err != nil {
						errs <- err
						return
					}
					defer c.Close()
					if err := c.Bind(testUPN, testPassword); err != nil {
						errs <- err
						return
					}
				}
				dns, _, err := pagedScan(c, dir.BaseDN, f, 37)
				if err == nil && len(dns) != want[i] {
					err = testError(f + ": wrong count")
				}
				if err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCloseEndsConnections(t *testing.T) {
	t.Parallel()
	s, err := Start(Options{Directory: smallDirectory(), BindDN: testBindDN, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	idle := bound(t, s.URL())
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := idle.Search(ldap.NewSearchRequest(testBase, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", nil, nil)); err == nil {
		t.Error("a connection open across Close still answers")
	}
	if c, err := ldap.DialURL(s.URL()); err == nil {
		c.Close()
		t.Error("Close left the port listening")
	}
}
