package rules

import (
	"slices"
	"strings"
	"time"
)

// Evaluate applies the licensing rules to everything in inv, as of now. The
// same policy, inventory and time give the same Result. The Result refers to
// inv's account records rather than copying them.
func Evaluate(p Policy, inv *Inventory, now time.Time) *Result {
	if inv == nil {
		inv = NewInventory()
	}
	inv.trim()
	e := newEvaluation(p, inv, now)
	e.findDuplicateAccounts()
	e.classifyUsers()
	e.classifyComputers()
	e.addConfigServers()
	e.planAccess()
	e.requireCALs()
	e.requireRDSCALs()
	e.countCALs()
	e.requireCoreLicenses()
	e.addFindings()
	e.finish()
	return e.res
}

// evaluation is the working state of one Evaluate call.
type evaluation struct {
	p     Policy
	inv   *Inventory
	scope *scope
	res   *Result

	calType CALType // user or device: the model's type, for mixed its default
	mixed   bool    // model "mixed"

	admin             *adminExemption
	userDups          duplicates
	computerDups      duplicates
	members           *membership
	userReasons       []Reason     // by index in inv.users
	userOrder         []int32      // by index in Result.Users: index in inv.users
	userRows          []accountRow // Result.Users, as decided
	deviceRows        []accountRow // Result.Devices, as decided
	devices           []int        // indices in inv.computers of client devices
	deviceReasons     []Reason     // parallel to devices
	deviceOrder       []int32      // by index in Result.Devices: index in inv.computers
	serverConfigs     *serverConfigs
	unknownOS         []string // subjects of UNKNOWN_OPERATING_SYSTEM
	unknownDevices    int      // how many of them are counted as client devices
	excludedByPattern int      // accounts exclude_accounts left out (R7 reminder)
	dirs              map[string]*DirectoryCounts
	multiDomain       bool
	requiredCALVer    string // the highest CAL version any server requires; "" when none needs CALs
	balances          map[CALType]*calBalance

	access  *accessPlan
	userWin []int8 // by index in Result.Users: rank of the Windows Server CAL it needs (if it needs one), -1 none
	usage   *usageEvidence
	rdsNeed map[rdsKey]*AccountRDS // shared AccountRDS values for accounts without an issuance

	rdsIssued            []AccountRDS // backing store of the accounts' issuances
	rdsValid, rdsExpired int          // per-user RDS CAL issuances on user objects, valid and expired (D4)
}

func newEvaluation(p Policy, inv *Inventory, now time.Time) *evaluation {
	e := &evaluation{
		p:             p,
		inv:           inv,
		scope:         newScope(p, &inv.groups, now),
		res:           &Result{Model: p.Model},
		admin:         newAdminExemption(p.AdminExempt),
		serverConfigs: newServerConfigs(p.Servers),
		dirs:          map[string]*DirectoryCounts{},
		rdsNeed:       map[rdsKey]*AccountRDS{},
	}
	if e.res.Model == "" {
		e.res.Model = ModelUser
	}
	e.calType = CALUser
	switch e.res.Model {
	case ModelDevice:
		e.calType = CALDevice
	case ModelMixed:
		e.mixed = true
		if p.MixedDefault == ModelDevice {
			e.calType = CALDevice
		}
	}
	for _, d := range p.Directories {
		e.dirs[d.Name] = &DirectoryCounts{Name: d.Name, Source: d.Source, TLSVerificationDisabled: d.TLSVerificationDisabled}
	}
	domains := map[string]bool{}
	for i := range inv.users {
		domains[inv.users[i].domain] = true
	}
	for i := range inv.computers {
		domains[inv.computers[i].domain] = true
	}
	e.multiDomain = len(domains) > 1
	return e
}

// dir returns the counts of a domain, adding domains the policy does not list.
func (e *evaluation) dir(domain string) *DirectoryCounts {
	d, ok := e.dirs[domain]
	if !ok {
		d = &DirectoryCounts{Name: domain}
		e.dirs[domain] = d
	}
	return d
}

// label names an account in finding subjects: domain\name when several
// domains were scanned.
func (e *evaluation) label(domain, name string) string {
	if e.multiDomain && domain != "" {
		return domain + `\` + name
	}
	return name
}

// finish orders everything that is not yet in its final order.
func (e *evaluation) finish() {
	r := e.res
	r.Counts.ServersSeen = len(r.Servers)
	slices.SortFunc(r.Servers, func(a, b Server) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		if c := strings.Compare(a.Domain, b.Domain); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, d := range e.p.Directories {
		if dc, ok := e.dirs[d.Name]; ok {
			r.Directories = append(r.Directories, *dc)
			delete(e.dirs, d.Name)
		}
	}
	var rest []DirectoryCounts
	for _, dc := range e.dirs {
		rest = append(rest, *dc)
	}
	slices.SortFunc(rest, func(a, b DirectoryCounts) int { return strings.Compare(a.Name, b.Name) })
	r.Directories = append(r.Directories, rest...)
	sortFindings(r.Findings)
	r.Compliant = true
	for _, f := range r.Findings {
		if f.Severity == SeverityViolation {
			r.Compliant = false
		}
	}
	if r.CALs == nil {
		r.CALs = []CALLine{}
	}
	if r.Servers == nil {
		r.Servers = []Server{}
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	r.Users, r.Devices = e.userAccounts(), e.deviceAccounts()
}
