package report

import (
	"fmt"
	"time"

	"github.com/calscan/calscan/rules"
)

// generatedAt is the injected clock of every test report.
var generatedAt = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func day(year int, month time.Month, d int) time.Time {
	return time.Date(year, month, d, 0, 0, 0, 0, time.UTC)
}

// sampleResult is a small non-compliant company: 68 User CALs short, with a
// surplus of Device and RDS CALs, and a few findings.
func sampleResult() *rules.Result {
	return &rules.Result{
		Compliant: false,
		Model:     rules.ModelUser,
		Counts: rules.Counts{
			UsersSeen: 2130, UsersCounted: 1908,
			DevicesSeen: 320, DevicesCounted: 290,
			ServersSeen: 4,
			Excluded: rules.Excluded{
				Disabled: 120, Stale: 50, Expired: 5, ExcludedAccount: 12,
				ExcludedOU: 20, AdminExempt: 2, NotInScopeGroup: 0, Builtin: 13,
			},
		},
		CALs: []rules.CALLine{
			{Type: rules.CALUser, Required: 1908, MinVersion: "2022", Owned: 1840, Shortfall: 68, Surplus: 0,
				ByVersion: []rules.VersionLine{{Version: "2022", Required: 1908, Owned: 1840}}},
			{Type: rules.CALDevice, Required: 0, MinVersion: "", Owned: 25, Shortfall: 0, Surplus: 25,
				ByVersion: []rules.VersionLine{{Version: "2016", Required: 0, Owned: 25}}},
			{Type: rules.CALRDSUser, Required: 40, MinVersion: "2019", Owned: 50, Shortfall: 0, Surplus: 10,
				ByVersion: []rules.VersionLine{{Version: "2019", Required: 40, Owned: 0}, {Version: "2022", Required: 0, Owned: 50}}},
		},
		Servers: []rules.Server{
			{Name: "DC1", Domain: "corp", DNSName: "dc1.corp.example.com", OperatingSystem: "Windows Server 2022 Datacenter",
				OperatingSystemVersion: "10.0 (20348)", Edition: rules.EditionDatacenter, Version: "2022", CALVersion: "2022",
				DomainController: true, NeedsCALs: true, Source: "directory"},
			{Name: "RDS01", Domain: "corp", DNSName: "rds01.corp.example.com", OperatingSystem: "Windows Server 2019 Standard",
				OperatingSystemVersion: "10.0 (17763)", Edition: rules.EditionStandard, Version: "2019", CALVersion: "2019",
				NeedsCALs: true, Source: "directory+config", RDS: true},
			{Name: "ESS01", Domain: "corp", DNSName: "ess01.corp.example.com", OperatingSystem: "Windows Server 2016 Essentials",
				OperatingSystemVersion: "10.0 (14393)", Edition: rules.EditionEssentials, Version: "2016",
				Source: "directory", Note: "Essentials: no CALs, at most 25 users and 50 devices"},
			{Name: "OLD01", Domain: "lab", DNSName: "old01.lab.example.com", OperatingSystem: "Windows Server 2012 R2 Standard",
				OperatingSystemVersion: "6.3 (9600)", Edition: rules.EditionStandard, Version: "2012 R2", CALVersion: "2012",
				Excluded: rules.ReasonStale, Source: "directory"},
		},
		Findings: []rules.Finding{
			{Code: "CAL_SHORTFALL", Severity: rules.SeverityViolation, Rule: "R1",
				Message: "1,908 users need Windows Server 2022 User CALs; 1,840 are owned.",
				Action:  "Buy 68 Windows Server 2022 User CALs.", Subjects: []string{"user"}},
			{Code: "RECLAIMABLE_ACCOUNTS", Severity: rules.SeverityInfo, Rule: "A2",
				Message: "175 accounts are disabled, expired or stale.", Action: "Reassign their CALs.",
				Subjects: []string{"corp\\old.user", "corp\\temp1", "corp\\temp2", "corp\\temp3", "corp\\temp4", "corp\\temp5", "lab\\test"}},
			{Code: "TLS_VERIFICATION_DISABLED", Severity: rules.SeverityWarning,
				Message: "Directory lab was read with TLS certificate verification disabled.",
				Action:  "Set ca_file and remove insecure_skip_verify.", Subjects: nil},
		},
		Directories: []rules.DirectoryCounts{
			{Name: "corp", Source: "ldaps://dc1.corp.example.com", UsersSeen: 2000, UsersCounted: 1800,
				DevicesSeen: 300, DevicesCounted: 275, ServersSeen: 3},
			{Name: "lab", Source: "ldaps://dc1.lab.example.com", UsersSeen: 130, UsersCounted: 108,
				DevicesSeen: 20, DevicesCounted: 15, ServersSeen: 1, TLSVerificationDisabled: true},
		},
		Users: rules.NewAccounts([]rules.Account{
			{Domain: "corp", Name: "jmuller", DisplayName: "José Müller", UPN: "jmuller@corp.example.com",
				DN: "CN=José Müller,OU=Staff,DC=corp,DC=example,DC=com", SID: "S-1-5-21-1-2-3-1105",
				LastLogon: day(2026, 11, 20), Created: day(2019, 3, 1), Counted: true,
				CALType: rules.CALUser, CALVersion: "2022"},
			{Domain: "corp", Name: "old.user", DisplayName: "Old User", UPN: "old.user@corp.example.com",
				DN: "CN=Old User,OU=Staff,DC=corp,DC=example,DC=com", SID: "S-1-5-21-1-2-3-1201",
				LastLogon: day(2025, 1, 15), Created: day(2015, 6, 30), Excluded: rules.ReasonStale},
			{Domain: "corp", Name: "svc-backup", DisplayName: "Backup, Service",
				DN: "CN=svc-backup,OU=Service,DC=corp,DC=example,DC=com", SID: "S-1-5-21-1-2-3-1300",
				Created: day(2020, 1, 1), Excluded: rules.ReasonExcludedAccount},
			{Domain: "lab", Name: "partner1", DisplayName: "Partner \"One\"", UPN: "partner1@lab.example.com",
				DN: "CN=partner1,OU=External,DC=lab,DC=example,DC=com", SID: "S-1-5-21-4-5-6-1500",
				LastLogon: day(2026, 11, 25), Created: day(2024, 2, 2), Counted: true,
				CALType: rules.CALUser, CALVersion: "2022", External: true},
		}),
		Devices: rules.NewAccounts([]rules.Account{
			{Domain: "corp", Name: "PC-0001", DNSName: "pc-0001.corp.example.com", OperatingSystem: "Windows 11 Pro",
				DN: "CN=PC-0001,OU=Workstations,DC=corp,DC=example,DC=com", SID: "S-1-5-21-1-2-3-2001",
				LastLogon: day(2026, 11, 24), Created: day(2023, 5, 5), Counted: true},
			{Domain: "corp", Name: "PC-0002", DNSName: "pc-0002.corp.example.com", OperatingSystem: "Windows 10 Enterprise",
				DN: "CN=PC-0002,OU=Workstations,DC=corp,DC=example,DC=com", SID: "S-1-5-21-1-2-3-2002",
				Created: day(2018, 5, 5), Excluded: rules.ReasonDisabled},
		}),
	}
}

