package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/calscan/calscan/scanner"
)

const (
	partnersOU = "OU=Partners,DC=corp,DC=example,DC=com"
	gPartners  = "CN=Partners,OU=Groups,DC=corp,DC=example,DC=com"
)

func TestExternalUsers(t *testing.T) {
	t.Parallel()
	people := objs(user("emp"), user("ext1", withDN("CN=ext1,"+partnersOU)), user("ext2", memberOf(gApp)), group(gApp, "", gPartners), group(gPartners, ""),
		user("gone", withDN("CN=gone,"+partnersOU), disabled))
	tests := []struct {
		name        string
		servers     []ServerConfig
		objects     []*scanner.Object
		want        map[string]string // user -> CAL version ("" none)
		wantCounts  [2]int            // external, external_covered
		wantUncover []string          // subjects of EXTERNAL_USERS
	}{
		{"R4 external users need CALs like everyone without an External Connector",
			nil,
			objs(dc("DC1", "Windows Server 2022 Standard")),
			map[string]string{"emp": "2022", "ext1": "2022", "ext2": "2022"},
			[2]int{2, 0}, []string{"DC1"}},
		{"R4 External Connectors on every server they use cover them",
			[]ServerConfig{{Name: "DC1", ExternalConnector: true}, {Name: "WEB01", ExternalConnector: true}},
			objs(dc("DC1", "Windows Server 2022 Standard"), server("WEB01", "Windows Server 2025 Standard")),
			map[string]string{"emp": "2025", "ext1": "", "ext2": ""},
			[2]int{2, 2}, []string{}},
		{"R4 a server without one still needs their CAL, at its version",
			[]ServerConfig{{Name: "WEB01", ExternalConnector: true}},
			objs(dc("DC1", "Windows Server 2019 Standard"), server("WEB01", "Windows Server 2025 Standard")),
			map[string]string{"emp": "2025", "ext1": "2019", "ext2": "2019"},
			[2]int{2, 0}, []string{"DC1"}},
		{"R4 a scoped server without a connector counts only for its users",
			[]ServerConfig{{Name: "DC1", ExternalConnector: true}, {Name: "APP01", AccessGroup: gApp}},
			objs(dc("DC1", "Windows Server 2022 Standard"), server("APP01", "Windows Server 2022 Standard")),
			map[string]string{"ext1": "", "ext2": "2022"},
			[2]int{2, 1}, []string{"APP01"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.ExternalOUs = []string{partnersOU}
			p.ExternalGroups = []string{gPartners}
			p.Servers = tc.servers
			r := evaluate(t, p, people, tc.objects)
			for name, want := range tc.want {
				a := findAccount(t, r.Users.List(), name)
				if a.CALVersion != want || a.External != strings.HasPrefix(name, "ext") || !a.Counted {
					t.Errorf("%s: external %v counted %v CAL %q, want %q", name, a.External, a.Counted, a.CALVersion, want)
				}
			}
			if got := [2]int{r.Counts.External, r.Counts.ExternalCovered}; got != tc.wantCounts {
				t.Errorf("external, covered = %v, want %v", got, tc.wantCounts)
			}
			f, ok := findFinding(r, CodeExternalUsers)
			if !ok || f.Rule != "R4" || !slices.Equal(f.Subjects, tc.wantUncover) {
				t.Errorf("%s = %+v (found %v), want subjects %v", CodeExternalUsers, f, ok, tc.wantUncover)
			}
			if gone := findAccount(t, r.Users.List(), "gone"); !gone.External || gone.Counted {
				t.Errorf("disabled external user: %+v", gone)
			}
		})
	}
}

