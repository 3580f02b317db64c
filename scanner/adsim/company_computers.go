package adsim

import (
	"strconv"
	"strings"
	"time"
)

// userAccountControl values of computer accounts.
const (
	uacWorkstation         = 4096
	uacWorkstationDisabled = 4098
	uacDomainController    = 532480 // 0x82000: server trust, trusted for delegation
)

// operatingSystem and operatingSystemVersion as AD records them.
type osInfo struct{ name, version string }

var (
	osServer2022Std     = osInfo{"Windows Server 2022 Standard", "10.0 (20348)"}
	osServer2019Std     = osInfo{"Windows Server 2019 Standard", "10.0 (17763)"}
	osServer2012R2DC    = osInfo{"Windows Server 2012 R2 Datacenter", "6.3 (9600)"}
	osServer2016Std     = osInfo{"Windows Server 2016 Standard", "10.0 (14393)"}
	osServer2019DC      = osInfo{"Windows Server 2019 Datacenter", "10.0 (17763)"}
	osServer2022Azure   = osInfo{"Windows Server 2022 Datacenter: Azure Edition", "10.0 (20348)"}
	osServer2008R2Ent   = osInfo{"Windows Server® 2008 R2 Enterprise", "6.1 (7601)"}
	osServer2025Std     = osInfo{"Windows Server 2025 Standard", "10.0 (26100)"}
	osServer2012R2Ess   = osInfo{"Windows Server 2012 R2 Essentials", "6.3 (9600)"}
	osHyperV2019        = osInfo{"Hyper-V Server 2019", "10.0 (17763)"}
	osUnknown           = osInfo{"OpenVMS 9.2", "V9.2-2"}
	osWindows11         = osInfo{"Windows 11 Enterprise", "10.0 (22631)"}
	osWindows10         = osInfo{"Windows 10 Enterprise", "10.0 (19045)"}
	osWindows10LTSC     = osInfo{"Windows 10 Enterprise LTSC", "10.0 (17763)"}
	osMacOS             = osInfo{"Mac OS X", "14.5"}
	genericServerMix    = []osInfo{osServer2012R2DC, osServer2016Std, osServer2019DC, osServer2022Azure, osServer2008R2Ent}
	genericServerWeight = []int{20, 25, 25, 20, 10}
)

// computerSpec is one computer account to add.
type computerSpec struct {
	name      string // NetBIOS name, upper case
	parent    string
	os        osInfo // zero: the attributes are absent
	uac       int
	primary   int
	lastLogon time.Time
	created   time.Time
	spns      []string
}

func (b *builder) addComputer(c computerSpec) *Entry {
	cn, dn := b.uniqueDN(c.name, c.parent)
	fqdn := strings.ToLower(cn) + "." + b.dns
	if c.primary == 0 {
		c.primary = ridDomainComputer
	}
	if c.spns == nil {
		c.spns = []string{"HOST/" + cn, "HOST/" + fqdn, "RestrictedKrbHost/" + cn, "RestrictedKrbHost/" + fqdn}
	}
	attrs := map[string][]string{
		"objectClass":          {"top", "person", "organizationalPerson", "user", "computer"},
		"objectCategory":       {b.category("Computer")},
		"cn":                   {cn},
		"name":                 {cn},
		"sAMAccountName":       {cn + "$"},
		"dNSHostName":          {fqdn},
		"objectSid":            {b.sid(b.nextRID())},
		"objectGUID":           {b.guid()},
		"userAccountControl":   {strconv.Itoa(c.uac)},
		"primaryGroupID":       {strconv.Itoa(c.primary)},
		"sAMAccountType":       {samComputer},
		"accountExpires":       {neverExpires},
		"lastLogonTimestamp":   {fileTime(c.lastLogon)},
		"pwdLastSet":           {fileTime(c.lastLogon)},
		"whenCreated":          {generalizedTime(c.created)},
		"whenChanged":          {generalizedTime(c.lastLogon)},
		"servicePrincipalName": c.spns,
	}
	if c.os.name != "" {
		attrs["operatingSystem"] = []string{c.os.name}
		attrs["operatingSystemVersion"] = []string{c.os.version}
	}
	return b.add(dn, attrs)
}

// fixedServer is a named member server that tests one licensing case.
type fixedServer struct {
	name     string
	os       osInfo
	service  string // extra SPN service class
	disabled bool
}

var fixedServers = []fixedServer{
	{"FS01", osServer2016Std, "", false},
	{"SQL01", osServer2019DC, "MSSQLSvc", false},
	{"RDS01", osServer2019DC, "TERMSRV", false},
	{"APP01", osServer2022Azure, "HTTP", false},
	{"LEGACY01", osServer2008R2Ent, "", false},
	{"WEB01", osServer2012R2DC, "HTTP", false},
	{"PILOT25", osServer2025Std, "", true}, // a decommissioned pilot: must not raise the CAL version
	{"BRANCH-ESS", osServer2012R2Ess, "", false},
	{"HV01", osHyperV2019, "Microsoft Virtual Console Service", false},
	{"VMS01", osUnknown, "", false},
	{"NAS01", osInfo{}, "", false}, // joined without an operatingSystem
}

