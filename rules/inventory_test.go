package rules

import (
	"testing"
	"time"

	"github.com/calscan/calscan/scanner"
)

func TestInventoryAddCopies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		obj   *scanner.Object
		check func(t *testing.T, inv *Inventory)
	}{
		{"R2 user fields survive reuse of the object",
			user("ann", withSID("1105"), memberOf(gStaff), func(o *scanner.Object) {
				o.UserPrincipalName, o.DisplayName = "ann@corp.example.com", "Ann Example"
			}),
			func(t *testing.T, inv *Inventory) {
				if len(inv.users) != 1 {
					t.Fatalf("users = %d", len(inv.users))
				}
				u := inv.users[0]
				if u.name() != "ann" || u.upn() != "ann@corp.example.com" || u.displayName() != "Ann Example" || u.sid() != testDomainSID+"-1105" || u.domain != "corp" {
					t.Errorf("record = %+v", u)
				}
				if id, ok := inv.groups.lookup(gStaff); !ok || len(inv.memberOf(&u)) != 1 || inv.memberOf(&u)[0] != id {
					t.Errorf("memberOf = %v", inv.memberOf(&u))
				}
				if got := u.lastLogon.time(); !got.Equal(daysAgo(1)) {
					t.Errorf("lastLogon = %v", got)
				}
			}},
		{"R10 computer keeps its name without $ and its parsed OS",
			computer("FS01", "Windows Server 2022 Standard", "10.0 (20348)"),
			func(t *testing.T, inv *Inventory) {
				c := inv.computers[0]
				if c.name() != "FS01" || c.dnsName() != "fs01.corp.example.com" {
					t.Errorf("record = %+v", c)
				}
				if info := inv.osInfo(&c); info.Family != scanner.OSWindowsServer || info.Release != "2022" {
					t.Errorf("os = %+v", info)
				}
			}},
		{"R1 groups are not accounts",
			group(gStaff, testDomainSID+"-1200", gSales),
			func(t *testing.T, inv *Inventory) {
				if len(inv.users)+len(inv.computers) != 0 {
					t.Errorf("group stored as an account")
				}
				if _, ok := inv.groups.bySID[testDomainSID+"-1200"]; !ok {
					t.Errorf("group SID not indexed")
				}
			}},
		{"R1 objects of no kind are ignored",
			&scanner.Object{DN: "CN=x"},
			func(t *testing.T, inv *Inventory) {
				if len(inv.users)+len(inv.computers)+len(inv.groups.parents) != 0 {
					t.Errorf("kindless object stored")
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.check(t, inventory(objs(tc.obj)))
		})
	}
}

func TestInstant(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   time.Time
		want time.Time
	}{
		{"A3 zero stays never", time.Time{}, time.Time{}},
		{"A3 seconds round trip in UTC", time.Date(2026, 1, 2, 3, 4, 5, 999, time.FixedZone("x", 3600)), time.Date(2026, 1, 2, 2, 4, 5, 0, time.UTC)},
		{"A3 the Unix epoch is not never", time.Unix(0, 0), time.Unix(0, 0).UTC()},
		{"A3 far future expiry", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := instantOf(tc.in).time()
			if !got.Equal(tc.want) || got.IsZero() != tc.want.IsZero() || (!got.IsZero() && got.Location() != time.UTC) {
				t.Errorf("instantOf(%v).time() = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestPacked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		parts []string
	}{
		{"R2 five user strings", []string{"CN=ann,DC=corp", "S-1-5-21-1-2-3-1105", "ann", "ann@corp", "Ann"}},
		{"R2 empty strings in between", []string{"CN=x", "", "x", "", ""}},
		{"R10 four computer strings", []string{"CN=PC1,DC=corp", "", "PC1", "pc1.corp"}},
		{"R10 all empty", []string{"", "", "", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := pack(tc.parts...)
			for i, want := range tc.parts {
				if got := p.get(i); got != want {
					t.Errorf("get(%d) = %q, want %q", i, got, want)
				}
			}
		})
	}
}
