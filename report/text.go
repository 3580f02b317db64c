package report

import (
	"strings"
	"time"

	"github.com/calscan/calscan/rules"
)

// reasonCount is one counts.excluded entry.
type reasonCount struct {
	Reason rules.Reason
	Count  int
}

// exclusions lists counts.excluded in the order the rules check the reasons.
func exclusions(e rules.Excluded) []reasonCount {
	return []reasonCount{
		{rules.ReasonBuiltin, e.Builtin},
		{rules.ReasonDisabled, e.Disabled},
		{rules.ReasonExpired, e.Expired},
		{rules.ReasonExcludedAccount, e.ExcludedAccount},
		{rules.ReasonExcludedOU, e.ExcludedOU},
		{rules.ReasonNotInScopeGroup, e.NotInScopeGroup},
		{rules.ReasonAdminExempt, e.AdminExempt},
		{rules.ReasonStale, e.Stale},
	}
}

func totalExcluded(e rules.Excluded) (total, reclaimable int) {
	for _, rc := range exclusions(e) {
		total += rc.Count
		if rc.Reason.Reclaimable() {
			reclaimable += rc.Count
		}
	}
	return total, reclaimable
}

// reasonLabel is the words a person reads for an exclusion reason.
func reasonLabel(r rules.Reason) string {
	switch r {
	case rules.ReasonNone:
		return ""
	case rules.ReasonBuiltin:
		return "built-in"
	case rules.ReasonExcludedAccount:
		return "excluded by name"
	case rules.ReasonExcludedOU:
		return "excluded OU"
	case rules.ReasonNotInScopeGroup:
		return "not in scope group"
	case rules.ReasonAdminExempt:
		return "admin exempt"
	}
	return string(r) // disabled, expired, stale read as they are
}

// calTypeLabel names a CAL type as it is sold.
func calTypeLabel(t rules.CALType) string {
	switch t {
	case rules.CALUser:
		return "User"
	case rules.CALDevice:
		return "Device"
	case rules.CALRDSUser:
		return "RDS User"
	case rules.CALRDSDevice:
		return "RDS Device"
	}
	return string(t)
}

// editionLabel capitalises an edition: "Standard", "Hyper-V".
func editionLabel(e rules.Edition) string {
	switch e {
	case "":
		return ""
	case rules.EditionHyperV:
		return "Hyper-V"
	}
	return strings.ToUpper(string(e[:1])) + string(e[1:])
}

// calProduct is "Windows Server 2022 User CAL(s)"; without a version just "User CAL(s)".
func calProduct(t rules.CALType, version string, n int) string {
	name := calTypeLabel(t) + " " + plural(n, "CAL", "CALs")
	switch version {
	case "":
		return name
	case "sa":
		return "Windows Server " + name + " with Software Assurance"
	}
	return "Windows Server " + version + " " + name
}

// count is "1 violation" or "1,840 users".
func count(n int, one, many string) string { return rules.FormatCount(n) + " " + plural(n, one, many) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// joinAnd joins phrases as English: "a", "a and b", "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// timestamp is RFC 3339 in UTC, or "" for the zero time ("never").
func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// shortDate is the day in UTC ("2026-11-26"), or "never".
func shortDate(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format(time.DateOnly)
}

// severityLabel capitalises a severity for display.
func severityLabel(s rules.Severity) string {
	switch s {
	case rules.SeverityViolation:
		return "Violation"
	case rules.SeverityWarning:
		return "Warning"
	case rules.SeverityInfo:
		return "Info"
	}
	return string(s)
}
