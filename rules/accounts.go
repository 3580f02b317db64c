package rules

import (
	"slices"
	"strings"

	"github.com/calscan/calscan/scanner"
)

// classifyUsers decides every user's exclusion and builds Result.Users.
func (e *evaluation) classifyUsers() {
	users := e.inv.users
	e.userReasons = make([]Reason, len(users))
	var candidates []int
	for i := range users {
		u := &users[i]
		r := e.scope.userReason(u, e.inv)
		if e.admin.named(u.name()) && r == ReasonNone {
			candidates = append(candidates, i)
			continue
		}
		if r == ReasonNone && e.scope.stale(u.lastLogon, u.whenCreated) {
			r = ReasonStale
		}
		e.userReasons[i] = r
	}
	e.admin.decide(users, candidates)
	for _, i := range candidates {
		switch {
		case e.admin.exempt[i]:
			e.userReasons[i] = ReasonAdminExempt
		case e.scope.stale(users[i].lastLogon, users[i].whenCreated):
			e.userReasons[i] = ReasonStale
		}
	}

	order := sortedIndices(len(users), func(i, j int) int {
		return compareAccounts(users[i].domain, users[i].name(), users[i].dn(), users[j].domain, users[j].name(), users[j].dn())
	})
	e.res.Users = make([]Account, 0, len(users))
	for _, i := range order {
		u := &users[i]
		r := e.userReasons[i]
		e.res.Users = append(e.res.Users, Account{
			Domain:      u.domain,
			Name:        u.name(),
			DisplayName: u.displayName(),
			UPN:         u.upn(),
			DN:          u.dn(),
			SID:         u.sid(),
			LastLogon:   u.lastLogon.time(),
			Created:     u.whenCreated.time(),
			Counted:     r == ReasonNone,
			Excluded:    r,
		})
		d := e.dir(u.domain)
		d.UsersSeen++
		e.res.Counts.UsersSeen++
		if r == ReasonNone {
			d.UsersCounted++
			e.res.Counts.UsersCounted++
		} else {
			e.res.Counts.Excluded.add(r)
		}
	}
}

// classifyComputers splits computers into servers and client devices (R10),
// decides exclusions and builds Result.Servers and Result.Devices.
func (e *evaluation) classifyComputers() {
	comps := e.inv.computers
	for i := range comps {
		c := &comps[i]
		info := e.inv.osInfo(c)
		cfg, configured := e.serverConfigs.match(c)
		reason := e.scope.computerReason(c)
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
	}
	e.buildDevices()
}

func (e *evaluation) buildDevices() {
	comps := e.inv.computers
	order := sortedIndices(len(e.devices), func(a, b int) int {
		ca, cb := &comps[e.devices[a]], &comps[e.devices[b]]
		return compareAccounts(ca.domain, ca.name(), ca.dn(), cb.domain, cb.name(), cb.dn())
	})
	e.res.Devices = make([]Account, 0, len(e.devices))
	for _, k := range order {
		c := &comps[e.devices[k]]
		r := e.deviceReasons[k]
		e.res.Devices = append(e.res.Devices, Account{
			Domain:          c.domain,
			Name:            c.name(),
			DNSName:         c.dnsName(),
			OperatingSystem: c.os,
			DN:              c.dn(),
			SID:             c.sid(),
			LastLogon:       c.lastLogon.time(),
			Created:         c.whenCreated.time(),
			Counted:         r == ReasonNone,
			Excluded:        r,
		})
		d := e.dir(c.domain)
		d.DevicesSeen++
		e.res.Counts.DevicesSeen++
		if r == ReasonNone {
			d.DevicesCounted++
			e.res.Counts.DevicesCounted++
		} else {
			e.res.Counts.Excluded.add(r)
		}
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

func sortedIndices(n int, cmp func(i, j int) int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, cmp)
	return order
}
