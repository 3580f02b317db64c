package adsim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// userAccountControl values the company uses.
const (
	uacNormal           = 512
	uacDisabled         = 514
	uacDontExpire       = 66048
	uacDisabledNoExpire = 66050
	uacGuest            = 66082 // disabled, password not required, don't expire
)

// Service accounts: name and the SPN service class/host they run.
var serviceAccounts = []struct{ name, spn, description string }{
	{"svc-calscan", "HTTP/calscan", "LDAP reader for CAL compliance scans"},
	{"svc-sql", "MSSQLSvc/sql01:1433", "SQL Server engine"},
	{"svc-sqlagent", "MSSQLSvc/sql01:1434", "SQL Server agent"},
	{"svc-backup", "HTTP/backup01", "Backup jobs"},
	{"svc-web", "HTTP/web01", "Intranet application pool"},
	{"svc-sharepoint", "HTTP/intranet", "SharePoint farm"},
	{"svc-adsync", "HTTP/adsync", "Directory synchronisation"},
	{"svc-scan", "HTTP/scan01", "Scan to folder"},
	{"svc-print", "HTTP/print01", "Print management"},
	{"svc-monitor", "HTTP/monitor", "Monitoring agent"},
	{"svc-ftp", "ftp/ftp01", "Partner file exchange"},
	{"svc-crm", "HTTP/crm", "CRM application"},
	{"svc-erp", "HTTP/erp", "ERP application server"},
	{"svc-jenkins", "HTTP/jenkins", "Build automation"},
	{"svc-veeam", "HTTP/veeam01", "Veeam backup"},
}

// userSpec is one user account to add.
type userSpec struct {
	given, sn, display string
	sam, mail          string
	parent             string
	rid                uint32 // 0: next free
	builtin            bool   // no UPN, as AD creates them
	uac                int
	primaryGroup       int
	lastLogon, created time.Time // zero lastLogon: never logged on
	expires            string
	department, title  string
	description        string
	spns               []string
}

func (b *builder) addUser(u userSpec) *Entry {
	cn := u.display
	if cn == "" {
		cn = u.sam
	}
	cn, dn := b.uniqueDN(cn, u.parent)
	rid := u.rid
	if rid == 0 {
		rid = b.nextRID()
	}
	if u.primaryGroup == 0 {
		u.primaryGroup = ridDomainUsers
	}
	if u.expires == "" {
		u.expires = neverExpires
	}
	changed, pwdSet := u.created, u.created
	if !u.lastLogon.IsZero() {
		changed = u.lastLogon
		pwdSet = u.created.Add(time.Duration(b.rng.Int64N(int64(u.lastLogon.Sub(u.created)) + 1)))
	}
	attrs := map[string][]string{
		"objectClass":        {"top", "person", "organizationalPerson", "user"},
		"objectCategory":     {b.category("Person")},
		"cn":                 {cn},
		"name":               {cn},
		"sAMAccountName":     {u.sam},
		"objectSid":          {b.sid(rid)},
		"objectGUID":         {b.guid()},
		"userAccountControl": {strconv.Itoa(u.uac)},
		"primaryGroupID":     {strconv.Itoa(u.primaryGroup)},
		"sAMAccountType":     {samUser},
		"accountExpires":     {u.expires},
		"pwdLastSet":         {fileTime(pwdSet)},
		"whenCreated":        {generalizedTime(u.created)},
		"whenChanged":        {generalizedTime(changed)},
	}
	set := func(name, value string) {
		if value != "" {
			attrs[name] = []string{value}
		}
	}
	if !u.builtin {
		set("userPrincipalName", u.sam+"@"+b.dns)
	}
	set("displayName", u.display)
	set("givenName", u.given)
	set("sn", u.sn)
	set("mail", u.mail)
	set("department", u.department)
	set("title", u.title)
	set("description", u.description)
	if !u.lastLogon.IsZero() {
		set("lastLogonTimestamp", fileTime(u.lastLogon))
	}
	if len(u.spns) > 0 {
		attrs["servicePrincipalName"] = u.spns
	}
	return b.add(dn, attrs)
}

// peoplePlan is how many employees and contractors of each kind to make.
type peoplePlan struct {
	active, disabled, stale, never, expired int
}

// planPeople splits n people: ~6% disabled, ~5% stale, ~1% never logged on,
// a few expired, the rest active; every kind at least once.
func planPeople(n int) peoplePlan {
	p := peoplePlan{
		disabled: atLeastOne(percent(n, 6)),
		stale:    atLeastOne(percent(n, 5)),
		never:    atLeastOne(percent(n, 1)),
		expired:  atLeastOne(n * 4 / 1000),
	}
	p.active = max(0, n-len(specialPeople)-p.disabled-p.stale-p.never-p.expired)
	return p
}

type personKind uint8

const (
	personActive personKind = iota
	personDisabled
	personStale
	personNever
	personExpired
)

