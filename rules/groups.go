package rules

import (
	"strings"

	"github.com/calscan/calscan/scanner"
)

// groupID numbers a group DN (normalised) within an Inventory.
type groupID uint32

// groupGraph is the "member of" graph of groups, with group DNs numbered so
// that each account stores its memberships as small integers.
type groupGraph struct {
	byRawDN map[string]groupID // DNs exactly as the directory spelled them
	byKey   map[string]groupID // normalised DNs (see normalizeDN)
	parents [][]groupID        // parents[g]: the groups g is a direct member of
	bySID   map[string]groupID // group objectSid, for primary groups
}

func newGroupGraph() groupGraph {
	return groupGraph{byRawDN: map[string]groupID{}, byKey: map[string]groupID{}, bySID: map[string]groupID{}}
}

// id numbers dn, adding it if new. A lookup by the raw spelling first keeps
// the common case free of allocation.
func (g *groupGraph) id(dn string) groupID {
	if id, ok := g.byRawDN[dn]; ok {
		return id
	}
	key := normalizeDN(dn)
	id, ok := g.byKey[key]
	if !ok {
		id = groupID(len(g.parents))
		g.byKey[key] = id
		g.parents = append(g.parents, nil)
	}
	g.byRawDN[strings.Clone(dn)] = id
	return id
}

// lookup finds dn without adding it.
func (g *groupGraph) lookup(dn string) (groupID, bool) {
	id, ok := g.byKey[normalizeDN(dn)]
	return id, ok
}

func (g *groupGraph) ids(dns []string) []groupID {
	if len(dns) == 0 {
		return nil
	}
	out := make([]groupID, len(dns))
	for i, dn := range dns {
		out[i] = g.id(dn)
	}
	return out
}

func (g *groupGraph) addGroup(o *scanner.Object) {
	id := g.id(o.DN)
	g.parents[id] = append(g.parents[id], g.ids(o.MemberOf)...)
	if o.SID != "" {
		g.bySID[strings.Clone(o.SID)] = id
	}
}

// nestedMembersOf marks every group that is, directly or through nesting, a
// member of one of targets (targets included). It walks the graph backwards
// from the targets once, so each group is visited once and cycles are safe.
func (g *groupGraph) nestedMembersOf(targets []groupID) []bool {
	children := make([][]groupID, len(g.parents))
	for child, ps := range g.parents {
		for _, p := range ps {
			children[p] = append(children[p], groupID(child))
		}
	}
	in := make([]bool, len(g.parents))
	queue := make([]groupID, 0, len(targets))
	for _, t := range targets {
		if !in[t] {
			in[t] = true
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		p := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, c := range children[p] {
			if !in[c] {
				in[c] = true
				queue = append(queue, c)
			}
		}
	}
	return in
}
