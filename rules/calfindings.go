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
			e.add(surplusFinding(t, b, l))
		}
	}
}

// surplusFinding: CALs nobody needs. With a shortfall of the same type the
// surplus is CALs too old for the servers that set the shortfall (all owned
// CALs of the binding version or newer are in use), not CALs to spare.
func surplusFinding(t CALType, b *calBalance, l CALLine) Finding {
	f := Finding{Code: CodeCALSurplus, Severity: SeverityInfo, Rule: "§6",
		Message: fmt.Sprintf("You own %s more %s than you need (%s owned, %s required).",
			FormatCount(l.Surplus), calName(t, l.Surplus), FormatCount(l.Owned), FormatCount(l.Required)),
		Action:   "Keep them for growth, or reassign them (A1).",
		Subjects: []string{string(t)}}
	if l.Shortfall == 0 {
		return f
	}
	_, binding := b.shortfall()
	_, versions := b.olderThan(binding)
	servers := binding + " servers"
	if binding != l.MinVersion {
		servers = binding + " and newer servers"
	}
	f.Message = fmt.Sprintf("%s %s (%s) %s too old for your %s and %s no one; see %s.",
		FormatCount(l.Surplus), calName(t, l.Surplus), strings.Join(versions, "/"), plural(l.Surplus, "is", "are"),
		servers, plural(l.Surplus, "covers", "cover"), CodeCALVersionTooOld)
	f.Action = fmt.Sprintf("They do not reduce the shortfall: those servers accept only %s CALs or newer (see %s).",
		binding, CodeCALShortfall)
	return f
}

func (e *evaluation) shortfallFindings(t CALType, b *calBalance, l CALLine) {
	short, binding := b.shortfall()
	buy := buyableVersion(l.MinVersion)
	setters := e.setters(t, l.MinVersion)
	raise := e.raisePhrase(t, l, setters)
	old, versions := b.olderThan(binding)
	if t == CALRDSUser || t == CALRDSDevice {
		rule, oldPart := "D1", ""
		if old > 0 {
			rule = "D2"
			oldPart = fmt.Sprintf(" (%s are %s CALs, older than the host they would serve)", FormatCount(old), strings.Join(versions, "/"))
		}
		e.add(Finding{Code: CodeRDSCALShortfall, Severity: SeverityViolation, Rule: rule,
			Message: fmt.Sprintf("%s %s of RD Session Hosts %s an %s in addition to the Windows Server CAL (%s); the %s you own%s cover %s of them: buy %s Windows Server %s %s.",
				FormatCount(l.Required), calHolder(t, l.Required), plural(l.Required, "needs", "need"), calName(t, 1), raise, calName(t, 2), oldPart, FormatCount(l.Required-short), FormatCount(short), buy, calName(t, short)),
			Action: fmt.Sprintf("Buy %s Windows Server %s %s (a newer version also covers), or set access_group on the RD Session Hosts if fewer %s use them.",
				FormatCount(short), buy, calName(t, short), calHolder(t, 2)),
			Subjects: serverNames(setters)})
		return
	}
	e.add(Finding{Code: CodeCALShortfall, Severity: SeverityViolation, Rule: "R1",
		Message: fmt.Sprintf("%s (%s); the %s you own cover %s of them: buy %s Windows Server %s %s.",
			needPhrase(t, l), raise, calName(t, 2), FormatCount(l.Required-short), FormatCount(short), buy, calName(t, short)),
		Action: fmt.Sprintf("Buy %s Windows Server %s %s (a newer version also covers), or reduce the %s that need one (see RECLAIMABLE_ACCOUNTS).",
			FormatCount(short), buy, calName(t, short), calHolder(t, 2)),
		Subjects: serverNames(setters)})
	if old == 0 {
		return
	}
	e.add(Finding{Code: CodeCALVersionTooOld, Severity: SeverityViolation, Rule: "V1",
		Message: fmt.Sprintf("%s of your %s %s are %s CALs; %s, so %s %s need %s CALs or newer.",
			FormatCount(old), FormatCount(l.Owned), calName(t, l.Owned), strings.Join(versions, "/"), raise, FormatCount(atVersion(l)), calHolder(t, atVersion(l)), l.MinVersion),
		Action: fmt.Sprintf("Replace or upgrade the %s CALs with %s CALs or newer (or a CAL Suite with Software Assurance): an older CAL never covers a newer server.",
			strings.Join(versions, "/"), buy),
		Subjects: versions})
}

