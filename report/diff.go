package report

import (
	"iter"
	"strings"
	"time"

	"github.com/calscan/calscan/rules"
)

// Changes is what changed from one scan to the next: the numbers an admin
// watches, and the accounts, servers and findings behind them.
type Changes struct {
	Previous  time.Time      `json:"previous_generated_at"`
	Current   time.Time      `json:"generated_at"`
	Compliant Change[bool]   `json:"compliant"`
	CALs      []CALChange    `json:"cals"` // only the CAL types whose numbers changed
	Users     AccountChanges `json:"users"`
	Devices   AccountChanges `json:"devices"`
	Servers   ServerChanges  `json:"servers"`
	Findings  FindingChanges `json:"findings"`
}

// Change is a value then (in the older scan) and now.
type Change[T comparable] struct {
	Then T `json:"then"`
	Now  T `json:"now"`
}

// Changed reports whether the value differs.
func (c Change[T]) Changed() bool { return c.Then != c.Now }

func delta(c Change[int]) int { return c.Now - c.Then }

// CALChange is one CAL type's numbers then and now.
type CALChange struct {
	Type       rules.CALType   `json:"type"`
	MinVersion Change[string]  `json:"min_version"`
	Required   Change[int]     `json:"required"`
	Owned      Change[int]     `json:"owned"`
	Shortfall  Change[int]     `json:"shortfall"`
	ByVersion  []VersionChange `json:"by_version"` // only the versions whose numbers changed
}

// VersionChange is one CAL version's numbers then and now.
type VersionChange struct {
	Version  string      `json:"version"`
	Required Change[int] `json:"required"`
	Owned    Change[int] `json:"owned"`
}

// AccountChanges are the users (or devices) that came, went or changed state.
// Accounts are matched by domain and SID, or by domain and name when either
// scan has no SID for them.
type AccountChanges struct {
	Added   []AccountRef `json:"added"`
	Removed []AccountRef `json:"removed"`
	// NowReclaimable were counted and are now disabled, expired or stale.
	NowReclaimable []AccountRef `json:"now_reclaimable"`
	// NowCounted were excluded and are counted now (enabled again, back in use).
	NowCounted []AccountRef `json:"now_counted"`
}

// AccountRef names an account in a list of changes. Excluded is its state in
// the newer scan (for a removed account, in the older one).
type AccountRef struct {
	Domain      string       `json:"domain"`
	Name        string       `json:"name"`
	DisplayName string       `json:"display_name,omitempty"`
	SID         string       `json:"sid,omitempty"`
	Excluded    rules.Reason `json:"excluded,omitempty"`
}

// ServerChanges are the servers that came, went or changed.
type ServerChanges struct {
	Added   []ServerRef    `json:"added"`
	Removed []ServerRef    `json:"removed"`
	Changed []ServerChange `json:"changed"`
}

// ServerRef names a server in a list of changes.
type ServerRef struct {
	Name            string        `json:"name"`
	Domain          string        `json:"domain,omitempty"`
	OperatingSystem string        `json:"operating_system"`
	Edition         rules.Edition `json:"edition"`
	Version         string        `json:"version"`
	NeedsCALs       bool          `json:"needs_cals"`
}

// ServerChange is a server seen in both scans whose licensing facts changed.
type ServerChange struct {
	Name      string                `json:"name"`
	Domain    string                `json:"domain,omitempty"`
	Edition   Change[rules.Edition] `json:"edition"`
	Version   Change[string]        `json:"version"`
	NeedsCALs Change[bool]          `json:"needs_cals"`
}

// FindingChanges are the finding codes that appeared or went away.
type FindingChanges struct {
	Added    []FindingRef `json:"added"`
	Resolved []FindingRef `json:"resolved"`
}

// FindingRef names a finding in a list of changes.
type FindingRef struct {
	Code     string         `json:"code"`
	Severity rules.Severity `json:"severity"`
	Message  string         `json:"message"`
}

// Empty reports whether nothing changed.
func (c *Changes) Empty() bool {
	return c == nil || !c.Compliant.Changed() && len(c.CALs) == 0 &&
		c.Users.empty() && c.Devices.empty() && c.Servers.empty() && c.Findings.empty()
}

func (a AccountChanges) empty() bool {
	return len(a.Added)+len(a.Removed)+len(a.NowReclaimable)+len(a.NowCounted) == 0
}

