package rules

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/calscan/calscan/scanner"
)

const (
	gApp     = "CN=App users,OU=Groups,DC=corp,DC=example,DC=com"
	gFinance = "CN=Finance,OU=Groups,DC=corp,DC=example,DC=com"
)

func TestScopedAccess(t *testing.T) {
	t.Parallel()
	// ann is in App users directly, bob through Finance (nested), cat through
	// her primary group (Finance, RID 1300); dan is in neither.
	people := objs(
		user("ann", withSID("1101"), memberOf(gApp)),
		user("bob", withSID("1102"), memberOf(gFinance)),
		user("cat", withSID("1103"), func(o *scanner.Object) { o.PrimaryGroupID = 1300 }),
		user("dan", withSID("1104")),
		group(gApp, testDomainSID+"-1200"),
		group(gFinance, testDomainSID+"-1300", gApp),
	)
	tests := []struct {
		name     string
		servers  []ServerConfig
		objects  []*scanner.Object
		want     map[string]string // user -> CAL version ("" none)
		wantLine []VersionLine
	}{
		{"R1 an access group limits who needs the newer version",
			[]ServerConfig{{Name: "APP01", AccessGroup: gApp}},
			objs(dc("DC1", "Windows Server 2019 Standard"), server("APP01", "Windows Server 2025 Standard")),
			map[string]string{"ann": "2025", "bob": "2025", "cat": "2025", "dan": "2019"},
			[]VersionLine{{"2019", 1, 0}, {"2025", 3, 0}}},
		{"R6 a domain controller's access group is ignored: everyone authenticates",
			[]ServerConfig{{Name: "DC1", AccessGroup: gApp}},
			objs(dc("DC1", "Windows Server 2025 Standard"), server("FS01", "Windows Server 2016 Standard")),
			map[string]string{"ann": "2025", "dan": "2025"},
			[]VersionLine{{"2025", 4, 0}}},
		{"V4 a server without an access group raises everyone",
			nil,
			objs(dc("DC1", "Windows Server 2016 Standard"), server("APP01", "Windows Server 2022 Standard")),
			map[string]string{"ann": "2022", "dan": "2022"},
			[]VersionLine{{"2022", 4, 0}}},
		{"R1 an older scoped server never lowers the version",
			[]ServerConfig{{Name: "OLD01", AccessGroup: gApp}},
			objs(dc("DC1", "Windows Server 2022 Standard"), server("OLD01", "Windows Server 2012 R2 Standard")),
			map[string]string{"ann": "2022", "dan": "2022"},
			[]VersionLine{{"2022", 4, 0}}},
		{"R1 with only scoped servers, non-members need no CAL",
			[]ServerConfig{{Name: "APP01", AccessGroup: gFinance}},
			objs(server("APP01", "Windows Server 2022 Standard")),
			map[string]string{"ann": "", "bob": "2022", "cat": "2022", "dan": ""},
			[]VersionLine{{"2022", 2, 0}}},
		{"R1 an access group missing from the directory is used by everyone",
			[]ServerConfig{{Name: "APP01", AccessGroup: "CN=Typo,DC=corp"}},
			objs(dc("DC1", "Windows Server 2016 Standard"), server("APP01", "Windows Server 2025 Standard")),
			map[string]string{"ann": "2025", "dan": "2025"},
			[]VersionLine{{"2025", 4, 0}}},
		{"R1 a disabled scoped server sets no version",
			[]ServerConfig{{Name: "APP01", AccessGroup: gApp}},
			objs(dc("DC1", "Windows Server 2016 Standard"), server("APP01", "Windows Server 2025 Standard", disabled)),
			map[string]string{"ann": "2016", "dan": "2016"},
			[]VersionLine{{"2016", 4, 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Servers = tc.servers
			r := evaluate(t, p, people, tc.objects)
			for name, want := range tc.want {
				if a := findAccount(t, r.Users.List(), name); a.CALVersion != want || (want != "") != (a.CALType == CALUser) {
					t.Errorf("%s: CAL %q %q, want user %q", name, a.CALType, a.CALVersion, want)
				}
			}
			if len(r.CALs) != 1 || !reflect.DeepEqual(r.CALs[0].ByVersion, tc.wantLine) {
				t.Errorf("cals = %+v, want by_version %v", r.CALs, tc.wantLine)
			}
		})
	}
}

func TestScopedShortfallPerVersion(t *testing.T) {
	t.Parallel()
	objects := objs(user("ann", memberOf(gApp)), user("bob", memberOf(gApp)), user("cat"), user("dan"), user("eve"),
		group(gApp, ""), dc("DC1", "Windows Server 2019 Standard"), server("APP01", "Windows Server 2025 Standard"))
	tests := []struct {
		name          string
		cals          []OwnedCAL
		wantShortfall int
		wantSurplus   int
		wantCodes     []string
	}{
		{"§6 2019 CALs cover the 3 users who only use the 2019 DC",
			[]OwnedCAL{{Type: CALUser, Version: "2019", Quantity: 3}, {Type: CALUser, Version: "2025", Quantity: 2}}, 0, 0, nil},
		{"§6 2019 CALs cannot cover the 2025 users",
			[]OwnedCAL{{Type: CALUser, Version: "2019", Quantity: 5}}, 2, 2, []string{CodeCALShortfall, CodeCALVersionTooOld}},
		{"V5 a CAL Suite with SA covers every version",
			[]OwnedCAL{{Type: CALUser, Version: "sa", Quantity: 5}}, 0, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Servers = []ServerConfig{{Name: "APP01", AccessGroup: gApp}}
			p.CALs = tc.cals
			r := evaluate(t, p, objects)
			l := r.CALs[0]
			if l.Shortfall != tc.wantShortfall || l.Surplus != tc.wantSurplus {
				t.Errorf("shortfall %d surplus %d, want %d %d", l.Shortfall, l.Surplus, tc.wantShortfall, tc.wantSurplus)
			}
			var violations []string
			for _, f := range r.Findings {
				if f.Severity == SeverityViolation {
					violations = append(violations, f.Code)
				}
			}
			if !slices.Equal(violations, tc.wantCodes) {
				t.Errorf("violations %v, want %v", violations, tc.wantCodes)
			}
		})
	}
}

