package rules

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/calscan/calscan/scanner"
)

// office: a shared kiosk, a roaming user with two PCs, a pair of one user on
// one PC, and a user and a device with no evidence.
var office = objs(user("ann"), user("bob"), user("cat"), user("dan"), user("eve"), user("fay"),
	computer("KIOSK", "Windows 11 Pro", ""), computer("PC1", "Windows 11 Pro", ""), computer("PC2", "Windows 11 Pro", ""),
	computer("PC3", "Windows 11 Pro", ""), computer("PC4", "Windows 11 Pro", ""),
	dc("DC1", "Windows Server 2022 Standard"))

const officeUsage = "user,device\nann,KIOSK\nbob,KIOSK\ncat,KIOSK\ndan,PC1\ndan,PC2\neve,PC3\n"

func mixedPolicy(t *testing.T, usage string, def Model) Policy {
	p := userPolicy()
	p.Model, p.MixedDefault = ModelMixed, def
	if usage != "" {
		p.Usage, p.UsageCSV = usageOf(t, usage), "usage.csv"
	}
	return p
}

func TestMixedModel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		usage   string
		def     Model
		objects []*scanner.Object
		want    map[string]CALType // account -> CAL type ("" none)
		wantMix Mix
	}{
		{"§5 the cheapest mix: a Device CAL for the kiosk, a User CAL for the roaming user",
			officeUsage, ModelUser, office,
			map[string]CALType{"KIOSK": CALDevice, "ann": "", "bob": "", "cat": "", "dan": CALUser, "PC1": "", "PC2": "",
				"eve": CALUser, "PC3": "", "fay": CALUser, "PC4": ""},
			Mix{UsageCSV: "usage.csv", Default: ModelUser, Pairs: 6, UsersWithEvidence: 5, DevicesWithEvidence: 4,
				UserCALs: 3, DeviceCALs: 1, Total: 4, AllUser: 6, AllDevice: 5, Saving: 1}},
		{"R3 without evidence, mixed_default device gives Device CALs",
			officeUsage, ModelDevice, office,
			map[string]CALType{"KIOSK": CALDevice, "dan": CALUser, "eve": CALUser, "fay": "", "PC4": CALDevice},
			Mix{UsageCSV: "usage.csv", Default: ModelDevice, Pairs: 6, UsersWithEvidence: 5, DevicesWithEvidence: 4,
				UserCALs: 2, DeviceCALs: 2, Total: 4, AllUser: 6, AllDevice: 5, Saving: 1}},
		{"R3 no evidence at all: everyone under mixed_default",
			"", ModelUser, office,
			map[string]CALType{"ann": CALUser, "fay": CALUser, "KIOSK": ""},
			Mix{Default: ModelUser, UserCALs: 6, Total: 6, AllUser: 6, AllDevice: 5, Saving: -1}},
		{"§5 pairs with excluded, unknown or server accounts are ignored",
			"ann,KIOSK\nbob,KIOSK\ngone,KIOSK\nann,DC1\nann,NOPE\nghost,KIOSK\n", ModelUser,
			append(slices.Clone(office), user("gone", disabled)),
			map[string]CALType{"KIOSK": CALDevice, "ann": "", "bob": "", "gone": "", "cat": CALUser},
			Mix{UsageCSV: "usage.csv", Default: ModelUser, Pairs: 2, PairsIgnored: 4, UsersWithEvidence: 2, DevicesWithEvidence: 1,
				UserCALs: 4, DeviceCALs: 1, Total: 5, AllUser: 6, AllDevice: 5, Saving: 0}},
		{"§5 users match by UPN and DOMAIN\\name, devices by DNS name",
			"ann@corp.example.com,kiosk.corp.example.com\nCORP\\bob,KIOSK$\ncorp\\cat,kiosk\n", ModelUser,
			objs(user("ann", func(o *scanner.Object) { o.UserPrincipalName = "Ann@corp.example.com" }), user("bob"), user("cat"),
				computer("KIOSK", "Windows 11 Pro", ""), dc("DC1", "Windows Server 2022 Standard")),
			map[string]CALType{"KIOSK": CALDevice, "ann": "", "bob": "", "cat": ""},
			Mix{UsageCSV: "usage.csv", Default: ModelUser, Pairs: 3, UsersWithEvidence: 3, DevicesWithEvidence: 1,
				DeviceCALs: 1, Total: 1, AllUser: 3, AllDevice: 1, Saving: 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := evaluate(t, mixedPolicy(t, tc.usage, tc.def), tc.objects)
			for name, want := range tc.want {
				if a := findAccount(t, slices.Concat(r.Users.List(), r.Devices.List()), name); a.CALType != want {
					t.Errorf("%s: CAL %q, want %q", name, a.CALType, want)
				}
			}
			if r.Mix == nil || !reflect.DeepEqual(*r.Mix, tc.wantMix) {
				t.Errorf("mix = %+v\nwant  %+v", r.Mix, tc.wantMix)
			}
			required := 0
			for _, l := range r.CALs {
				if l.Type == CALUser || l.Type == CALDevice {
					required += l.Required
				}
			}
			if required != tc.wantMix.Total {
				t.Errorf("CAL lines require %d, the mix %d", required, tc.wantMix.Total)
			}
		})
	}
}

