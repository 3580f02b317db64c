package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/calscan/calscan/rules"
)

func (v *validator) policy(f *File) rules.Policy {
	p := rules.Policy{
		ExcludeAccounts: f.Scope.ExcludeAccounts,
		ExcludeOUs:      f.Scope.ExcludeOUs,
		IncludeGroups:   f.Scope.IncludeGroups,
		AdminExempt:     f.Scope.AdminExempt,
		ExternalOUs:     f.Scope.ExternalOUs,
		ExternalGroups:  f.Scope.ExternalGroups,
		UsageCSV:        v.resolve(f.Licensing.UsageCSV),
	}
	days := DefaultStaleAfterDays
	if f.Scope.StaleAfterDays != nil {
		days = *f.Scope.StaleAfterDays
		switch {
		case days < 0:
			v.problem("scope.stale_after_days", "must be 0 (never treat inactive accounts as stale) or more days")
		case days > 0 && days < 30:
			v.warnings = append(v.warnings, fmt.Sprintf("scope.stale_after_days = %d: lastLogonTimestamp lags up to 14 days behind real logons, so thresholds under 30 days mark active people stale (LICENSING.md A3)", days))
		}
	}
	p.StaleAfter = time.Duration(days) * 24 * time.Hour
	for i, g := range f.Scope.ExcludeAccounts {
		if strings.TrimSpace(g) == "" {
			v.problem("scope.exclude_accounts", fmt.Sprintf("entry %d is empty", i+1))
		}
	}
	if len(f.Scope.AdminExempt) > 2 {
		v.warnings = append(v.warnings, fmt.Sprintf("scope.admin_exempt names %d accounts; licensing allows at most 2 administrators without CALs (R5), so only 2 are exempted", len(f.Scope.AdminExempt)))
	}

	p.Model = rules.Model(strings.ToLower(orDefault(f.Licensing.Model, string(rules.ModelUser))))
	switch p.Model {
	case rules.ModelUser, rules.ModelDevice, rules.ModelMixed:
	default:
		v.problem("licensing.model", fmt.Sprintf("%q is not a licensing model: use user, device or mixed", f.Licensing.Model))
	}
	p.MixedDefault = rules.Model(strings.ToLower(orDefault(f.Licensing.MixedDefault, string(rules.ModelUser))))
	if p.MixedDefault != rules.ModelUser && p.MixedDefault != rules.ModelDevice {
		v.problem("licensing.mixed_default", fmt.Sprintf("%q is not a CAL type for users and devices without evidence: use user or device", f.Licensing.MixedDefault))
	}

	p.Usage = v.usage(p.Model, p.UsageCSV)
	p.Servers = v.servers(f.Servers)
	p.CALs = v.cals(f.CALs)
	p.CoreLicenses = v.coreLicenses(f.CoreLicenses)
	return p
}

// usage loads usage_csv for the models that use it: mixed (the cheapest
// mix) and device (which servers each device reaches through its users).
func (v *validator) usage(model rules.Model, path string) *rules.Usage {
	if path == "" {
		return nil
	}
	if model == rules.ModelUser {
		v.warnings = append(v.warnings, "licensing.usage_csv is set but model = \"user\" does not use it")
		return nil
	}
	u, err := rules.LoadUsage(path)
	if err != nil {
		v.problem("licensing.usage_csv", err.Error())
		return nil
	}
	return u
}

