package rules

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/calscan/calscan/scanner"
)

func TestEvaluateIsDeterministic(t *testing.T) {
	t.Parallel()
	base := append(users("u", 20), user("adm1"), user("adm2"), user("adm3"), user("gone", disabled),
		user("x", inDomain("branch")), server("FS01", "Windows Server 2022 Standard"), dc("DC1", "Windows Server 2019 Datacenter"),
		computer("PC2", "Windows 11 Pro", ""), computer("PC1", "", ""), computer("PC3", "Windows 10 Pro", "", inDomain("branch")),
		group(gStaff, testDomainSID+"-513"))
	reversed := slices.Clone(base)
	slices.Reverse(reversed)
	rotated := append(slices.Clone(base[7:]), base[:7]...)
	tests := []struct {
		name  string
		order []*scanner.Object
	}{
		{"R1 reversed input", reversed},
		{"R1 rotated input", rotated},
	}
	p := userPolicy()
	p.AdminExempt = []string{"adm3", "adm1", "adm2"}
	p.CALs = []OwnedCAL{{Type: CALUser, Version: "2019", Quantity: 10}}
	want := evaluate(t, p, base)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := evaluate(t, p, tc.order)
			if !sameResult(t, got, want) {
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(want)
				t.Errorf("result depends on input order:\n%s\n%s", gj, wj)
			}
		})
	}
}

// Everything calscan decides — duplicates, scoped access, RDS, external
// users, the cheapest mix, core licences — is independent of scan order.
func TestEvaluateIsDeterministicWithEverything(t *testing.T) {
	t.Parallel()
	base := append(users("u", 12, memberOf(gApp)), user("ann", withSID("1105")), gcCopy(user("ann", withSID("1105"))),
		user("ext", withDN("CN=ext,"+partnersOU)), user("rd", rdsIssued("393216", daysAgo(-9), "LS1")), user("gone", disabled),
		group(gApp, testDomainSID+"-1200"), computer("KIOSK", "Windows 11 Pro", ""), computer("PC1", "Windows 11 Pro", ""),
		gcCopy(computer("PC1", "Windows 11 Pro", "")), computer("PC2", "Windows 10 Pro", "", inDomain("branch")),
		dc("DC1", "Windows Server 2019 Datacenter"), server("APP01", "Windows Server 2025 Standard"), server("RDS01", "Windows Server 2022 Standard"),
		server("HV01", "Windows Server 2022 Datacenter"))
	p := userPolicy()
	p.Model, p.MixedDefault = ModelMixed, ModelDevice
	p.UsageCSV, p.Usage = "usage.csv", usageOf(t, "u0001,KIOSK\nu0002,KIOSK\nann,PC1\nann,PC2\next,PC1\nnobody,PC1\n")
	p.Directories = []DirectoryInfo{{Name: "corp"}, {Name: "gc"}, {Name: "branch"}}
	p.ExternalOUs = []string{partnersOU}
	p.Servers = []ServerConfig{{Name: "APP01", AccessGroup: gApp}, {Name: "RDS01", RDS: true}, {Name: "HV01", Cores: 32, Processors: 2}}
	p.CALs = []OwnedCAL{{Type: CALUser, Version: "2019", Quantity: 3}, {Type: CALDevice, Version: "2025", Quantity: 1}, {Type: CALRDSUser, Version: "2022", Quantity: 5}}
	p.CoreLicenses = []OwnedCoreLicense{{EditionDatacenter, "2022", 16}}
	shuffled := slices.Clone(base)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	reversed := slices.Clone(base)
	slices.Reverse(reversed)
	tests := []struct {
		name  string
		order []*scanner.Object
	}{
		{"§5 reversed input", reversed},
		{"§5 shuffled input", shuffled},
	}
	want, _ := json.Marshal(evaluate(t, p, base))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got, _ := json.Marshal(evaluate(t, p, tc.order)); string(got) != string(want) {
				t.Errorf("result depends on input order:\n%s\n%s", got, want)
			}
		})
	}
}

func TestAccountsAndOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		model       Model
		objects     []*scanner.Object
		wantUsers   []string // domain/name in order
		wantDevices []string
		wantServers []string
		wantCAL     map[string]CALType // account -> CALType ("" for none)
	}{
		{"R2 user model: counted users get a 2022 User CAL, devices none",
			ModelUser,
			objs(user("bob"), user("Ann"), user("zed", inDomain("a")), user("old", disabled),
				computer("PC1", "Windows 11 Pro", ""), server("fs01", "Windows Server 2022 Standard"), server("APP", "Windows Server 2019 Standard")),
			[]string{"a/zed", "corp/Ann", "corp/bob", "corp/old"}, []string{"corp/PC1"}, []string{"APP", "fs01"},
			map[string]CALType{"Ann": CALUser, "bob": CALUser, "old": "", "PC1": ""}},
		{"R2 device model: counted devices get a Device CAL, users none",
			ModelDevice,
			objs(user("bob"), computer("PC2", "Windows 11 Pro", ""), computer("pc1", "Windows 11 Pro", ""),
				computer("PC3", "Windows 11 Pro", "", disabled), server("FS01", "Windows Server 2022 Standard")),
			[]string{"corp/bob"}, []string{"corp/pc1", "corp/PC2", "corp/PC3"}, []string{"FS01"},
			map[string]CALType{"bob": "", "pc1": CALDevice, "PC2": CALDevice, "PC3": ""}},
		{"R1 no CAL server: nobody gets a CAL type",
			ModelUser,
			objs(user("bob"), dc("DC1", "Samba")),
			[]string{"corp/bob"}, nil, []string{"DC1"},
			map[string]CALType{"bob": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Model = tc.model
			r := evaluate(t, p, tc.objects)
			if got := accountKeys(r.Users.List()); !slices.Equal(got, tc.wantUsers) {
				t.Errorf("users = %v, want %v", got, tc.wantUsers)
			}
			if got := accountKeys(r.Devices.List()); !slices.Equal(got, tc.wantDevices) {
				t.Errorf("devices = %v, want %v", got, tc.wantDevices)
			}
			var servers []string
			for _, s := range r.Servers {
				servers = append(servers, s.Name)
			}
			if !slices.Equal(servers, tc.wantServers) {
				t.Errorf("servers = %v, want %v", servers, tc.wantServers)
			}
			for name, want := range tc.wantCAL {
				a := findAccount(t, slices.Concat(r.Users.List(), r.Devices.List()), name)
				wantVersion := ""
				if want != "" {
					wantVersion = r.CALs[0].MinVersion
				}
				if a.CALType != want || a.CALVersion != wantVersion {
					t.Errorf("%s: CAL %q %q, want %q %q", name, a.CALType, a.CALVersion, want, wantVersion)
				}
			}
		})
	}
}

