package report

import (
	"strings"

	"github.com/calscan/calscan/rules"
)

// verdictTitle is the one-word answer: "Compliant" or "Not compliant".
func verdictTitle(r *Report) string {
	if r.Compliant {
		return "Compliant"
	}
	return "Not compliant"
}

// verdictAction is the money sentence: what to buy, or how much margin is owned.
// It is built only from the CAL lines and the findings' severities.
func verdictAction(r *Report) string {
	var buy []string
	for _, c := range r.CALs {
		if c.Shortfall > 0 {
			buy = append(buy, formatInt(c.Shortfall)+" "+calProduct(c.Type, c.MinVersion, c.Shortfall))
		}
	}
	if len(buy) > 0 {
		return "Buy " + joinAnd(buy) + "."
	}
	if !r.Compliant {
		v := severityCount(r.Findings, rules.SeverityViolation)
		if v == 0 {
			return "No CALs are missing, but the result is not compliant: see the findings."
		}
		return "No CALs are missing, but " + count(v, "violation", "violations") + " must be resolved: see the findings."
	}

	var margins []string
	for _, c := range r.CALs {
		switch {
		case c.Surplus > 0:
			margins = append(margins, "You own "+formatInt(c.Surplus)+" more "+calProduct(c.Type, "", c.Surplus)+" than you need.")
		case c.Required > 0:
			margins = append(margins, "You own exactly the "+formatInt(c.Required)+" "+calProduct(c.Type, "", c.Required)+" you need.")
		}
	}
	if len(margins) == 0 {
		return "No CALs are required."
	}
	return strings.Join(margins, " ")
}

func severityCount(findings []rules.Finding, s rules.Severity) int {
	n := 0
	for _, f := range findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// findingsSentence is "3 findings: 1 violation, 2 warnings." or "No findings."
func findingsSentence(findings []rules.Finding) string {
	if len(findings) == 0 {
		return "No findings."
	}
	head := count(len(findings), "finding", "findings")
	if tally := severityTally(findings); tally != "" {
		return head + ": " + tally + "."
	}
	return head + "."
}

// severityTally is "1 violation, 2 warnings"; "" when there are no findings.
func severityTally(findings []rules.Finding) string {
	var parts []string
	for _, s := range []struct {
		sev       rules.Severity
		one, many string
	}{
		{rules.SeverityViolation, "violation", "violations"},
		{rules.SeverityWarning, "warning", "warnings"},
		{rules.SeverityInfo, "info", "info"},
	} {
		if n := severityCount(findings, s.sev); n > 0 {
			parts = append(parts, count(n, s.one, s.many))
		}
	}
	return strings.Join(parts, ", ")
}
