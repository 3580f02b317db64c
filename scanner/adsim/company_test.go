package adsim

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// account is the part of an entry the mix tests look at, decoded here
// independently of the server code.
type account struct {
	e                      *Entry
	sam, dn, os, osVersion string
	uac                    int
	lastLogon, expires     time.Time
	user, computer         bool
}

func decodeAccount(t *testing.T, e *Entry) account {
	t.Helper()
	first := func(name string) string {
		if v := attrValues(e, name); len(v) > 0 {
			return v[0]
		}
		return ""
	}
	a := account{e: e, sam: first("sAMAccountName"), dn: e.DN, os: first("operatingSystem"), osVersion: first("operatingSystemVersion")}
	cat := first("objectCategory")
	a.user = strings.HasPrefix(cat, "CN=Person,")
	a.computer = strings.HasPrefix(cat, "CN=Computer,")
	if s := first("userAccountControl"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("%s: userAccountControl %q", e.DN, s)
		}
		a.uac = n
	}
	a.lastLogon = fileTimeToTime(t, first("lastLogonTimestamp"))
	a.expires = fileTimeToTime(t, first("accountExpires"))
	return a
}

func fileTimeToTime(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" || s == "0" || s == neverExpires {
		return time.Time{}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("FILETIME %q: %v", s, err)
	}
	return time.Unix(n/10_000_000-11644473600, n%10_000_000*100).UTC()
}

func (a account) disabled() bool { return a.uac&2 != 0 }
func (a account) daysIdle(now time.Time) float64 {
	return now.Sub(a.lastLogon).Hours() / 24
}

func TestCompanyDeterministic(t *testing.T) {
	t.Parallel()
	ldif := func(o CompanyOptions) string {
		var buf bytes.Buffer
		if err := Company(o).WriteLDIF(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	base := CompanyOptions{Users: 300, Computers: 80, Seed: 7, Now: testNow}
	want := ldif(base)
	tests := []struct {
		name string
		o    CompanyOptions
		same bool
	}{
		{"same seed and clock", base, true},
		{"another seed", CompanyOptions{Users: 300, Computers: 80, Seed: 8, Now: testNow}, false},
		{"another clock", CompanyOptions{Users: 300, Computers: 80, Seed: 7, Now: testNow.Add(time.Hour)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := ldif(tt.o); (got == want) != tt.same {
				t.Errorf("identical output = %v, want %v", got == want, tt.same)
			}
		})
	}
}

func TestCompanyMix(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		users, computers int
		exact            bool // sizes met exactly, proportions checked
	}{
		{"demo size", 0, 0, true},
		{"larger", 10000, 3000, true},
		{"tiny still has one of each", 1, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Company(CompanyOptions{Users: tt.users, Computers: tt.computers, Seed: 3, Now: testNow})
			checkCompanyMix(t, d, tt.users, tt.computers, tt.exact)
		})
	}
}

