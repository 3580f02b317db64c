package rules

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/calscan/calscan/scanner"
)

// millionInventory is a directory of 1,000,000 users and 100,000 client
// devices in two domains, read once more through a Global Catalog for 10%
// of the users, with nested groups, scoped servers, an RD Session Host,
// external users and per-user RDS CAL issuances on 5% of the users.
func millionInventory() (*Inventory, Policy) {
	const nUsers, nDevices = 1_000_000, 100_000
	gStaffDN, gAppDN, gExtDN := "CN=Staff,OU=Groups,DC=corp,DC=example,DC=com", "CN=App,OU=Groups,DC=corp,DC=example,DC=com", "CN=Ext,OU=Groups,DC=corp,DC=example,DC=com"
	inv := NewInventory()
	var o scanner.Object
	for _, g := range []struct{ dn, rid, parent string }{{gStaffDN, "1200", ""}, {gAppDN, "1201", gStaffDN}, {gExtDN, "1202", ""}} {
		o = scanner.Object{Kind: scanner.KindGroup, Domain: "corp", DN: g.dn, SID: testDomainSID + "-" + g.rid}
		if g.parent != "" {
			o.MemberOf = []string{g.parent}
		}
		inv.Add(&o)
	}
	var b strings.Builder
	for i := range nUsers {
		domain, dc := "corp", "corp"
		if i%4 == 3 {
			domain, dc = "branch", "branch"
		}
		name := "user" + strconv.Itoa(i)
		b.Reset()
		o = scanner.Object{Kind: scanner.KindUser, Domain: domain, DN: "CN=" + name + ",OU=Staff,DC=" + dc + ",DC=example,DC=com",
			SID: testDomainSID + "-" + strconv.Itoa(10_000+i), SAMAccountName: name, UserPrincipalName: name + "@example.com",
			DisplayName: "User " + strconv.Itoa(i), UserAccountControl: scanner.UACNormalAccount, PrimaryGroupID: 513,
			LastLogon: daysAgo(i % 120), WhenCreated: daysAgo(400)}
		switch i % 10 {
		case 0:
			o.MemberOf = []string{gAppDN}
		case 1:
			o.MemberOf = []string{gExtDN}
		case 2:
			o.UserAccountControl |= scanner.UACAccountDisable
		}
		if i%20 == 5 {
			o.TSLicenseVersion, o.TSExpireDate, o.TSManagingLS = "393216", daysAgo(-30), "LS1"
		}
		inv.Add(&o)
		if i%10 == 4 {
			o.Domain = "gc"
			inv.Add(&o)
		}
	}
	for i := range nDevices {
		name := "PC" + strconv.Itoa(i)
		o = scanner.Object{Kind: scanner.KindComputer, Domain: "corp", DN: "CN=" + name + ",OU=Computers,DC=corp,DC=example,DC=com",
			SID: testDomainSID + "-" + strconv.Itoa(5_000_000+i), SAMAccountName: name + "$", DNSHostName: strings.ToLower(name) + ".corp.example.com",
			UserAccountControl: scanner.UACWorkstationTrust, OperatingSystem: "Windows 11 Enterprise", OperatingSystemVersion: "10.0 (22631)",
			LastLogon: daysAgo(i % 100), WhenCreated: daysAgo(400)}
		inv.Add(&o)
	}
	for _, s := range []*scanner.Object{dc("DC1", "Windows Server 2022 Datacenter"), server("APP01", "Windows Server 2025 Standard"),
		server("RDS01", "Windows Server 2022 Standard"), server("FS01", "Windows Server 2019 Standard")} {
		inv.Add(s)
	}
	p := userPolicy()
	p.Directories = []DirectoryInfo{{Name: "corp"}, {Name: "branch"}, {Name: "gc"}}
	p.ExcludeAccounts = []string{"svc-*"}
	p.ExternalGroups = []string{gExtDN}
	p.Servers = []ServerConfig{{Name: "APP01", AccessGroup: gAppDN}, {Name: "RDS01", RDS: true, AccessGroup: gStaffDN},
		{Name: "FS01", ExternalConnector: true, Cores: 32, Processors: 2, VMs: 3}}
	p.CALs = []OwnedCAL{{Type: CALUser, Version: "2022", Quantity: 700_000}, {Type: CALRDSUser, Version: "2022", Quantity: 50_000}}
	p.CoreLicenses = []OwnedCoreLicense{{EditionStandard, "2022", 32}}
	return inv, p
}

// BenchmarkEvaluateMillion reports time and allocations per Evaluate of a
// million users, and the heap the inventory and its Result hold.
func BenchmarkEvaluateMillion(b *testing.B) {
	inv, p := millionInventory()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var r *Result
	b.ResetTimer()
	for b.Loop() {
		r = Evaluate(p, inv, testNow)
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(before.HeapAlloc)/(1<<20), "MB-inventory")
	b.ReportMetric(float64(after.HeapAlloc)/(1<<20), "MB-inventory+result")
	if r.Counts.UsersSeen != 1_000_000 || r.Counts.Duplicates != 100_000 {
		b.Fatalf("users seen %d, duplicates %d", r.Counts.UsersSeen, r.Counts.Duplicates)
	}
	runtime.KeepAlive(inv)
}

func BenchmarkMinVertexCover(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("%d users and devices", n), func(b *testing.B) {
			var edges [][2]int32
			for u := range n {
				for k := range 3 {
					edges = append(edges, [2]int32{int32(u), int32((u*7 + k*13) % n)})
				}
			}
			g := graphOf(n, n, edges)
			b.ResetTimer()
			for b.Loop() {
				g.minVertexCover()
			}
		})
	}
}
