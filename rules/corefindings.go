package rules

import (
	"fmt"
	"slices"
	"strings"
)

// coreFindings: too few server licences (C1–C3), and servers whose licences
// cannot be checked because their cores are not configured.
func (e *evaluation) coreFindings() {
	for _, l := range e.res.CoreLicenses {
		if l.Shortfall == 0 {
			continue
		}
		rule, unit := "C1", "core licences"
		if l.Unit == UnitProcessor {
			rule, unit = "C3", "processor licences (one per 2 processors)"
		}
		var details []string
		for _, s := range e.res.Servers {
			if s.Edition != l.Edition || s.CoreLicenseUnit != l.Unit || s.CoreLicensesRequired == 0 {
				continue
			}
			if s.CoreLicenseSets > 1 && rule == "C1" {
				rule = "C2"
			}
			details = append(details, coreDetail(s))
		}
		slices.Sort(details)
		buy := l.MinVersion
		e.add(Finding{Code: CodeCoreLicenseShortfall, Severity: SeverityViolation, Rule: rule,
			Message: fmt.Sprintf("Windows Server %s needs %s %s, version %s or newer (%s); the %s you own cover %s: buy %s.",
				editionName(l.Edition), FormatCount(l.Required), unit, l.MinVersion, listNames(details, 5), FormatCount(l.Owned), FormatCount(l.Required-l.Shortfall), FormatCount(l.Shortfall)),
			Action: fmt.Sprintf("Buy %s Windows Server %s %s %s (cores are sold in 2- and 16-core packs), or check cores, processors and vms in the [[server]] blocks.",
				FormatCount(l.Shortfall), buy, editionName(l.Edition), unit),
			Subjects: capSubjects(l.Servers)})
	}
	var unchecked []string
	for _, s := range e.res.Servers {
		if coreUnchecked(&s) {
			unchecked = append(unchecked, s.Name)
		}
	}
	if len(unchecked) > 0 {
		e.add(Finding{Code: CodeCoreLicensesNotChecked, Severity: SeverityInfo, Rule: "C1",
			Message: fmt.Sprintf("Core licences are not checked for %s %s: the directory records neither cores nor processors (nor, for some, the edition).",
				FormatCount(len(unchecked)), plural(len(unchecked), "server", "servers")),
			Action:   "Set cores/processors in [[server]] to check core licences (with edition if unknown, and vms on Standard hosts). Virtual machines are licensed through their host.",
			Subjects: capSubjects(unchecked)})
	}
}

// coreDetail reads "HV01: 2 × 24 cores (6 VMs)".
func coreDetail(s Server) string {
	per := s.CoreLicensesRequired / max(s.CoreLicenseSets, 1)
	unit := "cores"
	if s.CoreLicenseUnit == UnitProcessor {
		unit = plural(per, "licence", "licences")
	}
	d := fmt.Sprintf("%s: %s %s", s.Name, FormatCount(per), unit)
	if s.CoreLicenseSets > 1 {
		d = fmt.Sprintf("%s: %s × %s %s", s.Name, FormatCount(s.CoreLicenseSets), FormatCount(per), unit)
	}
	if s.VMs > 0 {
		d += fmt.Sprintf(" for %s %s", FormatCount(s.VMs), plural(s.VMs, "VM", "VMs"))
	}
	return d
}

func editionName(e Edition) string {
	if e == "" {
		return ""
	}
	return strings.ToUpper(string(e[:1])) + string(e[1:])
}
