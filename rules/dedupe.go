package rules

import (
	"cmp"
	"hash/maphash"
	"slices"
	"strings"
)

// duplicates records accounts read more than once: the same objectSid (or,
// without a SID, the same DN) from two [[directory]] blocks, or from a domain
// and a Global Catalog. Each such account is counted once, through its
// representative; its other copies only add to their directory's counts.
type duplicates struct {
	rep   []int32 // by record index: its representative, or -1 if it is one
	start []int32 // by record index: its copies are list[start[i]:start[i+1]]; nil when there are none
	list  []int32
	n     int // copies, not counting representatives
}

// isCopy reports whether record i is a duplicate of another record.
func (d *duplicates) isCopy(i int) bool { return d.rep[i] >= 0 }

// of returns the other copies of representative i.
func (d *duplicates) of(i int) []int32 {
	if d.n == 0 {
		return nil
	}
	return d.list[d.start[i]:d.start[i+1]]
}

// findDuplicates groups records by objectSid (by DN, ignoring case, when
// the SID is empty) and picks one representative per group with better, a
// total order on the records, so the choice never depends on the scan order.
// The index is an open-addressing table of record numbers tagged with hash
// bits, 16 bytes per record at most, that compares the records' own strings.
func findDuplicates(n int, sid, dn func(i int) string, better func(i, j int) bool) duplicates {
	d := duplicates{rep: make([]int32, n)}
	size := 1
	for size < 2*n {
		size <<= 1
	}
	slots := make([]uint64, size) // hash bits << 32 | record index + 1; 0 is empty
	seed := maphash.MakeSeed()
	same := func(i, j int) bool {
		if si, sj := sid(i), sid(j); si != "" || sj != "" {
			return si == sj
		}
		return strings.EqualFold(dnKey(dn(i)), dnKey(dn(j)))
	}
	var pairs [][2]int32 // first record seen, a later copy
	for i := range n {
		d.rep[i] = -1
		h, ok := recordHash(seed, sid(i), dn(i))
		if !ok {
			continue
		}
		tag := h &^ (1<<32 - 1)
		for slot := h & uint64(size-1); ; slot = (slot + 1) & uint64(size-1) {
			j := int(uint32(slots[slot])) - 1
			if j < 0 {
				slots[slot] = tag | uint64(i+1)
				break
			}
			if slots[slot]&^(1<<32-1) == tag && same(i, j) {
				pairs = append(pairs, [2]int32{int32(j), int32(i)})
				break
			}
		}
	}
	if len(pairs) == 0 {
		return d
	}
	slices.SortFunc(pairs, func(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	d.start = make([]int32, n+1)
	group := []int32{}
	for k := 0; k < len(pairs); {
		group = append(group[:0], pairs[k][0])
		for ; k < len(pairs) && pairs[k][0] == group[0]; k++ {
			group = append(group, pairs[k][1])
		}
		slices.SortFunc(group, func(a, b int32) int {
			switch {
			case better(int(a), int(b)):
				return -1
			case better(int(b), int(a)):
				return 1
			}
			return cmp.Compare(a, b)
		})
		for _, c := range group[1:] {
			d.rep[c] = group[0]
		}
		d.start[group[0]+1] = int32(len(group) - 1)
		d.n += len(group) - 1
	}
	for i := range n {
		d.start[i+1] += d.start[i]
	}
	d.list = make([]int32, d.n)
	fill := slices.Clone(d.start[:n])
	for c, r := range d.rep {
		if r >= 0 {
			d.list[fill[r]] = int32(c)
			fill[r]++
		}
	}
	return d
}

// recordHash hashes a record's SID, or its DN lower-cased without blanks
// around the commas when it has no SID; ok is false when it has neither.
func recordHash(seed maphash.Seed, sid, dn string) (uint64, bool) {
	if sid != "" {
		return maphash.String(seed, sid), true
	}
	key := dnKey(dn)
	if key == "" {
		return 0, false
	}
	var h maphash.Hash
	h.SetSeed(seed)
	for i := 0; i < len(key); i++ {
		h.WriteByte(lowerASCII(key[i]))
	}
	return h.Sum64(), true
}

// preferRecord orders copies of one account: the directory listed first in
// the config, then domain, DN and name, then the latest logon.
func (e *evaluation) preferRecord(domA, domB, dnA, dnB, nameA, nameB string, logonA, logonB instant) bool {
	if ra, rb := e.dirRank(domA), e.dirRank(domB); ra != rb {
		return ra < rb
	}
	if c := strings.Compare(domA, domB); c != 0 {
		return c < 0
	}
	if c := strings.Compare(dnA, dnB); c != 0 {
		return c < 0
	}
	if c := strings.Compare(nameA, nameB); c != 0 {
		return c < 0
	}
	return logonA > logonB
}

// dirRank is a directory's position in the config; unlisted domains last.
func (e *evaluation) dirRank(domain string) int {
	for i, d := range e.p.Directories {
		if d.Name == domain {
			return i
		}
	}
	return len(e.p.Directories)
}

func (e *evaluation) findDuplicateAccounts() {
	users, comps := e.inv.users, e.inv.computers
	e.userDups = findDuplicates(len(users), func(i int) string { return users[i].sid() }, func(i int) string { return users[i].dn() }, func(i, j int) bool {
		a, b := &users[i], &users[j]
		return e.preferRecord(a.domain, b.domain, a.dn(), b.dn(), a.name(), b.name(), a.lastLogon, b.lastLogon)
	})
	e.computerDups = findDuplicates(len(comps), func(i int) string { return comps[i].sid() }, func(i int) string { return comps[i].dn() }, func(i, j int) bool {
		a, b := &comps[i], &comps[j]
		return e.preferRecord(a.domain, b.domain, a.dn(), b.dn(), a.name(), b.name(), a.lastLogon, b.lastLogon)
	})
	e.res.Counts.Duplicates = e.userDups.n + e.computerDups.n
	e.members = newMembership(e.inv, &e.userDups)
}

// userLogon is a user's latest logon over all its copies: a Global Catalog
// copy may lack lastLogonTimestamp, and the freshest value decides A2.
func (e *evaluation) userLogon(i int) instant {
	t := e.inv.users[i].lastLogon
	for _, c := range e.userDups.of(i) {
		t = max(t, e.inv.users[c].lastLogon)
	}
	return t
}

func (e *evaluation) computerLogon(i int) instant {
	t := e.inv.computers[i].lastLogon
	for _, c := range e.computerDups.of(i) {
		t = max(t, e.inv.computers[c].lastLogon)
	}
	return t
}
