package report

import (
	"slices"
	"strconv"
	"strings"

	"github.com/calscan/calscan/rules"
)

// raisersInline is how many servers a "raises everyone" sentence names.
const raisersInline = 5

// calNotes are the sentences under the CAL table: which servers set each
// line's version (V4) and the per-user RDS CALs a license server handed out (D4).
func calNotes(cals []rules.CALLine) []string {
	var notes []string
	for _, c := range cals {
		if len(c.RaisedBy) > 0 && c.MinVersion != "" {
			notes = append(notes, raisedBySentence(c))
		}
	}
	for _, c := range cals {
		if c.Type == rules.CALRDSUser && c.Issued+c.IssuedExpired > 0 {
			notes = append(notes, "Windows does not enforce per-user RDS CALs: "+rules.FormatCount(c.Issued)+" issued and valid, "+
				rules.FormatCount(c.IssuedExpired)+" expired; you own "+rules.FormatCount(c.Owned)+".")
		}
	}
	return notes
}

// raisedBySentence reads "APP01 (Windows Server 2025) raises everyone who
// uses it to 2025 User CALs."; servers of one release share it: "APP01 and
// DC01 (Windows Server 2025) raise …".
func raisedBySentence(c rules.CALLine) string {
	names, release := splitRelease(c.RaisedBy)
	if len(names) > raisersInline {
		names = append(names[:raisersInline:raisersInline], rules.FormatCount(len(names)-raisersInline)+" more")
	}
	n := len(c.RaisedBy)
	who := "everyone who uses " + plural(n, "it", "them")
	if c.Type == rules.CALDevice || c.Type == rules.CALRDSDevice {
		who = "every device that uses " + plural(n, "it", "them")
	}
	return joinAnd(names) + release + " " + plural(n, "raises", "raise") + " " + who + " to " + c.MinVersion + " " + calTypeLabel(c.Type) + " CALs."
}

// splitRelease takes the common " (Windows Server 2022)" off raised_by
// entries; when they differ, the entries are kept whole and release is "".
func splitRelease(raisedBy []string) (names []string, release string) {
	names = make([]string, len(raisedBy))
	for i, r := range raisedBy {
		cut := strings.LastIndex(r, " (")
		if cut < 0 || !strings.HasSuffix(r, ")") || (i > 0 && r[cut:] != release) {
			return slices.Clone(raisedBy), ""
		}
		names[i], release = r[:cut], r[cut:]
	}
	return names, release
}

// coreView is the server licence section, shown only when the rules
// counted core (or processor) licences.
type coreView struct {
	Lines   []rules.CoreLicenseLine
	Servers []coreServer
}

type coreServer struct {
	rules.Server
	Licences string // "32 cores (2 × 16)", "1 processor licence"
}

func newCoreView(r *Report) coreView {
	if len(r.CoreLicenses) == 0 {
		return coreView{}
	}
	v := coreView{Lines: r.CoreLicenses}
	for _, s := range r.Servers {
		if s.CoreLicensesRequired > 0 {
			v.Servers = append(v.Servers, coreServer{Server: s, Licences: coreLicences(s)})
		}
	}
	return v
}

// coreLicences reads "32 cores (2 × 16: 4 VMs)" or "1 processor licence".
func coreLicences(s rules.Server) string {
	n := s.CoreLicensesRequired
	text := rules.FormatCount(n) + " " + coreUnitLabel(s.CoreLicenseUnit, n)
	if s.CoreLicenseSets > 1 {
		text += " (" + rules.FormatCount(s.CoreLicenseSets) + " × " + rules.FormatCount(n/s.CoreLicenseSets) + ")"
	}
	return text
}

// coreUnitLabel names n licences of a unit: "cores", "processor licence".
func coreUnitLabel(unit string, n int) string {
	if unit == rules.UnitProcessor {
		return plural(n, "processor licence", "processor licences")
	}
	return plural(n, "core", "cores")
}

// mixView is the cheapest user/device mix box (model mixed).
type mixView struct {
	Shown    bool
	Headline string // the mix against licensing everyone one way
	Evidence string // what it rests on
	Costlier bool   // the mix costs more than one type for all
}

