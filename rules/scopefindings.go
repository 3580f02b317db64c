package rules

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// scopeFindings: admin_exempt (R5) and scope settings that matched nothing.
func (e *evaluation) scopeFindings() {
	a := e.admin
	if len(a.names) > maxAdminExempt || len(a.overLimit) > 0 {
		var exempt, counted []string
		for i := range a.exempt {
			exempt = append(exempt, e.label(e.inv.users[i].domain, e.inv.users[i].name()))
		}
		for _, i := range a.overLimit {
			counted = append(counted, e.label(e.inv.users[i].domain, e.inv.users[i].name()))
		}
		if len(counted) == 0 {
			counted = a.names[maxAdminExempt:]
		}
		slices.Sort(exempt)
		e.add(Finding{Code: CodeAdminExemptOverLimit, Severity: SeverityWarning, Rule: "R5",
			Message: fmt.Sprintf("admin_exempt lists %s %s matching %s users in scope, but at most %d administrators may go without CALs: %s exempt, the rest are counted.",
				FormatCount(len(a.names)), plural(len(a.names), "name", "names"), FormatCount(len(a.exempt)+len(a.overLimit)), maxAdminExempt, exemptPhrase(exempt)),
			Action:   "Keep at most two accounts in admin_exempt.",
			Subjects: capSubjects(counted)})
	}
	if missing := a.notFound(); len(missing) > 0 {
		e.add(Finding{Code: CodeAdminExemptNotFound, Severity: SeverityWarning, Rule: "R5",
			Message:  fmt.Sprintf("%s admin_exempt %s no user in the directory.", FormatCount(len(missing)), plural(len(missing), "name matches", "names match")),
			Action:   "Check the spelling: admin_exempt takes sAMAccountNames.",
			Subjects: capSubjects(missing)})
	}
	if len(e.scope.missingGroups) > 0 {
		e.add(Finding{Code: CodeIncludeGroupNotFound, Severity: SeverityWarning, Rule: "R1",
			Message: fmt.Sprintf("%s include_groups %s no group in the directory, so nobody is counted through %s.",
				FormatCount(len(e.scope.missingGroups)), plural(len(e.scope.missingGroups), "entry matches", "entries match"), plural(len(e.scope.missingGroups), "it", "them")),
			Action:   "Check the group DNs in include_groups.",
			Subjects: capSubjects(e.scope.missingGroups)})
	}
	if len(e.scope.badGlobs) > 0 {
		e.add(Finding{Code: CodeExcludePatternInvalid, Severity: SeverityWarning, Rule: "R1",
			Message:  fmt.Sprintf("%s exclude_accounts %s not valid and excluded nothing.", FormatCount(len(e.scope.badGlobs)), plural(len(e.scope.badGlobs), "pattern is", "patterns are")),
			Action:   "Fix the pattern: * and ? are wildcards, [abc] a set.",
			Subjects: capSubjects(e.scope.badGlobs)})
	}
}

// reclaimableFinding: disabled, expired and stale accounts of the counted
// type hold no CAL need (A2).
func (e *evaluation) reclaimableFinding() {
	accounts, account := e.userRows, e.user
	if e.calType == CALDevice {
		accounts, account = e.deviceRows, e.device
	}
	names := e.newSubjectList()
	byReason := map[Reason]int{}
	for k := range accounts {
		if a := &accounts[k]; a.Excluded().Reclaimable() {
			acc := account(k)
			names.add(acc.Domain, acc.Name)
			byReason[a.Excluded()]++
		}
	}
	if names.n == 0 {
		return
	}
	var parts []string
	for _, r := range []Reason{ReasonDisabled, ReasonExpired, ReasonStale} {
		if byReason[r] > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", FormatCount(byReason[r]), reasonWord(r, e.p.StaleAfter.Hours()/24)))
		}
	}
	noun := "user"
	if e.calType == CALDevice {
		noun = "device"
	}
	e.add(Finding{Code: CodeReclaimableAccounts, Severity: SeverityInfo, Rule: "A2",
		Message: fmt.Sprintf("%s %s %s no CAL (%s); a CAL assigned to %s can be reassigned.",
			FormatCount(names.n), noun, plural(names.n, "account needs", "accounts need"), strings.Join(parts, ", "), plural(names.n, "it", "them")),
		Action:   "Delete or keep these accounts disabled; reassign their CALs to new staff or devices.",
		Subjects: names.subjects()})
}

func reasonWord(r Reason, staleDays float64) string {
	switch r {
	case ReasonDisabled:
		return "disabled"
	case ReasonExpired:
		return "expired"
	}
	return fmt.Sprintf("inactive for over %s days", FormatCount(int(math.Round(staleDays))))
}

func exemptPhrase(exempt []string) string {
	switch len(exempt) {
	case 0:
		return "none is"
	case 1:
		return "only " + exempt[0] + " is"
	}
	return "only " + listNames(exempt, maxAdminExempt) + " are"
}
