package rules

// FailNever as the threshold of ExitCode means findings never fail the scan.
const FailNever Severity = "never"

// ExitCode is 1 if any finding is at least as severe as failOn, else 0.
// failOn "" or FailNever always gives 0; an unknown value counts as
// SeverityViolation, the default threshold.
func (r *Result) ExitCode(failOn Severity) int {
	if failOn == "" || failOn == FailNever {
		return 0
	}
	threshold := severityRank(failOn)
	if threshold > severityRank(SeverityInfo) {
		threshold = severityRank(SeverityViolation)
	}
	for _, f := range r.Findings {
		if severityRank(f.Severity) <= threshold {
			return 1
		}
	}
	return 0
}

// severityRank orders severities, most severe first; unknown ones last.
func severityRank(s Severity) int {
	switch s {
	case SeverityViolation:
		return 0
	case SeverityWarning:
		return 1
	case SeverityInfo:
		return 2
	}
	return 3
}
