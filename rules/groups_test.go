package rules

import (
	"testing"

	"github.com/calscan/calscan/scanner"
)

const (
	gStaff   = "CN=Staff,OU=Groups,DC=corp,DC=example,DC=com"
	gSales   = "CN=Sales,OU=Groups,DC=corp,DC=example,DC=com"
	gEMEA    = "CN=Sales EMEA,OU=Groups,DC=corp,DC=example,DC=com"
	gOther   = "CN=Other,OU=Groups,DC=corp,DC=example,DC=com"
	gDomUser = "CN=Domain Users,CN=Users,DC=corp,DC=example,DC=com"
)

func TestNestedMembersOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		groups  []*scanner.Object
		targets []string
		member  string
		want    bool
	}{
		{"R1 direct target", objs(group(gStaff, "")), []string{gStaff}, gStaff, true},
		{"R1 nested two levels", objs(group(gEMEA, "", gSales), group(gSales, "", gStaff), group(gStaff, "")),
			[]string{gStaff}, gEMEA, true},
		{"R1 nested in another spelling of the DN", objs(group(gSales, "", "cn=staff, ou=groups, dc=corp, dc=example, dc=com"), group(gStaff, "")),
			[]string{gStaff}, gSales, true},
		{"R1 not nested", objs(group(gOther, ""), group(gStaff, "")), []string{gStaff}, gOther, false},
		{"R1 parent is not a member of its child", objs(group(gSales, "", gStaff), group(gStaff, "")),
			[]string{gSales}, gStaff, false},
		{"R1 cycle terminates and finds members", objs(group(gSales, "", gEMEA), group(gEMEA, "", gSales, gStaff), group(gStaff, "")),
			[]string{gStaff}, gSales, true},
		{"R1 cycle without target stays out", objs(group(gSales, "", gEMEA), group(gEMEA, "", gSales), group(gStaff, "")),
			[]string{gStaff}, gSales, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv := inventory(tc.groups)
			var targets []groupID
			for _, dn := range tc.targets {
				id, ok := inv.groups.lookup(dn)
				if !ok {
					t.Fatalf("target %q not found", dn)
				}
				targets = append(targets, id)
			}
			in := inv.groups.nestedMembersOf(targets)
			id, ok := inv.groups.lookup(tc.member)
			if !ok {
				t.Fatalf("member %q not found", tc.member)
			}
			if in[id] != tc.want {
				t.Errorf("%s nested member of %v = %v, want %v", tc.member, tc.targets, in[id], tc.want)
			}
		})
	}
}

func TestPrimaryGroup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		userSID string
		rid     uint32
		want    bool
	}{
		{"R1 primary group by RID in the user's domain", testDomainSID + "-1105", 513, true},
		{"R1 same RID in another domain is not it", "S-1-5-21-9-9-9-1105", 513, false},
		{"R1 another RID", testDomainSID + "-1105", 515, false},
		{"R1 no RID", testDomainSID + "-1105", 0, false},
		{"R1 no SID", "", 513, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv := inventory(objs(group(gDomUser, testDomainSID+"-513"), user("ann", func(o *scanner.Object) {
				o.SID, o.PrimaryGroupID = tc.userSID, tc.rid
			})))
			want, _ := inv.groups.lookup(gDomUser)
			m := newMembership(inv, &duplicates{rep: []int32{-1}})
			for range 2 { // the second answer comes from the cache
				id := m.primaryGroup(0)
				if (id >= 0) != tc.want || (id >= 0 && groupID(id) != want) {
					t.Errorf("primaryGroup = %d, want found %v", id, tc.want)
				}
			}
		})
	}
}
