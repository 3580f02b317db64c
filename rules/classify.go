package rules

import (
	"strings"
	"time"

	"github.com/calscan/calscan/scanner"
)

// scope holds the Policy's exclusions prepared once, so that classifying an
// account does not allocate.
type scope struct {
	now         instant
	staleCutoff instant // 0: inactivity is not checked
	globs       []accountGlob
	badGlobs    []string
	ous         []string // normalised DNs

	includeGroups   bool
	inIncludeGroups []bool   // by groupID: a nested member of an include group
	missingGroups   []string // include_groups that no object names

	externalOUs           []string // normalised DNs (R4)
	inExternalGroups      []bool   // by groupID; nil when external_groups is empty
	missingExternalGroups []string
}

func newScope(p Policy, g *groupGraph, now time.Time) *scope {
	s := &scope{now: instantOf(now)}
	if p.StaleAfter > 0 {
		s.staleCutoff = instantOf(now.Add(-p.StaleAfter))
	}
	s.globs, s.badGlobs = compileGlobs(p.ExcludeAccounts)
	for _, ou := range p.ExcludeOUs {
		if ou = normalizeDN(ou); ou != "" {
			s.ous = append(s.ous, ou)
		}
	}
	if len(p.IncludeGroups) > 0 {
		s.includeGroups = true
		var targets []groupID
		for _, dn := range p.IncludeGroups {
			if id, ok := g.lookup(dn); ok {
				targets = append(targets, id)
			} else {
				s.missingGroups = append(s.missingGroups, dn)
			}
		}
		s.inIncludeGroups = g.nestedMembersOf(targets)
	}
	for _, ou := range p.ExternalOUs {
		if ou = normalizeDN(ou); ou != "" {
			s.externalOUs = append(s.externalOUs, ou)
		}
	}
	if len(p.ExternalGroups) > 0 {
		var targets []groupID
		for _, dn := range p.ExternalGroups {
			if id, ok := g.lookup(dn); ok {
				targets = append(targets, id)
			} else {
				s.missingExternalGroups = append(s.missingExternalGroups, dn)
			}
		}
		s.inExternalGroups = g.nestedMembersOf(targets)
	}
	return s
}

// external reports whether user i is an external user (R4): below an
// external OU or a nested member of an external group.
func (s *scope) external(u *userRecord, i int, m *membership) bool {
	if len(s.externalOUs) > 0 {
		key := dnKey(u.dn())
		for _, ou := range s.externalOUs {
			if inSubtree(key, ou) {
				return true
			}
		}
	}
	return s.inExternalGroups != nil && m.in(i, s.inExternalGroups)
}

// builtinUsers are accounts no person signs in with. Administrator is not
// here: a person uses it, so it is counted (or exempted under R5).
var builtinUsers = []string{"krbtgt", "guest", "defaultaccount", "wdagutilityaccount"}

// builtinRIDs are the well-known RIDs of Guest (501), krbtgt (502),
// DefaultAccount (503) and WDAGUtilityAccount (504).
var builtinRIDs = []string{"-501", "-502", "-503", "-504"}

func isBuiltinUser(u *userRecord) bool {
	name := u.name()
	for _, b := range builtinUsers {
		if strings.EqualFold(name, b) {
			return true
		}
	}
	if len(name) > len("krbtgt_") && strings.EqualFold(name[:len("krbtgt_")], "krbtgt_") { // read-only DCs
		return true
	}
	if u.uac&scanner.UACInterdomainTrust != 0 { // a trust account, not a person
		return true
	}
	if sid := u.sid(); strings.HasPrefix(sid, "S-1-5-21-") {
		for _, rid := range builtinRIDs {
			if strings.HasSuffix(sid, rid) {
				return true
			}
		}
	}
	return false
}

// userReason applies the user exclusions that come before admin_exempt, in
// order; admin_exempt and stale follow once every user is known.
func (s *scope) userReason(u *userRecord, i int, m *membership) Reason {
	switch {
	case isBuiltinUser(u):
		return ReasonBuiltin
	case u.uac&scanner.UACAccountDisable != 0:
		return ReasonDisabled
	case s.expired(u.accountExpires):
		return ReasonExpired
	case matchAny(s.globs, u.name()):
		return ReasonExcludedAccount
	case s.inExcludedOU(u.dn()):
		return ReasonExcludedOU
	case s.includeGroups && !m.in(i, s.inIncludeGroups):
		return ReasonNotInScopeGroup
	}
	return ReasonNone
}

// computerReason applies the exclusions for devices and servers, in order.
func (s *scope) computerReason(c *computerRecord, lastLogon instant) Reason {
	switch {
	case c.uac&scanner.UACAccountDisable != 0:
		return ReasonDisabled
	case s.expired(c.accountExpires):
		return ReasonExpired
	case matchAny(s.globs, c.name()):
		return ReasonExcludedAccount
	case s.inExcludedOU(c.dn()):
		return ReasonExcludedOU
	case s.stale(lastLogon, c.whenCreated):
		return ReasonStale
	}
	return ReasonNone
}

func (s *scope) expired(expires instant) bool {
	return !expires.isZero() && expires < s.now
}

// stale: inactive since the cutoff (A2). lastLogonTimestamp lags by up to
// two weeks (A3), which the configured threshold absorbs. An account that
// never logged on is judged by its creation; with neither it is counted.
func (s *scope) stale(lastLogon, created instant) bool {
	if s.staleCutoff.isZero() {
		return false
	}
	if !lastLogon.isZero() {
		return lastLogon < s.staleCutoff
	}
	return !created.isZero() && created < s.staleCutoff
}

func (s *scope) inExcludedOU(dn string) bool {
	if len(s.ous) == 0 {
		return false
	}
	key := dnKey(dn)
	for _, ou := range s.ous {
		if inSubtree(key, ou) {
			return true
		}
	}
	return false
}