func newMixView(m *rules.Mix) mixView {
	if m == nil {
		return mixView{}
	}
	mix := rules.FormatCount(m.UserCALs) + " " + calProduct(rules.CALUser, "", m.UserCALs) + " + " +
		rules.FormatCount(m.DeviceCALs) + " " + calProduct(rules.CALDevice, "", m.DeviceCALs) + " = " + rules.FormatCount(m.Total)
	against := ", against " + rules.FormatCount(m.AllUser) + " with User CALs only and " + rules.FormatCount(m.AllDevice) + " with Device CALs only"
	def := calProduct(defaultCALType(m.Default), "", 2)
	if m.Pairs == 0 {
		return mixView{Shown: true,
			Headline: "Without usage evidence every user and device is counted under mixed_default (" + def + "): " + mix + against + ".",
			Evidence: "Set usage_csv to user,device pairs of real access to find the cheapest mix."}
	}
	v := mixView{Shown: true, Headline: "With your usage evidence the cheapest mix is " + mix + against}
	switch cheaper := "User"; {
	case m.Saving > 0:
		v.Headline += ": you save " + count(m.Saving, "CAL", "CALs") + "."
	case m.Saving == 0:
		v.Headline += ": no saving over one CAL type for all."
	default:
		if m.AllDevice < m.AllUser {
			cheaper = "Device"
		}
		v.Costlier = true
		v.Headline += ": it needs " + count(-m.Saving, "CAL", "CALs") + " more than " + cheaper +
			" CALs for all, because the accounts without usage evidence are counted under mixed_default (" + def + ")."
	}
	source := m.UsageCSV
	if source == "" {
		source = "the usage evidence"
	}
	noUsers, noDevices := m.AllUser-m.UsersWithEvidence, m.AllDevice-m.DevicesWithEvidence
	v.Evidence = "Based on " + count(m.Pairs, "user,device pair", "user,device pairs") + " in " + source
	if m.PairsIgnored > 0 {
		v.Evidence += " (" + rules.FormatCount(m.PairsIgnored) + " ignored)"
	}
	v.Evidence += "; " + count(noUsers, "user", "users") + " and " + count(noDevices, "device", "devices") +
		" without evidence are counted under mixed_default (" + def + ")."
	return v
}

func defaultCALType(m rules.Model) rules.CALType {
	if m == rules.ModelDevice {
		return rules.CALDevice
	}
	return rules.CALUser
}

// rdsCell is an account's RDS column: the RDS CAL it needs and the
// per-user RDS CAL a license server issued to it (D4).
type rdsCell struct {
	Need    string // "RDS User 2019"
	Issued  string // "issued until 2027-01-26 (version 393216)"
	Expired bool
	Server  string // the license server that issued it
}

// RDSCell describes a row's RDS licensing for the template.
func (t accountTable) RDSCell(a rules.Account) rdsCell {
	r := a.RDS
	if r == nil {
		return rdsCell{}
	}
	var c rdsCell
	if r.CALType != "" {
		c.Need = strings.TrimSpace(calTypeLabel(r.CALType) + " " + r.CALVersion)
	}
	if r.IssuedVersion == "" && r.IssuedExpires.IsZero() && r.LicenseServer == "" {
		return c
	}
	c.Issued, c.Server = "issued", r.LicenseServer
	switch {
	case r.IssuedExpires.IsZero():
	case r.IssuedExpires.Before(t.Now):
		c.Issued, c.Expired = "issued, expired "+shortDate(r.IssuedExpires), true
	default:
		c.Issued = "issued until " + shortDate(r.IssuedExpires)
	}
	if r.IssuedVersion != "" {
		c.Issued += " (version " + r.IssuedVersion + ")"
	}
	return c
}

// serverAccess reads who uses a server and how it is licensed beyond CALs:
// its access group (by name) and RDS or External Connector roles.
type serverAccess struct {
	Group string // the access group's name; "" for everyone
	DN    string
	Tags  []string
}

func newServerAccess(s rules.Server) serverAccess {
	a := serverAccess{DN: s.AccessGroup}
	if s.AccessGroup != "" {
		a.Group = firstRDNValue(s.AccessGroup)
	}
	switch {
	case s.RDSLicensing == rules.CALRDSUser:
		a.Tags = append(a.Tags, "RDS, per user")
	case s.RDSLicensing == rules.CALRDSDevice:
		a.Tags = append(a.Tags, "RDS, per device")
	case s.RDS:
		a.Tags = append(a.Tags, "RDS")
	}
	if s.ExternalConnector {
		a.Tags = append(a.Tags, "External Connector")
	}
	if s.RDSExternalConnector {
		a.Tags = append(a.Tags, "RDS External Connector")
	}
	return a
}

// firstRDNValue is "RDS Users" for "CN=RDS Users,OU=Groups,DC=corp": a
// group's name as people know it. Escaped commas stay in the name.
func firstRDNValue(dn string) string {
	_, value, ok := strings.Cut(dn, "=")
	if !ok {
		return dn
	}
	for i := 0; i < len(value); i++ {
		switch value[i] {
		case '\\':
			i++
		case ',', '+':
			return unescapeRDN(value[:i])
		}
	}
	return unescapeRDN(value)
}

// unescapeRDN undoes RFC 4514 escapes: "\\," and "\\2C" are both a comma.
func unescapeRDN(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			if x, err := strconv.ParseUint(v[i+1:min(i+3, len(v))], 16, 8); err == nil && i+2 < len(v) {
				b.WriteByte(byte(x))
				i += 2
				continue
			}
			i++
		}
		b.WriteByte(v[i])
	}
	return strings.TrimSpace(b.String())
}
