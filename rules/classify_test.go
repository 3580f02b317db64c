package rules

import (
	"testing"

	"github.com/calscan/calscan/scanner"
)

func TestUserExclusions(t *testing.T) {
	t.Parallel()
	staffOU := "OU=Staff,DC=corp,DC=example,DC=com"
	tests := []struct {
		name    string
		policy  func(*Policy)
		objects []*scanner.Object
		account string
		want    Reason
	}{
		{"R1 an active user is counted", nil, objs(user("ann")), "ann", ReasonNone},
		{"R5 Administrator is a person and counted", nil, objs(user("Administrator", withSID("500"))), "Administrator", ReasonNone},
		{"R1 krbtgt is builtin", nil, objs(user("krbtgt")), "krbtgt", ReasonBuiltin},
		{"R1 read-only DC krbtgt_NNNN is builtin", nil, objs(user("krbtgt_40312")), "krbtgt_40312", ReasonBuiltin},
		{"R1 Guest is builtin in any case", nil, objs(user("GUEST")), "GUEST", ReasonBuiltin},
		{"R1 DefaultAccount is builtin", nil, objs(user("DefaultAccount")), "DefaultAccount", ReasonBuiltin},
		{"R1 WDAGUtilityAccount is builtin", nil, objs(user("WDAGUtilityAccount")), "WDAGUtilityAccount", ReasonBuiltin},
		{"R1 a renamed Guest is builtin by RID 501", nil, objs(user("visitor", withSID("501"))), "visitor", ReasonBuiltin},
		{"R1 RID 1501 is not builtin", nil, objs(user("bob", withSID("1501"))), "bob", ReasonNone},
		{"R1 an interdomain trust account is builtin", nil, objs(user("OTHER$", uac(scanner.UACInterdomainTrust))), "OTHER$", ReasonBuiltin},
		{"A2 builtin is checked before disabled", nil, objs(user("krbtgt", disabled)), "krbtgt", ReasonBuiltin},
		{"A2 disabled user", nil, objs(user("ann", disabled)), "ann", ReasonDisabled},
		{"A2 disabled is checked before expired", nil, objs(user("ann", disabled, expires(daysAgo(3)))), "ann", ReasonDisabled},
		{"A2 expired user", nil, objs(user("ann", expires(daysAgo(3)))), "ann", ReasonExpired},
		{"A2 expiry in the future is counted", nil, objs(user("ann", expires(daysAgo(-30)))), "ann", ReasonNone},
		{"A2 expired is checked before excluded_account", func(p *Policy) { p.ExcludeAccounts = []string{"ann"} },
			objs(user("ann", expires(daysAgo(3)))), "ann", ReasonExpired},
		{"A2 excluded_account glob is case-insensitive", func(p *Policy) { p.ExcludeAccounts = []string{"SVC-*"} },
			objs(user("svc-Backup")), "svc-Backup", ReasonExcludedAccount},
		{"A2 excluded_account is checked before excluded_ou", func(p *Policy) {
			p.ExcludeAccounts = []string{"ann"}
			p.ExcludeOUs = []string{staffOU}
		}, objs(user("ann")), "ann", ReasonExcludedAccount},
		{"A2 excluded_ou subtree with other spacing and case", func(p *Policy) { p.ExcludeOUs = []string{"ou=staff, dc=CORP, dc=example, dc=com"} },
			objs(user("ann")), "ann", ReasonExcludedOU},
		{"A2 excluded_ou does not catch a sibling OU", func(p *Policy) { p.ExcludeOUs = []string{"OU=Sta,DC=corp,DC=example,DC=com"} },
			objs(user("ann")), "ann", ReasonNone},
		{"A2 not in an include group", func(p *Policy) { p.IncludeGroups = []string{gStaff} },
			objs(user("ann"), group(gStaff, "")), "ann", ReasonNotInScopeGroup},
		{"A2 nested include group member is counted", func(p *Policy) { p.IncludeGroups = []string{gStaff} },
			objs(user("ann", memberOf(gEMEA)), group(gEMEA, "", gSales), group(gSales, "", gStaff), group(gStaff, "")), "ann", ReasonNone},
		{"A2 include group through the primary group", func(p *Policy) { p.IncludeGroups = []string{gDomUser} },
			objs(user("ann", withSID("1105")), group(gDomUser, testDomainSID+"-513")), "ann", ReasonNone},
		{"A2 primary group of another domain does not count", func(p *Policy) { p.IncludeGroups = []string{gDomUser} },
			objs(user("ann", func(o *scanner.Object) { o.SID = "S-1-5-21-7-7-7-1105" }), group(gDomUser, testDomainSID+"-513")), "ann", ReasonNotInScopeGroup},
		{"A2 excluded_ou is checked before include groups", func(p *Policy) {
			p.ExcludeOUs = []string{staffOU}
			p.IncludeGroups = []string{gStaff}
		}, objs(user("ann"), group(gStaff, "")), "ann", ReasonExcludedOU},
		{"R5 admin_exempt user", func(p *Policy) { p.AdminExempt = []string{"ADMIN-ann"} },
			objs(user("admin-ann")), "admin-ann", ReasonAdminExempt},
		{"R5 include groups are checked before admin_exempt", func(p *Policy) {
			p.IncludeGroups = []string{gStaff}
			p.AdminExempt = []string{"admin-ann"}
		}, objs(user("admin-ann"), group(gStaff, "")), "admin-ann", ReasonNotInScopeGroup},
		{"R5 admin_exempt is checked before stale", func(p *Policy) { p.AdminExempt = []string{"admin-ann"} },
			objs(user("admin-ann", lastLogon(daysAgo(300)))), "admin-ann", ReasonAdminExempt},
		{"A2 stale: last logon older than the threshold", nil, objs(user("ann", lastLogon(daysAgo(91)))), "ann", ReasonStale},
		{"A2 last logon within the threshold is counted", nil, objs(user("ann", lastLogon(daysAgo(89)))), "ann", ReasonNone},
		{"A2 stale never-logged-on uses whenCreated", nil, objs(user("ann", lastLogon(zeroTime), created(daysAgo(200)))), "ann", ReasonStale},
		{"A2 never logged on but created recently is counted", nil, objs(user("ann", lastLogon(zeroTime), created(daysAgo(10)))), "ann", ReasonNone},
		{"A3 no logon and no creation time is counted", nil, objs(user("ann", lastLogon(zeroTime), created(zeroTime))), "ann", ReasonNone},
		{"A3 stale_after 0 never marks stale", func(p *Policy) { p.StaleAfter = 0 }, objs(user("ann", lastLogon(daysAgo(3000)))), "ann", ReasonNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			if tc.policy != nil {
				tc.policy(&p)
			}
			r := evaluate(t, p, tc.objects)
			a := findAccount(t, r.Users.List(), tc.account)
			if a.Excluded != tc.want || a.Counted != (tc.want == ReasonNone) {
				t.Errorf("%s: excluded %q counted %v, want %q", tc.account, a.Excluded, a.Counted, tc.want)
			}
		})
	}
}

