package report

import (
	"strconv"
	"strings"

	"github.com/calscan/calscan/rules"
)

// summary.csv is one table a spreadsheet can filter by section: the verdict,
// one row per CAL line and per CAL version, the same for server core
// licences (value: the unit), the cheapest mix (model mixed), then the counts
// (totals have an empty domain, per-domain rows name it).
var summaryHeader = []string{"section", "domain", "name", "version", "required", "owned", "shortfall", "surplus", "value"}

func summaryRows(r *Report, emit func([]string) error) error {
	value := func(section, domain, name, v string) []string {
		return []string{section, domain, name, "", "", "", "", "", v}
	}
	itoa := strconv.Itoa

	rows := [][]string{
		value("report", "", "generated_at", timestamp(r.GeneratedAt)),
		value("report", "", "tool", r.Tool),
		value("report", "", "schema_version", itoa(r.SchemaVersion)),
		value("report", "", "model", string(r.Model)),
		value("report", "", "compliant", strconv.FormatBool(r.Compliant)),
		value("report", "", "verdict", verdictTitle(r)),
		value("report", "", "action", verdictAction(r)),
	}
	for _, c := range r.CALs {
		rows = append(rows, []string{"cal", "", string(c.Type), c.MinVersion,
			itoa(c.Required), itoa(c.Owned), itoa(c.Shortfall), itoa(c.Surplus), ""})
	}
	for _, c := range r.CALs {
		for _, v := range c.ByVersion {
			rows = append(rows, []string{"cal_version", "", string(c.Type), v.Version,
				itoa(v.Required), itoa(v.Owned), "", "", ""})
		}
	}
	for _, l := range r.CoreLicenses {
		rows = append(rows, []string{"core_license", "", string(l.Edition), l.MinVersion,
			itoa(l.Required), itoa(l.Owned), itoa(l.Shortfall), itoa(l.Surplus), l.Unit})
	}
	for _, l := range r.CoreLicenses {
		for _, v := range l.ByVersion {
			rows = append(rows, []string{"core_license_version", "", string(l.Edition), v.Version,
				itoa(v.Required), itoa(v.Owned), "", "", l.Unit})
		}
	}
	if m := r.Mix; m != nil {
		rows = append(rows,
			value("mix", "", "default", string(m.Default)),
			value("mix", "", "usage_csv", m.UsageCSV),
			value("mix", "", "pairs", itoa(m.Pairs)),
			value("mix", "", "pairs_ignored", itoa(m.PairsIgnored)),
			value("mix", "", "users_with_evidence", itoa(m.UsersWithEvidence)),
			value("mix", "", "devices_with_evidence", itoa(m.DevicesWithEvidence)),
			value("mix", "", "user_cals", itoa(m.UserCALs)),
			value("mix", "", "device_cals", itoa(m.DeviceCALs)),
			value("mix", "", "total", itoa(m.Total)),
			value("mix", "", "all_user", itoa(m.AllUser)),
			value("mix", "", "all_device", itoa(m.AllDevice)),
			value("mix", "", "saving", itoa(m.Saving)),
		)
	}

	counts := func(domain string, usersSeen, usersCounted, devicesSeen, devicesCounted, serversSeen int) {
		rows = append(rows,
			value("count", domain, "users_seen", itoa(usersSeen)),
			value("count", domain, "users_counted", itoa(usersCounted)),
			value("count", domain, "devices_seen", itoa(devicesSeen)),
			value("count", domain, "devices_counted", itoa(devicesCounted)),
			value("count", domain, "servers_seen", itoa(serversSeen)),
		)
	}
	c := r.Counts
	counts("", c.UsersSeen, c.UsersCounted, c.DevicesSeen, c.DevicesCounted, c.ServersSeen)
	_, reclaimable := totalExcluded(c.Excluded)
	issued, issuedExpired := rdsIssued(r.CALs)
	rows = append(rows,
		value("count", "", "reclaimable", itoa(reclaimable)),
		value("count", "", "external", itoa(c.External)),
		value("count", "", "external_covered", itoa(c.ExternalCovered)),
		value("count", "", "duplicates", itoa(c.Duplicates)),
		value("count", "", "rds_cals_issued", itoa(issued)),
		value("count", "", "rds_cals_issued_expired", itoa(issuedExpired)),
	)
	for _, rc := range exclusions(c.Excluded) {
		rows = append(rows, value("excluded", "", string(rc.Reason), itoa(rc.Count)))
	}
	for _, sev := range []rules.Severity{rules.SeverityViolation, rules.SeverityWarning, rules.SeverityInfo} {
		rows = append(rows, value("findings", "", string(sev), itoa(severityCount(r.Findings, sev))))
	}
	for _, d := range r.Directories {
		rows = append(rows,
			value("directory", d.Name, "source", d.Source),
			value("directory", d.Name, "tls_verification_disabled", strconv.FormatBool(d.TLSVerificationDisabled)),
		)
		counts(d.Name, d.UsersSeen, d.UsersCounted, d.DevicesSeen, d.DevicesCounted, d.ServersSeen)
	}

	for _, row := range rows {
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

// rdsIssued is the per-user RDS CALs a license server recorded (D4).
func rdsIssued(cals []rules.CALLine) (valid, expired int) {
	for _, c := range cals {
		valid += c.Issued
		expired += c.IssuedExpired
	}
	return valid, expired
}

// The rds_ columns come last so that the earlier columns keep their places.
var usersHeader = []string{"domain", "name", "display_name", "upn", "dn", "sid", "last_logon", "created",
	"counted", "excluded_reason", "cal_type", "cal_version", "external",
	"rds_cal_type", "rds_cal_version", "rds_issued_version", "rds_issued_expires", "rds_license_server"}

func userRows(r *Report, emit func([]string) error) error {
	row := make([]string, len(usersHeader))
	var noRDS rules.AccountRDS
	for _, a := range r.Users.All() {
		rds := a.RDS
		if rds == nil {
			rds = &noRDS
		}
		row = append(row[:0], a.Domain, a.Name, a.DisplayName, a.UPN, a.DN, a.SID,
			timestamp(a.LastLogon), timestamp(a.Created), strconv.FormatBool(a.Counted),
			string(a.Excluded), string(a.CALType), a.CALVersion, strconv.FormatBool(a.External),
			string(rds.CALType), rds.CALVersion, rds.IssuedVersion, timestamp(rds.IssuedExpires), rds.LicenseServer)
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

var devicesHeader = []string{"domain", "name", "dns_name", "operating_system", "dn", "last_logon",
	"counted", "excluded_reason", "cal_type", "cal_version", "rds_cal_type", "rds_cal_version"}

func deviceRows(r *Report, emit func([]string) error) error {
	row := make([]string, len(devicesHeader))
	var noRDS rules.AccountRDS
	for _, a := range r.Devices.All() {
		rds := a.RDS
		if rds == nil {
			rds = &noRDS
		}
		row = append(row[:0], a.Domain, a.Name, a.DNSName, a.OperatingSystem, a.DN,
			timestamp(a.LastLogon), strconv.FormatBool(a.Counted),
			string(a.Excluded), string(a.CALType), a.CALVersion, string(rds.CALType), rds.CALVersion)
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

// The columns after note come last so that the earlier ones keep their
// places; the core licence numbers are empty where not configured or not
// applicable, as report.json omits them.
var serversHeader = []string{"domain", "name", "dns_name", "operating_system", "operating_system_version",
	"edition", "version", "cal_version", "domain_controller", "needs_cals", "excluded_reason", "source", "rds", "note",
	"access_group", "external_connector", "rds_external_connector", "rds_licensing",
	"cores", "processors", "vms", "core_licenses_required", "core_license_unit", "core_license_sets"}

func serverRows(r *Report, emit func([]string) error) error {
	for _, s := range r.Servers {
		row := []string{s.Domain, s.Name, s.DNSName, s.OperatingSystem, s.OperatingSystemVersion,
			string(s.Edition), s.Version, s.CALVersion, strconv.FormatBool(s.DomainController),
			strconv.FormatBool(s.NeedsCALs), string(s.Excluded), s.Source, strconv.FormatBool(s.RDS), s.Note,
			s.AccessGroup, strconv.FormatBool(s.ExternalConnector), strconv.FormatBool(s.RDSExternalConnector), string(s.RDSLicensing),
			blankZero(s.Cores), blankZero(s.Processors), blankZero(s.VMs),
			blankZero(s.CoreLicensesRequired), s.CoreLicenseUnit, blankZero(s.CoreLicenseSets)}
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

var findingsHeader = []string{"severity", "code", "rule", "message", "action", "subjects"}

func findingRows(r *Report, emit func([]string) error) error {
	for _, f := range r.Findings {
		row := []string{string(f.Severity), f.Code, f.Rule, f.Message, f.Action, strings.Join(f.Subjects, "; ")}
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

// blankZero writes n, or nothing for 0 (not configured).
func blankZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
