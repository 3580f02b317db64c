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
// It is built only from the CAL and core licence lines and the findings' severities.
func verdictAction(r *Report) string {
	if buy := purchases(r); len(buy) > 0 {
		return purchaseSentence(buy)
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
			margins = append(margins, "You own "+rules.FormatCount(c.Surplus)+" more "+calProduct(c.Type, "", c.Surplus)+" than you need.")
		case c.Required > 0:
			margins = append(margins, "You own exactly the "+rules.FormatCount(c.Required)+" "+calProduct(c.Type, "", c.Required)+" you need.")
		}
	}
	if len(margins) == 0 {
		return "No CALs are required."
	}
	return strings.Join(margins, " ")
}

// maxPurchases keeps the verdict to one line: more go behind "and more".
const maxPurchases = 3

// purchase is one thing to buy; cores are "licensed more" rather than bought.
type purchase struct {
	license bool
	what    string // "68 Windows Server 2022 User CALs", "32 more Standard 2022 cores"
}

// purchases lists every shortfall: CALs in the order of the CAL lines (RDS
// CALs included), then server licences.
func purchases(r *Report) []purchase {
	var out []purchase
	for _, c := range r.CALs {
		if c.Shortfall > 0 {
			out = append(out, purchase{what: rules.FormatCount(c.Shortfall) + " " + calProduct(c.Type, c.MinVersion, c.Shortfall)})
		}
	}
	for _, l := range r.CoreLicenses {
		if l.Shortfall == 0 {
			continue
		}
		if l.Unit == rules.UnitProcessor {
			out = append(out, purchase{what: rules.FormatCount(l.Shortfall) + " Windows Server " + l.MinVersion + " " +
				editionLabel(l.Edition) + " " + plural(l.Shortfall, "processor licence", "processor licences")})
			continue
		}
		out = append(out, purchase{license: true, what: rules.FormatCount(l.Shortfall) + " more " + editionLabel(l.Edition) + " " +
			l.MinVersion + " " + plural(l.Shortfall, "core", "cores")})
	}
	return out
}

// purchaseSentence reads "Buy 68 Windows Server 2022 User CALs and 12
// Windows Server 2022 RDS User CALs; license 32 more Standard 2022 cores."
func purchaseSentence(all []purchase) string {
	shown := all[:min(len(all), maxPurchases)]
	var buy, license []string
	for _, p := range shown {
		if p.license {
			license = append(license, p.what)
		} else {
			buy = append(buy, p.what)
		}
	}
	var clauses []string
	if len(buy) > 0 {
		clauses = append(clauses, "buy "+joinAnd(buy))
	}
	if len(license) > 0 {
		clauses = append(clauses, "license "+joinAnd(license))
	}
	s := strings.Join(clauses, "; ")
	s = strings.ToUpper(s[:1]) + s[1:]
	if len(all) > len(shown) {
		return s + ", and more: see the findings."
	}
	return s + "."
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
