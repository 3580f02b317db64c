package rules

import (
	"strconv"
	"strings"
)

// membership answers "is this user a (nested) member of that group set?"
// for include_groups, external_groups and server access groups, over the
// user's memberOf, its primary group and those of its duplicate copies.
type membership struct {
	inv     *Inventory
	dups    *duplicates
	primary []int32 // by user: primary group, -1 none, -2 not looked up yet
	bySID   map[sidRID]groupID
}

// sidRID splits a group SID into its domain part ("S-1-5-21-…-") and RID, so
// a user's primary group is found without building a string.
type sidRID struct {
	domain string
	rid    uint32
}

func newMembership(inv *Inventory, dups *duplicates) *membership {
	return &membership{inv: inv, dups: dups}
}

// in reports whether user i, or a copy of it, belongs to a group marked in set.
func (m *membership) in(i int, set []bool) bool {
	if m.direct(i, set) {
		return true
	}
	for _, c := range m.dups.of(i) {
		if m.direct(int(c), set) {
			return true
		}
	}
	return false
}

func (m *membership) direct(i int, set []bool) bool {
	u := &m.inv.users[i]
	for _, g := range m.inv.memberOf(u) {
		if set[g] {
			return true
		}
	}
	pg := m.primaryGroup(i)
	return pg >= 0 && set[pg]
}

func (m *membership) primaryGroup(i int) int32 {
	if m.primary == nil {
		m.primary = make([]int32, len(m.inv.users))
		for k := range m.primary {
			m.primary[k] = -2
		}
		m.bySID = make(map[sidRID]groupID, len(m.inv.groups.bySID))
		for sid, id := range m.inv.groups.bySID {
			if k, ok := splitSID(sid); ok {
				m.bySID[k] = id
			}
		}
	}
	if pg := m.primary[i]; pg != -2 {
		return pg
	}
	pg := int32(-1)
	u := &m.inv.users[i]
	if cut := strings.LastIndexByte(u.sid(), '-'); cut >= 0 && u.primaryGroupID != 0 {
		if id, ok := m.bySID[sidRID{u.sid()[:cut+1], u.primaryGroupID}]; ok {
			pg = int32(id)
		}
	}
	m.primary[i] = pg
	return pg
}

func splitSID(sid string) (sidRID, bool) {
	cut := strings.LastIndexByte(sid, '-')
	if cut < 0 {
		return sidRID{}, false
	}
	rid, err := strconv.ParseUint(sid[cut+1:], 10, 32)
	if err != nil {
		return sidRID{}, false
	}
	return sidRID{sid[:cut+1], uint32(rid)}, true
}
