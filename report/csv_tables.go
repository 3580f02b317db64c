package report

import (
	"strconv"
	"strings"

	"github.com/calscan/calscan/rules"
)

// summary.csv is one table a spreadsheet can filter by section: the verdict,
// one row per CAL line and per CAL version, then the counts (totals have an
// empty domain, per-domain rows name it).
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
	rows = append(rows, value("count", "", "reclaimable", itoa(reclaimable)))
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

var usersHeader = []string{"domain", "name", "display_name", "upn", "dn", "sid", "last_logon", "created",
	"counted", "excluded_reason", "cal_type", "cal_version", "external"}

func userRows(r *Report, emit func([]string) error) error {
	row := make([]string, len(usersHeader))
	for i := range r.Users {
		a := &r.Users[i]
		row = append(row[:0], a.Domain, a.Name, a.DisplayName, a.UPN, a.DN, a.SID,
			timestamp(a.LastLogon), timestamp(a.Created), strconv.FormatBool(a.Counted),
			string(a.Excluded), string(a.CALType), a.CALVersion, strconv.FormatBool(a.External))
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

var devicesHeader = []string{"domain", "name", "dns_name", "operating_system", "dn", "last_logon",
	"counted", "excluded_reason", "cal_type", "cal_version"}

func deviceRows(r *Report, emit func([]string) error) error {
	row := make([]string, len(devicesHeader))
	for i := range r.Devices {
		a := &r.Devices[i]
		row = append(row[:0], a.Domain, a.Name, a.DNSName, a.OperatingSystem, a.DN,
			timestamp(a.LastLogon), strconv.FormatBool(a.Counted),
			string(a.Excluded), string(a.CALType), a.CALVersion)
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

var serversHeader = []string{"domain", "name", "dns_name", "operating_system", "operating_system_version",
	"edition", "version", "cal_version", "domain_controller", "needs_cals", "excluded_reason", "source", "rds", "note"}

func serverRows(r *Report, emit func([]string) error) error {
	for _, s := range r.Servers {
		row := []string{s.Domain, s.Name, s.DNSName, s.OperatingSystem, s.OperatingSystemVersion,
			string(s.Edition), s.Version, s.CALVersion, strconv.FormatBool(s.DomainController),
			strconv.FormatBool(s.NeedsCALs), string(s.Excluded), s.Source, strconv.FormatBool(s.RDS), s.Note}
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