func (b *builder) addComputers() {
	b.addDomainControllers()
	servers := max(len(fixedServers)+1, percent(b.o.Computers, 5))
	b.addServers(servers)
	b.addWorkstations(max(6, b.o.Computers-2-servers))
}

func (b *builder) addDomainControllers() {
	for _, dc := range []struct {
		name string
		os   osInfo
	}{{"DC01", osServer2022Std}, {"DC02", osServer2019Std}} {
		fqdn := strings.ToLower(dc.name) + "." + b.dns
		b.addComputer(computerSpec{
			name: dc.name, parent: b.ou(ouDCs), os: dc.os, uac: uacDomainController, primary: ridDomainCtrls,
			lastLogon: b.ago(0, 5), created: b.ago(30, 900),
			spns: []string{
				"ldap/" + fqdn, "ldap/" + fqdn + "/" + b.dns, "GC/" + fqdn + "/" + b.dns,
				"HOST/" + dc.name, "HOST/" + fqdn, "RestrictedKrbHost/" + fqdn, "DNS/" + fqdn,
			},
		})
	}
}

func (b *builder) addServers(n int) {
	for _, s := range b.serverList(n) {
		spec := computerSpec{
			name: s.name, parent: b.ou(ouServers), os: s.os, uac: uacWorkstation,
			lastLogon: b.ago(0, 13),
		}
		if s.disabled {
			spec.uac = uacWorkstationDisabled
			spec.lastLogon = b.ago(150, 250)
		}
		if s.stale {
			spec.lastLogon = b.ago(200, 600)
		}
		spec.created = b.before(spec.lastLogon, 30, 2900)
		if s.service != "" {
			fqdn := strings.ToLower(s.name) + "." + b.dns
			spec.spns = []string{"HOST/" + s.name, "HOST/" + fqdn, "RestrictedKrbHost/" + fqdn, s.service + "/" + fqdn}
		}
		b.addComputer(spec)
	}
}

type serverPlan struct {
	fixedServer
	stale bool
}

// serverList is the fixed servers then generic ones (SRV001…) drawn from
// the edition mix; one in twenty generic servers is stale.
func (b *builder) serverList(n int) []serverPlan {
	list := make([]serverPlan, 0, n)
	for _, f := range fixedServers {
		list = append(list, serverPlan{fixedServer: f})
	}
	for i := 1; len(list) < n; i++ {
		list = append(list, serverPlan{
			fixedServer: fixedServer{name: "SRV" + pad(i, 3), os: b.weighted(genericServerMix, genericServerWeight)},
			stale:       i%20 == 0,
		})
	}
	return list
}

func (b *builder) weighted(items []osInfo, weights []int) osInfo {
	total := 0
	for _, w := range weights {
		total += w
	}
	r := b.rng.IntN(total)
	for i, w := range weights {
		if r < w {
			return items[i]
		}
		r -= w
	}
	return items[len(items)-1]
}

type machineState uint8

const (
	machineActive machineState = iota
	machineStale
	machineDisabled
)

// addWorkstations adds n clients: Windows 11 and 10, some LTSC (a client
// with a server build number), a few Macs; ~8% stale and ~3% disabled.
func (b *builder) addWorkstations(n int) {
	mac, ltsc, win10 := atLeastOne(percent(n, 2)), atLeastOne(percent(n, 5)), atLeastOne(percent(n, 38))
	oses := make([]osInfo, 0, n)
	for _, c := range []struct {
		os osInfo
		n  int
	}{{osMacOS, mac}, {osWindows10LTSC, ltsc}, {osWindows10, win10}, {osWindows11, max(1, n-mac-ltsc-win10)}} {
		for range c.n {
			oses = append(oses, c.os)
		}
	}
	states := make([]machineState, len(oses))
	stale, disabled := atLeastOne(percent(n, 8)), atLeastOne(percent(n, 3))
	for i := range stale + disabled {
		states[i] = machineStale
		if i >= stale {
			states[i] = machineDisabled
		}
	}
	b.rng.Shuffle(len(oses), func(i, j int) { oses[i], oses[j] = oses[j], oses[i] })
	b.rng.Shuffle(len(states), func(i, j int) { states[i], states[j] = states[j], states[i] })
	for i, os := range oses {
		spec := computerSpec{name: "WS" + pad(i+1, 5), parent: b.ou(ouWorkstation), os: os, uac: uacWorkstation}
		if os == osMacOS {
			spec.name, spec.parent = "MAC"+pad(i+1, 5), b.container("Computers")
		}
		switch states[i] {
		case machineActive:
			spec.lastLogon = b.ago(0, 13)
		case machineStale:
			spec.lastLogon = b.ago(100, 800)
		case machineDisabled:
			spec.lastLogon = b.ago(60, 700)
			spec.uac = uacWorkstationDisabled
		}
		spec.created = b.before(spec.lastLogon, 7, 2200)
		b.addComputer(spec)
	}
}

// pad is i in decimal, zero-padded to width digits.
func pad(i, width int) string {
	s := strconv.Itoa(i)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}
