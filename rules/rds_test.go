package rules

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/calscan/calscan/scanner"
)

func TestRDSCALs(t *testing.T) {
	t.Parallel()
	type need struct {
		t       CALType
		version string
	}
	people := objs(user("ann", memberOf(gApp)), user("bob"), user("adm"), group(gApp, ""),
		computer("PC1", "Windows 11 Pro", ""), dc("DC1", "Windows Server 2019 Standard"))
	tests := []struct {
		name    string
		policy  func(*Policy)
		objects []*scanner.Object
		want    map[string]need // account -> RDS CAL need (zero: none)
		lines   map[CALType]int // RDS CAL type -> required
	}{
		{"D1 users of an RD Session Host need an RDS User CAL in addition",
			func(p *Policy) { p.Servers = []ServerConfig{{Name: "RDS01", RDS: true}} },
			objs(server("RDS01", "Windows Server 2022 Standard")),
			map[string]need{"ann": {CALRDSUser, "2022"}, "bob": {CALRDSUser, "2022"}, "PC1": {}},
			map[CALType]int{CALRDSUser: 3}},
		{"D1 an access group limits the RDS users",
			func(p *Policy) { p.Servers = []ServerConfig{{Name: "RDS01", RDS: true, AccessGroup: gApp}} },
			objs(server("RDS01", "Windows Server 2022 Standard")),
			map[string]need{"ann": {CALRDSUser, "2022"}, "bob": {}},
			map[CALType]int{CALRDSUser: 1}},
		{"D2 the RDS CAL version follows the newest host the user uses, R2 mapped down",
			func(p *Policy) {
				p.Servers = []ServerConfig{{Name: "RDS01", RDS: true}, {Name: "RDS02", RDS: true, AccessGroup: gApp}}
			},
			objs(server("RDS01", "Windows Server 2012 R2 Standard"), server("RDS02", "Windows Server 2025 Standard")),
			map[string]need{"ann": {CALRDSUser, "2025"}, "bob": {CALRDSUser, "2012"}},
			map[CALType]int{CALRDSUser: 3}},
		{"D3 admin_exempt administrators need no RDS CAL",
			func(p *Policy) {
				p.Servers = []ServerConfig{{Name: "RDS01", RDS: true}}
				p.AdminExempt = []string{"adm"}
			},
			objs(server("RDS01", "Windows Server 2022 Standard")),
			map[string]need{"adm": {}, "bob": {CALRDSUser, "2022"}},
			map[CALType]int{CALRDSUser: 2}},
		{"D1 per device when only RDS Device CALs are owned: every client device",
			func(p *Policy) {
				p.Servers = []ServerConfig{{Name: "RDS01", RDS: true, AccessGroup: gApp}}
				p.CALs = []OwnedCAL{{Type: CALRDSDevice, Version: "2022", Quantity: 5}}
			},
			objs(server("RDS01", "Windows Server 2022 Standard")),
			map[string]need{"ann": {}, "PC1": {CALRDSDevice, "2022"}},
			map[CALType]int{CALRDSDevice: 1}},
		{"D1 rds_licensing overrides what is owned",
			func(p *Policy) {
				p.Servers = []ServerConfig{{Name: "RDS01", RDS: true, RDSLicensing: CALRDSUser}}
				p.CALs = []OwnedCAL{{Type: CALRDSDevice, Version: "2022", Quantity: 5}}
			},
			objs(server("RDS01", "Windows Server 2022 Standard")),
			map[string]need{"ann": {CALRDSUser, "2022"}, "PC1": {}},
			map[CALType]int{CALRDSUser: 3, CALRDSDevice: 0}},
		{"D1 an RDS CAL is needed in the device model too",
			func(p *Policy) {
				p.Model = ModelDevice
				p.Servers = []ServerConfig{{Name: "RDS01", RDS: true}}
			},
			objs(server("RDS01", "Windows Server 2022 Standard")),
			map[string]need{"ann": {CALRDSUser, "2022"}},
			map[CALType]int{CALRDSUser: 3}},
		{"D1 a disabled or unknown-version host needs no RDS CALs",
			func(p *Policy) {
				p.Servers = []ServerConfig{{Name: "RDS01", RDS: true}, {Name: "RDS02", RDS: true}}
			},
			objs(server("RDS01", "Windows Server 2022 Standard", disabled), server("RDS02", "Windows Server")),
			map[string]need{"ann": {}, "bob": {}},
			map[CALType]int{}},
		{"R4 an RDS External Connector covers external users' RDS access",
			func(p *Policy) {
				p.Servers = []ServerConfig{{Name: "RDS01", RDS: true, RDSExternalConnector: true}}
				p.ExternalGroups = []string{gApp}
			},
			objs(server("RDS01", "Windows Server 2022 Standard")),
			map[string]need{"ann": {}, "bob": {CALRDSUser, "2022"}},
			map[CALType]int{CALRDSUser: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			tc.policy(&p)
			r := evaluate(t, p, people, tc.objects)
			for name, want := range tc.want {
				a := findAccount(t, slices.Concat(r.Users.List(), r.Devices.List()), name)
				got := need{}
				if a.RDS != nil {
					got = need{a.RDS.CALType, a.RDS.CALVersion}
				}
				if got != want {
					t.Errorf("%s: RDS need %+v, want %+v", name, got, want)
				}
			}
			lines := map[CALType]int{}
			for _, l := range r.CALs {
				if l.Type == CALRDSUser || l.Type == CALRDSDevice {
					lines[l.Type] = l.Required
				}
			}
			if !reflect.DeepEqual(lines, tc.lines) {
				t.Errorf("RDS lines %v, want %v", lines, tc.lines)
			}
		})
	}
}

