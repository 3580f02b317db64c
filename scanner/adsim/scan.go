package adsim

import (
	"strings"

	"github.com/jimlambrt/gldap"
)

// scan walks the entries in scope in directory order.
type scan struct {
	ix      *index
	scope   gldap.Scope
	base    string
	baseIdx int
	filter  matcher
}

// run sends up to limit matching entries (0 = no limit) from position start
// on. next is the position of the first match beyond the limit, -1 if none.
func (q *scan) run(start, limit int, send sendFunc) (next int, err error) {
	if q.scope == gldap.BaseObject {
		if start == 0 && q.filter.match(q.ix.entries[q.baseIdx]) {
			return -1, send(q.ix.entries[q.baseIdx])
		}
		return -1, nil
	}
	sent := 0
	for i := start; i < len(q.ix.entries); i++ {
		if !q.inScope(i) || !q.filter.match(q.ix.entries[i]) {
			continue
		}
		if limit > 0 && sent == limit {
			return i, nil
		}
		if err := send(q.ix.entries[i]); err != nil {
			return -1, err
		}
		sent++
	}
	return -1, nil
}

func (q *scan) inScope(i int) bool {
	dn := q.ix.dns[i]
	switch q.scope {
	case gldap.SingleLevel:
		return strings.EqualFold(parentDN(dn), q.base)
	case gldap.WholeSubtree:
		return i == q.baseIdx || q.base == q.ix.baseDN || isBelow(dn, q.base)
	}
	return false
}

// bestMatch is the nearest existing ancestor of a DN that does not exist.
func (ix *index) bestMatch(dn string) string {
	for dn = parentDN(dn); dn != ""; dn = parentDN(dn) {
		if i, _ := ix.lookup(nil, dn); i >= 0 {
			return ix.entries[i].DN
		}
	}
	return ""
}
