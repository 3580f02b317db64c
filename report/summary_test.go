package report

import (
	"strings"
	"testing"

	"github.com/calscan/calscan/rules"
)

func TestSummary(t *testing.T) {
	compliant := sampleResult()
	compliant.Compliant = true
	compliant.CALs[0].Owned, compliant.CALs[0].Shortfall, compliant.CALs[0].Surplus = 1920, 0, 12
	compliant.Findings = compliant.Findings[1:2]

	tests := []struct {
		name string
		res  *rules.Result
		want string
	}{
		{
			name: "not compliant",
			res:  sampleResult(),
			want: "Not compliant: buy 68 Windows Server 2022 User CALs.\n" +
				"1,908 users and 290 devices counted, 222 excluded (13 built-in, 120 disabled, 5 expired, 12 excluded by name, 20 excluded OU, 2 admin exempt, 50 stale).\n" +
				"175 accounts are reclaimable (disabled, expired or stale): their CALs can be reassigned.\n" +
				"Servers: 4, of which 2 need CALs.\n" +
				"3 findings: 1 violation, 1 warning, 1 info.",
		},
		{
			name: "compliant",
			res:  compliant,
			want: "Compliant: you own 12 more User CALs than you need. You own 25 more Device CALs than you need. You own 10 more RDS User CALs than you need.\n" +
				"1,908 users and 290 devices counted, 222 excluded (13 built-in, 120 disabled, 5 expired, 12 excluded by name, 20 excluded OU, 2 admin exempt, 50 stale).\n" +
				"175 accounts are reclaimable (disabled, expired or stale): their CALs can be reassigned.\n" +
				"Servers: 4, of which 2 need CALs.\n" +
				"1 finding: 1 info.",
		},
		{
			name: "RDS CALs and core licences to buy",
			res:  depthResult(),
			want: "Not compliant: buy 1,296 Windows Server 2022 User CALs and 77 Windows Server 2019 RDS User CALs; license 32 more Standard 2022 cores.\n" +
				"1,750 users and 1,900 devices counted, 64 excluded (60 disabled, 4 stale).\n" +
				"64 accounts are reclaimable (disabled, expired or stale): their CALs can be reassigned.\n" +
				"Servers: 5, of which 5 need CALs.\n" +
				"1 finding: 1 violation.",
		},
		{
			name: "empty",
			res:  &rules.Result{Compliant: true},
			want: "Compliant: no CALs are required.\n" +
				"0 users and 0 devices counted, 0 excluded.\n" +
				"No servers seen.\n" +
				"No findings.",
		},
		{
			name: "one of each",
			res: &rules.Result{
				Compliant: true,
				Counts:    rules.Counts{UsersCounted: 1, DevicesCounted: 1, Excluded: rules.Excluded{Stale: 1}},
				CALs:      []rules.CALLine{{Type: rules.CALUser, Required: 1, MinVersion: "2025", Owned: 1}},
				Servers:   []rules.Server{{Name: "FS01", NeedsCALs: true}},
				Findings:  []rules.Finding{{Severity: rules.SeverityWarning}},
			},
			want: "Compliant: you own exactly the 1 User CAL you need.\n" +
				"1 user and 1 device counted, 1 excluded (1 stale).\n" +
				"1 account is reclaimable (disabled, expired or stale): their CALs can be reassigned.\n" +
				"Servers: 1, of which 1 needs CALs.\n" +
				"1 finding: 1 warning.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summary(New(tt.res, generatedAt, "0.1.0")); got != tt.want {
				t.Errorf("Summary =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestVerdictAction(t *testing.T) {
	standardCores := func(n int) rules.CoreLicenseLine {
		return rules.CoreLicenseLine{Edition: rules.EditionStandard, Unit: rules.UnitCore, MinVersion: "2022", Required: 16 + n, Owned: 16, Shortfall: n}
	}
	tests := []struct {
		name      string
		compliant bool
		cals      []rules.CALLine
		cores     []rules.CoreLicenseLine
		findings  []rules.Finding
		want      string
	}{
		{"one shortfall", false,
			[]rules.CALLine{{Type: rules.CALUser, MinVersion: "2022", Required: 100, Owned: 32, Shortfall: 68}}, nil, nil,
			"Buy 68 Windows Server 2022 User CALs."},
		{"a single CAL", false,
			[]rules.CALLine{{Type: rules.CALDevice, MinVersion: "2019", Required: 5, Owned: 4, Shortfall: 1}}, nil, nil,
			"Buy 1 Windows Server 2019 Device CAL."},
		{"several shortfalls", false, []rules.CALLine{
			{Type: rules.CALUser, MinVersion: "2025", Shortfall: 1200},
			{Type: rules.CALDevice, Surplus: 3},
			{Type: rules.CALRDSUser, MinVersion: "2022", Shortfall: 5},
			{Type: rules.CALRDSDevice, MinVersion: "2016", Shortfall: 2},
		}, nil, nil, "Buy 1,200 Windows Server 2025 User CALs, 5 Windows Server 2022 RDS User CALs and 2 Windows Server 2016 RDS Device CALs."},
		{"shortfall without a version", false,
			[]rules.CALLine{{Type: rules.CALUser, Shortfall: 3}}, nil, nil, "Buy 3 User CALs."},
		{"not compliant for another reason", false,
			[]rules.CALLine{{Type: rules.CALUser, Required: 10, Owned: 10}}, nil,
			[]rules.Finding{{Severity: rules.SeverityViolation}, {Severity: rules.SeverityWarning}},
			"No CALs are missing, but 1 violation must be resolved: see the findings."},
		{"not compliant without a violation", false, nil, nil, nil,
			"No CALs are missing, but the result is not compliant: see the findings."},
		{"surplus", true,
			[]rules.CALLine{{Type: rules.CALUser, Required: 10, Owned: 22, Surplus: 12}}, nil, nil,
			"You own 12 more User CALs than you need."},
		{"exact", true,
			[]rules.CALLine{{Type: rules.CALUser, Required: 1840, Owned: 1840}}, nil, nil,
			"You own exactly the 1,840 User CALs you need."},
		{"nothing required", true, []rules.CALLine{{Type: rules.CALUser}}, nil, nil, "No CALs are required."},
		{"CALs, RDS CALs and cores", false, []rules.CALLine{
			{Type: rules.CALUser, MinVersion: "2022", Shortfall: 68},
			{Type: rules.CALRDSUser, MinVersion: "2022", Shortfall: 12},
		}, []rules.CoreLicenseLine{standardCores(32)}, nil,
			"Buy 68 Windows Server 2022 User CALs and 12 Windows Server 2022 RDS User CALs; license 32 more Standard 2022 cores."},
		{"only cores", false, nil, []rules.CoreLicenseLine{standardCores(2), {Edition: rules.EditionDatacenter, Unit: rules.UnitCore, MinVersion: "2025", Shortfall: 16}}, nil,
			"License 2 more Standard 2022 cores and 16 more Datacenter 2025 cores."},
		{"processor licences are bought", false, nil, []rules.CoreLicenseLine{{Edition: rules.EditionDatacenter, Unit: rules.UnitProcessor, MinVersion: "2012", Shortfall: 1}}, nil,
			"Buy 1 Windows Server 2012 Datacenter processor licence."},
		{"no core shortfall, no purchase", true, []rules.CALLine{{Type: rules.CALUser, Required: 5, Owned: 5}},
			[]rules.CoreLicenseLine{{Edition: rules.EditionStandard, Unit: rules.UnitCore, MinVersion: "2022", Required: 16, Owned: 32, Surplus: 16}}, nil,
			"You own exactly the 5 User CALs you need."},
		{"at most three purchases", false, []rules.CALLine{
			{Type: rules.CALUser, MinVersion: "2025", Shortfall: 1200},
			{Type: rules.CALDevice, MinVersion: "2025", Shortfall: 4},
			{Type: rules.CALRDSUser, MinVersion: "2022", Shortfall: 5},
			{Type: rules.CALRDSDevice, MinVersion: "2016", Shortfall: 2},
		}, []rules.CoreLicenseLine{standardCores(32)}, nil,
			"Buy 1,200 Windows Server 2025 User CALs, 4 Windows Server 2025 Device CALs and 5 Windows Server 2022 RDS User CALs, and more: see the findings."},
		{"the third purchase is cores", false, []rules.CALLine{
			{Type: rules.CALUser, MinVersion: "2025", Shortfall: 10},
			{Type: rules.CALRDSUser, MinVersion: "2022", Shortfall: 5},
		}, []rules.CoreLicenseLine{standardCores(32), standardCores(8)}, nil,
			"Buy 10 Windows Server 2025 User CALs and 5 Windows Server 2022 RDS User CALs; license 32 more Standard 2022 cores, and more: see the findings."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(&rules.Result{Compliant: tt.compliant, CALs: tt.cals, CoreLicenses: tt.cores, Findings: tt.findings}, generatedAt, "")
			if got := verdictAction(r); got != tt.want {
				t.Errorf("verdictAction = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLowerFirst(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Buy 68 CALs.", "buy 68 CALs."},
		{"You own", "you own"},
		{"CALs are", "CALs are"},
		{"", ""},
		{"Ä", "ä"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := lowerFirst(tt.in); got != tt.want {
				t.Errorf("lowerFirst(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSummaryHasNoTrailingNewline(t *testing.T) {
	if s := Summary(sampleReport()); strings.HasSuffix(s, "\n") {
		t.Errorf("Summary ends in a newline; the caller prints it with Println: %q", s)
	}
}