func TestRDSFindings(t *testing.T) {
	t.Parallel()
	type want struct {
		code     string
		severity Severity
		rule     string
		subjects []string
		message  []string
	}
	rdsHost := func(p *Policy) { p.Servers = []ServerConfig{{Name: "RDS01", RDS: true}} }
	tests := []struct {
		name    string
		policy  func(*Policy)
		objects []*scanner.Object
		want    want
		absent  []string
	}{
		{"D1 too few RDS User CALs",
			func(p *Policy) {
				rdsHost(p)
				p.CALs = []OwnedCAL{{Type: CALRDSUser, Version: "2022", Quantity: 1}}
			},
			append(users("u", 3), server("RDS01", "Windows Server 2022 Standard")),
			want{CodeRDSCALShortfall, SeverityViolation, "D1", []string{"RDS01"},
				[]string{"3 users of RD Session Hosts need an RDS User CAL in addition to the Windows Server CAL", "RDS01 runs Windows Server 2022", "cover 1 of them: buy 2 Windows Server 2022 RDS User CALs"}},
			[]string{CodeCALVersionTooOld}},
		{"D2 RDS CALs older than the host do not cover it",
			func(p *Policy) {
				rdsHost(p)
				p.CALs = []OwnedCAL{{Type: CALRDSUser, Version: "2019", Quantity: 3}}
			},
			append(users("u", 3), server("RDS01", "Windows Server 2025 Standard")),
			want{CodeRDSCALShortfall, SeverityViolation, "D2", []string{"RDS01"},
				[]string{"3 are 2019 CALs, older than the host", "buy 3 Windows Server 2025 RDS User CALs"}},
			nil},
		{"D2 newer RDS CALs cover an older host",
			func(p *Policy) {
				rdsHost(p)
				p.CALs = []OwnedCAL{{Type: CALUser, Version: "2022", Quantity: 3}, {Type: CALRDSUser, Version: "2025", Quantity: 3}}
			},
			append(users("u", 3), server("RDS01", "Windows Server 2016 Standard")),
			want{CodeCoreLicensesNotChecked, SeverityInfo, "C1", []string{"RDS01"}, nil},
			[]string{CodeRDSCALShortfall, CodeCALShortfall}},
		{"D4 more valid per-user issuances than RDS User CALs owned",
			func(p *Policy) {
				rdsHost(p)
				p.CALs = []OwnedCAL{{Type: CALRDSUser, Version: "2022", Quantity: 3}}
			},
			objs(user("a", rdsIssued("393216", daysAgo(-30), "LS1")), user("b", rdsIssued("393216", daysAgo(-1), "LS1")),
				user("c", rdsIssued("393216", zeroTime, "LS1")), user("d", rdsIssued("393216", daysAgo(-5), "LS1"), disabled),
				user("e", rdsIssued("393216", daysAgo(3), "LS1")), server("RDS01", "Windows Server 2022 Standard")),
			want{CodeRDSCALsIssuedOverOwned, SeverityWarning, "D4", []string{"rds-user"},
				[]string{"recorded 4 valid per-user RDS CALs", "you own 3 RDS User CALs"}},
			[]string{CodeRDSHostsNotConfigured}},
		{"D4 issuances without any RD Session Host configured",
			nil,
			objs(user("a", rdsIssued("393216", daysAgo(-30), "LS1")), user("b", rdsIssued("393216", daysAgo(30), "LS1")),
				server("FS01", "Windows Server 2022 Standard")),
			want{CodeRDSHostsNotConfigured, SeverityInfo, "D4", []string{}, []string{"2 users hold a per-user RDS CAL", "(1 expired)", "rds = true"}},
			[]string{CodeRDSCALShortfall}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			if tc.policy != nil {
				tc.policy(&p)
			}
			r := evaluate(t, p, tc.objects)
			f, ok := findFinding(r, tc.want.code)
			if !ok {
				t.Fatalf("no %s; findings %v", tc.want.code, findingCodes(r))
			}
			if f.Severity != tc.want.severity || f.Rule != tc.want.rule || !slices.Equal(f.Subjects, tc.want.subjects) {
				t.Errorf("finding %s/%s/%v, want %s/%s/%v", f.Severity, f.Rule, f.Subjects, tc.want.severity, tc.want.rule, tc.want.subjects)
			}
			for _, part := range tc.want.message {
				if !strings.Contains(f.Message, part) {
					t.Errorf("message %q lacks %q", f.Message, part)
				}
			}
			for _, code := range tc.absent {
				if _, ok := findFinding(r, code); ok {
					t.Errorf("unexpected %s", code)
				}
			}
		})
	}
}

