package rules

import (
	"fmt"
	"strings"
)

// mixFindings: the cheapest mix (R3, §5), missing evidence and names in the
// usage evidence that match no account.
func (e *evaluation) mixFindings() {
	if ev := e.usage; ev != nil && len(ev.unknownUsers)+len(ev.unknownDevices) > 0 {
		var parts []string
		if n := len(ev.unknownUsers); n > 0 {
			parts = append(parts, fmt.Sprintf("%s user %s", FormatCount(n), plural(n, "name", "names")))
		}
		if n := len(ev.unknownDevices); n > 0 {
			parts = append(parts, fmt.Sprintf("%s device %s", FormatCount(n), plural(n, "name", "names")))
		}
		e.add(Finding{Code: CodeUsageNamesUnknown, Severity: SeverityWarning, Rule: "§5",
			Message: fmt.Sprintf("%s in %s match no account, or more than one: their rows are ignored, so the access they record is not licensed by this count.",
				strings.Join(parts, " and "), e.usageName()),
			Action:   "Write users as sAMAccountName, UPN or DOMAIN\\name and devices as computer name or DNS name; for a name found in several domains, add DOMAIN\\.",
			Subjects: capSubjects(append(append([]string{}, ev.unknownUsers...), ev.unknownDevices...))})
	}
	if !e.mixed {
		return
	}
	m := e.res.Mix
	if m.Pairs == 0 {
		why := "usage_csv is not set"
		if e.p.UsageCSV != "" || e.p.Usage != nil {
			why = fmt.Sprintf("%s holds no user,device pair between counted accounts", e.usageName())
		}
		e.add(Finding{Code: CodeMixedModelNoUsage, Severity: SeverityWarning, Rule: "R3",
			Message: fmt.Sprintf("The licensing model is mixed, but %s: everyone is counted under mixed_default (%s CALs), which may cost more than the cheapest mix.",
				why, m.Default),
			Action:   "Export who signs in on which computer (User Access Logging, RD Connection Broker or sign-in logs) as user,device pairs and set usage_csv.",
			Subjects: []string{string(m.Default)}})
		return
	}
	e.add(Finding{Code: CodeMixedModelResult, Severity: SeverityInfo, Rule: "§5",
		Message: fmt.Sprintf("The cheapest mix is %s %s and %s %s, %s in all, against %s if every user had a User CAL and %s if every device had a Device CAL: %s. It covers %s user,device %s of real access; %s %s and %s %s without usage evidence are counted as mixed_default (%s).",
			FormatCount(m.UserCALs), calName(CALUser, m.UserCALs), FormatCount(m.DeviceCALs), calName(CALDevice, m.DeviceCALs), FormatCount(m.Total), FormatCount(m.AllUser), FormatCount(m.AllDevice), savingPhrase(m),
			FormatCount(m.Pairs), plural(m.Pairs, "pair", "pairs"), FormatCount(m.AllUser-m.UsersWithEvidence), plural(m.AllUser-m.UsersWithEvidence, "user", "users"),
			FormatCount(m.AllDevice-m.DevicesWithEvidence), plural(m.AllDevice-m.DevicesWithEvidence, "device", "devices"), m.Default),
		Action:   "Assign the CALs as listed per user and device (cal_type); the mix is only as good as the usage evidence, so refresh it before each true-up.",
		Subjects: []string{}})
}

// usageName names the usage evidence in messages.
func (e *evaluation) usageName() string {
	switch {
	case e.p.UsageCSV != "":
		return e.p.UsageCSV
	case e.p.Usage.Source() != "":
		return e.p.Usage.Source()
	}
	return "usage_csv"
}

func savingPhrase(m *Mix) string {
	switch {
	case m.Saving > 0:
		return fmt.Sprintf("%s fewer than the cheaper of the two", FormatCount(m.Saving))
	case m.Saving == 0:
		return "no fewer than the cheaper of the two"
	}
	cheaper := "user"
	if m.AllDevice < m.AllUser {
		cheaper = "device"
	}
	return fmt.Sprintf("%s more than licensing everyone per %s, because of the accounts without evidence", FormatCount(-m.Saving), cheaper)
}
