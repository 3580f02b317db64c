package rules

import (
	"fmt"
	"slices"
)

// accessFindings: access groups and external groups missing from the
// directory, external users (R4), multiplexing (R7) and accounts read twice.
func (e *evaluation) accessFindings() {
	if n := len(e.access.missingGroups); n > 0 {
		var groups, servers []string
		for g, names := range e.access.missingGroups {
			groups = append(groups, g)
			servers = append(servers, names...)
		}
		slices.Sort(servers)
		e.add(Finding{Code: CodeAccessGroupNotFound, Severity: SeverityWarning, Rule: "R1",
			Message: fmt.Sprintf("%s access_group %s no group in the directory, so %s %s counted as used by everyone.",
				FormatCount(n), plural(n, "names", "entries name"), listNames(servers, 5), plural(len(servers), "is", "are")),
			Action:   "Check the group DN in the [[server]] block's access_group.",
			Subjects: capSubjects(groups)})
	}
	if n := len(e.scope.missingExternalGroups); n > 0 {
		e.add(Finding{Code: CodeExternalGroupNotFound, Severity: SeverityWarning, Rule: "R4",
			Message:  fmt.Sprintf("%s external_groups %s no group in the directory, so nobody is treated as external through %s.", FormatCount(n), plural(n, "entry matches", "entries match"), plural(n, "it", "them")),
			Action:   "Check the group DNs in external_groups.",
			Subjects: capSubjects(e.scope.missingExternalGroups)})
	}
	e.externalFinding()
	if n := e.excludedByPattern; n > 0 && e.requiredCALVer != "" {
		e.add(Finding{Code: CodeMultiplexing, Severity: SeverityInfo, Rule: "R7",
			Message: fmt.Sprintf("exclude_accounts leaves out %s %s. A service account needs no CAL itself, but the people or devices that reach a server through it (a web application, middleware, a sync job) do: multiplexing does not reduce the count.",
				FormatCount(n), plural(n, "account", "accounts")),
			Action:   "Make sure everyone served through excluded service accounts is counted, e.g. in the directory or in include_groups.",
			Subjects: []string{}})
	}
	if n := e.res.Counts.Duplicates; n > 0 {
		names := e.newSubjectList()
		for k := range e.userRows {
			if len(e.userDups.of(int(e.userOrder[k]))) > 0 {
				u := e.user(k)
				names.add(u.Domain, u.Name)
			}
		}
		for k := range e.deviceRows {
			if len(e.computerDups.of(int(e.deviceOrder[k]))) > 0 {
				d := e.device(k)
				names.add(d.Domain, d.Name)
			}
		}
		e.add(Finding{Code: CodeDuplicateAccounts, Severity: SeverityInfo, Rule: "R2",
			Message: fmt.Sprintf("%s %s read more than once (the same objectSid from several directories or a Global Catalog) and counted once; each directory's own counts still include them.",
				FormatCount(n), plural(n, "account was", "accounts were")),
			Action:   "Nothing to do; to avoid it, do not scan a domain both directly and through a Global Catalog.",
			Subjects: names.subjects()})
	}
}

// externalFinding: how external users are licensed (R4).
func (e *evaluation) externalFinding() {
	c := e.res.Counts
	if c.External == 0 {
		return
	}
	needing := 0
	uncovered := map[string]bool{}
	for k := range e.userRows {
		a := &e.userRows[k]
		if !a.External || !a.Counted || e.userWin[k] < 0 {
			continue
		}
		needing++
		for _, s := range e.access.win {
			if s.uses(e.members, int(e.userOrder[k]), true) {
				uncovered[e.res.Servers[s.pos].Name] = true
			}
		}
	}
	msg := fmt.Sprintf("%s external %s in scope: %s covered by External Connector licences on every server they use, %s %s CALs like employees.",
		FormatCount(c.External), plural(c.External, "user is", "users are"), FormatCount(c.ExternalCovered), FormatCount(needing), plural(needing, "needs", "need"))
	var subjects []string
	for name := range uncovered {
		subjects = append(subjects, name)
	}
	slices.Sort(subjects)
	if len(subjects) > 0 {
		msg += fmt.Sprintf(" Without an External Connector: %s.", listNames(subjects, 5))
	}
	e.add(Finding{Code: CodeExternalUsers, Severity: SeverityInfo, Rule: "R4",
		Message:  msg,
		Action:   "Set external_connector = true on the [[server]] blocks of servers licensed with an External Connector; anonymous (unauthenticated) access needs no CAL at all.",
		Subjects: capSubjects(subjects)})
}
