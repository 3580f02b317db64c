package rules

import (
	"slices"
	"strings"
)

// calTypeOrder is the order CAL lines appear in.
var calTypeOrder = []CALType{CALUser, CALDevice, CALRDSUser, CALRDSDevice}

// calBalance is required against owned for one CAL type, by version.
type calBalance struct {
	required map[string]int // version -> users/devices whose highest accessed server needs it
	owned    map[string]int // version -> owned CALs
}

// ownedCALs sums the owned CALs by type and version.
func ownedCALs(cals []OwnedCAL) map[CALType]map[string]int {
	out := map[CALType]map[string]int{}
	for _, c := range cals {
		if c.Quantity <= 0 {
			continue
		}
		if out[c.Type] == nil {
			out[c.Type] = map[string]int{}
		}
		out[c.Type][c.Version] += c.Quantity
	}
	return out
}

// calTypes lists the types that are required or owned, in report order.
func calTypes(balances map[CALType]*calBalance) []CALType {
	var out []CALType
	for _, t := range calTypeOrder {
		if balances[t] != nil {
			out = append(out, t)
		}
	}
	var others []CALType
	for t := range balances {
		if !slices.Contains(calTypeOrder, t) {
			others = append(others, t)
		}
	}
	slices.Sort(others)
	return append(out, others...)
}

// versionsAscending orders versions oldest first; unknown versions first.
func versionsAscending(versions []string) {
	slices.SortFunc(versions, func(a, b string) int {
		if c := calRank(a) - calRank(b); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
}

// shortfall applies LICENSING.md §6. Everyone can be covered iff for every
// version v the CALs of version v or newer are at least the people who need v
// or newer; the fewest CALs to buy (all of the highest required version) is
// the largest such deficit. binding is the oldest version where that deficit
// is reached: owned CALs older than it could not help, newer ones would.
// Versions calscan does not know cover nothing.
func (b *calBalance) shortfall() (n int, binding string) {
	versions := b.versions()
	slices.Reverse(versions) // newest first, for suffix sums
	sumReq, sumOwn := 0, 0
	for _, v := range versions {
		if calRank(v) < 0 {
			continue
		}
		sumReq += b.required[v]
		sumOwn += b.owned[v]
		if d := sumReq - sumOwn; d > 0 && d >= n {
			n, binding = d, v
		}
	}
	return n, binding
}

func (b *calBalance) versions() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]int{b.required, b.owned} {
		for v, n := range m {
			if n > 0 && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	versionsAscending(out)
	return out
}

// olderThan counts owned CALs of a version older than v (or unknown).
func (b *calBalance) olderThan(v string) (n int, versions []string) {
	for _, ov := range b.versions() {
		if b.owned[ov] > 0 && calRank(ov) < calRank(v) {
			n += b.owned[ov]
			versions = append(versions, ov)
		}
	}
	return n, versions
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// line renders the balance as a report line.
func (b *calBalance) line(t CALType) CALLine {
	l := CALLine{Type: t, Required: sum(b.required), Owned: sum(b.owned)}
	for _, v := range b.versions() {
		l.ByVersion = append(l.ByVersion, VersionLine{Version: v, Required: b.required[v], Owned: b.owned[v]})
		if b.required[v] > 0 {
			l.MinVersion = v // ascending: ends at the highest required version
		}
	}
	l.Shortfall, _ = b.shortfall()
	l.Surplus = l.Owned - l.Required + l.Shortfall
	return l
}
