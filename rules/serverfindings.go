package rules

import "fmt"

// editionLimitFindings: Essentials and Foundation caps (R8), judged on the
// counted users and devices of the server's own domain.
func (e *evaluation) editionLimitFindings() {
	for _, s := range e.res.Servers {
		if s.Excluded != ReasonNone {
			continue
		}
		users, devices := e.res.Counts.UsersCounted, e.res.Counts.DevicesCounted
		where := "in scope"
		if d, ok := e.dirs[s.Domain]; ok && s.Domain != "" {
			users, devices = d.UsersCounted, d.DevicesCounted
			where = "in domain " + s.Domain
		}
		switch {
		case s.Edition == EditionEssentials && (users > essentialsMaxUsers || devices > essentialsMaxDevices):
			e.add(Finding{Code: CodeEssentialsLimitExceeded, Severity: SeverityViolation, Rule: "R8",
				Message: fmt.Sprintf("%s runs %s Essentials, which allows at most %d users and %d devices; there are %s users and %s devices %s.",
					s.Name, releaseName(s.Version), essentialsMaxUsers, essentialsMaxDevices, FormatCount(users), FormatCount(devices), where),
				Action:   "Move to Windows Server Standard with CALs, or bring the users and devices within the limit. If it is really Standard, set edition in its [[server]] block.",
				Subjects: []string{s.Name}})
		case s.Edition == EditionFoundation && users > foundationMaxUsers:
			e.add(Finding{Code: CodeFoundationLimitExceeded, Severity: SeverityViolation, Rule: "R8",
				Message: fmt.Sprintf("%s runs %s Foundation, which allows at most %d users; there are %s users %s.",
					s.Name, releaseName(s.Version), foundationMaxUsers, FormatCount(users), where),
				Action:   "Move to Windows Server Standard with CALs (Foundation is discontinued), or bring the users within the limit.",
				Subjects: []string{s.Name}})
		}
	}
}

// serverFindings: unknown operating systems and Hyper-V hosts (R9).
func (e *evaluation) serverFindings() {
	if n := len(e.unknownOS); n > 0 {
		e.add(Finding{Code: CodeUnknownOperatingSystem, Severity: SeverityWarning, Rule: "V1",
			Message: fmt.Sprintf("%s %s an operating system or version calscan cannot recognise: %s counted as client devices to be safe, %s %s that cannot set the CAL version.",
				FormatCount(n), plural(n, "computer has", "computers have"), FormatCount(e.unknownDevices), FormatCount(n-e.unknownDevices), plural(n-e.unknownDevices, "server", "servers")),
			Action:   "Check these computers; describe servers in a [[server]] block with edition and version.",
			Subjects: capSubjects(e.unknownOS)})
	}
	var hosts []string
	for _, s := range e.res.Servers {
		if s.Edition == EditionHyperV && s.Excluded == ReasonNone {
			hosts = append(hosts, s.Name)
		}
	}
	if len(hosts) > 0 {
		e.add(Finding{Code: CodeHyperVHost, Severity: SeverityInfo, Rule: "R9",
			Message:  fmt.Sprintf("%s Hyper-V %s no CALs of %s own; the CAL version is judged by the guests.", FormatCount(len(hosts)), plural(len(hosts), "host needs", "hosts need"), plural(len(hosts), "its", "their")),
			Action:   "Make sure every Windows Server guest is in the directory or in a [[server]] block.",
			Subjects: capSubjects(hosts)})
	}
}
