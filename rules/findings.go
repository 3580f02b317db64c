package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Finding codes (stable: scripts and the README rely on them).
const (
	CodeCALShortfall            = "CAL_SHORTFALL"
	CodeCALVersionTooOld        = "CAL_VERSION_TOO_OLD"
	CodeEssentialsLimitExceeded = "ESSENTIALS_LIMIT_EXCEEDED"
	CodeFoundationLimitExceeded = "FOUNDATION_LIMIT_EXCEEDED"
	CodeUnknownOperatingSystem  = "UNKNOWN_OPERATING_SYSTEM"
	CodeReclaimableAccounts     = "RECLAIMABLE_ACCOUNTS"
	CodeAdminExemptOverLimit    = "ADMIN_EXEMPT_OVER_LIMIT"
	CodeAdminExemptNotFound     = "ADMIN_EXEMPT_NOT_FOUND"
	CodeTLSVerificationDisabled = "TLS_VERIFICATION_DISABLED"
	CodeCALSurplus              = "CAL_SURPLUS"
	CodeNoCALServers            = "NO_CAL_SERVERS"
	CodeHyperVHost              = "HYPERV_HOST"
	CodeIncludeGroupNotFound    = "INCLUDE_GROUP_NOT_FOUND"
	CodeExcludePatternInvalid   = "EXCLUDE_PATTERN_INVALID"

	CodeRDSCALShortfall        = "RDS_CAL_SHORTFALL"
	CodeRDSCALsIssuedOverOwned = "RDS_CALS_ISSUED_OVER_OWNED"
	CodeRDSHostsNotConfigured  = "RDS_HOSTS_NOT_CONFIGURED"
	CodeAccessGroupNotFound    = "ACCESS_GROUP_NOT_FOUND"
	CodeExternalUsers          = "EXTERNAL_USERS"
	CodeExternalGroupNotFound  = "EXTERNAL_GROUP_NOT_FOUND"
	CodeMultiplexing           = "MULTIPLEXING_REMINDER"
	CodeDuplicateAccounts      = "DUPLICATE_ACCOUNTS"
	CodeMixedModelNoUsage      = "MIXED_MODEL_NO_USAGE"
	CodeMixedModelResult       = "MIXED_MODEL_RESULT"
	CodeUsageNamesUnknown      = "USAGE_NAMES_UNKNOWN"
	CodeCoreLicenseShortfall   = "CORE_LICENSE_SHORTFALL"
	CodeCoreLicensesNotChecked = "CORE_LICENSES_NOT_CHECKED"
)

// R8 caps.
const (
	essentialsMaxUsers   = 25
	essentialsMaxDevices = 50
	foundationMaxUsers   = 15
)

// maxSubjects bounds long subject lists; the message still gives the total.
const maxSubjects = 50

func (e *evaluation) addFindings() {
	e.calFindings()
	e.editionLimitFindings()
	e.scopeFindings()
	e.serverFindings()
	e.reclaimableFinding()
	e.secondAccountsFinding()
	for _, d := range e.p.Directories {
		if d.TLSVerificationDisabled {
			where := d.Name
			if d.Source != "" {
				where += " (" + d.Source + ")"
			}
			e.add(Finding{Code: CodeTLSVerificationDisabled, Severity: SeverityWarning,
				Message:  fmt.Sprintf("Directory %s was read without checking its TLS certificate, so the data could have come from an impostor.", where),
				Action:   "Set ca_file to the CA that issued the directory's certificate and remove insecure_skip_verify.",
				Subjects: []string{d.Name}})
		}
	}
	e.mixFindings()
	e.rdsFindings()
	e.accessFindings()
	e.coreFindings()
}

func (e *evaluation) add(f Finding) {
	if f.Subjects == nil {
		f.Subjects = []string{}
	}
	e.res.Findings = append(e.res.Findings, f)
}

// listNames reads "A", "A and B", "A, B and C", "A, B, C and 4 more".
func listNames(names []string, limit int) string {
	switch {
	case len(names) == 1:
		return names[0]
	case len(names) <= limit:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return fmt.Sprintf("%s and %s more", strings.Join(names[:limit], ", "), FormatCount(len(names)-limit))
}

// capSubjects sorts names and keeps the first maxSubjects, then "… and N more".
func capSubjects(names []string) []string {
	out := slices.Clone(names)
	slices.Sort(out)
	if len(out) > maxSubjects {
		more := len(out) - maxSubjects
		out = append(out[:maxSubjects:maxSubjects], fmt.Sprintf("… and %s more", FormatCount(more)))
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// FormatCount writes n with thousands separators, as every message and
// report does: "1,736".
func FormatCount(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// sortFindings orders by severity, then code, then subjects and message.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if c := severityRank(a.Severity) - severityRank(b.Severity); c != 0 {
			return c
		}
		if c := strings.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		if c := slices.Compare(a.Subjects, b.Subjects); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
}
