package rules

import (
	"cmp"
	"slices"
)

// serverPart is one server's part in who needs which CAL: the version it
// requires and who uses it.
type serverPart struct {
	pos     int    // index in Result.Servers
	rank    int    // calRank of the CAL version it requires
	members []bool // by groupID: nested members of its access group; nil: every user in scope
	covered bool   // external users are covered by an External Connector here (R4)
}

// uses reports whether user i (an index in inv.users) uses the server.
func (s *serverPart) uses(m *membership, i int, external bool) bool {
	if external && s.covered {
		return false
	}
	return s.members == nil || m.in(i, s.members)
}

// accessPlan holds the servers that set CAL versions, newest first.
type accessPlan struct {
	win       []serverPart // servers that need Windows Server CALs (R1)
	rdsUser   []serverPart // RD Session Hosts licensed per user (D1)
	rdsDevice []serverPart // RD Session Hosts licensed per device
	topRank   int          // highest rank in win: what a device that uses every server needs; -1 none

	missingGroups map[string][]string // access_group that no object names -> servers (counted as used by everyone)
}

// planAccess works out, for every server that sets a CAL version, who uses
// it: everyone in scope for domain controllers (R6) and servers without an
// access_group, else the nested members of that group.
func (e *evaluation) planAccess() {
	a := &accessPlan{topRank: -1, missingGroups: map[string][]string{}}
	ownsRDSDevice, ownsRDSUser := false, false
	for _, c := range e.p.CALs {
		ownsRDSDevice = ownsRDSDevice || (c.Type == CALRDSDevice && c.Quantity > 0)
		ownsRDSUser = ownsRDSUser || (c.Type == CALRDSUser && c.Quantity > 0)
	}
	groupSets := map[string][]bool{}
	for pos := range e.res.Servers {
		s := &e.res.Servers[pos]
		members := e.accessMembers(s, groupSets, a)
		if s.NeedsCALs {
			a.win = append(a.win, serverPart{pos: pos, rank: calRank(s.CALVersion), members: members, covered: s.ExternalConnector})
			a.topRank = max(a.topRank, calRank(s.CALVersion))
		}
		if !s.RDS {
			continue
		}
		if s.RDSLicensing == "" {
			s.RDSLicensing = CALRDSUser
			if ownsRDSDevice && !ownsRDSUser {
				s.RDSLicensing = CALRDSDevice
			}
		}
		if s.Excluded != ReasonNone || !knownRelease(s.Version) {
			continue
		}
		part := serverPart{pos: pos, rank: calRank(CALVersionOf(s.Version)), members: members, covered: s.RDSExternalConnector}
		if s.RDSLicensing == CALRDSDevice {
			a.rdsDevice = append(a.rdsDevice, part)
		} else {
			a.rdsUser = append(a.rdsUser, part)
		}
	}
	for _, parts := range [][]serverPart{a.win, a.rdsUser, a.rdsDevice} {
		slices.SortFunc(parts, func(x, y serverPart) int {
			if c := cmp.Compare(y.rank, x.rank); c != 0 {
				return c
			}
			return cmp.Compare(x.pos, y.pos)
		})
	}
	e.access = a
}

// accessMembers is the group set of a server's access_group, shared between
// servers naming the same group. Domain controllers, servers without one and
// servers whose group is not in the directory are used by everyone.
func (e *evaluation) accessMembers(s *Server, sets map[string][]bool, a *accessPlan) []bool {
	if s.AccessGroup == "" || s.DomainController {
		return nil
	}
	key := normalizeDN(s.AccessGroup)
	if set, ok := sets[key]; ok {
		return set
	}
	id, ok := e.inv.groups.lookup(s.AccessGroup)
	if !ok {
		a.missingGroups[s.AccessGroup] = append(a.missingGroups[s.AccessGroup], s.Name)
		sets[key] = nil
		return nil
	}
	set := e.inv.groups.nestedMembersOf([]groupID{id})
	sets[key] = set
	return set
}

// highest is the index in parts (newest first) of the first server user i
// uses, or -1: its rank is the CAL version the user needs.
func (a *accessPlan) highest(parts []serverPart, m *membership, i int, external bool) int {
	for k := range parts {
		if parts[k].uses(m, i, external) {
			return k
		}
	}
	return -1
}