func TestRDSIssuance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		objects     []*scanner.Object
		account     string
		wantRDS     *AccountRDS
		wantIssued  int
		wantExpired int
	}{
		{"D4 an issuance is shown on the account, whether or not it is counted",
			objs(user("ann", disabled, rdsIssued("393216", daysAgo(-30), "00490-92005-99454-AT527"))),
			"ann", &AccountRDS{IssuedVersion: "393216", IssuedExpires: daysAgo(-30), LicenseServer: "00490-92005-99454-AT527"}, 1, 0},
		{"D4 an expired issuance is counted apart",
			objs(user("ann", rdsIssued("393216", daysAgo(2), "LS1")), user("bob")),
			"ann", &AccountRDS{IssuedVersion: "393216", IssuedExpires: daysAgo(2), LicenseServer: "LS1"}, 0, 1},
		{"D4 users without an issuance have none",
			objs(user("ann"), user("bob", rdsIssued("1", zeroTime, ""))),
			"ann", nil, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := evaluate(t, userPolicy(), tc.objects)
			a := findAccount(t, r.Users.List(), tc.account)
			if !reflect.DeepEqual(a.RDS, tc.wantRDS) {
				t.Errorf("rds = %+v, want %+v", a.RDS, tc.wantRDS)
			}
			var line CALLine
			for _, l := range r.CALs {
				if l.Type == CALRDSUser {
					line = l
				}
			}
			if line.Type != CALRDSUser || line.Issued != tc.wantIssued || line.IssuedExpired != tc.wantExpired {
				t.Errorf("rds-user line %+v, want issued %d, expired %d", line, tc.wantIssued, tc.wantExpired)
			}
		})
	}
}

func TestInventoryKeepsRDSIssuanceApart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		objects    []*scanner.Object
		wantIssues []uint32 // user indices with an issuance
	}{
		{"D4 only users with an issuance take space", objs(user("a"), user("b", rdsIssued("393216", daysAgo(-1), "LS")), user("c")), []uint32{1}},
		{"D4 computers never do", objs(computer("PC1", "Windows 11 Pro", "", rdsIssued("x", zeroTime, "y"))), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv := inventory(tc.objects)
			var got []uint32
			for _, r := range inv.rdsIssues {
				got = append(got, r.user)
			}
			if !slices.Equal(got, tc.wantIssues) {
				t.Errorf("issues for users %v, want %v", got, tc.wantIssues)
			}
			for i := range inv.users {
				_, ok := inv.rdsIssue(i)
				if ok != slices.Contains(tc.wantIssues, uint32(i)) {
					t.Errorf("rdsIssue(%d) found = %v", i, ok)
				}
			}
		})
	}
}
