package adsim

import (
	"strconv"
	"strings"
)

// equalityMatcher compares by the attribute's syntax: binary byte for byte,
// DNs canonicalised, everything else case-insensitively (AD's default).
type equalityMatcher struct {
	names []string
	value string
	exact bool
	dn    bool
}

func newEqualityMatcher(ix *index, attr, value string) matcher {
	low := strings.ToLower(attr)
	names := ix.names(attr)
	switch {
	case low == "objectcategory" && !strings.Contains(value, "="):
		cn := strings.ToLower(value)
		if c, ok := categoryOfClass[cn]; ok {
			cn = c
		}
		return categoryMatcher{names: names, cn: cn}
	case binaryAttrs[low]:
		if low == "objectsid" || low == "sidhistory" {
			if sid, ok := parseSIDString(value); ok {
				value = sid
			}
		}
		return equalityMatcher{names: names, value: value, exact: true}
	case dnAttrs[low]:
		return equalityMatcher{names: names, value: canonicalDN(value), dn: true}
	}
	return equalityMatcher{names: names, value: value}
}

func (m equalityMatcher) match(e *Entry) bool {
	for _, v := range values(e, m.names) {
		switch {
		case m.exact:
			if v == m.value {
				return true
			}
		case m.dn:
			if strings.EqualFold(canonicalDN(v), m.value) {
				return true
			}
		default:
			if strings.EqualFold(v, m.value) {
				return true
			}
		}
	}
	return false
}

// categoryMatcher is objectCategory=<short name>: the first RDN of the
// entry's objectCategory DN (CN=Person,CN=Schema,… for "person" or "user").
type categoryMatcher struct {
	names []string
	cn    string
}

func (m categoryMatcher) match(e *Entry) bool {
	for _, v := range values(e, m.names) {
		if strings.EqualFold(firstRDNValue(v), m.cn) {
			return true
		}
	}
	return false
}

// substringMatcher holds lower-cased pieces of (attr=initial*any*…*final).
type substringMatcher struct {
	names   []string
	initial string
	any     []string
	final   string
}

func (m substringMatcher) match(e *Entry) bool {
	for _, v := range values(e, m.names) {
		if m.matchValue(strings.ToLower(v)) {
			return true
		}
	}
	return false
}

func (m substringMatcher) matchValue(v string) bool {
	if !strings.HasPrefix(v, m.initial) {
		return false
	}
	v = v[len(m.initial):]
	for _, a := range m.any {
		i := strings.Index(v, a)
		if i < 0 {
			return false
		}
		v = v[i+len(a):]
	}
	return strings.HasSuffix(v, m.final)
}

// orderMatcher is >= or <=: numerically when both sides are integers
// (lastLogonTimestamp, userAccountControl), else case-insensitively.
type orderMatcher struct {
	names []string
	ge    bool
	low   string
	num   int64
	isNum bool
}

func newOrderMatcher(names []string, value string, ge bool) matcher {
	n, err := strconv.ParseInt(value, 10, 64)
	return orderMatcher{names: names, ge: ge, low: strings.ToLower(value), num: n, isNum: err == nil}
}

func (m orderMatcher) match(e *Entry) bool {
	for _, v := range values(e, m.names) {
		var c int
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && m.isNum {
			c = compareInts(n, m.num)
		} else {
			c = strings.Compare(strings.ToLower(v), m.low)
		}
		if (m.ge && c >= 0) || (!m.ge && c <= 0) {
			return true
		}
	}
	return false
}

func compareInts(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// bitMatcher is AD's LDAP_MATCHING_RULE_BIT_AND (all) and _BIT_OR.
type bitMatcher struct {
	names []string
	mask  uint64
	all   bool
}

func (m bitMatcher) match(e *Entry) bool {
	for _, v := range values(e, m.names) {
		bits, err := parseBits(v)
		if err != nil {
			continue
		}
		if (m.all && bits&m.mask == m.mask) || (!m.all && bits&m.mask != 0) {
			return true
		}
	}
	return false
}

type chainState int8

const (
	chainUnknown chainState = iota
	chainVisiting
	chainYes
	chainNo
)

// chainMatcher is LDAP_MATCHING_RULE_IN_CHAIN: the entry matches when
// following the DN attribute (memberOf upwards, member downwards) from it
// reaches the target, through any depth of nesting and safe against cycles.
type chainMatcher struct {
	ix     *index
	names  []string
	target string // folded canonical DN
	memo   map[string]chainState
	buf    []byte
}

func (m *chainMatcher) match(e *Entry) bool {
	found, _ := m.reaches(e)
	return found
}

// reaches follows the attribute from e. partial reports that a cycle cut the
// search short, so a negative answer must not be memoised.
func (m *chainMatcher) reaches(e *Entry) (found, partial bool) {
	for _, v := range values(e, m.names) {
		m.buf = foldKey(m.buf[:0], canonicalDN(v))
		if string(m.buf) == m.target {
			return true, false
		}
		switch m.memo[string(m.buf)] {
		case chainYes:
			return true, false
		case chainNo:
			continue
		case chainVisiting:
			partial = true
			continue
		}
		i, ok := m.ix.byDN[string(m.buf)]
		if !ok {
			continue
		}
		next := m.ix.entries[i]
		if len(values(next, m.names)) == 0 {
			continue // a leaf: nothing further to follow
		}
		key := string(m.buf)
		m.memo[key] = chainVisiting
		f, p := m.reaches(next)
		switch {
		case f:
			m.memo[key] = chainYes
			return true, false
		case p:
			delete(m.memo, key)
			partial = true
		default:
			m.memo[key] = chainNo
		}
	}
	return false, partial
}