func accountKeys(accounts []Account) []string {
	var out []string
	for _, a := range accounts {
		out = append(out, a.Domain+"/"+a.Name)
	}
	return out
}

func TestDirectories(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		dirs []DirectoryInfo
		want []DirectoryCounts
	}{
		{"R1 directories in policy order, unlisted domains appended",
			[]DirectoryInfo{{Name: "zeta", Source: "ldaps://z"}, {Name: "corp", Source: "ldaps://c", TLSVerificationDisabled: true}, {Name: "empty"}},
			[]DirectoryCounts{
				{Name: "zeta", Source: "ldaps://z", UsersSeen: 1, UsersCounted: 1},
				{Name: "corp", Source: "ldaps://c", UsersSeen: 2, UsersCounted: 1, DevicesSeen: 1, DevicesCounted: 1, ServersSeen: 1, TLSVerificationDisabled: true},
				{Name: "empty"},
				{Name: "alpha", UsersSeen: 1, UsersCounted: 1},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.Directories = tc.dirs
			r := evaluate(t, p, objs(user("a"), user("b", disabled), user("c", inDomain("zeta")), user("d", inDomain("alpha")),
				computer("PC1", "Windows 11 Pro", ""), server("FS01", "Windows Server 2022 Standard")))
			if !reflect.DeepEqual(r.Directories, tc.want) {
				t.Errorf("directories = %+v\nwant %+v", r.Directories, tc.want)
			}
		})
	}
}

func TestCompliant(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cals []OwnedCAL
		want bool
	}{
		{"R1 enough CALs is compliant", []OwnedCAL{{Type: CALUser, Version: "2022", Quantity: 2}}, true},
		{"V5 a CAL Suite with SA is compliant", []OwnedCAL{{Type: CALUser, Version: "sa", Quantity: 2}}, true},
		{"R1 one CAL short is not compliant", []OwnedCAL{{Type: CALUser, Version: "2022", Quantity: 1}}, false},
		{"R2 device CALs do not cover the user model", []OwnedCAL{{Type: CALDevice, Version: "2022", Quantity: 5}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := userPolicy()
			p.CALs = tc.cals
			r := evaluate(t, p, objs(user("a"), user("b"), server("FS01", "Windows Server 2022 Standard"), computer("PC1", "Windows 11 Pro", "")))
			if r.Compliant != tc.want {
				t.Errorf("compliant = %v, want %v; findings %v", r.Compliant, tc.want, findingCodes(r))
			}
		})
	}
}

func TestEvaluateEmpty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		inv  *Inventory
	}{
		{"R1 nil inventory", nil},
		{"R1 empty inventory", NewInventory()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Evaluate(Policy{}, tc.inv, testNow)
			if r.Model != ModelUser || !r.Compliant || r.Servers == nil || r.CALs == nil {
				t.Errorf("result = %+v", r)
			}
			for _, list := range []Accounts{r.Users, r.Devices} {
				if b, err := json.Marshal(list); err != nil || string(b) != "[]" || list.Len() != 0 {
					t.Errorf("empty list = %s (%v), Len %d; want [], 0", b, err, list.Len())
				}
			}
			if _, ok := findFinding(r, CodeNoCALServers); !ok {
				t.Errorf("no %s in %v", CodeNoCALServers, findingCodes(r))
			}
		})
	}
}

func BenchmarkEvaluate(b *testing.B) {
	var objects []*scanner.Object
	for i := range 100_000 {
		objects = append(objects, user(fmt.Sprintf("u%d", i), withSID(fmt.Sprint(2000+i)), memberOf(gSales)))
	}
	objects = append(objects, clients("pc", 20_000)...)
	objects = append(objects, group(gSales, "", gStaff), group(gStaff, ""), server("FS01", "Windows Server 2022 Standard"))
	p := userPolicy()
	p.IncludeGroups = []string{gStaff}
	p.ExcludeAccounts = []string{"svc-*", "*-test", "adm?n"}
	p.ExcludeOUs = []string{"OU=Leavers,DC=corp,DC=example,DC=com"}
	inv := inventory(objects)
	b.ResetTimer()
	for b.Loop() {
		Evaluate(p, inv, testNow)
	}
}
