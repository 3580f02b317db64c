package report

import (
	"github.com/calscan/calscan/rules"
)

// depthResult is a company licensed in the mixed model that shows every
// licensing detail beyond the CAL counts: the servers that set the CAL
// version (V4), per-user RDS CALs issued (D4), server core licences (C1–C3),
// the cheapest mix (§5), external users (R4) and accounts read twice.
func depthResult() *rules.Result {
	rdsNeed := &rules.AccountRDS{CALType: rules.CALRDSUser, CALVersion: "2019"} // shared, as the rules share it
	return &rules.Result{
		Compliant: false,
		Model:     rules.ModelMixed,
		Counts: rules.Counts{
			UsersSeen: 1814, UsersCounted: 1750, DevicesSeen: 1900, DevicesCounted: 1900, ServersSeen: 5,
			Excluded: rules.Excluded{Disabled: 60, Stale: 4},
			External: 12, ExternalCovered: 5, Duplicates: 3,
		},
		CALs: []rules.CALLine{
			{Type: rules.CALUser, Required: 1696, MinVersion: "2022", Owned: 1600, Shortfall: 1296, Surplus: 1200,
				ByVersion: []rules.VersionLine{{Version: "2019", Owned: 1200}, {Version: "2022", Required: 1696, Owned: 400}},
				RaisedBy:  []string{"APP01 (Windows Server 2022)", "DC01 (Windows Server 2022)"}},
			{Type: rules.CALDevice, Required: 40, MinVersion: "2022", Owned: 50, Surplus: 10,
				ByVersion: []rules.VersionLine{{Version: "2022", Required: 40, Owned: 50}},
				RaisedBy:  []string{"APP01 (Windows Server 2022)"}},
			{Type: rules.CALRDSUser, Required: 177, MinVersion: "2019", Owned: 100, Shortfall: 77,
				ByVersion: []rules.VersionLine{{Version: "2019", Required: 177, Owned: 100}},
				RaisedBy:  []string{"RDS01 (Windows Server 2019)"}, Issued: 180, IssuedExpired: 9},
		},
		CoreLicenses: []rules.CoreLicenseLine{
			{Edition: rules.EditionStandard, Unit: rules.UnitCore, Required: 80, MinVersion: "2022", Owned: 48, Shortfall: 32,
				ByVersion: []rules.VersionLine{{Version: "2019", Required: 16, Owned: 16}, {Version: "2022", Required: 64, Owned: 32}},
				Servers:   []string{"HV01", "RDS01"}},
			{Edition: rules.EditionDatacenter, Unit: rules.UnitProcessor, Required: 2, MinVersion: "2012", Owned: 3, Surplus: 1,
				ByVersion: []rules.VersionLine{{Version: "2012", Required: 2, Owned: 3}},
				Servers:   []string{"OLD12"}},
		},
		Mix: &rules.Mix{UsageCSV: "usage.csv", Default: rules.ModelUser, Pairs: 2400, PairsIgnored: 7,
			UsersWithEvidence: 1500, DevicesWithEvidence: 480, UserCALs: 1696, DeviceCALs: 40, Total: 1736,
			AllUser: 1750, AllDevice: 1900, Saving: 14},
		Servers: []rules.Server{
			{Name: "APP01", Domain: "corp", DNSName: "app01.corp.example.com", OperatingSystem: "Windows Server 2022 Datacenter",
				Edition: rules.EditionDatacenter, Version: "2022", CALVersion: "2022", NeedsCALs: true, Source: "directory",
				ExternalConnector: true},
			{Name: "DC01", Domain: "corp", DNSName: "dc01.corp.example.com", OperatingSystem: "Windows Server 2022 Standard",
				Edition: rules.EditionStandard, Version: "2022", CALVersion: "2022", DomainController: true, NeedsCALs: true, Source: "directory"},
			{Name: "RDS01", Domain: "corp", DNSName: "rds01.corp.example.com", OperatingSystem: "Windows Server 2019 Standard",
				Edition: rules.EditionStandard, Version: "2019", CALVersion: "2019", NeedsCALs: true, Source: "directory+config",
				RDS: true, RDSLicensing: rules.CALRDSUser, AccessGroup: `CN=RDS Users\, Berlin,OU=Groups,DC=corp,DC=example,DC=com`,
				Cores: 12, Processors: 1, CoreLicensesRequired: 16, CoreLicenseUnit: rules.UnitCore, CoreLicenseSets: 1},
			{Name: "HV01", Domain: "corp", DNSName: "hv01.corp.example.com", OperatingSystem: "Windows Server 2022 Standard",
				Edition: rules.EditionStandard, Version: "2022", CALVersion: "2022", NeedsCALs: true, Source: "config",
				Cores: 32, Processors: 2, VMs: 4, CoreLicensesRequired: 64, CoreLicenseUnit: rules.UnitCore, CoreLicenseSets: 2},
			{Name: "OLD12", Domain: "corp", DNSName: "old12.corp.example.com", OperatingSystem: "Windows Server 2012 R2 Datacenter",
				Edition: rules.EditionDatacenter, Version: "2012 R2", CALVersion: "2012", NeedsCALs: true, Source: "directory+config",
				Processors: 4, CoreLicensesRequired: 2, CoreLicenseUnit: rules.UnitProcessor, CoreLicenseSets: 1},
		},
		Findings: []rules.Finding{
			{Code: "CAL_SHORTFALL", Severity: rules.SeverityViolation, Rule: "R1",
				Message: "1,696 users need a Windows Server 2022 User CAL.", Action: "Buy 1,296 Windows Server 2022 User CALs.",
				Subjects: []string{"APP01", "DC01"}},
		},
		Directories: []rules.DirectoryCounts{
			{Name: "corp", Source: "ldaps://dc01.corp.example.com", UsersSeen: 1814, UsersCounted: 1750,
				DevicesSeen: 1900, DevicesCounted: 1900, ServersSeen: 5},
		},
		Users: rules.NewAccounts([]rules.Account{
			{Domain: "corp", Name: "achen", DisplayName: "Aisha Chen", DN: "CN=Aisha Chen,OU=Staff,DC=corp,DC=example,DC=com",
				Counted: true, CALType: rules.CALUser, CALVersion: "2022",
				RDS: &rules.AccountRDS{CALType: rules.CALRDSUser, CALVersion: "2019", IssuedVersion: "393216",
					IssuedExpires: day(2027, 1, 26), LicenseServer: "LS01"}},
			{Domain: "corp", Name: "bkim", DisplayName: "Bo Kim", DN: "CN=Bo Kim,OU=Staff,DC=corp,DC=example,DC=com",
				Counted: true, RDS: rdsNeed},
			{Domain: "corp", Name: "guest7", DisplayName: "Guest Seven", DN: "CN=guest7,OU=Partners,DC=corp,DC=example,DC=com",
				Counted: true, CALType: rules.CALUser, CALVersion: "2022", External: true,
				RDS: &rules.AccountRDS{IssuedVersion: "393216", IssuedExpires: day(2026, 10, 1), LicenseServer: "LS01"}},
			{Domain: "corp", Name: "left", DisplayName: "Left Company", DN: "CN=left,OU=Staff,DC=corp,DC=example,DC=com",
				Excluded: rules.ReasonDisabled},
		}),
		Devices: rules.NewAccounts([]rules.Account{
			{Domain: "corp", Name: "KIOSK01", DNSName: "kiosk01.corp.example.com", OperatingSystem: "Windows 11 Enterprise",
				DN: "CN=KIOSK01,OU=Kiosks,DC=corp,DC=example,DC=com", Counted: true, CALType: rules.CALDevice, CALVersion: "2022"},
			{Domain: "corp", Name: "PC-0001", DNSName: "pc-0001.corp.example.com", OperatingSystem: "Windows 11 Pro",
				DN: "CN=PC-0001,OU=Workstations,DC=corp,DC=example,DC=com", Counted: true},
		}),
	}
}

func depthReport() *Report { return New(depthResult(), generatedAt, "0.1.0") }