func (s ServerChanges) empty() bool { return len(s.Added)+len(s.Removed)+len(s.Changed) == 0 }

func (f FindingChanges) empty() bool { return len(f.Added)+len(f.Resolved) == 0 }

// Diff compares an older report with a newer one. Either may be empty; lists
// in the result are never nil. Added accounts and servers are in the newer
// report's order, removed ones in the older report's.
func Diff(prev, cur *Report) *Changes {
	o, n := resultOf(prev), resultOf(cur)
	return diffReports(prev, viewsOf(o.Users), viewsOf(o.Devices), cur, n.Users.All(), n.Devices.All())
}

// diffReports is Diff with the accounts given apart: the older report's as
// the little of each that the comparison needs, the newer report's as a
// sequence. A history file of a large directory is read that way
// (previousReport) rather than in full.
func diffReports(prev *Report, prevUsers, prevDevices *accountViews, cur *Report, curUsers, curDevices iter.Seq2[int, rules.Account]) *Changes {
	o, n := resultOf(prev), resultOf(cur)
	c := &Changes{
		Compliant: Change[bool]{o.Compliant, n.Compliant},
		CALs:      diffCALs(o.CALs, n.CALs),
		Users:     diffIndexed(newAccountIndex(prevUsers, nil), curUsers),
		Devices:   diffIndexed(newAccountIndex(prevDevices, nil), curDevices),
		Servers:   diffServers(o.Servers, n.Servers),
		Findings:  diffFindings(o.Findings, n.Findings),
	}
	if prev != nil {
		c.Previous = prev.GeneratedAt
	}
	if cur != nil {
		c.Current = cur.GeneratedAt
	}
	return c
}

func resultOf(r *Report) *rules.Result {
	if r == nil || r.Result == nil {
		return &rules.Result{}
	}
	return r.Result
}

// diffCALs compares CAL lines by type; a type missing from one scan counts
// as nothing required or owned there.
func diffCALs(prev, cur []rules.CALLine) []CALChange {
	prevByType := make(map[rules.CALType]rules.CALLine, len(prev))
	for _, c := range prev {
		prevByType[c.Type] = c
	}
	out := []CALChange{}
	add := func(then, now rules.CALLine, t rules.CALType) {
		ch := CALChange{
			Type:       t,
			MinVersion: Change[string]{then.MinVersion, now.MinVersion},
			Required:   Change[int]{then.Required, now.Required},
			Owned:      Change[int]{then.Owned, now.Owned},
			Shortfall:  Change[int]{then.Shortfall, now.Shortfall},
			ByVersion:  diffVersions(then.ByVersion, now.ByVersion),
		}
		if ch.MinVersion.Changed() || ch.Required.Changed() || ch.Owned.Changed() || ch.Shortfall.Changed() || len(ch.ByVersion) > 0 {
			out = append(out, ch)
		}
	}
	seen := make(map[rules.CALType]bool, len(cur))
	for _, c := range cur {
		seen[c.Type] = true
		add(prevByType[c.Type], c, c.Type)
	}
	for _, c := range prev {
		if !seen[c.Type] {
			seen[c.Type] = true
			add(c, rules.CALLine{}, c.Type)
		}
	}
	return out
}

func diffVersions(prev, cur []rules.VersionLine) []VersionChange {
	prevByVersion := make(map[string]rules.VersionLine, len(prev))
	for _, v := range prev {
		prevByVersion[v.Version] = v
	}
	out := []VersionChange{}
	add := func(then, now rules.VersionLine, version string) {
		ch := VersionChange{Version: version, Required: Change[int]{then.Required, now.Required}, Owned: Change[int]{then.Owned, now.Owned}}
		if ch.Required.Changed() || ch.Owned.Changed() {
			out = append(out, ch)
		}
	}
	seen := make(map[string]bool, len(cur))
	for _, v := range cur {
		seen[v.Version] = true
		add(prevByVersion[v.Version], v, v.Version)
	}
	for _, v := range prev {
		if !seen[v.Version] {
			seen[v.Version] = true
			add(v, rules.VersionLine{}, v.Version)
		}
	}
	return out
}

