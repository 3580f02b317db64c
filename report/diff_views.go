package report

import (
	"hash/maphash"
	"iter"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/calscan/calscan/rules"
)

// accountViews is what the comparison reads of the older scan's accounts:
// domain, name, display name, SID, exclusion reason and whether each was
// counted. A history file of a million accounts is read this way, so the
// list is kept compactly: the text of every account back to back in a few
// large strings, and per account a 16-byte record of where its text is.
// Domains and reasons repeat, so each distinct one is kept once.
type accountViews struct {
	records []viewRecord
	// chunks[k] holds the text of records k<<viewChunkShift up to the next
	// chunk: a chunk is made once and never grows, so the text is never copied
	// over into an ever larger buffer and substrings of it cost nothing.
	chunks  []string
	domains []string
	reasons []rules.Reason
	// long holds the accounts whose text lengths or domain or reason index do
	// not fit in a viewRecord: only ever those of a made-up file.
	long []viewText

	// While accounts are added: the text of the chunk being filled, and the
	// indexes of the domains and reasons seen so far. Dropped by finish.
	buf      []byte
	domainAt map[string]int
	reasonAt map[rules.Reason]int
}

// viewRecord is where one account's text is, and its small facts.
type viewRecord struct {
	off        uint32 // of the name in the record's chunk (long: index in long)
	nameLen    uint16 // then the display name, then the SID, back to back
	displayLen uint16
	sidLen     uint16
	domain     uint16 // index in domains
	reason     uint8  // index in reasons
	flags      uint8
}

const (
	viewCounted uint8 = 1 << iota
	viewLong          // the account is in accountViews.long
)

// viewChunkShift sets the accounts per chunk: 4,096, some 200 kB of text.
const viewChunkShift = 12

// viewText is one account's view in full, for accountViews.long.
type viewText struct {
	domain, name, displayName, sid string
	excluded                       rules.Reason
}

// viewsOf makes the views of a list of accounts.
func viewsOf(accounts rules.Accounts) *accountViews {
	v := &accountViews{records: make([]viewRecord, 0, accounts.Len())}
	for _, a := range accounts.All() {
		v.add(&a)
	}
	v.finish()
	return v
}

// add appends the view of a. The views can be read once finish is called.
func (v *accountViews) add(a *rules.Account) {
	i := len(v.records)
	if i >= math.MaxInt32 { // indexes are int32 (accountIndex)
		panic("report: too many accounts to compare")
	}
	if i > 0 && i&(1<<viewChunkShift-1) == 0 {
		v.flushChunk()
	}
	r := viewRecord{off: uint32(len(v.buf))}
	if a.Counted {
		r.flags |= viewCounted
	}
	domain, reason := v.domainIndex(a.Domain), v.reasonIndex(a.Excluded)
	// The offset always fits: a chunk holds at most 4,096 × 3 × 65,535 bytes.
	if domain > math.MaxUint16 || reason > math.MaxUint8 ||
		len(a.Name) > math.MaxUint16 || len(a.DisplayName) > math.MaxUint16 || len(a.SID) > math.MaxUint16 {
		r.off, r.flags = uint32(len(v.long)), r.flags|viewLong
		v.long = append(v.long, viewText{a.Domain, a.Name, a.DisplayName, a.SID, a.Excluded})
		v.records = append(v.records, r)
		return
	}
	r.domain, r.reason = uint16(domain), uint8(reason)
	r.nameLen, r.displayLen, r.sidLen = uint16(len(a.Name)), uint16(len(a.DisplayName)), uint16(len(a.SID))
	v.buf = append(append(append(v.buf, a.Name...), a.DisplayName...), a.SID...)
	v.records = append(v.records, r)
}

// finish makes the last chunk and drops what only adding needs.
func (v *accountViews) finish() {
	v.flushChunk()
	v.buf, v.domainAt, v.reasonAt = nil, nil, nil
}

// flushChunk turns the text gathered so far into the next chunk. Every
// chunk up to the last record is made, even an empty one, so that record i
// is always in chunks[i>>viewChunkShift].
func (v *accountViews) flushChunk() {
	if len(v.chunks) >= (len(v.records)+1<<viewChunkShift-1)>>viewChunkShift {
		return // finish after a full chunk, or on no records
	}
	v.chunks = append(v.chunks, string(v.buf))
	v.buf = v.buf[:0]
}