func TestMixedVersions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		usage string
		want  map[string]string // account -> CAL version
	}{
		{"V1 a Device CAL covers the newest server its uncovered users use",
			"ann,KIOSK\nbob,KIOSK\ncat,KIOSK\n",
			map[string]string{"KIOSK": "2025"}},
		{"V1 a Device CAL of users who only use the DC needs the DC's version",
			"bob,KIOSK\ncat,KIOSK\n",
			map[string]string{"KIOSK": "2019"}},
		{"V1 a User CAL covers the servers its user uses",
			"ann,PC1\nann,PC2\n",
			map[string]string{"ann": "2025", "bob": "2019"}},
	}
	objects := objs(user("ann", memberOf(gApp)), user("bob"), user("cat"), group(gApp, ""),
		computer("KIOSK", "Windows 11 Pro", ""), computer("PC1", "Windows 11 Pro", ""), computer("PC2", "Windows 11 Pro", ""),
		dc("DC1", "Windows Server 2019 Standard"), server("APP01", "Windows Server 2025 Standard"))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := mixedPolicy(t, tc.usage, ModelUser)
			p.Servers = []ServerConfig{{Name: "APP01", AccessGroup: gApp}}
			r := evaluate(t, p, objects)
			for name, want := range tc.want {
				if a := findAccount(t, slices.Concat(r.Users.List(), r.Devices.List()), name); a.CALVersion != want {
					t.Errorf("%s: CAL %q %q, want version %q", name, a.CALType, a.CALVersion, want)
				}
			}
		})
	}
}

func TestDeviceModelUsesEvidence(t *testing.T) {
	t.Parallel()
	objects := objs(user("ann", memberOf(gApp)), user("bob"), group(gApp, ""),
		computer("PC1", "Windows 11 Pro", ""), computer("PC2", "Windows 11 Pro", ""), computer("PC3", "Windows 11 Pro", ""),
		dc("DC1", "Windows Server 2019 Standard"), server("APP01", "Windows Server 2025 Standard"))
	tests := []struct {
		name  string
		usage string
		want  map[string]string // device -> CAL version
	}{
		{"V4 without evidence every device uses every server", "", map[string]string{"PC1": "2025", "PC2": "2025", "PC3": "2025"}},
		{"V4 with evidence a device needs its users' versions", "ann,PC1\nbob,PC2\n", map[string]string{"PC1": "2025", "PC2": "2019", "PC3": "2025"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Model = ModelDevice
			p.Servers = []ServerConfig{{Name: "APP01", AccessGroup: gApp}}
			if tc.usage != "" {
				p.Usage = usageOf(t, tc.usage)
			}
			r := evaluate(t, p, objects)
			for name, want := range tc.want {
				if a := findAccount(t, r.Devices.List(), name); a.CALType != CALDevice || a.CALVersion != want {
					t.Errorf("%s: CAL %q %q, want device %q", name, a.CALType, a.CALVersion, want)
				}
			}
		})
	}
}

