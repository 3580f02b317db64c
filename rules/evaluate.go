package rules

import (
	"slices"
	"strings"
	"time"
)

// Evaluate applies the licensing rules to everything in inv, as of now. The
// same policy, inventory and time give the same Result.
func Evaluate(p Policy, inv *Inventory, now time.Time) *Result {
	if inv == nil {
		inv = NewInventory()
	}
	e := newEvaluation(p, inv, now)
	e.classifyUsers()
	e.classifyComputers()
	e.addConfigServers()
	e.requireCALs()
	e.countCALs()
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

	calType CALType // the CAL type the model requires of everyone counted
	mixed   bool    // model "mixed", evaluated as its default for now

	admin          *adminExemption
	userReasons    []Reason // by index in inv.users
	devices        []int    // indices in inv.computers of client devices
	deviceReasons  []Reason // parallel to devices
	serverConfigs  *serverConfigs
	unknownOS      []string // subjects of UNKNOWN_OPERATING_SYSTEM
	unknownDevices int      // how many of them are counted as client devices
	dirs           map[string]*DirectoryCounts
	multiDomain    bool
	requiredCALVer string // "" when no server needs CALs
	balances       map[CALType]*calBalance
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

// requireCALs sets the required CAL version: the highest among servers that
// need CALs (V1, V2), which applies to everyone counted (R6, V4).
func (e *evaluation) requireCALs() {
	for _, s := range e.res.Servers {
		if s.NeedsCALs && calRank(s.CALVersion) > calRank(e.requiredCALVer) {
			e.requiredCALVer = s.CALVersion
		}
	}
	if e.requiredCALVer == "" {
		return
	}
	accounts := e.res.Users
	if e.calType == CALDevice {
		accounts = e.res.Devices
	}
	for i := range accounts {
		if accounts[i].Counted {
			accounts[i].CALType = e.calType
			accounts[i].CALVersion = e.requiredCALVer
		}
	}
}

// countCALs balances required against owned for every CAL type (§6).
func (e *evaluation) countCALs() {
	e.balances = map[CALType]*calBalance{}
	for t, owned := range ownedCALs(e.p.CALs) {
		e.balances[t] = &calBalance{required: map[string]int{}, owned: owned}
	}
	if n := e.countedOfType(); e.requiredCALVer != "" && n > 0 {
		b := e.balances[e.calType]
		if b == nil {
			b = &calBalance{owned: map[string]int{}}
			e.balances[e.calType] = b
		}
		b.required = map[string]int{e.requiredCALVer: n}
	}
	for _, t := range calTypes(e.balances) {
		e.res.CALs = append(e.res.CALs, e.balances[t].line(t))
	}
}

// countedOfType is how many users or devices the model requires CALs for.
func (e *evaluation) countedOfType() int {
	if e.calType == CALDevice {
		return e.res.Counts.DevicesCounted
	}
	return e.res.Counts.UsersCounted
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
	if r.Users == nil {
		r.Users = []Account{}
	}
	if r.Devices == nil {
		r.Devices = []Account{}
	}
}
