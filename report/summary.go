package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/calscan/calscan/rules"
)

// Summary is a few plain-text lines for the terminal, without a final newline:
//
//	Not compliant: buy 68 Windows Server 2022 User CALs.
//	1,840 users and 310 devices counted, 160 excluded (120 disabled, 40 stale).
//	160 accounts are reclaimable (disabled, expired or stale): their CALs can be reassigned.
//	Servers: 12, of which 9 need CALs.
//	3 findings: 1 violation, 2 warnings.
func Summary(r *Report) string {
	var lines []string
	line := func(s string) { lines = append(lines, s) }

	line(verdictTitle(r) + ": " + lowerFirst(verdictAction(r)))

	excluded, reclaimable := totalExcluded(r.Counts.Excluded)
	counted := count(r.Counts.UsersCounted, "user", "users") + " and " +
		count(r.Counts.DevicesCounted, "device", "devices") + " counted, " +
		rules.FormatCount(excluded) + " excluded"
	var reasons []string
	for _, rc := range exclusions(r.Counts.Excluded) {
		if rc.Count > 0 {
			reasons = append(reasons, rules.FormatCount(rc.Count)+" "+reasonLabel(rc.Reason))
		}
	}
	if len(reasons) > 0 {
		counted += " (" + strings.Join(reasons, ", ") + ")"
	}
	line(counted + ".")

	if reclaimable > 0 {
		line(count(reclaimable, "account is", "accounts are") +
			" reclaimable (disabled, expired or stale): their CALs can be reassigned.")
	}

	needCALs := 0
	for _, s := range r.Servers {
		if s.NeedsCALs {
			needCALs++
		}
	}
	if len(r.Servers) == 0 {
		line("No servers seen.")
	} else {
		line("Servers: " + rules.FormatCount(len(r.Servers)) + ", of which " + rules.FormatCount(needCALs) + " " +
			plural(needCALs, "needs", "need") + " CALs.")
	}

	line(findingsSentence(r.Findings))
	return strings.Join(lines, "\n")
}

// lowerFirst lowers the first letter unless the first word is an acronym ("CALs").
func lowerFirst(s string) string {
	first, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[size:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(first)) + s[size:]
}
