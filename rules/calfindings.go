package rules

import (
	"fmt"
	"slices"
	"strings"
)

// calFindings: shortfall (R1, §6), old CALs (V1, V4) and surplus.
func (e *evaluation) calFindings() {
	if e.requiredCALVer == "" {
		e.add(Finding{Code: CodeNoCALServers, Severity: SeverityInfo, Rule: "R1",
			Message:  "No server in scope needs Windows Server CALs (none is a Standard, Datacenter or other CAL-licensed edition with a known version), so no CALs are required.",
			Action:   "If a server that needs CALs is missing, add it in a [[server]] block with its edition and version.",
			Subjects: []string{}})
	}
	for _, t := range calTypes(e.balances) {
		b := e.balances[t]
		l := b.line(t)
		if l.Shortfall > 0 {
			e.shortfallFindings(t, b, l)
		}
		if l.Surplus > 0 && (t == CALUser || t == CALDevice) {
			e.add(Finding{Code: CodeCALSurplus, Severity: SeverityInfo, Rule: "§6",
				Message: fmt.Sprintf("You own %d %s that no %s needs (%d owned, %d required).",
					l.Surplus, calName(t, l.Surplus), calHolder(t, 1), l.Owned, l.Required),
				Action:   "Keep them for growth, or reassign them (A1).",
				Subjects: []string{string(t)}})
		}
	}
}

func (e *evaluation) shortfallFindings(t CALType, b *calBalance, l CALLine) {
	short, binding := b.shortfall()
	buy := buyableVersion(l.MinVersion)
	setters := e.versionSetters(l.MinVersion)
	e.add(Finding{Code: CodeCALShortfall, Severity: SeverityViolation, Rule: "R1",
		Message: fmt.Sprintf("%d %s need a Windows Server %s %s (%s); the %s you own cover %d of them: buy %d Windows Server %s %s.",
			l.Required, calHolder(t, l.Required), l.MinVersion, calName(t, 1), describeSetters(setters),
			calName(t, 2), l.Required-short, short, buy, calName(t, short)),
		Action: fmt.Sprintf("Buy %d Windows Server %s %s (a newer version also covers), or reduce the %s that need one (see RECLAIMABLE_ACCOUNTS).",
			short, buy, calName(t, short), calHolder(t, 2)),
		Subjects: serverNames(setters)})

	old, versions := b.olderThan(binding)
	if old == 0 {
		return
	}
	e.add(Finding{Code: CodeCALVersionTooOld, Severity: SeverityViolation, Rule: "V1",
		Message: fmt.Sprintf("%d of your %d %s are %s CALs; %s, so %s need %s CALs or newer.",
			old, l.Owned, calName(t, l.Owned), strings.Join(versions, "/"), describeSetters(setters), calHolder(t, 2), l.MinVersion),
		Action: fmt.Sprintf("Replace or upgrade the %s CALs with %s CALs or newer (or a CAL Suite with Software Assurance): an older CAL never covers a newer server.",
			strings.Join(versions, "/"), buy),
		Subjects: versions})
}

// versionSetters are the servers whose version sets the required CAL version (V4).
func (e *evaluation) versionSetters(calVersion string) []Server {
	var out []Server
	for _, s := range e.res.Servers {
		if s.NeedsCALs && s.CALVersion == calVersion {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Server) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// describeSetters reads "APP01 runs Windows Server 2022" or "DC1 and DC2 run
// Windows Server 2012 R2; APP01 runs Windows Server 2012".
func describeSetters(servers []Server) string {
	var order []string
	byRelease := map[string][]string{}
	for _, s := range servers {
		if _, ok := byRelease[s.Version]; !ok {
			order = append(order, s.Version)
		}
		byRelease[s.Version] = append(byRelease[s.Version], s.Name)
	}
	slices.Sort(order)
	var parts []string
	for _, r := range order {
		names := byRelease[r]
		verb := "runs"
		if len(names) > 1 {
			verb = "run"
		}
		parts = append(parts, fmt.Sprintf("%s %s %s", listNames(names, 3), verb, releaseName(r)))
	}
	return strings.Join(parts, "; ")
}

func serverNames(servers []Server) []string {
	names := make([]string, len(servers))
	for i, s := range servers {
		names[i] = s.Name
	}
	return capSubjects(names)
}

// calName reads "User CAL(s)", "Device CAL(s)", "RDS User CAL(s)".
func calName(t CALType, n int) string {
	var name string
	switch t {
	case CALUser:
		name = "User CAL"
	case CALDevice:
		name = "Device CAL"
	case CALRDSUser:
		name = "RDS User CAL"
	case CALRDSDevice:
		name = "RDS Device CAL"
	default:
		name = string(t) + " CAL"
	}
	return name + plural(n, "", "s")
}

// calHolder reads "user(s)" or "device(s)": who a CAL type is assigned to.
func calHolder(t CALType, n int) string {
	if t == CALDevice || t == CALRDSDevice {
		return plural(n, "device", "devices")
	}
	return plural(n, "user", "users")
}
