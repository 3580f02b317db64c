package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/calscan/calscan/scanner"
)

func TestFindings(t *testing.T) {
	t.Parallel()
	type want struct {
		code     string
		severity Severity
		rule     string
		subjects []string
		message  []string // parts the message must contain
		action   []string // parts the action must contain
	}
	tests := []struct {
		name    string
		policy  func(*Policy)
		objects [][]*scanner.Object
		want    want
		absent  []string // codes that must not be raised
	}{
		{"R1 CAL shortfall says how many of which version to buy",
			func(p *Policy) { p.CALs = []OwnedCAL{{Type: CALUser, Version: "2022", Quantity: 1}} },
			[][]*scanner.Object{users("u", 3), objs(server("APP01", "Windows Server 2022 Standard"))},
			want{CodeCALShortfall, SeverityViolation, "R1", []string{"APP01"},
				[]string{"3 users need a Windows Server 2022 User CAL", "APP01 runs Windows Server 2022", "cover 1 of them", "buy 2 Windows Server 2022 User CALs"},
				[]string{"Buy 2 Windows Server 2022 User CALs"}},
			[]string{CodeCALVersionTooOld}},
		{"V1 CAL version too old: older CALs cause the shortfall",
			func(p *Policy) {
				p.CALs = []OwnedCAL{{Type: CALUser, Version: "2016", Quantity: 2}, {Type: CALUser, Version: "2022", Quantity: 1}}
			},
			[][]*scanner.Object{users("u", 3), objs(server("APP01", "Windows Server 2022 Standard"))},
			want{CodeCALVersionTooOld, SeverityViolation, "V1", []string{"2016"},
				[]string{"2 of your 3 User CALs are 2016 CALs", "APP01 runs Windows Server 2022", "users need 2022 CALs"},
				[]string{"2022"}},
			nil},
		{"V4 one new domain controller raises the version for every user",
			func(p *Policy) { p.CALs = []OwnedCAL{{Type: CALUser, Version: "2022", Quantity: 3}} },
			[][]*scanner.Object{users("u", 3), objs(server("FS01", "Windows Server 2016 Standard"), dc("DC1", "Windows Server 2025 Datacenter"))},
			want{CodeCALVersionTooOld, SeverityViolation, "V1", []string{"2022"},
				[]string{"DC1 runs Windows Server 2025", "need 2025 CALs"}, nil},
			nil},
		{"V2 2012 R2 servers are named with their release and need 2012 CALs",
			nil,
			[][]*scanner.Object{users("u", 2), objs(server("DC1", "Windows Server 2012 R2 Standard"), server("DC2", "Windows Server 2012 R2 Standard"), server("APP", "Windows Server 2012 Standard"))},
			want{CodeCALShortfall, SeverityViolation, "R1", []string{"APP", "DC1", "DC2"},
				[]string{"Windows Server 2012 User CAL", "APP runs Windows Server 2012; DC1 and DC2 run Windows Server 2012 R2"},
				[]string{"Buy 2 Windows Server 2012 User CALs"}},
			nil},
		{"§6 enough new CALs: older ones are surplus, not a violation",
			func(p *Policy) {
				p.CALs = []OwnedCAL{{Type: CALUser, Version: "2016", Quantity: 5}, {Type: CALUser, Version: "2022", Quantity: 3}}
			},
			[][]*scanner.Object{users("u", 3), objs(server("APP01", "Windows Server 2022 Standard"))},
			want{CodeCALSurplus, SeverityInfo, "§6", []string{"user"}, []string{"You own 5 more User CALs than you need", "8 owned, 3 required"}, nil},
			[]string{CodeCALShortfall, CodeCALVersionTooOld}},
		{"§6 with a shortfall, the surplus is CALs too old to use",
			func(p *Policy) {
				p.CALs = []OwnedCAL{{Type: CALUser, Version: "2016", Quantity: 1200}, {Type: CALUser, Version: "2022", Quantity: 1}}
			},
			[][]*scanner.Object{users("u", 3), objs(server("APP01", "Windows Server 2022 Standard"))},
			want{CodeCALSurplus, SeverityInfo, "§6", []string{"user"},
				[]string{"1,200 User CALs (2016) are too old for your 2022 servers and cover no one; see CAL_VERSION_TOO_OLD"},
				[]string{"only 2022 CALs or newer"}},
			nil},
		{"V1 numbers in messages have thousands separators",
			func(p *Policy) {
				p.CALs = []OwnedCAL{{Type: CALUser, Version: "2016", Quantity: 1200}, {Type: CALUser, Version: "2022", Quantity: 1}}
			},
			[][]*scanner.Object{users("u", 3), objs(server("APP01", "Windows Server 2022 Standard"))},
			want{CodeCALVersionTooOld, SeverityViolation, "V1", []string{"2016"},
				[]string{"1,200 of your 1,201 User CALs are 2016 CALs"}, nil},
			nil},
		{"R8 essentials over 25 users",
			nil,
			[][]*scanner.Object{users("u", 26), objs(server("ESS1", "Windows Server 2016 Essentials"))},
			want{CodeEssentialsLimitExceeded, SeverityViolation, "R8", []string{"ESS1"},
				[]string{"at most 25 users and 50 devices", "26 users and 0 devices"}, nil},
			[]string{CodeCALShortfall}},
		{"R8 essentials over 50 devices",
			nil,
			[][]*scanner.Object{users("u", 5), clients("pc", 51), objs(server("ESS1", "Windows Server 2019 Essentials"))},
			want{CodeEssentialsLimitExceeded, SeverityViolation, "R8", []string{"ESS1"}, []string{"5 users and 51 devices"}, nil},
			nil},
		{"R8 essentials at its limits is fine",
			nil,
			[][]*scanner.Object{users("u", 25), clients("pc", 50), objs(server("ESS1", "Windows Server 2019 Essentials"))},
			want{CodeNoCALServers, SeverityInfo, "R1", []string{}, []string{"no CALs are required"}, nil},
			[]string{CodeEssentialsLimitExceeded}},
		{"R8 essentials counts only users in scope",
			nil,
			[][]*scanner.Object{users("u", 25), users("gone", 10, disabled), objs(server("ESS1", "Windows Server 2019 Essentials"))},
			want{CodeNoCALServers, SeverityInfo, "R1", []string{}, nil, nil},
			[]string{CodeEssentialsLimitExceeded}},
		{"R8 essentials is judged on its own domain",
			nil,
			[][]*scanner.Object{users("u", 30), users("s", 3, inDomain("branch")), objs(server("ESS1", "Windows Server 2019 Essentials", inDomain("branch")))},
			want{CodeNoCALServers, SeverityInfo, "R1", []string{}, nil, nil},
			[]string{CodeEssentialsLimitExceeded}},
		{"R8 a disabled essentials server is not judged",
			nil,
			[][]*scanner.Object{users("u", 30), objs(server("ESS1", "Windows Server 2019 Essentials", disabled))},
			want{CodeNoCALServers, SeverityInfo, "R1", []string{}, nil, nil},
			[]string{CodeEssentialsLimitExceeded}},
		{"R8 foundation over 15 users",
			nil,
			[][]*scanner.Object{users("u", 16), objs(server("FND1", "Windows Server 2012 Foundation"))},
			want{CodeFoundationLimitExceeded, SeverityViolation, "R8", []string{"FND1"}, []string{"at most 15 users", "16 users"}, nil},
			nil},
		{"R8 foundation at 15 users is fine",
			nil,
			[][]*scanner.Object{users("u", 15), objs(server("FND1", "Windows Server 2012 Foundation"))},
			want{CodeNoCALServers, SeverityInfo, "R1", []string{}, nil, nil},
			[]string{CodeFoundationLimitExceeded}},
		{"V1 unknown operating systems are reported",
			nil,
			[][]*scanner.Object{objs(computer("PC1", "", ""), computer("X1", "Windows Server Standard", "10.0"), computer("PC2", "", "", disabled), computer("PC3", "Windows 11 Pro", ""))},
			want{CodeUnknownOperatingSystem, SeverityWarning, "V1", []string{"PC1", "X1"},
				[]string{"2 computers", "1 counted as client devices", "1 server that cannot set"}, []string{"[[server]]"}},
			nil},
		{"R1 a config server without version is reported as unknown",
			func(p *Policy) { p.Servers = []ServerConfig{{Name: "CLOUD1", Edition: EditionStandard}} },
			[][]*scanner.Object{users("u", 1)},
			want{CodeUnknownOperatingSystem, SeverityWarning, "V1", []string{"CLOUD1"}, nil, nil},
			nil},
		{"A2 reclaimable accounts: disabled, expired and stale users",
			nil,
			[][]*scanner.Object{users("u", 2), objs(user("zed", disabled), user("amy", lastLogon(daysAgo(200))), user("bo", expires(daysAgo(1))), user("krbtgt"))},
			want{CodeReclaimableAccounts, SeverityInfo, "A2", []string{"amy", "bo", "zed"},
				[]string{"3 user accounts need no CAL", "1 disabled", "1 expired", "1 inactive for over 90 days"}, nil},
			nil},
		{"A2 reclaimable subjects stop at 50",
			nil,
			[][]*scanner.Object{users("gone", 60, disabled)},
			want{CodeReclaimableAccounts, SeverityInfo, "A2",
				append(names("gone", 50), "… and 10 more"), []string{"60 user accounts"}, nil},
			nil},
		{"A2 device model reclaims devices, not users",
			func(p *Policy) { p.Model = ModelDevice },
			[][]*scanner.Object{objs(user("zed", disabled), computer("PC1", "Windows 11 Pro", "", disabled))},
			want{CodeReclaimableAccounts, SeverityInfo, "A2", []string{"PC1"}, []string{"1 device account needs no CAL"}, nil},
			nil},
		{"A2 several domains qualify subjects with the domain",
			nil,
			[][]*scanner.Object{objs(user("zed", disabled), user("zed", disabled, inDomain("branch")))},
			want{CodeReclaimableAccounts, SeverityInfo, "A2", []string{`branch\zed`, `corp\zed`}, nil, nil},
			nil},
		{"R1 TLS verification disabled is reported per directory",
			func(p *Policy) {
				p.Directories = []DirectoryInfo{{Name: "corp", Source: "ldaps://dc1", TLSVerificationDisabled: true}, {Name: "safe", Source: "ldaps://dc2"}}
			},
			[][]*scanner.Object{users("u", 1)},
			want{CodeTLSVerificationDisabled, SeverityWarning, "", []string{"corp"}, []string{"corp (ldaps://dc1)"}, []string{"ca_file"}},
			nil},
		{"R1 no server needs CALs",
			nil,
			[][]*scanner.Object{users("u", 3), objs(dc("DC1", "Samba 4.17.12"))},
			want{CodeNoCALServers, SeverityInfo, "R1", []string{}, []string{"no CALs are required"}, nil},
			[]string{CodeCALShortfall}},
		{"R9 Hyper-V hosts are judged by their guests",
			nil,
			[][]*scanner.Object{objs(server("HV2", "Hyper-V Server 2019"), server("HV1", "Microsoft Hyper-V Server 2012 R2"))},
			want{CodeHyperVHost, SeverityInfo, "R9", []string{"HV1", "HV2"}, []string{"2 Hyper-V hosts"}, nil},
			nil},
		{"R3 mixed model without usage evidence falls back to mixed_default",
			func(p *Policy) { p.Model, p.MixedDefault = ModelMixed, ModelDevice },
			[][]*scanner.Object{users("u", 1)},
			want{CodeMixedModelNoUsage, SeverityWarning, "R3", []string{"device"}, []string{"usage_csv is not set", "mixed_default (device CALs)"}, []string{"usage_csv"}},
			[]string{CodeMixedModelResult}},
		{"R5 admin_exempt over the limit",
			func(p *Policy) { p.AdminExempt = []string{"a1", "a2", "a3"} },
			[][]*scanner.Object{objs(user("a1"), user("a2"), user("a3"))},
			want{CodeAdminExemptOverLimit, SeverityWarning, "R5", []string{"a3"}, []string{"lists 3 names matching 3 users", "at most 2", "only a1 and a2 are exempt"}, nil},
			nil},
		{"R1 an include group that does not exist is reported",
			func(p *Policy) { p.IncludeGroups = []string{"CN=Typo,DC=corp"} },
			[][]*scanner.Object{users("u", 2)},
			want{CodeIncludeGroupNotFound, SeverityWarning, "R1", []string{"CN=Typo,DC=corp"}, []string{"1 include_groups entry matches no group"}, nil},
			nil},
		{"R1 an invalid exclude pattern is reported",
			func(p *Policy) { p.ExcludeAccounts = []string{"svc-["} },
			[][]*scanner.Object{users("u", 2)},
			want{CodeExcludePatternInvalid, SeverityWarning, "R1", []string{"svc-["}, []string{"1 exclude_accounts pattern is not valid"}, nil},
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			if tc.policy != nil {
				tc.policy(&p)
			}
			r := evaluate(t, p, tc.objects...)
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
			for _, part := range tc.want.action {
				if !strings.Contains(f.Action, part) {
					t.Errorf("action %q lacks %q", f.Action, part)
				}
			}
			if f.Message == "" || f.Action == "" {
				t.Errorf("finding without message or action: %+v", f)
			}
			for _, code := range tc.absent {
				if _, ok := findFinding(r, code); ok {
					t.Errorf("unexpected %s", code)
				}
			}
		})
	}
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + pad(i+1)
	}
	return out
}

func TestFindingsOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		policy  func(*Policy)
		objects []*scanner.Object
		want    []string
	}{
		{"R8 violations, then warnings, then info, then by code",
			func(p *Policy) {
				p.AdminExempt = []string{"nobody"}
				p.Directories = []DirectoryInfo{{Name: "corp", TLSVerificationDisabled: true}}
			},
			append(users("u", 30, lastLogon(daysAgo(1))), user("old", disabled), server("ESS1", "Windows Server 2019 Essentials"),
				server("FS01", "Windows Server 2022 Standard"), server("HV1", "Hyper-V Server 2019"), computer("X", "", "")),
			[]string{CodeCALShortfall, CodeEssentialsLimitExceeded, CodeAdminExemptNotFound, CodeTLSVerificationDisabled,
				CodeUnknownOperatingSystem, CodeCoreLicensesNotChecked, CodeHyperVHost, CodeReclaimableAccounts}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			tc.policy(&p)
			r := evaluate(t, p, tc.objects)
			if got := findingCodes(r); !slices.Equal(got, tc.want) {
				t.Errorf("codes = %v\nwant %v", got, tc.want)
			}
			if r.Compliant {
				t.Errorf("compliant with violations")
			}
		})
	}
}

func TestFormatCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   int
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {1736, "1,736"},
		{100000, "100,000"}, {1234567, "1,234,567"}, {-1200, "-1,200"}, {-12, "-12"}, {-1234567, "-1,234,567"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			if got := FormatCount(tc.in); got != tc.want {
				t.Errorf("FormatCount(%d) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestListNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		names []string
		want  string
	}{
		{"V4 one", []string{"A"}, "A"},
		{"V4 two", []string{"A", "B"}, "A and B"},
		{"V4 three", []string{"A", "B", "C"}, "A, B and C"},
		{"V4 more than three", []string{"A", "B", "C", "D", "E"}, "A, B, C and 2 more"},
		{"V4 thousands more", names("S", 1003), "S0001, S0002, S0003 and 1,000 more"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := listNames(tc.names, 3); got != tc.want {
				t.Errorf("listNames(%v) = %q, want %q", tc.names, got, tc.want)
			}
		})
	}
}
