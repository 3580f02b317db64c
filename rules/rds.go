package rules

// rdsKey is an RDS CAL need shared by many accounts.
type rdsKey struct {
	t       CALType
	version string
}

// requireRDSCALs gives the users of RD Session Hosts licensed per user an
// RDS User CAL, and client devices an RDS Device CAL for hosts licensed per
// device, in addition to their Windows Server CAL (D1), of at least the
// host's version (D2). Administrators exempt under R5 are not counted, which
// also covers the two administrative sessions of D3.
func (e *evaluation) requireRDSCALs() {
	a := e.access
	if len(a.rdsUser) > 0 {
		for k := range e.userRows {
			acc := &e.userRows[k]
			if !acc.Counted {
				continue
			}
			if s := a.highest(a.rdsUser, e.members, int(e.userOrder[k]), acc.External); s >= 0 {
				e.needRDS(acc, CALRDSUser, a.rdsUser[s].rank)
			}
		}
	}
	if len(a.rdsDevice) > 0 {
		for k := range e.deviceRows {
			if e.deviceRows[k].Counted {
				if rank := e.deviceRDSRank(k); rank >= 0 {
					e.needRDS(&e.deviceRows[k], CALRDSDevice, rank)
				}
			}
		}
	}
}

// deviceRDSRank is the RDS Device CAL version device k needs: with usage
// evidence, the newest per-device host its users use; without, the newest
// per-device host (AD does not say which device connects where).
func (e *evaluation) deviceRDSRank(k int) int {
	users, ok := e.usage.usersOf(k)
	if !ok {
		return e.access.rdsDevice[0].rank
	}
	rank := -1
	for _, u := range users {
		acc := &e.userRows[u]
		if s := e.access.highest(e.access.rdsDevice, e.members, int(e.userOrder[u]), acc.External); s >= 0 {
			rank = max(rank, e.access.rdsDevice[s].rank)
		}
	}
	return rank
}

// needRDS records an RDS CAL need. Accounts without an issuance share one
// value per need, so a million RD users cost a pointer each.
func (e *evaluation) needRDS(acc *accountRow, t CALType, rank int) {
	v := calVersionOrder[rank]
	if acc.RDS != nil {
		acc.RDS.CALType, acc.RDS.CALVersion = t, v
		return
	}
	key := rdsKey{t, v}
	shared, ok := e.rdsNeed[key]
	if !ok {
		shared = &AccountRDS{CALType: t, CALVersion: v}
		e.rdsNeed[key] = shared
	}
	acc.RDS = shared
}

// rdsIssuance is the per-user RDS CAL a license server recorded on user i or
// one of its copies (D4), the one that expires last; nil if none. The values
// come from one allocation for all users.
func (e *evaluation) rdsIssuance(i int) *AccountRDS {
	best, found := e.inv.rdsIssue(i)
	for _, c := range e.userDups.of(i) {
		if r, ok := e.inv.rdsIssue(int(c)); ok && (!found || laterIssue(r, best)) {
			best, found = r, true
		}
	}
	if !found {
		return nil
	}
	if len(e.rdsIssued) == cap(e.rdsIssued) {
		e.rdsIssued = make([]AccountRDS, 0, len(e.inv.rdsIssues))
	}
	e.rdsIssued = append(e.rdsIssued, AccountRDS{IssuedVersion: best.version, IssuedExpires: best.expires.time(), LicenseServer: best.licenseServer})
	return &e.rdsIssued[len(e.rdsIssued)-1]
}

func laterIssue(a, b *rdsIssue) bool {
	if a.expires != b.expires {
		return a.expires > b.expires
	}
	return a.version+"\x00"+a.licenseServer > b.version+"\x00"+b.licenseServer
}

// countIssuedRDS counts the per-user RDS CAL issuances on user objects,
// valid and expired (D4). Per-user RDS CALs are not enforced by Windows, so
// this count is the only view of how many are handed out.
func (e *evaluation) countIssuedRDS() {
	for k := range e.userRows {
		r := e.userRows[k].RDS
		if r == nil || (r.IssuedVersion == "" && r.LicenseServer == "" && r.IssuedExpires.IsZero()) {
			continue
		}
		if !r.IssuedExpires.IsZero() && instantOf(r.IssuedExpires) < e.scope.now {
			e.rdsExpired++
		} else {
			e.rdsValid++
		}
	}
	if e.rdsValid+e.rdsExpired > 0 && e.balances[CALRDSUser] == nil {
		e.balances[CALRDSUser] = &calBalance{required: map[string]int{}, owned: map[string]int{}}
	}
}