func TestMixedFindings(t *testing.T) {
	t.Parallel()
	more := append(slices.Clone(office), user("gone", disabled), user("twin"), user("twin", inDomain("branch")))
	tests := []struct {
		name     string
		usage    string
		objects  []*scanner.Object
		code     string
		severity Severity
		subjects []string
		message  []string
	}{
		{"R3 no usage evidence warns", "", office, CodeMixedModelNoUsage, SeverityWarning, []string{"user"},
			[]string{"usage_csv is not set", "mixed_default (user CALs)"}},
		{"R3 evidence naming no counted pair warns", "gone,KIOSK\n", more, CodeMixedModelNoUsage, SeverityWarning, []string{"user"},
			[]string{"usage.csv holds no user,device pair between counted accounts"}},
		{"§5 the result compares the mix with one type for all", officeUsage, office, CodeMixedModelResult, SeverityInfo, []string{},
			[]string{"3 User CALs and 1 Device CAL, 4 in all", "6 if every user had a User CAL and 5 if every device", "1 fewer than the cheaper",
				"6 user,device pairs", "1 user and 1 device without usage evidence"}},
		{"§5 the result says when one type for all is cheaper", officeUsage, more, CodeMixedModelResult, SeverityInfo, []string{},
			[]string{"5 User CALs and 1 Device CAL, 6 in all", "1 more than licensing everyone per device"}},
		{"§5 unknown and ambiguous names are listed", "ann,KIOSK\nzed,KIOSK\nann,PC9\ntwin,KIOSK\n", more, CodeUsageNamesUnknown, SeverityWarning,
			[]string{"pc9", "twin", "zed"}, []string{"2 user names and 1 device name in usage.csv match no account, or more than one"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := evaluate(t, mixedPolicy(t, tc.usage, ModelUser), tc.objects)
			f, ok := findFinding(r, tc.code)
			if !ok {
				t.Fatalf("no %s in %v", tc.code, findingCodes(r))
			}
			if f.Severity != tc.severity || !slices.Equal(f.Subjects, tc.subjects) {
				t.Errorf("finding %s %v, want %s %v", f.Severity, f.Subjects, tc.severity, tc.subjects)
			}
			for _, part := range tc.message {
				if !strings.Contains(f.Message, part) {
					t.Errorf("message %q lacks %q", f.Message, part)
				}
			}
		})
	}
}

func TestMixedIgnoresEvidenceOrder(t *testing.T) {
	t.Parallel()
	lines := strings.Split(strings.TrimSpace(officeUsage), "\n")[1:]
	reversed := slices.Clone(lines)
	slices.Reverse(reversed)
	tests := []struct {
		name  string
		usage string
	}{
		{"§5 reversed rows", strings.Join(reversed, "\n")},
		{"§5 rows with a header and other spellings", "UserName,ComputerName\n" + strings.ToUpper(strings.Join(lines, "\n"))},
	}
	want := evaluate(t, mixedPolicy(t, officeUsage, ModelUser), office)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := evaluate(t, mixedPolicy(t, tc.usage, ModelUser), office)
			if !sameResult(t, got, want) {
				t.Errorf("the mix depends on the order of the evidence:\n%+v\n%+v", got.Mix, want.Mix)
			}
		})
	}
}

func TestUsageEvidenceByModel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		model       Model
		wantUnknown bool
		wantMix     bool
	}{
		{"R2 the user model does not use usage evidence", ModelUser, false, false},
		{"V4 the device model reads it for versions", ModelDevice, true, false},
		{"R3 the mixed model reads it for the mix", ModelMixed, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Model, p.Usage = tc.model, usageOf(t, "ann,KIOSK\nzed,KIOSK\n")
			r := evaluate(t, p, office)
			if _, ok := findFinding(r, CodeUsageNamesUnknown); ok != tc.wantUnknown {
				t.Errorf("%s raised: %v, want %v", CodeUsageNamesUnknown, ok, tc.wantUnknown)
			}
			if (r.Mix != nil) != tc.wantMix {
				t.Errorf("mix = %+v, want one: %v", r.Mix, tc.wantMix)
			}
		})
	}
}