func (v *accountViews) domainIndex(d string) int {
	i, ok := v.domainAt[d]
	if !ok {
		if v.domainAt == nil {
			v.domainAt = map[string]int{}
		}
		i = len(v.domains)
		v.domainAt[d] = i
		v.domains = append(v.domains, d)
	}
	return i
}

func (v *accountViews) reasonIndex(r rules.Reason) int {
	i, ok := v.reasonAt[r]
	if !ok {
		if v.reasonAt == nil {
			v.reasonAt = map[rules.Reason]int{}
		}
		i = len(v.reasons)
		v.reasonAt[r] = i
		v.reasons = append(v.reasons, r)
	}
	return i
}

// len is the number of accounts; a nil list has none.
func (v *accountViews) len() int {
	if v == nil {
		return 0
	}
	return len(v.records)
}

// text returns account i's name, display name and SID. They are substrings
// of a chunk: holding one holds the chunk.
func (v *accountViews) text(i int) (name, displayName, sid string) {
	r := &v.records[i]
	if r.flags&viewLong != 0 {
		t := &v.long[r.off]
		return t.name, t.displayName, t.sid
	}
	c := v.chunks[i>>viewChunkShift]
	a := int(r.off)
	b := a + int(r.nameLen)
	d := b + int(r.displayLen)
	return c[a:b], c[b:d], c[d : d+int(r.sidLen)]
}

func (v *accountViews) domain(i int) string {
	r := &v.records[i]
	if r.flags&viewLong != 0 {
		return v.long[r.off].domain
	}
	return v.domains[r.domain]
}

func (v *accountViews) name(i int) string {
	name, _, _ := v.text(i)
	return name
}

func (v *accountViews) sid(i int) string {
	_, _, sid := v.text(i)
	return sid
}

func (v *accountViews) excluded(i int) rules.Reason {
	r := &v.records[i]
	if r.flags&viewLong != 0 {
		return v.long[r.off].excluded
	}
	return v.reasons[r.reason]
}

func (v *accountViews) counted(i int) bool { return v.records[i].flags&viewCounted != 0 }

// accounts yields every account as the little of a rules.Account that the
// comparison reads: domain, name, display name, SID, exclusion, counted.
func (v *accountViews) accounts() iter.Seq2[int, rules.Account] {
	return func(yield func(int, rules.Account) bool) {
		for i := range v.len() {
			name, displayName, sid := v.text(i)
			a := rules.Account{Domain: v.domain(i), Name: name, DisplayName: displayName, SID: sid,
				Excluded: v.excluded(i), Counted: v.counted(i)}
			if !yield(i, a) {
				return
			}
		}
	}
}

// ref names account i in a list of changes. The strings are copied, so that
// the changes do not hold the chunks of the whole list.
func (v *accountViews) ref(i int) AccountRef {
	name, displayName, sid := v.text(i)
	return AccountRef{
		Domain: v.domain(i), Name: strings.Clone(name), DisplayName: strings.Clone(displayName),
		SID: strings.Clone(sid), Excluded: v.excluded(i),
	}
}

// accountIndex finds an account of the older scan by domain and SID, or by
// domain and name, as maps keyed by those strings would (domain and name
// compared as strings.ToLower makes them, the SID as it is, the last account
// with a key found) in a fraction of the memory: the maps are keyed by a hash
// of the key, and every account found is checked against the key itself.
type accountIndex struct {
	views         *accountViews
	seed          maphash.Seed
	weaken        func(uint64) uint64 // tests only: makes different keys collide
	bySID, byName hashIndex
}

// newAccountIndex indexes views by SID and by name. weaken is nil but in tests.
func newAccountIndex(views *accountViews, weaken func(uint64) uint64) *accountIndex {
	n := views.len()
	x := &accountIndex{
		views:  views,
		seed:   maphash.MakeSeed(),
		weaken: weaken,
		bySID:  hashIndex{first: make(map[uint32]int32, n)},
		byName: hashIndex{first: make(map[uint32]int32, n)},
	}
	for i := range n {
		domain, name, sid := views.domain(i), views.name(i), views.sid(i)
		if sid != "" {
			x.bySID.put(x.hash(domain, sid, false), int32(i), func(j int32) bool { return x.sameSID(j, domain, sid) })
		}
		x.byName.put(x.hash(domain, name, true), int32(i), func(j int32) bool { return x.sameName(j, domain, name) })
	}
	return x
}

