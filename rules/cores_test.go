package rules

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/calscan/calscan/scanner"
)

func TestCoreRequirement(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		server           Server
		ownsPerProcessor bool
		want             coreNeed
	}{
		{"C1 at least 16 cores per server", Server{Edition: EditionStandard, Version: "2022", Cores: 4, Processors: 1},
			false, coreNeed{UnitCore, "2022", 1, 16}},
		{"C1 at least 8 cores per processor", Server{Edition: EditionDatacenter, Version: "2019", Cores: 12, Processors: 4},
			false, coreNeed{UnitCore, "2019", 1, 32}},
		{"C1 every physical core", Server{Edition: EditionDatacenter, Version: "2025", Cores: 48, Processors: 2},
			false, coreNeed{UnitCore, "2025", 1, 48}},
		{"C1 processors left out count as one", Server{Edition: EditionStandard, Version: "2016", Cores: 20},
			false, coreNeed{UnitCore, "2016", 1, 20}},
		{"C2 Standard with no VMs still needs one set", Server{Edition: EditionStandard, Version: "2022", Cores: 24, Processors: 2},
			false, coreNeed{UnitCore, "2022", 1, 24}},
		{"C2 Standard covers 2 VMs per set", Server{Edition: EditionStandard, Version: "2022", Cores: 24, Processors: 2, VMs: 2},
			false, coreNeed{UnitCore, "2022", 1, 24}},
		{"C2 Standard: each further 1-2 VMs license every core again", Server{Edition: EditionStandard, Version: "2022", Cores: 24, Processors: 2, VMs: 5},
			false, coreNeed{UnitCore, "2022", 3, 24}},
		{"C2 Datacenter covers any number of VMs", Server{Edition: EditionDatacenter, Version: "2022", Cores: 24, Processors: 2, VMs: 40},
			false, coreNeed{UnitCore, "2022", 1, 24}},
		{"C3 2012 R2 per processor: one licence per 2 processors", Server{Edition: EditionDatacenter, Version: "2012 R2", Cores: 32, Processors: 4},
			true, coreNeed{UnitProcessor, "2012", 1, 2}},
		{"C3 2012 Standard: 2 VMs per licence", Server{Edition: EditionStandard, Version: "2012", Processors: 3, VMs: 3},
			true, coreNeed{UnitProcessor, "2012", 2, 2}},
		{"C3 2012 R2 without processor licences is licensed by cores (downgrade)", Server{Edition: EditionStandard, Version: "2012 R2", Cores: 8, Processors: 1},
			false, coreNeed{UnitCore, "2016", 1, 16}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := coreRequirement(&tc.server, tc.ownsPerProcessor); got != tc.want {
				t.Errorf("need = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestCoreLicenseLines(t *testing.T) {
	t.Parallel()
	hosts := []ServerConfig{
		{Name: "HV01", Edition: EditionStandard, Release: "2022", Cores: 24, Processors: 2, VMs: 4},
		{Name: "HV02", Edition: EditionDatacenter, Release: "2019", Cores: 32, Processors: 2, VMs: 20},
		{Name: "OLD01", Edition: EditionStandard, Release: "2012 R2", Processors: 2, VMs: 2},
	}
	tests := []struct {
		name      string
		owned     []OwnedCoreLicense
		want      []CoreLicenseLine
		wantCodes []string // core findings
		wantRule  string
	}{
		{"C1 enough licences of a newer version",
			[]OwnedCoreLicense{{EditionStandard, "2025", 64}, {EditionDatacenter, "2022", 32}, {EditionStandard, "2012", 1}},
			[]CoreLicenseLine{
				{Edition: EditionStandard, Unit: UnitCore, Required: 48, MinVersion: "2022", Owned: 64, Surplus: 16,
					ByVersion: []VersionLine{{"2022", 48, 0}, {"2025", 0, 64}}, Servers: []string{"HV01"}},
				{Edition: EditionStandard, Unit: UnitProcessor, Required: 1, MinVersion: "2012", Owned: 1,
					ByVersion: []VersionLine{{"2012", 1, 1}}, Servers: []string{"OLD01"}},
				{Edition: EditionDatacenter, Unit: UnitCore, Required: 32, MinVersion: "2019", Owned: 32,
					ByVersion: []VersionLine{{"2019", 32, 0}, {"2022", 0, 32}}, Servers: []string{"HV02"}},
			}, nil, ""},
		{"C2 Standard licences do not cover Datacenter, older do not cover newer",
			[]OwnedCoreLicense{{EditionStandard, "2019", 64}, {EditionStandard, "2022", 16}},
			[]CoreLicenseLine{
				{Edition: EditionStandard, Unit: UnitCore, Required: 64, MinVersion: "2022", Owned: 80, Shortfall: 32, Surplus: 48,
					ByVersion: []VersionLine{{"2016", 16, 0}, {"2019", 0, 64}, {"2022", 48, 16}}, Servers: []string{"HV01", "OLD01"}},
				{Edition: EditionDatacenter, Unit: UnitCore, Required: 32, MinVersion: "2019", Shortfall: 32,
					ByVersion: []VersionLine{{"2019", 32, 0}}, Servers: []string{"HV02"}},
			}, []string{CodeCoreLicenseShortfall, CodeCoreLicenseShortfall}, "C2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Servers = hosts
			p.CoreLicenses = tc.owned
			r := evaluate(t, p, objs(user("ann")))
			if !reflect.DeepEqual(r.CoreLicenses, tc.want) {
				t.Errorf("core licences = %+v\nwant %+v", r.CoreLicenses, tc.want)
			}
			var codes []string
			for _, f := range r.Findings {
				if f.Code == CodeCoreLicenseShortfall {
					codes = append(codes, f.Code)
					if f.Severity != SeverityViolation || !strings.HasPrefix(f.Rule, "C") {
						t.Errorf("finding %+v", f)
					}
				}
			}
			if !slices.Equal(codes, tc.wantCodes) {
				t.Errorf("codes %v, want %v", codes, tc.wantCodes)
			}
			if f, ok := findFinding(r, CodeCoreLicenseShortfall); ok && f.Rule != tc.wantRule {
				t.Errorf("rule %s, want %s", f.Rule, tc.wantRule)
			}
		})
	}
}

func TestCoreFindings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		servers  []ServerConfig
		owned    []OwnedCoreLicense
		objects  []*scanner.Object
		code     string
		rule     string
		subjects []string
		message  []string
	}{
		{"C1 a shortfall names the servers and what each needs",
			[]ServerConfig{{Name: "HV01", Cores: 24, Processors: 2, VMs: 3}},
			[]OwnedCoreLicense{{EditionStandard, "2022", 16}},
			objs(server("HV01", "Windows Server 2022 Standard")),
			CodeCoreLicenseShortfall, "C2", []string{"HV01"},
			[]string{"Standard needs 48 core licences, version 2022 or newer", "HV01: 2 × 24 cores for 3 VMs", "the 16 you own cover 16: buy 32"}},
		{"C3 a per-processor shortfall",
			[]ServerConfig{{Name: "OLD01", Processors: 4}},
			[]OwnedCoreLicense{{EditionDatacenter, "2012", 1}},
			objs(server("OLD01", "Windows Server 2012 R2 Datacenter")),
			CodeCoreLicenseShortfall, "C3", []string{"OLD01"},
			[]string{"Datacenter needs 2 processor licences (one per 2 processors)", "buy 1"}},
		{"C1 servers without cores configured are listed",
			[]ServerConfig{{Name: "HV01", Cores: 16}, {Name: "CLOUD", Release: "2022", Cores: 16}},
			nil,
			objs(server("HV01", "Windows Server 2022 Standard"), server("FS01", "Windows Server 2019 Datacenter"), dc("DC1", "Windows Server 2016 Standard"),
				server("OLD", "Windows Server 2008 R2 Standard"), server("ESS", "Windows Server 2019 Essentials"), server("GONE", "Windows Server 2022 Standard", disabled)),
			CodeCoreLicensesNotChecked, "C1", []string{"CLOUD", "DC1", "FS01"},
			[]string{"not checked for 3 servers"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Servers, p.CoreLicenses = tc.servers, tc.owned
			r := evaluate(t, p, tc.objects)
			f, ok := findFinding(r, tc.code)
			if !ok {
				t.Fatalf("no %s in %v", tc.code, findingCodes(r))
			}
			if f.Rule != tc.rule || !slices.Equal(f.Subjects, tc.subjects) {
				t.Errorf("finding %s %v, want %s %v", f.Rule, f.Subjects, tc.rule, tc.subjects)
			}
			for _, part := range tc.message {
				if !strings.Contains(f.Message, part) {
					t.Errorf("message %q lacks %q", f.Message, part)
				}
			}
		})
	}
}
