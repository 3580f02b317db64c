package rules

import (
	"maps"
	"slices"
	"strings"

	"github.com/calscan/calscan/scanner"
)

// classifyUsers decides every user's exclusion and builds Result.Users, one
// account per user however many copies of it were read.
func (e *evaluation) classifyUsers() {
	users := e.inv.users
	e.userReasons = make([]Reason, len(users))
	var candidates []int
	for i := range users {
		if e.userDups.isCopy(i) {
			continue
		}
		u := &users[i]
		r := e.scope.userReason(u, i, e.members)
		if r == ReasonExcludedAccount {
			e.excludedByPattern++
		}
		if e.admin.named(u.name()) && r == ReasonNone {
			candidates = append(candidates, i)
			continue
		}
		if r == ReasonNone && e.scope.stale(e.userLogon(i), u.whenCreated) {
			r = ReasonStale
		}
		e.userReasons[i] = r
	}
	e.admin.decide(users, candidates)
	for _, i := range candidates {
		switch {
		case e.admin.exempt[i]:
			e.userReasons[i] = ReasonAdminExempt
		case e.scope.stale(e.userLogon(i), users[i].whenCreated):
			e.userReasons[i] = ReasonStale
		}
	}

	e.userOrder = sortAccounts(len(users), e.userDups.isCopy,
		func(i int) (string, string) { return users[i].domain, users[i].name() },
		func(i, j int) int {
			return compareAccounts(users[i].domain, users[i].name(), users[i].dn(), users[j].domain, users[j].name(), users[j].dn())
		})
	e.userRows = make([]accountRow, 0, len(e.userOrder))
	for _, i := range e.userOrder {
		u := &users[i]
		r := e.userReasons[i]
		row := newAccountRow(i, e.userLogon(int(i)), r)
		row.External = e.scope.external(u, int(i), e.members)
		row.RDS = e.rdsIssuance(int(i))
		e.userRows = append(e.userRows, row)
		e.countUser(u.domain, r, true)
		for _, c := range e.userDups.of(int(i)) {
			e.countUser(users[c].domain, r, false)
		}
	}
}

// userRecordAt is the inventory record of account k of Result.Users.
func (e *evaluation) userRecordAt(k int) *userRecord { return &e.inv.users[e.userRows[k].record] }

// userAccounts and deviceAccounts are Result.Users and Result.Devices.
func (e *evaluation) userAccounts() Accounts { return Accounts{rows: e.userRows, users: e.inv.users} }

func (e *evaluation) deviceAccounts() Accounts {
	return Accounts{rows: e.deviceRows, computers: e.inv.computers}
}

// user builds account k of Result.Users as the report shows it.
func (e *evaluation) user(k int) Account { return e.userAccounts().At(k) }

// device builds account k of Result.Devices as the report shows it.
func (e *evaluation) device(k int) Account { return e.deviceAccounts().At(k) }

// countUser adds a user to its directory's counts and, for the one copy of an
// account that is counted overall, to the totals.
func (e *evaluation) countUser(domain string, r Reason, overall bool) {
	d := e.dir(domain)
	d.UsersSeen++
	if r == ReasonNone {
		d.UsersCounted++
	}
	if !overall {
		return
	}
	e.res.Counts.UsersSeen++
	if r == ReasonNone {
		e.res.Counts.UsersCounted++
	} else {
		e.res.Counts.Excluded.add(r)
	}
}

// classifyComputers splits computers into servers and client devices (R10),
// decides exclusions and builds Result.Servers and Result.Devices. Copies of
// a computer already seen only add to their directory's counts.
func (e *evaluation) classifyComputers() {
	comps := e.inv.computers
	serverAt := map[int]bool{} // computers that are servers, for their copies
	for i := range comps {
		if e.computerDups.isCopy(i) {
			continue
		}
		c := &comps[i]
		info := e.inv.osInfo(c)
		cfg, configured := e.serverConfigs.match(c)
		reason := e.scope.computerReason(c, e.computerLogon(i))
		if reason == ReasonExcludedAccount {
			e.excludedByPattern++
		}
		if !isServer(info, c, configured) {
			e.devices = append(e.devices, i)
			e.deviceReasons = append(e.deviceReasons, reason)
			if info.Family == scanner.OSUnknown && c.uac&scanner.UACAccountDisable == 0 {
				e.unknownOS = append(e.unknownOS, e.label(c.domain, c.name()))
				e.unknownDevices++
			}
			continue
		}
		s := directoryServer(info, c)
		if configured {
			applyConfig(&s, cfg)
			s.Source = SourceDirectoryConfig
		}
		s.Excluded = reason
		decideServer(&s, info)
		if editionNeedsCALs(s.Edition) && !knownRelease(s.Version) && c.uac&scanner.UACAccountDisable == 0 {
			e.unknownOS = append(e.unknownOS, e.label(c.domain, c.name()))
		}
		e.res.Servers = append(e.res.Servers, s)
		e.dir(c.domain).ServersSeen++
		serverAt[i] = true
	}
	for i := range comps {
		if rep := e.computerDups.rep[i]; rep >= 0 && serverAt[int(rep)] {
			e.dir(comps[i].domain).ServersSeen++
		}
	}
	e.buildDevices()
}