func (v *validator) servers(blocks []ServerFile) []rules.ServerConfig {
	var out []rules.ServerConfig
	seen := map[string]bool{}
	for i, b := range blocks {
		key := func(k string) string { return fmt.Sprintf("server[%d].%s", i+1, k) }
		s := rules.ServerConfig{Name: strings.TrimSpace(b.Name), Cores: b.Cores, Processors: b.Processors, RDS: b.RDS,
			AccessGroup: strings.TrimSpace(b.AccessGroup), VMs: b.VMs, ExternalConnector: b.ExternalConnector,
			RDSExternalConnector: b.RDSExternalConnector}
		if s.Name == "" {
			v.problem(key("name"), "missing: the server's computer name (as in AD, without the domain)")
		} else if seen[strings.ToLower(s.Name)] {
			v.problem(key("name"), fmt.Sprintf("%q appears in two [[server]] blocks", s.Name))
		}
		seen[strings.ToLower(s.Name)] = true
		if b.Edition != "" {
			e, err := rules.ParseEdition(b.Edition)
			if err != nil {
				v.problem(key("edition"), err.Error())
			}
			s.Edition = e
		}
		if b.Version != "" {
			r, err := rules.ParseRelease(b.Version)
			if err != nil {
				v.problem(key("version"), err.Error())
			}
			s.Release = r
		}
		for k, n := range map[string]int{"cores": b.Cores, "processors": b.Processors, "vms": b.VMs} {
			if n < 0 {
				v.problem(key(k), "must not be negative")
			}
		}
		if s.AccessGroup != "" && !strings.Contains(s.AccessGroup, "=") {
			v.problem(key("access_group"), fmt.Sprintf("%q is not a DN: write the group's distinguished name, e.g. \"CN=App users,OU=Groups,DC=corp,DC=example,DC=com\"", s.AccessGroup))
		}
		switch strings.ToLower(strings.TrimSpace(b.RDSLicensing)) {
		case "":
		case "user":
			s.RDSLicensing = rules.CALRDSUser
		case "device":
			s.RDSLicensing = rules.CALRDSDevice
		default:
			v.problem(key("rds_licensing"), fmt.Sprintf("%q is not an RDS licensing mode: use user or device", b.RDSLicensing))
		}
		out = append(out, s)
	}
	return out
}

func (v *validator) cals(blocks []CALFile) []rules.OwnedCAL {
	var out []rules.OwnedCAL
	for i, b := range blocks {
		key := func(k string) string { return fmt.Sprintf("cal[%d].%s", i+1, k) }
		c := rules.OwnedCAL{Reference: b.Reference}
		t, err := rules.ParseCALType(b.Type)
		if err != nil {
			v.problem(key("type"), err.Error())
		}
		c.Type = t
		ver, err := rules.ParseCALVersion(b.Version)
		if err != nil {
			v.problem(key("version"), err.Error())
		} else if ver == rules.VersionSA && (t == rules.CALRDSUser || t == rules.CALRDSDevice) {
			v.problem(key("version"), "RDS CALs are not part of a CAL Suite: give the version bought (2008 … 2025)")
		}
		c.Version = ver
		c.Quantity = v.quantity(b.Quantity, key("quantity"))
		out = append(out, c)
	}
	return out
}

func (v *validator) coreLicenses(blocks []CoreLicenseFile) []rules.OwnedCoreLicense {
	var out []rules.OwnedCoreLicense
	for i, b := range blocks {
		key := func(k string) string { return fmt.Sprintf("core_licenses[%d].%s", i+1, k) }
		c := rules.OwnedCoreLicense{}
		e, err := rules.ParseEdition(b.Edition)
		if err != nil {
			v.problem(key("edition"), err.Error())
		} else if e != rules.EditionStandard && e != rules.EditionDatacenter {
			v.problem(key("edition"), fmt.Sprintf("core licences are sold for standard or datacenter, not %q", b.Edition))
		}
		c.Edition = e
		ver, err := rules.ParseCALVersion(b.Version)
		if err != nil {
			v.problem(key("version"), err.Error())
		} else if ver == "2008" {
			v.problem(key("version"), "Windows Server 2008 was licensed per server, not per core or processor: use 2012 (per processor) or later")
		}
		c.Version = ver
		c.Quantity = v.quantity(b.Quantity, key("quantity"))
		out = append(out, c)
	}
	return out
}

func (v *validator) quantity(q *int, key string) int {
	switch {
	case q == nil:
		v.problem(key, "missing: how many licences this purchase holds")
		return 0
	case *q < 0:
		v.problem(key, fmt.Sprintf("%d: a quantity cannot be negative", *q))
		return 0
	}
	return *q
}
