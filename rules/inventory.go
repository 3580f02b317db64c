package rules

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/calscan/calscan/scanner"
)

// Inventory collects what the rules need from a scan. It keeps one small
// record per user and computer (no attribute the rules and report do not
// use, a record's strings in one allocation, times in 8 bytes, repeated
// strings shared) and the group graph for nested membership. Add is not safe
// for concurrent use.
type Inventory struct {
	users       []userRecord
	computers   []computerRecord
	memberships []groupID // every user's memberOf, back to back
	groups      groupGraph
	interned    map[string]string // domains and OS strings, shared by every record
	oses        map[osKey]scanner.OSInfo
	rdsIssues   []rdsIssue // the few users with a per-user RDS CAL recorded, by user index
	rdsUsers    []uint64   // bit set over user indices: has an entry in rdsIssues
}

// rdsIssue is a per-user RDS CAL issuance recorded on a user object (D4).
// Most users have none, so they are kept apart from userRecord.
type rdsIssue struct {
	user          uint32 // index in Inventory.users
	version       string // msTSLicenseVersion, interned
	licenseServer string // msTSManagingLS, interned
	expires       instant
}

type userRecord struct {
	domain                                 string
	text                                   packed // dn, sid, name, upn, displayName
	uac, primaryGroupID                    uint32
	lastLogon, accountExpires, whenCreated instant
	groupsAt, groupsLen                    uint32 // memberOf, in Inventory.memberships
}

func (u *userRecord) dn() string          { return u.text.get(0) }
func (u *userRecord) sid() string         { return u.text.get(1) }
func (u *userRecord) name() string        { return u.text.get(2) }
func (u *userRecord) upn() string         { return u.text.get(3) }
func (u *userRecord) displayName() string { return u.text.get(4) }

type computerRecord struct {
	domain                                 string
	text                                   packed // dn, sid, name, dnsName
	os, osVersion                          string // interned
	uac                                    uint32
	lastLogon, accountExpires, whenCreated instant
}

func (c *computerRecord) dn() string      { return c.text.get(0) }
func (c *computerRecord) sid() string     { return c.text.get(1) }
func (c *computerRecord) name() string    { return c.text.get(2) }
func (c *computerRecord) dnsName() string { return c.text.get(3) }

type osKey struct{ os, version string }

// NewInventory returns an empty Inventory.
func NewInventory() *Inventory {
	return &Inventory{
		groups:   newGroupGraph(),
		interned: map[string]string{},
		oses:     map[osKey]scanner.OSInfo{},
	}
}

// Add records o. It copies what it keeps, so the caller may reuse o.
func (inv *Inventory) Add(o *scanner.Object) {
	switch o.Kind {
	case scanner.KindUser:
		at := len(inv.memberships)
		for _, dn := range o.MemberOf {
			inv.memberships = append(inv.memberships, inv.groups.id(dn))
		}
		inv.users = append(inv.users, userRecord{
			domain:         inv.intern(o.Domain),
			text:           pack(o.DN, o.SID, o.SAMAccountName, o.UserPrincipalName, o.DisplayName),
			uac:            o.UserAccountControl,
			primaryGroupID: o.PrimaryGroupID,
			lastLogon:      instantOf(o.LastLogon),
			accountExpires: instantOf(o.AccountExpires),
			whenCreated:    instantOf(o.WhenCreated),
			groupsAt:       uint32(at),
			groupsLen:      uint32(len(o.MemberOf)),
		})
		if o.TSLicenseVersion != "" || o.TSManagingLS != "" || !o.TSExpireDate.IsZero() {
			i := len(inv.users) - 1
			for len(inv.rdsUsers) <= i/64 {
				inv.rdsUsers = append(inv.rdsUsers, 0)
			}
			inv.rdsUsers[i/64] |= 1 << (i % 64)
			inv.rdsIssues = append(inv.rdsIssues, rdsIssue{
				user:          uint32(i),
				version:       inv.intern(o.TSLicenseVersion),
				licenseServer: inv.intern(o.TSManagingLS),
				expires:       instantOf(o.TSExpireDate),
			})
		}
	case scanner.KindComputer:
		rec := computerRecord{
			domain:         inv.intern(o.Domain),
			text:           pack(o.DN, o.SID, o.Name(), o.DNSHostName),
			os:             inv.intern(o.OperatingSystem),
			osVersion:      inv.intern(o.OperatingSystemVersion),
			uac:            o.UserAccountControl,
			lastLogon:      instantOf(o.LastLogon),
			accountExpires: instantOf(o.AccountExpires),
			whenCreated:    instantOf(o.WhenCreated),
		}
		key := osKey{rec.os, rec.osVersion}
		if _, ok := inv.oses[key]; !ok {
			inv.oses[key] = scanner.ParseOS(rec.os, rec.osVersion)
		}
		inv.computers = append(inv.computers, rec)
	case scanner.KindGroup:
		inv.groups.addGroup(o)
	}
}

