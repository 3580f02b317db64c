package adsim

import "strings"

// groupType values (MS-ADTS 2.2.12): security groups have the high bit set.
const (
	groupGlobal       = "-2147483646"
	groupDomainLocal  = "-2147483644"
	groupBuiltinLocal = "-2147483643"
	groupUniversal    = "-2147483640"
)

// sAMAccountType values.
const (
	samUser     = "805306368"
	samComputer = "805306369"
	samGroup    = "268435456"
	samAlias    = "536870912"
)

// Organisational units of the company.
const (
	ouStaff       = "Staff"
	ouContractors = "Contractors"
	ouService     = "Service Accounts"
	ouGroups      = "Groups"
	ouWorkstation = "Workstations"
	ouServers     = "Servers"
	ouDCs         = "Domain Controllers"
	ouLeavers     = "Leavers"
)

// Groups by name.
const (
	grpDomainAdmins      = "Domain Admins"
	grpDomainUsers       = "Domain Users"
	grpDomainGuests      = "Domain Guests"
	grpDomainComputers   = "Domain Computers"
	grpDomainControllers = "Domain Controllers"
	grpSchemaAdmins      = "Schema Admins"
	grpEnterpriseAdmins  = "Enterprise Admins"
	grpAdministrators    = "Administrators"
	grpUsers             = "Users"
	grpRemoteDesktop     = "Remote Desktop Users"
	grpAllStaff          = "All Staff"
	grpContractors       = "Contractors"
	grpAppUsers          = "App Users"
	grpRDSUsers          = "RDS Users"
	grpRemoteWorkers     = "Remote Workers"
	grpITAdmins          = "IT Admins"
	grpVPNUsers          = "VPN Users"
)

// Well-known relative ids.
const (
	ridAdministrator  = 500
	ridGuest          = 501
	ridKrbtgt         = 502
	ridDefaultAccount = 503
	ridDomainAdmins   = 512
	ridDomainUsers    = 513
	ridDomainGuests   = 514
	ridDomainComputer = 515
	ridDomainCtrls    = 516
	ridSchemaAdmins   = 518
	ridEnterpriseAdm  = 519
)

type groupSet map[string]*Entry

// addMember links member into group both ways: group.member and the
// member's memberOf back-link, as AD keeps them.
func (g groupSet) addMember(group string, member *Entry) {
	ge := g[group]
	ge.Attrs["member"] = append(ge.Attrs["member"], member.DN)
	member.Attrs["memberOf"] = append(member.Attrs["memberOf"], ge.DN)
}

// addSkeleton adds the domain object, the default containers and the OUs.
func (b *builder) addSkeleton() {
	dc, _, _ := strings.Cut(b.dns, ".")
	when := generalizedTime(b.created)
	b.used[string(foldKey(nil, b.base))] = struct{}{}
	b.add(b.base, map[string][]string{
		"objectClass":           {"top", "domain", "domainDNS"},
		"objectCategory":        {b.category("Domain-DNS")},
		"dc":                    {dc},
		"name":                  {dc},
		"objectSid":             {encodeSID(21, b.domainSID[0], b.domainSID[1], b.domainSID[2])},
		"objectGUID":            {b.guid()},
		"msDS-Behavior-Version": {"7"},
		"whenCreated":           {when},
	})
	for _, c := range []struct{ cn, class, category, description string }{
		{"Users", "container", "Container", "Default container for upgraded user accounts"},
		{"Computers", "container", "Container", "Default container for upgraded computer accounts"},
		{"Builtin", "builtinDomain", "Builtin-Domain", ""},
	} {
		_, dn := b.uniqueDN(c.cn, b.base)
		attrs := map[string][]string{
			"objectClass": {"top", c.class}, "objectCategory": {b.category(c.category)},
			"cn": {c.cn}, "name": {c.cn}, "objectGUID": {b.guid()}, "whenCreated": {when},
		}
		if c.description != "" {
			attrs["description"] = []string{c.description}
		}
		b.add(dn, attrs)
	}
	for _, name := range []string{ouDCs, ouStaff, ouContractors, ouService, ouGroups, ouWorkstation, ouServers, ouLeavers} {
		dn := b.ou(name)
		b.used[string(foldKey(nil, dn))] = struct{}{}
		b.add(dn, map[string][]string{
			"objectClass": {"top", "organizationalUnit"}, "objectCategory": {b.category("Organizational-Unit")},
			"ou": {name}, "name": {name}, "objectGUID": {b.guid()}, "whenCreated": {when},
		})
	}
}

