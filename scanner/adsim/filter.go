package adsim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

// AD's extensible matching rules.
const (
	ruleBitAnd  = "1.2.840.113556.1.4.803"  // LDAP_MATCHING_RULE_BIT_AND
	ruleBitOr   = "1.2.840.113556.1.4.804"  // LDAP_MATCHING_RULE_BIT_OR
	ruleInChain = "1.2.840.113556.1.4.1941" // LDAP_MATCHING_RULE_IN_CHAIN
)

// Attributes compared byte for byte, and attributes holding DNs.
var (
	binaryAttrs = map[string]bool{
		"objectsid": true, "objectguid": true, "sidhistory": true, "tokengroups": true,
		"ms-ds-consistencyguid": true, "msexchmailboxguid": true, "usercertificate": true, "thumbnailphoto": true,
	}
	dnAttrs = map[string]bool{
		"distinguishedname": true, "member": true, "memberof": true, "manager": true,
		"directreports": true, "managedby": true, "objectcategory": true,
	}
	// objectCategory=<class> means the class's default category, as AD resolves it.
	categoryOfClass = map[string]string{
		"user": "person", "person": "person", "contact": "person", "inetorgperson": "person",
		"computer": "computer", "group": "group", "organizationalunit": "organizational-unit",
		"domaindns": "domain-dns", "container": "container", "builtindomain": "builtin-domain",
	}
)

// errFilter marks a filter the server cannot parse or evaluate.
var errFilter = errors.New("bad search filter")

// matcher is a compiled search filter. It belongs to one request: in-chain
// matching keeps a memo, so a matcher is never shared between goroutines.
type matcher interface {
	match(e *Entry) bool
}

// compileFilter parses an LDAP filter string (as gldap hands it over) against
// the directory's attribute spellings.
func compileFilter(ix *index, filter string) (m matcher, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("%w %q", errFilter, filter)
		}
	}()
	p, err := ldap.CompileFilter(filter)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %w", errFilter, filter, err)
	}
	return compileNode(ix, p)
}

func compileNode(ix *index, p *ber.Packet) (matcher, error) {
	switch p.Tag {
	case ldap.FilterAnd, ldap.FilterOr:
		kids := make([]matcher, 0, len(p.Children))
		for _, c := range p.Children {
			m, err := compileNode(ix, c)
			if err != nil {
				return nil, err
			}
			kids = append(kids, m)
		}
		if p.Tag == ldap.FilterAnd {
			return andMatcher(kids), nil
		}
		return orMatcher(kids), nil
	case ldap.FilterNot:
		if len(p.Children) != 1 {
			return nil, fmt.Errorf("%w: not needs one operand", errFilter)
		}
		m, err := compileNode(ix, p.Children[0])
		if err != nil {
			return nil, err
		}
		return notMatcher{m}, nil
	case ldap.FilterPresent:
		return presentMatcher{ix.names(packetString(p))}, nil
	case ldap.FilterEqualityMatch, ldap.FilterApproxMatch, ldap.FilterGreaterOrEqual, ldap.FilterLessOrEqual:
		if len(p.Children) != 2 {
			return nil, fmt.Errorf("%w: malformed assertion", errFilter)
		}
		attr, value := packetString(p.Children[0]), packetString(p.Children[1])
		switch p.Tag {
		case ldap.FilterGreaterOrEqual, ldap.FilterLessOrEqual:
			return newOrderMatcher(ix.names(attr), value, p.Tag == ldap.FilterGreaterOrEqual), nil
		}
		return newEqualityMatcher(ix, attr, value), nil
	case ldap.FilterSubstrings:
		return compileSubstrings(ix, p)
	case ldap.FilterExtensibleMatch:
		return compileExtensible(ix, p)
	}
	return nil, fmt.Errorf("%w: unknown filter choice %d", errFilter, p.Tag)
}

func packetString(p *ber.Packet) string {
	return string(p.Data.Bytes())
}

func compileSubstrings(ix *index, p *ber.Packet) (matcher, error) {
	if len(p.Children) != 2 {
		return nil, fmt.Errorf("%w: malformed substrings", errFilter)
	}
	m := substringMatcher{names: ix.names(packetString(p.Children[0]))}
	for _, c := range p.Children[1].Children {
		v := strings.ToLower(packetString(c))
		switch c.Tag {
		case ldap.FilterSubstringsInitial:
			m.initial = v
		case ldap.FilterSubstringsAny:
			m.any = append(m.any, v)
		case ldap.FilterSubstringsFinal:
			m.final = v
		default:
			return nil, fmt.Errorf("%w: malformed substrings", errFilter)
		}
	}
	return m, nil
}

func compileExtensible(ix *index, p *ber.Packet) (matcher, error) {
	var rule, attr, value string
	for _, c := range p.Children {
		switch c.Tag {
		case ldap.MatchingRuleAssertionMatchingRule:
			rule = packetString(c)
		case ldap.MatchingRuleAssertionType:
			attr = packetString(c)
		case ldap.MatchingRuleAssertionMatchValue:
			value = packetString(c)
		}
	}
	if attr == "" {
		return nil, fmt.Errorf("%w: extensible match without an attribute", errFilter)
	}
	switch rule {
	case "":
		return newEqualityMatcher(ix, attr, value), nil
	case ruleBitAnd, ruleBitOr:
		mask, err := parseBits(value)
		if err != nil {
			return nil, fmt.Errorf("%w: %s value %q is not a number", errFilter, rule, value)
		}
		return bitMatcher{names: ix.names(attr), mask: mask, all: rule == ruleBitAnd}, nil
	case ruleInChain:
		return &chainMatcher{
			ix:     ix,
			names:  ix.names(attr),
			target: string(foldKey(nil, canonicalDN(value))),
			memo:   make(map[string]chainState),
		}, nil
	}
	// an unknown matching rule evaluates to Undefined, which never matches
	return constMatcher(false), nil
}

// parseBits reads an integer as AD does for bitwise rules: signed 32-bit
// values such as groupType's -2147483646 keep their two's-complement bits.
func parseBits(s string) (uint64, error) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return uint64(v), nil
	}
	return strconv.ParseUint(s, 10, 64)
}

type andMatcher []matcher

func (m andMatcher) match(e *Entry) bool {
	for _, k := range m {
		if !k.match(e) {
			return false
		}
	}
	return true
}

type orMatcher []matcher

func (m orMatcher) match(e *Entry) bool {
	for _, k := range m {
		if k.match(e) {
			return true
		}
	}
	return false
}

type notMatcher struct{ m matcher }

func (m notMatcher) match(e *Entry) bool { return !m.m.match(e) }

type constMatcher bool

func (m constMatcher) match(*Entry) bool { return bool(m) }

type presentMatcher struct{ names []string }

func (m presentMatcher) match(e *Entry) bool { return len(values(e, m.names)) > 0 }
