package rules

// requireCALs decides who needs which Windows Server CAL (R1–R6, V1–V4):
// each user the highest version among the servers they use, each device the
// highest version of all (or, with usage evidence, of its users' servers),
// and in the mixed model the cheapest mix of the two (§5).
func (e *evaluation) requireCALs() {
	if e.access.topRank >= 0 {
		e.requiredCALVer = calVersionOrder[e.access.topRank]
	}
	e.userWin = make([]int8, len(e.userRows))
	for k := range e.userRows {
		e.userWin[k] = -1
		a := &e.userRows[k]
		if !a.Counted {
			continue
		}
		if s := e.access.highest(e.access.win, e.members, int(e.userOrder[k]), a.External); s >= 0 {
			e.userWin[k] = int8(e.access.win[s].rank)
		}
		if a.External {
			e.res.Counts.External++
			if e.userWin[k] < 0 && e.access.highest(e.access.win, e.members, int(e.userOrder[k]), false) >= 0 {
				e.res.Counts.ExternalCovered++
			}
		}
	}
	if e.res.Model != ModelUser {
		e.usage = e.resolveUsage()
	}
	switch {
	case e.mixed:
		e.assignMix()
	case e.calType == CALDevice:
		for k := range e.deviceRows {
			if e.deviceRows[k].Counted {
				setCAL(&e.deviceRows[k], CALDevice, e.deviceRank(k))
			}
		}
	default:
		for k := range e.userRows {
			setCAL(&e.userRows[k], CALUser, int(e.userWin[k]))
		}
	}
}

// setCAL gives an account a CAL of type t at version rank (none if rank < 0).
func setCAL(a *accountRow, t CALType, rank int) {
	if rank < 0 {
		return
	}
	a.setCAL(t, rank)
}

// countCALs balances required against owned for every CAL type (§6).
func (e *evaluation) countCALs() {
	e.balances = map[CALType]*calBalance{}
	for t, owned := range ownedCALs(e.p.CALs) {
		e.balances[t] = &calBalance{required: map[string]int{}, owned: owned}
	}
	need := func(t CALType, version string) {
		b := e.balances[t]
		if b == nil {
			b = &calBalance{required: map[string]int{}, owned: map[string]int{}}
			e.balances[t] = b
		}
		b.required[version]++
	}
	for _, accounts := range [][]accountRow{e.userRows, e.deviceRows} {
		for k := range accounts {
			a := &accounts[k]
			if t, version := a.CAL(); t != "" {
				need(t, version)
			}
			if a.RDS != nil && a.RDS.CALType != "" {
				need(a.RDS.CALType, a.RDS.CALVersion)
			}
		}
	}
	e.countIssuedRDS()
	for _, t := range calTypes(e.balances) {
		l := e.balances[t].line(t)
		l.RaisedBy = e.raisedBy(t, l.MinVersion)
		if t == CALRDSUser {
			l.Issued, l.IssuedExpired = e.rdsValid, e.rdsExpired
		}
		e.res.CALs = append(e.res.CALs, l)
	}
}