func (b *builder) addUsers() {
	b.addBuiltinUsers()
	nsvc := min(len(serviceAccounts), atLeastOne(b.o.Users/130))
	b.addServiceAccounts(nsvc)
	plan := planPeople(b.o.Users - 4 - nsvc)
	for _, sp := range specialPeople {
		b.addSpecialPerson(sp)
	}
	kinds := make([]personKind, 0, plan.active+plan.disabled+plan.stale+plan.never+plan.expired)
	for _, c := range []struct {
		kind personKind
		n    int
	}{{personActive, plan.active}, {personDisabled, plan.disabled}, {personStale, plan.stale}, {personNever, plan.never}, {personExpired, plan.expired}} {
		for range c.n {
			kinds = append(kinds, c.kind)
		}
	}
	// interleave the kinds, as hiring and leaving interleave in a real domain
	b.rng.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	var seq [5]int
	for _, kind := range kinds {
		k := seq[kind]
		seq[kind]++
		switch kind {
		case personActive:
			b.addActivePerson(k)
		case personDisabled:
			b.addDisabledPerson(k)
		case personStale:
			b.addStalePerson()
		case personNever:
			b.addNeverLoggedOn()
		case personExpired:
			b.addExpiredContractor()
		}
	}
}

func (b *builder) addBuiltinUsers() {
	users := b.container("Users")
	admin := b.addUser(userSpec{sam: "Administrator", parent: users, rid: ridAdministrator, builtin: true,
		uac: uacDontExpire, lastLogon: b.ago(0, 3), created: b.created,
		description: "Built-in account for administering the computer/domain"})
	for _, g := range []string{grpDomainAdmins, grpEnterpriseAdmins, grpSchemaAdmins, grpAdministrators} {
		b.groups.addMember(g, admin)
	}
	b.addUser(userSpec{sam: "Guest", parent: users, rid: ridGuest, builtin: true, uac: uacGuest,
		primaryGroup: ridDomainGuests, created: b.created,
		description: "Built-in account for guest access to the computer/domain"})
	b.addUser(userSpec{sam: "krbtgt", parent: users, rid: ridKrbtgt, builtin: true, uac: uacDisabled,
		created: b.created, description: "Key Distribution Center Service Account", spns: []string{"kadmin/changepw"}})
	b.addUser(userSpec{sam: "DefaultAccount", parent: users, rid: ridDefaultAccount, builtin: true, uac: uacGuest,
		created: b.created, description: "A user account managed by the system."})
	for _, n := range []string{"Administrator", "Guest", "krbtgt", "DefaultAccount"} {
		b.uniqueSAM(n)
	}
}

func (b *builder) addServiceAccounts(n int) {
	for _, s := range serviceAccounts[:n] {
		b.uniqueSAM(s.name)
		created := b.ago(365, 2200)
		b.addUser(userSpec{
			sam: s.name, display: s.name, parent: b.ou(ouService),
			uac: uacDontExpire, lastLogon: b.ago(0, 6), created: created,
			description: s.description, spns: []string{s.spn + "." + b.dns},
		})
	}
}

// employee is a generated person in a random department: a name, a unique
// account name and mail address, an enabled account under parent.
func (b *builder) employee(parent string) userSpec {
	given := firstNames[b.rng.IntN(len(firstNames))]
	sn := lastNames[b.rng.IntN(len(lastNames))]
	stem := asciiFold(string([]rune(given)[:1])+sn, "")
	if len(stem) > 16 {
		stem = stem[:16]
	}
	local := uniqueName(b.mails, asciiFold(given, "-")+"."+asciiFold(sn, "-"))
	dept := departments[b.rng.IntN(len(departments))]
	t := titles[dept]
	return userSpec{
		given: given, sn: sn, display: given + " " + sn, sam: b.uniqueSAM(stem), mail: local + "@" + b.dns,
		parent: parent, uac: uacNormal, department: dept, title: t[b.rng.IntN(len(t))],
	}
}

func (b *builder) addSpecialPerson(sp specialPerson) {
	b.uniqueSAM(sp.sam)
	mail := sp.mail
	if !strings.Contains(mail, "@") {
		mail = uniqueName(b.mails, mail) + "@" + b.dns
	}
	last := b.ago(0, 29)
	u := userSpec{
		given: sp.given, sn: sp.sn, display: sp.display, sam: sp.sam, mail: mail,
		parent: b.ou(ouStaff), uac: uacNormal, lastLogon: last, created: b.before(last, 30, 2000),
		department: sp.department,
	}
	if sp.department != "" {
		u.title = titles[sp.department][0]
	}
	if sp.role == roleContractor {
		b.addContractor(u)
		return
	}
	e := b.addUser(u)
	b.staffGroups(e, sp.department)
	b.roleGroups(e, sp.role)
}

