package rules

import (
	"slices"
	"testing"

	"github.com/calscan/calscan/scanner"
)

// gcCopy is the same account as read through a second [[directory]] (a
// Global Catalog): same SID and DN, another directory name.
func gcCopy(o *scanner.Object, opts ...func(*scanner.Object)) *scanner.Object {
	c := *o
	c.Domain = "gc"
	for _, opt := range opts {
		opt(&c)
	}
	return &c
}

func TestDuplicateAccounts(t *testing.T) {
	t.Parallel()
	ann := user("ann", withSID("1105"))
	pc1 := computer("PC1", "Windows 11 Pro", "", withSID("3001"))
	tests := []struct {
		name        string
		objects     []*scanner.Object
		wantUsers   []string // domain/name of Result.Users
		wantDevices []string
		wantCounts  [2]int // users_seen, users_counted
		wantDups    int
		wantDirs    map[string][2]int // directory -> users_seen, users_counted
	}{
		{"R2 the same user from a domain and a Global Catalog counts once",
			objs(ann, gcCopy(ann), user("bob", withSID("1106"))),
			[]string{"corp/ann", "corp/bob"}, nil, [2]int{2, 2}, 1,
			map[string][2]int{"corp": {2, 2}, "gc": {1, 1}}},
		{"R2 the representative comes from the directory listed first",
			objs(gcCopy(ann), ann),
			[]string{"corp/ann"}, nil, [2]int{1, 1}, 1,
			map[string][2]int{"corp": {1, 1}, "gc": {1, 1}}},
		{"R2 without a SID the DN identifies the account, ignoring case and blanks",
			objs(user("cat"), gcCopy(user("cat"), withDN("cn=CAT, ou=Staff, dc=corp, dc=example, dc=com"))),
			[]string{"corp/cat"}, nil, [2]int{1, 1}, 1,
			map[string][2]int{"corp": {1, 1}, "gc": {1, 1}}},
		{"R2 different SIDs are different accounts even with one name",
			objs(ann, user("ann", withSID("1999"), inDomain("branch"))),
			[]string{"branch/ann", "corp/ann"}, nil, [2]int{2, 2}, 0,
			map[string][2]int{"corp": {1, 1}, "branch": {1, 1}}},
		{"R2 a copy takes its representative's verdict in its directory's counts",
			objs(user("dan", withSID("1107"), disabled), gcCopy(user("dan", withSID("1107"), disabled))),
			[]string{"corp/dan"}, nil, [2]int{1, 0}, 1,
			map[string][2]int{"corp": {1, 0}, "gc": {1, 0}}},
		{"R10 a computer read twice is one device",
			objs(pc1, gcCopy(pc1)),
			nil, []string{"corp/PC1"}, [2]int{0, 0}, 1,
			map[string][2]int{"corp": {0, 0}, "gc": {0, 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Directories = []DirectoryInfo{{Name: "corp"}, {Name: "gc"}}
			r := evaluate(t, p, tc.objects)
			if got := accountKeys(r.Users.List()); !slices.Equal(got, tc.wantUsers) {
				t.Errorf("users = %v, want %v", got, tc.wantUsers)
			}
			if got := accountKeys(r.Devices.List()); !slices.Equal(got, tc.wantDevices) {
				t.Errorf("devices = %v, want %v", got, tc.wantDevices)
			}
			if got := [2]int{r.Counts.UsersSeen, r.Counts.UsersCounted}; got != tc.wantCounts {
				t.Errorf("users seen/counted = %v, want %v", got, tc.wantCounts)
			}
			if r.Counts.Duplicates != tc.wantDups {
				t.Errorf("duplicates = %d, want %d", r.Counts.Duplicates, tc.wantDups)
			}
			_, found := findFinding(r, CodeDuplicateAccounts)
			if found != (tc.wantDups > 0) {
				t.Errorf("%s raised: %v, want %v", CodeDuplicateAccounts, found, tc.wantDups > 0)
			}
			for _, d := range r.Directories {
				want, ok := tc.wantDirs[d.Name]
				if !ok {
					continue
				}
				if got := [2]int{d.UsersSeen, d.UsersCounted}; got != want {
					t.Errorf("directory %s users seen/counted = %v, want %v", d.Name, got, want)
				}
			}
		})
	}
}

func TestDuplicatesMerge(t *testing.T) {
	t.Parallel()
	gApp := "CN=App,OU=Groups,DC=corp,DC=example,DC=com"
	ann := user("ann", withSID("1105"), lastLogon(daysAgo(200)))
	tests := []struct {
		name   string
		policy func(*Policy)
		objs   []*scanner.Object
		check  func(t *testing.T, r *Result)
	}{
		{"A2 the latest logon of any copy decides staleness", nil,
			objs(ann, gcCopy(ann, lastLogon(daysAgo(2)))),
			func(t *testing.T, r *Result) {
				a := findAccount(t, r.Users.List(), "ann")
				if !a.Counted || !a.LastLogon.Equal(daysAgo(2)) {
					t.Errorf("ann = counted %v, last logon %v; want counted, 2 days ago", a.Counted, a.LastLogon)
				}
			}},
		{"R1 group memberships of any copy count for scope", func(p *Policy) { p.IncludeGroups = []string{gApp} },
			objs(user("bob", withSID("1106")), gcCopy(user("bob", withSID("1106"), memberOf(gApp))), group(gApp, "")),
			func(t *testing.T, r *Result) {
				if a := findAccount(t, r.Users.List(), "bob"); !a.Counted {
					t.Errorf("bob excluded as %q; the copy is in the include group", a.Excluded)
				}
			}},
		{"D4 an RDS CAL issuance on a copy is shown", nil,
			objs(user("cat", withSID("1107")), gcCopy(user("cat", withSID("1107"), rdsIssued("393216", daysAgo(-10), "LS1")))),
			func(t *testing.T, r *Result) {
				a := findAccount(t, r.Users.List(), "cat")
				if a.RDS == nil || a.RDS.IssuedVersion != "393216" || a.RDS.LicenseServer != "LS1" {
					t.Errorf("cat RDS = %+v", a.RDS)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Directories = []DirectoryInfo{{Name: "corp"}, {Name: "gc"}}
			if tc.policy != nil {
				tc.policy(&p)
			}
			tc.check(t, evaluate(t, p, tc.objs))
		})
	}
}

func TestDuplicatesIgnoreScanOrder(t *testing.T) {
	t.Parallel()
	base := objs(user("ann", withSID("1105"), lastLogon(daysAgo(5))), gcCopy(user("ann", withSID("1105"), lastLogon(daysAgo(1)))),
		user("bob"), gcCopy(user("bob")), user("bob", inDomain("gc")),
		computer("PC1", "Windows 11 Pro", "", withSID("3001")), gcCopy(computer("PC1", "Windows 11 Pro", "", withSID("3001"))))
	reversed := slices.Clone(base)
	slices.Reverse(reversed)
	tests := []struct {
		name  string
		order []*scanner.Object
	}{
		{"R2 reversed", reversed},
		{"R2 rotated", append(slices.Clone(base[3:]), base[:3]...)},
	}
	p := userPolicy()
	want := evaluate(t, p, base)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := evaluate(t, p, tc.order); !sameResult(t, got, want) {
				t.Errorf("result depends on the order copies were read in:\n%+v\n%+v", got.Users.List(), want.Users.List())
			}
		})
	}
}