func checkCompanyMix(t *testing.T, d *Directory, users, computers int, exact bool) {
	if users == 0 {
		users, computers = defaultUsers, defaultComputers
	}
	if d.BaseDN != defaultBaseDN || d.DNSDomain != defaultDNSDomain {
		t.Errorf("base %q, DNS %q; want the demo defaults", d.BaseDN, d.DNSDomain)
	}
	count := map[string]int{}
	var nUsers, nComputers, nServers, nWorkstations int
	oses := map[string]account{}
	for _, e := range d.Entries {
		a := decodeAccount(t, e)
		switch {
		case a.user:
			nUsers++
			countUser(t, a, count)
		case a.computer:
			nComputers++
			oses[a.os] = a
			if strings.Contains(a.dn, ",OU=Servers,") || strings.Contains(a.dn, ",OU=Domain Controllers,") {
				nServers++
				if strings.Contains(a.os, "2025") && !a.disabled() {
					t.Errorf("%s runs 2025 and is enabled: it would raise the CAL version", a.sam)
				}
				continue
			}
			nWorkstations++
			switch {
			case a.disabled():
				count["ws disabled"]++
			case a.daysIdle(testNow) > 90:
				count["ws stale"]++
			}
		}
	}
	if exact {
		if nUsers != users || nComputers != computers {
			t.Errorf("%d users and %d computers, want %d and %d", nUsers, nComputers, users, computers)
		}
		ratio := func(key string, n, lo, hi int) {
			if p := count[key] * 1000 / n; p < lo || p > hi {
				t.Errorf("%s: %d of %d (%d‰), want %d–%d‰", key, count[key], n, p, lo, hi)
			}
		}
		ratio("active", nUsers, 830, 900)
		ratio("disabled", nUsers, 50, 75)
		ratio("stale", nUsers, 40, 60)
		ratio("never", nUsers, 5, 15)
		ratio("ws stale", nWorkstations, 60, 100)
		ratio("ws disabled", nWorkstations, 20, 40)
		if count["service"] != 15 {
			t.Errorf("%d service accounts, want 15", count["service"])
		}
		if nServers < percent(computers, 5) {
			t.Errorf("%d servers, want about 5%% of %d", nServers, computers)
		}
	}
	for _, key := range []string{"active", "disabled", "stale", "never", "expired", "service", "rds cal", "contractor",
		"Administrator", "Guest", "krbtgt", "DefaultAccount", "ws stale", "ws disabled"} {
		if count[key] == 0 {
			t.Errorf("no %s account", key)
		}
	}
	for _, name := range []string{"José Müller", "Zoë O'Brien-Łukasz", "François d'Aubigné", "Smith & Sons <Ltd>"} {
		if count["name "+name] != 1 {
			t.Errorf("display name %q appears %d times, want once", name, count["name "+name])
		}
	}
	for _, want := range []struct{ os, version string }{
		{"Windows Server 2022 Standard", "10.0 (20348)"}, {"Windows Server 2019 Standard", "10.0 (17763)"},
		{"Windows Server 2012 R2 Datacenter", "6.3 (9600)"}, {"Windows Server 2016 Standard", "10.0 (14393)"},
		{"Windows Server 2019 Datacenter", "10.0 (17763)"}, {"Windows Server 2022 Datacenter: Azure Edition", "10.0 (20348)"},
		{"Windows Server® 2008 R2 Enterprise", "6.1 (7601)"}, {"Windows Server 2025 Standard", "10.0 (26100)"},
		{"Windows Server 2012 R2 Essentials", "6.3 (9600)"}, {"Hyper-V Server 2019", "10.0 (17763)"},
		{"OpenVMS 9.2", "V9.2-2"}, {"", ""},
		{"Windows 11 Enterprise", "10.0 (22631)"}, {"Windows 10 Enterprise", "10.0 (19045)"},
		{"Windows 10 Enterprise LTSC", "10.0 (17763)"}, {"Mac OS X", "14.5"},
	} {
		a, ok := oses[want.os]
		if !ok || a.osVersion != want.version {
			t.Errorf("no computer runs %q %q", want.os, want.version)
		}
	}
	if a := oses["Windows Server 2025 Standard"]; !a.disabled() {
		t.Error("the 2025 pilot is not disabled")
	}
	if a := oses["Windows Server 2012 R2 Essentials"]; a.sam != "BRANCH-ESS$" {
		t.Errorf("the Essentials server is %q, want BRANCH-ESS$", a.sam)
	}
	for _, dc := range []string{"Windows Server 2022 Standard", "Windows Server 2019 Standard"} {
		a := oses[dc]
		if a.uac != 532480 || !strings.Contains(a.dn, ",OU=Domain Controllers,") || attrValues(a.e, "primaryGroupID")[0] != "516" {
			t.Errorf("DC %s: uac %d, dn %s", a.sam, a.uac, a.dn)
		}
	}
}

// countUser files one user account under the categories the tests expect.
func countUser(t *testing.T, a account, count map[string]int) {
	t.Helper()
	if name := attrValues(a.e, "displayName"); len(name) > 0 {
		count["name "+name[0]]++
	}
	if len(attrValues(a.e, "msTSLicenseVersion")) > 0 {
		count["rds cal"]++
	}
	sid := attrValues(a.e, "objectSid")[0]
	rid := uint32(sid[len(sid)-4]) | uint32(sid[len(sid)-3])<<8 | uint32(sid[len(sid)-2])<<16 | uint32(sid[len(sid)-1])<<24
	switch {
	case rid < 1000:
		builtins := map[string]struct {
			rid      uint32
			disabled bool
		}{"Administrator": {500, false}, "Guest": {501, true}, "krbtgt": {502, true}, "DefaultAccount": {503, true}}
		want, ok := builtins[a.sam]
		if !ok || want.rid != rid || want.disabled != a.disabled() {
			t.Errorf("built-in %s: rid %d, disabled %v", a.sam, rid, a.disabled())
		}
		count[a.sam]++
		if !a.disabled() {
			count["active"]++
		}
	case strings.HasPrefix(a.sam, "svc-"):
		if !strings.Contains(a.dn, ",OU=Service Accounts,") || len(attrValues(a.e, "servicePrincipalName")) == 0 {
			t.Errorf("service account %s: %s, SPNs %q", a.sam, a.dn, attrValues(a.e, "servicePrincipalName"))
		}
		count["service"]++
		count["active"]++
	case a.disabled():
		count["disabled"]++
	case !a.expires.IsZero() && a.expires.Before(testNow):
		count["expired"]++
	case a.lastLogon.IsZero():
		count["never"]++
	case a.daysIdle(testNow) >= 120 && a.daysIdle(testNow) <= 900:
		count["stale"]++
	case a.daysIdle(testNow) <= 30:
		count["active"]++
		if strings.Contains(a.dn, ",OU=Contractors,") {
			count["contractor"]++
		}
	default:
		t.Errorf("%s fits no category: last logon %s", a.sam, a.lastLogon)
	}
}

