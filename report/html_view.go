package report

import (
	"html/template"
	"time"

	"github.com/calscan/calscan/rules"
)

// Limits that keep report.html small enough to open and mail; the CSV and
// JSON files hold everything.
const (
	maxTableRows       = 1000 // per users/devices table
	maxFindingSubjects = 1000 // per finding
	subjectsInline     = 5    // more than this go in a collapsed <details>
)

// htmlView is everything the template shows, computed up front so that the
// template only lays it out.
type htmlView struct {
	CSP string
	CSS template.CSS // the embedded stylesheet, never directory data
	JS  template.JS  // the embedded script, never directory data

	Tool        string
	GeneratedAt string
	Model       rules.Model
	Compliant   bool
	Verdict     string
	Action      string

	Counts      rules.Counts
	ServersNeed int
	Excluded    int
	Severities  string // "1 violation, 2 warnings"

	CALs     []rules.CALLine
	Chart    barChart
	CALNotes []string // V4 and D4 sentences under the CAL table
	Mix      mixView
	Cores    coreView

	// MixCovered: model mixed with CALs required, so a counted account
	// without a CAL of its own is covered from the other side.
	MixCovered bool

	Findings     []findingView
	Servers      []serverRow
	AccessColumn bool // some server has an access group, RDS or External Connector role
	Directories  []rules.DirectoryCounts
	Exclusions   []reasonCount
	Reclaimable  []reasonCount
	Reclaim      int

	Users   accountTable
	Devices accountTable

	History historyView
}

// historyView is the "Since the last scan" and trend sections, shown only
// when the report was prepared from a history folder (AttachHistory).
type historyView struct {
	Shown   bool
	Since   string       // when the compared scan ran; "" with none
	Changes []changeLine // empty when nothing changed
	Trend   []trendChart // empty with fewer than two scans
	Scans   int          // scans in the trend, this one included
}

func newHistoryView(r *Report) historyView {
	h := historyView{Shown: r.Changes != nil || len(r.History) > 0, Scans: len(r.History), Trend: newTrendCharts(r.History)}
	if r.Changes != nil {
		h.Since = scanTime(r.Changes.Previous)
		h.Changes = changeLines(r.Changes, changeNamesHTML)
	}
	return h
}

type findingView struct {
	rules.Finding
	Rank      int      // sorts violations first
	Shown     []string // at most maxFindingSubjects
	More      int      // subjects not shown
	Collapsed bool
}

type accountTable struct {
	Rows  []rules.Account // at most maxTableRows
	Total int
	File  string    // the CSV that holds every row
	RDS   bool      // some account has RDS data: the table shows an RDS column
	Now   time.Time // when the report was made, to tell expired RDS CALs
}

type serverRow struct {
	rules.Server
	Access serverAccess
}

// Truncated reports whether only the first rows are shown.
func (t accountTable) Truncated() bool { return len(t.Rows) < t.Total }

func newHTMLView(r *Report, a htmlAssets) htmlView {
	v := htmlView{
		CSP:         a.csp,
		CSS:         a.css,
		JS:          a.js,
		Tool:        r.Tool,
		GeneratedAt: r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"),
		Model:       r.Model,
		Compliant:   r.Compliant,
		Verdict:     verdictTitle(r),
		Action:      verdictAction(r),
		Counts:      r.Counts,
		CALs:        r.CALs,
		Chart:       newBarChart(r.CALs),
		CALNotes:    calNotes(r.CALs),
		Mix:         newMixView(r.Mix),
		Cores:       newCoreView(r),
		MixCovered:  r.Mix != nil && r.Mix.Total > 0,
		Directories: r.Directories,
		Users:       newAccountTable(r.Users, UsersCSV, r.GeneratedAt),
		Devices:     newAccountTable(r.Devices, DevicesCSV, r.GeneratedAt),
		History:     newHistoryView(r),
	}
	for _, s := range r.Servers {
		if s.NeedsCALs {
			v.ServersNeed++
		}
		row := serverRow{Server: s, Access: newServerAccess(s)}
		if s.AccessGroup != "" || len(row.Access.Tags) > 0 {
			v.AccessColumn = true
		}
		v.Servers = append(v.Servers, row)
	}
	v.Severities = severityTally(r.Findings)
	for _, f := range r.Findings {
		fv := findingView{Finding: f, Rank: severityRank(f.Severity), Shown: f.Subjects, Collapsed: len(f.Subjects) > subjectsInline}
		if len(fv.Shown) > maxFindingSubjects {
			fv.Shown, fv.More = fv.Shown[:maxFindingSubjects], len(fv.Shown)-maxFindingSubjects
		}
		v.Findings = append(v.Findings, fv)
	}
	v.Excluded, v.Reclaim = totalExcluded(r.Counts.Excluded)
	for _, rc := range exclusions(r.Counts.Excluded) {
		v.Exclusions = append(v.Exclusions, rc)
		if rc.Reason.Reclaimable() {
			v.Reclaimable = append(v.Reclaimable, rc)
		}
	}
	return v
}

func newAccountTable(all rules.Accounts, file string, now time.Time) accountTable {
	t := accountTable{Rows: make([]rules.Account, 0, min(all.Len(), maxTableRows)), Total: all.Len(), File: file, Now: now}
	for i, a := range all.All() {
		if i < maxTableRows {
			t.Rows = append(t.Rows, a)
		}
		if a.RDS != nil {
			t.RDS = true
			if i >= maxTableRows {
				break
			}
		}
	}
	return t
}

func severityRank(s rules.Severity) int {
	switch s {
	case rules.SeverityViolation:
		return 1
	case rules.SeverityWarning:
		return 2
	case rules.SeverityInfo:
		return 3
	}
	return 4
}