// needPhrase reads "3 users need a Windows Server 2022 User CAL", or with
// several versions "120 users need a Windows Server User CAL, 40 of them 2025 or newer".
func needPhrase(t CALType, l CALLine) string {
	if top := atVersion(l); top < l.Required {
		return fmt.Sprintf("%s %s %s a Windows Server %s, %s of them %s or newer", FormatCount(l.Required), calHolder(t, l.Required), plural(l.Required, "needs", "need"), calName(t, 1), FormatCount(top), l.MinVersion)
	}
	return fmt.Sprintf("%s %s %s a Windows Server %s %s", FormatCount(l.Required), calHolder(t, l.Required), plural(l.Required, "needs", "need"), l.MinVersion, calName(t, 1))
}

// atVersion is how many of a line's users or devices need its MinVersion.
func atVersion(l CALLine) int {
	for _, v := range l.ByVersion {
		if v.Version == l.MinVersion {
			return v.Required
		}
	}
	return 0
}

// raisePhrase says which servers set the version and for whom: "APP01 runs
// Windows Server 2025, which raises everyone to 2025 CALs" (V4).
func (e *evaluation) raisePhrase(t CALType, l CALLine, setters []Server) string {
	if len(setters) == 0 {
		return fmt.Sprintf("%s CALs", l.MinVersion)
	}
	who := "everyone"
	if top := atVersion(l); top < l.Required {
		who = fmt.Sprintf("the %s %s who %s %s", FormatCount(top), calHolder(t, top), plural(top, "uses", "use"), plural(len(setters), "it", "them"))
		if t == CALDevice || t == CALRDSDevice {
			who = fmt.Sprintf("%s %s", FormatCount(top), calHolder(t, top))
		}
	}
	kind := "CALs"
	if t == CALRDSUser || t == CALRDSDevice {
		kind = "RDS CALs"
	}
	return fmt.Sprintf("%s, which %s %s to %s %s", describeSetters(setters), plural(len(setters), "raises", "raise"), who, l.MinVersion, kind)
}

// setters are the servers that set a CAL line's version (V4): those of that
// version used by at least one account that needs it.
func (e *evaluation) setters(t CALType, version string) []Server {
	rank := calRank(version)
	if rank < 0 || e.access == nil {
		return nil
	}
	var parts []serverPart
	switch t {
	case CALUser, CALDevice:
		parts = e.access.win
	case CALRDSUser:
		parts = e.access.rdsUser
	case CALRDSDevice:
		parts = e.access.rdsDevice
	}
	var candidates []*serverPart
	for k := range parts {
		if parts[k].rank == rank {
			candidates = append(candidates, &parts[k])
		}
	}
	found := make([]bool, len(candidates))
	left := len(candidates)
	markUsedBy := func(user int32) {
		a := &e.userRows[user]
		for c, p := range candidates {
			if !found[c] && p.uses(e.members, int(e.userOrder[user]), a.External) {
				found[c], left = true, left-1
			}
		}
	}
	switch t {
	case CALUser, CALRDSUser:
		for k := range e.userRows {
			if left == 0 {
				break
			}
			if v, ok := needOf(&e.userRows[k], t); ok && v == version {
				markUsedBy(int32(k))
			}
		}
	default:
		for k := range e.deviceRows {
			if left == 0 {
				break
			}
			if v, ok := needOf(&e.deviceRows[k], t); !ok || v != version {
				continue
			}
			users, evidence := e.usage.usersOf(k)
			if !evidence {
				for c := range found {
					found[c] = true
				}
				left = 0
			}
			for _, u := range users {
				markUsedBy(u)
			}
		}
	}
	var out []Server
	for c, p := range candidates {
		if found[c] {
			out = append(out, e.res.Servers[p.pos])
		}
	}
	slices.SortFunc(out, func(a, b Server) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// needOf is the version of a CAL type an account needs.
func needOf(a *accountRow, t CALType) (string, bool) {
	switch calType, version := a.CAL(); {
	case calType == t:
		return version, true
	case a.RDS != nil && a.RDS.CALType == t:
		return a.RDS.CALVersion, true
	}
	return "", false
}

// raisedBy names a line's setters with their release for CALLine.RaisedBy.
func (e *evaluation) raisedBy(t CALType, version string) []string {
	var out []string
	for _, s := range e.setters(t, version) {
		out = append(out, fmt.Sprintf("%s (%s)", s.Name, releaseName(s.Version)))
	}
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