// bySIDOf finds the last account with the given domain and SID.
func (x *accountIndex) bySIDOf(domain, sid string) (int, bool) {
	j, ok := x.bySID.get(x.hash(domain, sid, false), func(j int32) bool { return x.sameSID(j, domain, sid) })
	return int(j), ok
}

// byNameOf finds the last account with the given domain and name.
func (x *accountIndex) byNameOf(domain, name string) (int, bool) {
	j, ok := x.byName.get(x.hash(domain, name, true), func(j int32) bool { return x.sameName(j, domain, name) })
	return int(j), ok
}

func (x *accountIndex) sameSID(j int32, domain, sid string) bool {
	return x.views.sid(int(j)) == sid && equalLower(x.views.domain(int(j)), domain)
}

func (x *accountIndex) sameName(j int32, domain, name string) bool {
	return equalLower(x.views.name(int(j)), name) && equalLower(x.views.domain(int(j)), domain)
}

// hash hashes the key (domain, id): the domain lower-cased, and the id too
// when lowerID is set. Keys that are equal so have the same hash.
func (x *accountIndex) hash(domain, id string, lowerID bool) uint32 {
	var h maphash.Hash
	h.SetSeed(x.seed)
	writeLower(&h, domain)
	h.WriteByte(0xff) // never in the UTF-8 that writeLower writes; any collision is checked anyway
	if lowerID {
		writeLower(&h, id)
	} else {
		h.WriteString(id)
	}
	sum := h.Sum64()
	if x.weaken != nil {
		sum = x.weaken(sum)
	}
	return uint32(sum)
}

// hashIndex maps 32 bits of the hash of a key to the last account with that
// key. Different keys with the same hash are rare (a million keys make a
// hundred or so such pairs): all but the first go in more. sameKey(j) tells
// whether account j has the key at hand.
type hashIndex struct {
	first map[uint32]int32
	more  map[uint32][]int32
}

func (x *hashIndex) put(h uint32, i int32, sameKey func(j int32) bool) {
	j, ok := x.first[h]
	if !ok || sameKey(j) {
		x.first[h] = i
		return
	}
	others := x.more[h]
	for k, j := range others {
		if sameKey(j) {
			others[k] = i
			return
		}
	}
	if x.more == nil {
		x.more = map[uint32][]int32{}
	}
	x.more[h] = append(others, i)
}

func (x *hashIndex) get(h uint32, sameKey func(j int32) bool) (int32, bool) {
	j, ok := x.first[h]
	if !ok {
		return 0, false
	}
	if sameKey(j) {
		return j, true
	}
	for _, j := range x.more[h] {
		if sameKey(j) {
			return j, true
		}
	}
	return 0, false
}

// equalLower reports whether strings.ToLower(a) == strings.ToLower(b),
// without making either. ToLower maps each rune (an invalid byte read as
// utf8.RuneError) through unicode.ToLower, so the two are equal exactly when
// those runes are.
func equalLower(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ra, na := lowerRune(a, i)
		rb, nb := lowerRune(b, j)
		if ra != rb {
			return false
		}
		i, j = i+na, j+nb
	}
	return i == len(a) && j == len(b)
}

// lowerRune is the rune of s at byte i, lower-cased as strings.ToLower does,
// and its width in s.
func lowerRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return rune(c), 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return unicode.ToLower(r), n
}

// writeLower writes strings.ToLower(s) to h, without making it.
func writeLower(h *maphash.Hash, s string) {
	if isLowerASCII(s) {
		h.WriteString(s)
		return
	}
	var buf [64]byte
	n := 0
	for i := 0; i < len(s); {
		r, w := lowerRune(s, i)
		i += w
		if n+utf8.UTFMax > len(buf) {
			h.Write(buf[:n])
			n = 0
		}
		n = len(utf8.AppendRune(buf[:n], r))
	}
	h.Write(buf[:n])
}

// isLowerASCII reports whether s is ASCII without capitals: its own ToLower.
func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}