// addActivePerson adds the k-th generated active employee or contractor:
// logged on within 30 days. k spreads the extra roles evenly.
func (b *builder) addActivePerson(k int) {
	u := b.employee(b.ou(ouStaff))
	u.lastLogon = b.ago(0, 29)
	u.created = b.before(u.lastLogon, 1, 2900)
	if k%30 == 0 {
		u.uac = uacDontExpire
	}
	if k%5 == 0 {
		u.expires = "0"
	}
	if k%12 == 5 {
		b.addContractor(u)
		return
	}
	e := b.addUser(u)
	b.staffGroups(e, u.department)
	switch {
	case k%10 == 3:
		b.roleGroups(e, roleRDS)
	case k%50 == 7:
		b.roleGroups(e, roleRemote)
	case k%20 == 9:
		b.roleGroups(e, roleAppUser)
	case k%25 == 11:
		b.roleGroups(e, roleVPN)
	}
	if u.department == "IT" && len(b.groups[grpITAdmins].Attrs["member"]) < 3 {
		b.roleGroups(e, roleITAdmin)
	}
}

// addContractor puts u in OU=Contractors with a contract end date ahead.
func (b *builder) addContractor(u userSpec) {
	u.parent = b.ou(ouContractors)
	u.expires = fileTime(b.now.Add(time.Duration(30+b.rng.IntN(336)) * day))
	u.description = "Contractor"
	b.groups.addMember(grpContractors, b.addUser(u))
}

func (b *builder) staffGroups(e *Entry, dept string) {
	b.groups.addMember(grpAllStaff, e)
	if dept != "" {
		b.groups.addMember(dept, e)
	}
}

// roleGroups adds e to the groups of a role; RDS roles also record a
// per-user RDS CAL on the account, as an RD licensing server does.
func (b *builder) roleGroups(e *Entry, r personRole) {
	switch r {
	case roleRDS:
		b.groups.addMember(grpRDSUsers, e)
		b.issueRDSCAL(e, b.now.Add(time.Duration(20+b.rng.IntN(70))*day))
	case roleRemote:
		b.groups.addMember(grpRemoteWorkers, e)
		b.issueRDSCAL(e, b.now.Add(time.Duration(20+b.rng.IntN(70))*day))
	case roleAppUser:
		b.groups.addMember(grpAppUsers, e)
	case roleITAdmin:
		b.groups.addMember(grpITAdmins, e)
	case roleVPN:
		b.groups.addMember(grpVPNUsers, e)
	}
}

// issueRDSCAL records a per-user RDS CAL (LICENSING.md D4).
func (b *builder) issueRDSCAL(e *Entry, expires time.Time) {
	e.Attrs["msTSLicenseVersion"] = []string{"393216"}
	e.Attrs["msTSExpireDate"] = []string{generalizedTime(expires)}
	e.Attrs["msTSManagingLS"] = []string{b.licenseServer()}
}

// licenseServer is the RD licensing server's product id, fixed per domain.
func (b *builder) licenseServer() string {
	s := b.domainSID
	return fmt.Sprintf("%05d-%05d-%05d-AT%03d", s[0]%100000, s[1]%100000, s[2]%100000, s[0]%1000)
}

// addDisabledPerson adds a leaver: disabled, most moved to OU=Leavers and
// out of their groups; some still hold an RDS CAL that can be reclaimed.
func (b *builder) addDisabledPerson(k int) {
	u := b.employee(b.ou(ouLeavers))
	u.uac, u.description = uacDisabled, "Left the company"
	if k%3 == 0 {
		u.uac = uacDisabledNoExpire
	}
	if k%4 == 0 {
		u.created = b.ago(60, 2900)
	} else {
		u.lastLogon = b.ago(30, 700)
		u.created = b.before(u.lastLogon, 30, 2500)
	}
	if k%5 == 0 {
		u.parent, u.description = b.ou(ouStaff), ""
	}
	e := b.addUser(u)
	if u.parent == b.ou(ouStaff) {
		b.staffGroups(e, u.department)
	}
	if k%10 == 1 && !u.lastLogon.IsZero() {
		b.issueRDSCAL(e, u.lastLogon.Add(60*day))
	}
}

// addStalePerson adds an enabled employee who last logged on 120–900 days ago.
func (b *builder) addStalePerson() {
	u := b.employee(b.ou(ouStaff))
	u.lastLogon = b.ago(120, 900)
	u.created = b.before(u.lastLogon, 1, 2000)
	b.staffGroups(b.addUser(u), u.department)
}

// addNeverLoggedOn adds an enabled account created long ago and never used.
func (b *builder) addNeverLoggedOn() {
	u := b.employee(b.ou(ouStaff))
	u.created = b.ago(200, 1100)
	b.staffGroups(b.addUser(u), u.department)
}

// addExpiredContractor adds an enabled contractor whose accountExpires has
// passed (AD does not disable expired accounts).
func (b *builder) addExpiredContractor() {
	u := b.employee(b.ou(ouContractors))
	ended := b.ago(1, 180)
	u.lastLogon = b.before(ended, 0, 10)
	u.created = b.before(u.lastLogon, 30, 700)
	u.expires, u.description = fileTime(ended), "Contractor"
	b.groups.addMember(grpContractors, b.addUser(u))
}