// trim gives back the spare capacity that appending left in the large
// slices: up to a quarter of their size, and the users and computers are
// kept for as long as the Result is.
func (inv *Inventory) trim() {
	inv.users = trimmed(inv.users)
	inv.computers = trimmed(inv.computers)
	inv.memberships = trimmed(inv.memberships)
}

func trimmed[S ~[]E, E any](s S) S {
	if cap(s)-len(s) <= len(s)/16 {
		return s
	}
	return slices.Clone(s)
}

// intern returns one shared copy of s for values that repeat across
// accounts (domain names, operating systems).
func (inv *Inventory) intern(s string) string {
	if v, ok := inv.interned[s]; ok {
		return v
	}
	v := strings.Clone(s)
	inv.interned[v] = v
	return v
}

// memberOf is the groups a user is a direct member of.
func (inv *Inventory) memberOf(u *userRecord) []groupID {
	return inv.memberships[u.groupsAt : u.groupsAt+u.groupsLen]
}

// rdsIssue finds user i's RDS CAL issuance, if any.
func (inv *Inventory) rdsIssue(i int) (*rdsIssue, bool) {
	if i/64 >= len(inv.rdsUsers) || inv.rdsUsers[i/64]&(1<<(i%64)) == 0 {
		return nil, false
	}
	k, ok := slices.BinarySearchFunc(inv.rdsIssues, uint32(i), func(r rdsIssue, u uint32) int { return cmp.Compare(r.user, u) })
	if !ok {
		return nil, false
	}
	return &inv.rdsIssues[k], true
}

func (inv *Inventory) osInfo(c *computerRecord) scanner.OSInfo {
	return inv.oses[osKey{c.os, c.osVersion}]
}

// instant is a UTC time to the second, counted from Go's zero time so that
// 0 means "never", as a zero time.Time does in scanner.Object.
type instant int64

var zeroUnix = time.Time{}.Unix()

func instantOf(t time.Time) instant {
	if t.IsZero() {
		return 0
	}
	return instant(t.Unix() - zeroUnix)
}

func (i instant) isZero() bool { return i == 0 }

func (i instant) time() time.Time {
	if i == 0 {
		return time.Time{}
	}
	return time.Unix(int64(i)+zeroUnix, 0).UTC()
}

// packed holds up to five strings in one allocation, which also detaches
// them from whatever buffer the scanner decoded them from.
type packed struct {
	all  string
	ends [4]uint32 // end of each string but the last
}

func pack(parts ...string) packed {
	n := 0
	for _, s := range parts {
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n)
	var p packed
	for i, s := range parts {
		b.WriteString(s)
		if i < len(p.ends) {
			p.ends[i] = uint32(b.Len())
		}
	}
	p.all = b.String()
	return p
}

func (p packed) get(i int) string {
	start, end := uint32(0), uint32(len(p.all))
	if i > 0 {
		start = p.ends[i-1]
	}
	if i < len(p.ends) {
		end = p.ends[i]
	}
	return p.all[start:end]
}