func TestRaisedBy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		model       Model
		servers     []ServerConfig
		objects     []*scanner.Object
		wantRaised  []string
		wantMessage []string // parts of CAL_SHORTFALL's message
	}{
		{"V4 one new server raises everyone",
			ModelUser, nil,
			append(users("u", 3), dc("DC1", "Windows Server 2019 Standard"), server("APP01", "Windows Server 2025 Standard")),
			[]string{"APP01 (Windows Server 2025)"},
			[]string{"3 users need a Windows Server 2025 User CAL", "APP01 runs Windows Server 2025, which raises everyone to 2025 CALs"}},
		{"V4 two servers of the newest version, releases kept (V2)",
			ModelUser, nil,
			append(users("u", 2), server("B", "Windows Server 2012 R2 Standard"), server("A", "Windows Server 2012 Standard")),
			[]string{"A (Windows Server 2012)", "B (Windows Server 2012 R2)"},
			[]string{"A runs Windows Server 2012; B runs Windows Server 2012 R2, which raise everyone to 2012 CALs"}},
		{"V4 a scoped server raises only its users",
			ModelUser, []ServerConfig{{Name: "APP01", AccessGroup: gApp}},
			append(users("u", 3), user("ann", memberOf(gApp)), group(gApp, ""), dc("DC1", "Windows Server 2019 Standard"), server("APP01", "Windows Server 2025 Standard")),
			[]string{"APP01 (Windows Server 2025)"},
			[]string{"4 users need a Windows Server User CAL, 1 of them 2025 or newer", "which raises the 1 user who uses it to 2025 CALs"}},
		{"V4 a scoped server nobody uses raises nobody",
			ModelUser, []ServerConfig{{Name: "APP01", AccessGroup: gApp}},
			append(users("u", 2), group(gApp, ""), dc("DC1", "Windows Server 2019 Standard"), server("APP01", "Windows Server 2025 Standard")),
			[]string{"DC1 (Windows Server 2019)"},
			[]string{"2 users need a Windows Server 2019 User CAL", "DC1 runs Windows Server 2019"}},
		{"V4 devices use every server",
			ModelDevice, []ServerConfig{{Name: "APP01", AccessGroup: gApp}},
			append(clients("pc", 2), group(gApp, ""), dc("DC1", "Windows Server 2019 Standard"), server("APP01", "Windows Server 2025 Standard")),
			[]string{"APP01 (Windows Server 2025)"},
			[]string{"2 devices need a Windows Server 2025 Device CAL"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Model = tc.model
			p.Servers = tc.servers
			r := evaluate(t, p, tc.objects)
			if len(r.CALs) != 1 || !slices.Equal(r.CALs[0].RaisedBy, tc.wantRaised) {
				t.Fatalf("cals = %+v, want raised_by %v", r.CALs, tc.wantRaised)
			}
			f, ok := findFinding(r, CodeCALShortfall)
			if !ok {
				t.Fatalf("no %s in %v", CodeCALShortfall, findingCodes(r))
			}
			for _, part := range tc.wantMessage {
				if !strings.Contains(f.Message, part) {
					t.Errorf("message %q lacks %q", f.Message, part)
				}
			}
		})
	}
}

func TestAccessGroupNotFound(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		servers      []ServerConfig
		wantSubjects []string
		wantMessage  string
	}{
		{"R1 a missing access group is reported with its server",
			[]ServerConfig{{Name: "APP01", AccessGroup: "CN=Typo,DC=corp"}}, []string{"CN=Typo,DC=corp"}, "APP01 is counted as used by everyone"},
		{"R1 an access group that exists raises nothing", []ServerConfig{{Name: "APP01", AccessGroup: gApp}}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Servers = tc.servers
			r := evaluate(t, p, objs(user("ann"), group(gApp, ""), server("APP01", "Windows Server 2022 Standard")))
			f, ok := findFinding(r, CodeAccessGroupNotFound)
			if ok != (tc.wantSubjects != nil) {
				t.Fatalf("%s raised: %v; findings %v", CodeAccessGroupNotFound, ok, findingCodes(r))
			}
			if ok && (!slices.Equal(f.Subjects, tc.wantSubjects) || !strings.Contains(f.Message, tc.wantMessage) || f.Severity != SeverityWarning) {
				t.Errorf("finding = %+v", f)
			}
		})
	}
}