// addGroups adds the well-known groups and the company's own, with nesting:
// Remote Workers → RDS Users → App Users, IT Admins → Domain Admins.
func (b *builder) addGroups() {
	b.groups = make(groupSet)
	users, builtin, groups := b.container("Users"), b.container("Builtin"), b.ou(ouGroups)
	type spec struct {
		name, parent, groupType, samType, sid, description string
	}
	domainRID := func(rid uint32) string { return b.sid(rid) }
	specs := []spec{
		{grpAdministrators, builtin, groupBuiltinLocal, samAlias, encodeSID(32, 544), "Administrators have complete and unrestricted access to the computer/domain"},
		{grpUsers, builtin, groupBuiltinLocal, samAlias, encodeSID(32, 545), "Users are prevented from making accidental or intentional system-wide changes"},
		{grpRemoteDesktop, builtin, groupBuiltinLocal, samAlias, encodeSID(32, 555), "Members in this group are granted the right to logon remotely"},
		{grpDomainAdmins, users, groupGlobal, samGroup, domainRID(ridDomainAdmins), "Designated administrators of the domain"},
		{grpDomainUsers, users, groupGlobal, samGroup, domainRID(ridDomainUsers), "All domain users"},
		{grpDomainGuests, users, groupGlobal, samGroup, domainRID(ridDomainGuests), "All domain guests"},
		{grpDomainComputers, users, groupGlobal, samGroup, domainRID(ridDomainComputer), "All workstations and servers joined to the domain"},
		{grpDomainControllers, users, groupGlobal, samGroup, domainRID(ridDomainCtrls), "All domain controllers in the domain"},
		{grpSchemaAdmins, users, groupUniversal, samGroup, domainRID(ridSchemaAdmins), "Designated administrators of the schema"},
		{grpEnterpriseAdmins, users, groupUniversal, samGroup, domainRID(ridEnterpriseAdm), "Designated administrators of the enterprise"},
	}
	for _, name := range append([]string{grpAllStaff, grpContractors, grpAppUsers, grpRDSUsers, grpRemoteWorkers, grpITAdmins, grpVPNUsers}, departments...) {
		specs = append(specs, spec{name, groups, groupGlobal, samGroup, "", ""})
	}
	for _, s := range specs {
		sid := s.sid
		if sid == "" {
			sid = b.sid(b.nextRID())
		}
		_, dn := b.uniqueDN(s.name, s.parent)
		attrs := map[string][]string{
			"objectClass": {"top", "group"}, "objectCategory": {b.category("Group")},
			"cn": {s.name}, "name": {s.name}, "sAMAccountName": {s.name},
			"groupType": {s.groupType}, "sAMAccountType": {s.samType},
			"objectSid": {sid}, "objectGUID": {b.guid()},
			"whenCreated": {generalizedTime(b.created)},
		}
		if s.description != "" {
			attrs["description"] = []string{s.description}
		}
		b.groups[s.name] = b.add(dn, attrs)
	}
	for _, n := range [][2]string{
		{grpRemoteWorkers, grpRDSUsers}, {grpRDSUsers, grpAppUsers}, {grpRDSUsers, grpRemoteDesktop},
		{grpITAdmins, grpDomainAdmins}, {grpDomainAdmins, grpAdministrators}, {grpEnterpriseAdmins, grpAdministrators},
		{grpDomainUsers, grpUsers},
	} {
		b.groups.addMember(n[1], b.groups[n[0]])
	}
}
