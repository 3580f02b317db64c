package rules

import "slices"

// Units of server licences.
const (
	UnitCore      = "core"      // 2016 and later: per physical core (C1)
	UnitProcessor = "processor" // 2012 and 2012 R2: one licence per 2 processors (C3)
)

// C1–C3 figures.
const (
	minCoresPerProcessor = 8
	minCoresPerServer    = 16
	vmsPerStandardSet    = 2
	processorsPerLicence = 2
	perProcessorVersion  = "2012" // the first version sold per processor; older ones were per server
	downgradeCoreVersion = "2016" // the oldest core-licensed version: a 2012 R2 server licensed by cores
)

// coreNeed is what one server needs: sets × perSet licences of unit, of
// version or newer.
type coreNeed struct {
	unit, version string
	sets, perSet  int
}

func (n coreNeed) total() int { return n.sets * n.perSet }

// coreRequirement works out a Standard or Datacenter server's licences from
// its configured cores, processors and VMs. 2016 and later: every core, at
// least 8 per processor and 16 per server (C1); Standard covers 2 VMs per
// full licensing of its cores, so each further 1–2 VMs license them again,
// and a host without VMs still needs one set; Datacenter any number (C2).
// 2012 and 2012 R2: one licence per 2 processors, Standard 2 VMs each (C3);
// when no per-processor licence of the edition is owned, the server is taken
// to be licensed by cores under downgrade rights.
func coreRequirement(s *Server, ownsPerProcessor bool) coreNeed {
	sets := 1
	if s.Edition == EditionStandard {
		sets = (max(s.VMs, 1) + vmsPerStandardSet - 1) / vmsPerStandardSet
	}
	processors := max(s.Processors, 1)
	version := CALVersionOf(s.Version)
	if version == perProcessorVersion && ownsPerProcessor {
		return coreNeed{unit: UnitProcessor, version: version, sets: sets,
			perSet: (processors + processorsPerLicence - 1) / processorsPerLicence}
	}
	if version == perProcessorVersion {
		version = downgradeCoreVersion
	}
	return coreNeed{unit: UnitCore, version: version, sets: sets,
		perSet: max(s.Cores, minCoresPerProcessor*processors, minCoresPerServer)}
}

// coreLicensed reports whether calscan can and should check a server's
// licences: in scope, Standard or Datacenter, 2012 or later, with its cores
// or processors configured.
func coreLicensed(s *Server) bool {
	return coreCheckable(s) && (s.Cores > 0 || s.Processors > 0)
}

func coreCheckable(s *Server) bool {
	return s.Excluded == ReasonNone && (s.Edition == EditionStandard || s.Edition == EditionDatacenter) &&
		calRank(CALVersionOf(s.Version)) >= calRank(perProcessorVersion)
}

// coreUnchecked: a server that may need core licences (Standard, Datacenter
// or an unknown edition that needs CALs, 2012 or later, in scope) that
// calscan cannot check without its cores, processors or edition.
func coreUnchecked(s *Server) bool {
	candidate := coreCheckable(s) || (s.Edition == "" && s.NeedsCALs && calRank(s.CALVersion) >= calRank(perProcessorVersion))
	return candidate && !coreLicensed(s)
}

type coreKey struct {
	edition Edition
	unit    string
}

// coreUnitOf: owned 2012 licences are per processor, later ones per core.
func coreUnitOf(version string) string {
	if version == perProcessorVersion {
		return UnitProcessor
	}
	return UnitCore
}

// requireCoreLicenses balances what each configured server needs against
// the owned [[core_licenses]] by edition and unit, version-aware as in §6
// (a newer licence covers an older server, V1).
func (e *evaluation) requireCoreLicenses() {
	balances := map[coreKey]*calBalance{}
	servers := map[coreKey][]string{}
	balance := func(k coreKey) *calBalance {
		if balances[k] == nil {
			balances[k] = &calBalance{required: map[string]int{}, owned: map[string]int{}}
		}
		return balances[k]
	}
	perProcessor := map[Edition]bool{}
	for _, c := range e.p.CoreLicenses {
		if c.Quantity <= 0 || calRank(c.Version) < calRank(perProcessorVersion) {
			continue
		}
		balance(coreKey{c.Edition, coreUnitOf(c.Version)}).owned[c.Version] += c.Quantity
		perProcessor[c.Edition] = perProcessor[c.Edition] || coreUnitOf(c.Version) == UnitProcessor
	}
	for i := range e.res.Servers {
		s := &e.res.Servers[i]
		if !coreLicensed(s) {
			continue
		}
		need := coreRequirement(s, perProcessor[s.Edition])
		s.CoreLicensesRequired, s.CoreLicenseUnit, s.CoreLicenseSets = need.total(), need.unit, need.sets
		k := coreKey{s.Edition, need.unit}
		balance(k).required[need.version] += need.total()
		servers[k] = append(servers[k], s.Name)
	}
	for _, ed := range []Edition{EditionStandard, EditionDatacenter} {
		for _, unit := range []string{UnitCore, UnitProcessor} {
			k := coreKey{ed, unit}
			b := balances[k]
			if b == nil {
				continue
			}
			l := b.line("")
			names := slices.Clone(servers[k])
			slices.Sort(names)
			if names == nil {
				names = []string{}
			}
			e.res.CoreLicenses = append(e.res.CoreLicenses, CoreLicenseLine{
				Edition: ed, Unit: unit, Required: l.Required, MinVersion: l.MinVersion, Owned: l.Owned,
				Shortfall: l.Shortfall, Surplus: l.Surplus, ByVersion: l.ByVersion, Servers: names,
			})
		}
	}
}