func TestCompanyConsistency(t *testing.T) {
	t.Parallel()
	tests := []CompanyOptions{
		{Users: 2000, Computers: 600, Now: testNow},
		{Users: 50, Computers: 10, Seed: 99, Now: testNow, BaseDN: "dc=acme, dc=local"},
	}
	for _, o := range tests {
		t.Run(o.BaseDN, func(t *testing.T) {
			t.Parallel()
			d := Company(o)
			ix, err := newIndex(d) // also checks every DN is unique and under the base
			if err != nil {
				t.Fatal(err)
			}
			if o.BaseDN != "" && (d.BaseDN != "dc=acme,dc=local" || d.DNSDomain != "acme.local") {
				t.Errorf("base %q, DNS %q", d.BaseDN, d.DNSDomain)
			}
			names := map[string]string{}
			for _, e := range d.Entries {
				if sam := attrValues(e, "sAMAccountName"); len(sam) > 0 {
					key := strings.ToLower(sam[0])
					if prev, dup := names[key]; dup {
						t.Errorf("sAMAccountName %q used by %s and %s", sam[0], prev, e.DN)
					}
					names[key] = e.DN
				}
				if upn := attrValues(e, "userPrincipalName"); len(upn) > 0 && !strings.HasSuffix(upn[0], "@"+d.DNSDomain) {
					t.Errorf("%s: UPN %q not in %s", e.DN, upn[0], d.DNSDomain)
				}
				for _, g := range attrValues(e, "memberOf") {
					i, _ := ix.lookup(nil, g)
					if i < 0 {
						t.Errorf("%s is a member of missing %s", e.DN, g)
						continue
					}
					if !slices.Contains(attrValues(ix.entries[i], "member"), e.DN) {
						t.Errorf("%s lists %s in memberOf, but the group does not list it as member", e.DN, g)
					}
				}
				for _, m := range attrValues(e, "member") {
					if i, _ := ix.lookup(nil, m); i < 0 || !slices.Contains(attrValues(ix.entries[i], "memberOf"), e.DN) {
						t.Errorf("%s has member %s without the memberOf back-link", e.DN, m)
					}
				}
			}
		})
	}
}

func TestCompanyNestedGroups(t *testing.T) {
	t.Parallel()
	d := Company(CompanyOptions{Users: 500, Computers: 50, Now: testNow})
	ix, err := newIndex(d)
	if err != nil {
		t.Fatal(err)
	}
	app := "CN=App Users,OU=Groups," + d.BaseDN
	direct, _ := compileFilter(ix, "(&(objectCategory=person)(memberOf="+app+"))")
	nested, _ := compileFilter(ix, "(&(objectCategory=person)(memberOf:1.2.840.113556.1.4.1941:="+app+"))")
	rdsCAL, _ := compileFilter(ix, "(&(objectCategory=person)(msTSLicenseVersion=*)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))")
	var nDirect, nNested, nCAL int
	for _, e := range d.Entries {
		if direct.match(e) {
			nDirect++
		}
		if nested.match(e) {
			nNested++
		}
		if rdsCAL.match(e) {
			nCAL++
		}
	}
	// App Users ⊃ RDS Users ⊃ Remote Workers: every enabled RDS CAL holder is a nested member
	if nDirect == 0 || nNested < nDirect+nCAL {
		t.Errorf("App Users: %d direct, %d nested members, %d enabled RDS CAL holders", nDirect, nNested, nCAL)
	}
}