// diffIndexed compares an index of the older scan's accounts (tests can
// make it with a weak hash) with the newer scan's accounts, of which it
// reads only what an accountView holds.
func diffIndexed(prev *accountIndex, cur iter.Seq2[int, rules.Account]) AccountChanges {
	ch := AccountChanges{Added: []AccountRef{}, Removed: []AccountRef{}, NowReclaimable: []AccountRef{}, NowCounted: []AccountRef{}}
	views := prev.views
	matched := make([]bool, views.len())
	for _, acc := range cur {
		a := &acc
		j, ok := matchAccount(a, prev)
		if !ok || matched[j] {
			ch.Added = append(ch.Added, accountRef(a))
			continue
		}
		matched[j] = true
		wasCounted := views.counted(j)
		switch {
		case wasCounted && !a.Counted && a.Excluded.Reclaimable():
			ch.NowReclaimable = append(ch.NowReclaimable, accountRef(a))
		case !wasCounted && a.Counted:
			ch.NowCounted = append(ch.NowCounted, accountRef(a))
		}
	}
	for j := range matched {
		if !matched[j] {
			ch.Removed = append(ch.Removed, views.ref(j))
		}
	}
	return ch
}

// matchAccount finds a in the earlier scan: by SID when it has one, else by name,
// and by name also when the older scan had no SID for that name. An account
// whose name is reused under a new SID is a different account.
func matchAccount(a *rules.Account, prev *accountIndex) (int, bool) {
	if a.SID != "" {
		if j, ok := prev.bySIDOf(a.Domain, a.SID); ok {
			return j, true
		}
	}
	j, ok := prev.byNameOf(a.Domain, a.Name)
	if !ok || (a.SID != "" && prev.views.sid(j) != "") {
		return 0, false
	}
	return j, true
}

func accountRef(a *rules.Account) AccountRef {
	return AccountRef{Domain: a.Domain, Name: a.Name, DisplayName: a.DisplayName, SID: a.SID, Excluded: a.Excluded}
}

// serverKey identifies a server: its domain and name, lower-cased.
type serverKey struct{ domain, name string }

// diffServers matches servers by domain and name, case-insensitively.
func diffServers(prev, cur []rules.Server) ServerChanges {
	ch := ServerChanges{Added: []ServerRef{}, Removed: []ServerRef{}, Changed: []ServerChange{}}
	key := func(s *rules.Server) serverKey {
		return serverKey{strings.ToLower(s.Domain), strings.ToLower(s.Name)}
	}
	prevByKey := make(map[serverKey]int, len(prev))
	for i := range prev {
		prevByKey[key(&prev[i])] = i
	}
	matched := make([]bool, len(prev))
	for i := range cur {
		s := &cur[i]
		j, ok := prevByKey[key(s)]
		if !ok || matched[j] {
			ch.Added = append(ch.Added, serverRef(s))
			continue
		}
		matched[j] = true
		was := &prev[j]
		sc := ServerChange{
			Name:      s.Name,
			Domain:    s.Domain,
			Edition:   Change[rules.Edition]{was.Edition, s.Edition},
			Version:   Change[string]{was.Version, s.Version},
			NeedsCALs: Change[bool]{was.NeedsCALs, s.NeedsCALs},
		}
		if sc.Edition.Changed() || sc.Version.Changed() || sc.NeedsCALs.Changed() {
			ch.Changed = append(ch.Changed, sc)
		}
	}
	for j := range prev {
		if !matched[j] {
			ch.Removed = append(ch.Removed, serverRef(&prev[j]))
		}
	}
	return ch
}

func serverRef(s *rules.Server) ServerRef {
	return ServerRef{Name: s.Name, Domain: s.Domain, OperatingSystem: s.OperatingSystem, Edition: s.Edition, Version: s.Version, NeedsCALs: s.NeedsCALs}
}

// diffFindings compares the sets of finding codes: a code that is in both
// scans has not changed, whatever its message says now.
func diffFindings(prev, cur []rules.Finding) FindingChanges {
	return FindingChanges{Added: findingsNotIn(cur, prev), Resolved: findingsNotIn(prev, cur)}
}

// findingsNotIn lists, once per code and in a's order, the findings of a
// whose code is not in b.
func findingsNotIn(a, b []rules.Finding) []FindingRef {
	skip := make(map[string]bool, len(b)+len(a))
	for _, f := range b {
		skip[f.Code] = true
	}
	out := []FindingRef{}
	for _, f := range a {
		if !skip[f.Code] {
			skip[f.Code] = true
			out = append(out, FindingRef{Code: f.Code, Severity: f.Severity, Message: f.Message})
		}
	}
	return out
}