func TestExternalFindings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		policy  func(*Policy)
		objects []*scanner.Object
		code    string
		want    bool
		message string
	}{
		{"R4 an external group missing from the directory",
			func(p *Policy) { p.ExternalGroups = []string{"CN=Typo,DC=corp"} },
			objs(user("ann")), CodeExternalGroupNotFound, true, "1 external_groups entry matches no group"},
		{"R4 no external users, no finding", nil, objs(user("ann")), CodeExternalUsers, false, ""},
		{"R7 excluded service accounts remind of multiplexing",
			func(p *Policy) { p.ExcludeAccounts = []string{"svc-*"} },
			objs(user("ann"), user("svc-web"), user("svc-sync"), server("FS01", "Windows Server 2022 Standard")),
			CodeMultiplexing, true, "exclude_accounts leaves out 2 accounts"},
		{"R7 nothing excluded, no reminder",
			func(p *Policy) { p.ExcludeAccounts = []string{"svc-*"} },
			objs(user("ann"), server("FS01", "Windows Server 2022 Standard")),
			CodeMultiplexing, false, ""},
		{"R7 no server needs CALs, no reminder",
			func(p *Policy) { p.ExcludeAccounts = []string{"svc-*"} },
			objs(user("svc-web")),
			CodeMultiplexing, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			if tc.policy != nil {
				tc.policy(&p)
			}
			r := evaluate(t, p, tc.objects)
			f, ok := findFinding(r, tc.code)
			if ok != tc.want {
				t.Fatalf("%s raised: %v, want %v; findings %v", tc.code, ok, tc.want, findingCodes(r))
			}
			if ok && !strings.Contains(f.Message, tc.message) {
				t.Errorf("message %q lacks %q", f.Message, tc.message)
			}
		})
	}
}

// Every finding carries the LICENSING.md rule behind it.
func TestEveryFindingHasARule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		policy func(*Policy)
	}{
		{"R1 a scan that raises many findings", func(p *Policy) {
			p.Model, p.MixedDefault = ModelMixed, ModelUser
			p.UsageCSV, p.Usage = "usage.csv", usageOf(t, "ann,PC1\nzed,PC1\n")
			p.ExcludeAccounts = []string{"svc-*", "bad["}
			p.IncludeGroups = []string{gApp, "CN=Missing,DC=corp"}
			p.AdminExempt = []string{"a1", "a2", "a3", "nobody"}
			p.ExternalGroups = []string{"CN=Typo,DC=corp"}
			p.Servers = []ServerConfig{{Name: "RDS01", RDS: true, AccessGroup: "CN=Nope,DC=corp"}, {Name: "HV01", Cores: 64, VMs: 9}, {Name: "CLOUD", Edition: EditionStandard}}
			p.CALs = []OwnedCAL{{Type: CALUser, Version: "2016", Quantity: 1}, {Type: CALRDSUser, Version: "2016", Quantity: 1}}
			p.CoreLicenses = []OwnedCoreLicense{{EditionStandard, "2022", 16}}
			p.Directories = []DirectoryInfo{{Name: "corp", TLSVerificationDisabled: true}}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			tc.policy(&p)
			r := evaluate(t, p, objs(user("ann", memberOf(gApp)), user("a1", memberOf(gApp)), user("a2", memberOf(gApp)), user("a3", memberOf(gApp)),
				user("svc-web"), user("old", disabled, memberOf(gApp), rdsIssued("1", daysAgo(-3), "LS")), user("ann", withSID("77"), inDomain("gc")),
				user("ann", withSID("77"), inDomain("gc2")), group(gApp, ""),
				computer("PC1", "Windows 11 Pro", ""), computer("X", "", ""), server("ESS1", "Windows Server 2019 Essentials"),
				server("RDS01", "Windows Server 2025 Standard"), server("HV01", "Windows Server 2022 Standard"), server("HV2", "Hyper-V Server 2019")))
			if len(r.Findings) < 15 {
				t.Errorf("only %d findings: %v", len(r.Findings), findingCodes(r))
			}
			for _, f := range r.Findings {
				if f.Rule == "" && f.Code != CodeTLSVerificationDisabled {
					t.Errorf("%s has no rule id", f.Code)
				}
				if f.Message == "" || f.Action == "" || f.Subjects == nil {
					t.Errorf("%s lacks a message, an action or subjects: %+v", f.Code, f)
				}
			}
		})
	}
}