func sampleReport() *Report { return New(sampleResult(), generatedAt, "0.1.0") }

// manyAccounts makes n users or devices, a tenth of them excluded.
func manyAccounts(n int, kind string) []rules.Account {
	out := make([]rules.Account, n)
	for i := range out {
		a := rules.Account{
			Domain:      "corp",
			Name:        fmt.Sprintf("%s%06d", kind, i),
			DisplayName: fmt.Sprintf("Account %d", i),
			DN:          fmt.Sprintf("CN=%s%06d,OU=Staff,DC=corp,DC=example,DC=com", kind, i),
			SID:         fmt.Sprintf("S-1-5-21-1-2-3-%d", 10000+i),
			LastLogon:   generatedAt.AddDate(0, 0, -(i % 200)),
			Created:     generatedAt.AddDate(-3, 0, 0),
			Counted:     i%10 != 0,
			CALType:     rules.CALUser,
			CALVersion:  "2022",
		}
		if kind == "pc" {
			a.DNSName = a.Name + ".corp.example.com"
			a.OperatingSystem = "Windows 11 Enterprise"
			a.CALType = rules.CALDevice
		} else {
			a.UPN = a.Name + "@corp.example.com"
		}
		if !a.Counted {
			a.Excluded, a.CALType, a.CALVersion = rules.ReasonStale, "", ""
		}
		out[i] = a
	}
	return out
}

// appendAccounts is append for a list of accounts.
func appendAccounts(list rules.Accounts, more ...rules.Account) rules.Accounts {
	return rules.NewAccounts(append(list.List(), more...))
}
