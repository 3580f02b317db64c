package rules

import "fmt"

// rdsFindings: per-user RDS CALs handed out beyond those owned, and
// issuances without any RD Session Host configured (D4).
func (e *evaluation) rdsFindings() {
	issued := e.rdsValid + e.rdsExpired
	if issued == 0 {
		return
	}
	owned := 0
	if b := e.balances[CALRDSUser]; b != nil {
		owned = sum(b.owned)
	}
	if e.rdsValid > owned {
		e.add(Finding{Code: CodeRDSCALsIssuedOverOwned, Severity: SeverityWarning, Rule: "D4",
			Message: fmt.Sprintf("A Remote Desktop license server has recorded %s valid per-user RDS CALs on user accounts, but you own %s RDS User CALs. Windows does not enforce per-user RDS CALs, so over-allocation is only visible by counting.",
				FormatCount(e.rdsValid), FormatCount(owned)),
			Action:   "Buy the missing RDS User CALs, or limit who may use the RD Session Hosts (access_group) and let unused issuances expire.",
			Subjects: []string{string(CALRDSUser)}})
	}
	if len(e.access.rdsUser)+len(e.access.rdsDevice) == 0 {
		e.add(Finding{Code: CodeRDSHostsNotConfigured, Severity: SeverityInfo, Rule: "D4",
			Message: fmt.Sprintf("%s %s a per-user RDS CAL recorded by a license server (%s expired), but no [[server]] block has rds = true, so RDS CALs are not checked.",
				FormatCount(issued), plural(issued, "user holds", "users hold"), FormatCount(e.rdsExpired)),
			Action:   "Add rds = true to the [[server]] block of each RD Session Host.",
			Subjects: []string{}})
	}
}