func (e *evaluation) buildDevices() {
	comps := e.inv.computers
	positions := sortAccounts(len(e.devices), nil,
		func(k int) (string, string) { return comps[e.devices[k]].domain, comps[e.devices[k]].name() },
		func(a, b int) int {
			ca, cb := &comps[e.devices[a]], &comps[e.devices[b]]
			return compareAccounts(ca.domain, ca.name(), ca.dn(), cb.domain, cb.name(), cb.dn())
		})
	e.deviceOrder = make([]int32, len(positions))
	e.deviceRows = make([]accountRow, 0, len(positions))
	for j, k := range positions {
		i := e.devices[k]
		e.deviceOrder[j] = int32(i)
		c := &comps[i]
		r := e.deviceReasons[k]
		e.deviceRows = append(e.deviceRows, newAccountRow(int32(i), e.computerLogon(i), r))
		e.countDevice(c.domain, r, true)
		for _, dup := range e.computerDups.of(i) {
			e.countDevice(comps[dup].domain, r, false)
		}
	}
}

func (e *evaluation) countDevice(domain string, r Reason, overall bool) {
	d := e.dir(domain)
	d.DevicesSeen++
	if r == ReasonNone {
		d.DevicesCounted++
	}
	if !overall {
		return
	}
	e.res.Counts.DevicesSeen++
	if r == ReasonNone {
		e.res.Counts.DevicesCounted++
	} else {
		e.res.Counts.Excluded.add(r)
	}
}

// addConfigServers adds the [[server]] blocks that named no computer.
func (e *evaluation) addConfigServers() {
	for i := range e.serverConfigs.blocks {
		if e.serverConfigs.matched[i] {
			continue
		}
		s := configServer(&e.serverConfigs.blocks[i])
		decideServer(&s, scanner.OSInfo{})
		if editionNeedsCALs(s.Edition) && !knownRelease(s.Version) {
			e.unknownOS = append(e.unknownOS, s.Name)
		}
		e.res.Servers = append(e.res.Servers, s)
	}
}

func (x *Excluded) add(r Reason) {
	switch r {
	case ReasonBuiltin:
		x.Builtin++
	case ReasonDisabled:
		x.Disabled++
	case ReasonExpired:
		x.Expired++
	case ReasonExcludedAccount:
		x.ExcludedAccount++
	case ReasonExcludedOU:
		x.ExcludedOU++
	case ReasonNotInScopeGroup:
		x.NotInScopeGroup++
	case ReasonAdminExempt:
		x.AdminExempt++
	case ReasonStale:
		x.Stale++
	}
}

// compareAccounts orders accounts by domain, then name (case-insensitive),
// then DN, so the order never depends on the order they were read in.
func compareAccounts(domA, nameA, dnA, domB, nameB, dnB string) int {
	if c := strings.Compare(domA, domB); c != 0 {
		return c
	}
	if c := compareFold(nameA, nameB); c != 0 {
		return c
	}
	if c := strings.Compare(nameA, nameB); c != 0 {
		return c
	}
	return strings.Compare(dnA, dnB)
}

// compareFold compares ASCII case-insensitively without allocating.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := lowerASCII(a[i]), lowerASCII(b[i])
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// sortAccounts lists the indices below n that skip (if set) does not reject,
// in the order cmp gives (compareAccounts). A key of the domain's rank and
// the name's first 16 bytes, lower-cased, orders the same way and settles
// most comparisons without reading the strings.
func sortAccounts(n int, skip func(i int) bool, key func(i int) (domain, name string), cmp func(i, j int) int) []int32 {
	type entry struct {
		name [2]uint64
		i    int32
		rank uint32
	}
	entries := make([]entry, 0, n)
	rank := map[string]uint32{}
	for i := range n {
		if skip != nil && skip(i) {
			continue
		}
		d, _ := key(i)
		rank[d] = 0
		entries = append(entries, entry{i: int32(i)})
	}
	for r, d := range slices.Sorted(maps.Keys(rank)) {
		rank[d] = uint32(r)
	}
	for k := range entries {
		d, name := key(int(entries[k].i))
		entries[k].rank = rank[d]
		entries[k].name = [2]uint64{namePrefix(name, 0), namePrefix(name, 8)}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		switch {
		case a.rank != b.rank:
			return int(a.rank) - int(b.rank)
		case a.name[0] != b.name[0]:
			return compareUint(a.name[0], b.name[0])
		case a.name[1] != b.name[1]:
			return compareUint(a.name[1], b.name[1])
		}
		return cmp(int(a.i), int(b.i))
	})
	order := make([]int32, len(entries))
	for k, en := range entries {
		order[k] = en.i
	}
	return order
}

func compareUint(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}

// namePrefix packs 8 bytes of a name from offset, lower-cased as
// compareFold does, big-endian; past its end a name is padded with zeros,
// which sort first as compareFold sorts a prefix before the longer name.
func namePrefix(name string, offset int) uint64 {
	var p uint64
	for i := offset; i < offset+8; i++ {
		p <<= 8
		if i < len(name) {
			p |= uint64(lowerASCII(name[i]))
		}
	}
	return p
}