func TestDeviceExclusions(t *testing.T) {
	t.Parallel()
	win11 := func(name string, opts ...func(*scanner.Object)) *scanner.Object {
		return computer(name, "Windows 11 Pro", "10.0 (22631)", opts...)
	}
	tests := []struct {
		name    string
		policy  func(*Policy)
		objects []*scanner.Object
		device  string
		want    Reason
	}{
		{"R1 an active client device is counted", nil, objs(win11("PC1")), "PC1", ReasonNone},
		{"A2 disabled device", nil, objs(win11("PC1", disabled)), "PC1", ReasonDisabled},
		{"A2 expired device", nil, objs(win11("PC1", expires(daysAgo(1)))), "PC1", ReasonExpired},
		{"A2 excluded_account matches the name without $", func(p *Policy) { p.ExcludeAccounts = []string{"kiosk-*"} },
			objs(win11("KIOSK-7")), "KIOSK-7", ReasonExcludedAccount},
		{"A2 excluded_account does not see the $", func(p *Policy) { p.ExcludeAccounts = []string{"*$"} },
			objs(win11("PC1")), "PC1", ReasonNone},
		{"A2 excluded_ou device", func(p *Policy) { p.ExcludeOUs = []string{"OU=Computers,DC=corp,DC=example,DC=com"} },
			objs(win11("PC1")), "PC1", ReasonExcludedOU},
		{"A2 include groups do not apply to devices", func(p *Policy) { p.IncludeGroups = []string{gStaff} },
			objs(win11("PC1"), group(gStaff, "")), "PC1", ReasonNone},
		{"A2 admin_exempt does not apply to devices", func(p *Policy) { p.AdminExempt = []string{"PC1"} },
			objs(win11("PC1")), "PC1", ReasonNone},
		{"A2 stale device", nil, objs(win11("PC1", lastLogon(daysAgo(120)))), "PC1", ReasonStale},
		{"A2 stale never-logged-on device uses whenCreated", nil, objs(win11("PC1", lastLogon(zeroTime), created(daysAgo(120)))), "PC1", ReasonStale},
		{"R1 a device with no operating system is counted", nil, objs(computer("PC1", "", "")), "PC1", ReasonNone},
		{"R1 a Mac is a client device", nil, objs(computer("MAC1", "Mac OS X", "10.15")), "MAC1", ReasonNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			if tc.policy != nil {
				tc.policy(&p)
			}
			r := evaluate(t, p, tc.objects)
			a := findAccount(t, r.Devices.List(), tc.device)
			if a.Excluded != tc.want || a.Counted != (tc.want == ReasonNone) {
				t.Errorf("%s: excluded %q counted %v, want %q", tc.device, a.Excluded, a.Counted, tc.want)
			}
		})
	}
}

func TestExcludedCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		policy  func(*Policy)
		objects []*scanner.Object
		want    Counts
	}{
		{"A2 every reason is counted once",
			func(p *Policy) {
				p.ExcludeAccounts = []string{"svc-*"}
				p.ExcludeOUs = []string{"OU=Leavers,DC=corp,DC=example,DC=com"}
				p.AdminExempt = []string{"admin"}
			},
			objs(user("ann"), user("krbtgt"), user("old", disabled), user("temp", expires(daysAgo(1))),
				user("svc-x"), user("gone", withDN("CN=gone,OU=Leavers,DC=corp,DC=example,DC=com")),
				user("admin"), user("idle", lastLogon(daysAgo(200))),
				computer("PC1", "Windows 10 Pro", ""), computer("PC2", "Windows 10 Pro", "", disabled),
				server("FS01", "Windows Server 2022 Standard")),
			Counts{UsersSeen: 8, UsersCounted: 1, DevicesSeen: 2, DevicesCounted: 1, ServersSeen: 1,
				Excluded: Excluded{Builtin: 1, Disabled: 2, Expired: 1, ExcludedAccount: 1, ExcludedOU: 1, AdminExempt: 1, Stale: 1}}},
		{"A2 include groups count not_in_scope_group",
			func(p *Policy) { p.IncludeGroups = []string{gStaff} },
			objs(user("ann", memberOf(gStaff)), user("bob"), group(gStaff, "")),
			Counts{UsersSeen: 2, UsersCounted: 1, Excluded: Excluded{NotInScopeGroup: 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			tc.policy(&p)
			if got := evaluate(t, p, tc.objects).Counts; got != tc.want {
				t.Errorf("counts = %+v, want %+v", got, tc.want)
			}
		})
	}
}
