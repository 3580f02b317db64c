package report

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/calscan/calscan/rules"
)

// changeFacts flattens Changes into one line per fact, so that a test can
// list exactly what it expects.
func changeFacts(c *Changes) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if c.Compliant.Changed() {
		add("compliant %v→%v", c.Compliant.Then, c.Compliant.Now)
	}
	for _, cal := range c.CALs {
		for _, n := range []struct {
			what string
			c    Change[int]
		}{{"required", cal.Required}, {"owned", cal.Owned}, {"shortfall", cal.Shortfall}} {
			if n.c.Changed() {
				add("cal %s %s %d→%d", cal.Type, n.what, n.c.Then, n.c.Now)
			}
		}
		if cal.MinVersion.Changed() {
			add("cal %s min_version %q→%q", cal.Type, cal.MinVersion.Then, cal.MinVersion.Now)
		}
		for _, v := range cal.ByVersion {
			add("cal %s version %s required %d→%d owned %d→%d", cal.Type, v.Version, v.Required.Then, v.Required.Now, v.Owned.Then, v.Owned.Now)
		}
	}
	for _, kind := range []struct {
		name string
		a    AccountChanges
	}{{"users", c.Users}, {"devices", c.Devices}} {
		for _, r := range kind.a.Added {
			add("%s added %s\\%s", kind.name, r.Domain, r.Name)
		}
		for _, r := range kind.a.Removed {
			add("%s removed %s\\%s", kind.name, r.Domain, r.Name)
		}
		for _, r := range kind.a.NowReclaimable {
			add("%s now %s %s\\%s", kind.name, r.Excluded, r.Domain, r.Name)
		}
		for _, r := range kind.a.NowCounted {
			add("%s counted again %s\\%s", kind.name, r.Domain, r.Name)
		}
	}
	for _, s := range c.Servers.Added {
		add("server added %s", s.Name)
	}
	for _, s := range c.Servers.Removed {
		add("server removed %s", s.Name)
	}
	for _, s := range c.Servers.Changed {
		add("server changed %s edition %s→%s version %s→%s needs_cals %v→%v", s.Name,
			s.Edition.Then, s.Edition.Now, s.Version.Then, s.Version.Now, s.NeedsCALs.Then, s.NeedsCALs.Now)
	}
	for _, f := range c.Findings.Added {
		add("finding added %s", f.Code)
	}
	for _, f := range c.Findings.Resolved {
		add("finding resolved %s", f.Code)
	}
	return out
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name   string
		change func(prev, cur *rules.Result)
		want   []string
	}{
		{"identical", func(prev, cur *rules.Result) {}, nil},
		{"user added", func(prev, cur *rules.Result) {
			cur.Users = appendAccounts(cur.Users, rules.Account{Domain: "corp", Name: "newbie", SID: "S-1-5-21-1-2-3-1999", Counted: true})
		}, []string{`users added corp\newbie`}},
		{"user removed", func(prev, cur *rules.Result) {
			cur.Users = rules.NewAccounts(slices.Delete(cur.Users.List(), 1, 2))
		}, []string{`users removed corp\old.user`}},
		{"counted user now stale", func(prev, cur *rules.Result) {
			cur.Users.List()[0].Counted, cur.Users.List()[0].Excluded = false, rules.ReasonStale
		}, []string{`users now stale corp\jmuller`}},
		{"counted device now disabled", func(prev, cur *rules.Result) {
			cur.Devices.List()[0].Counted, cur.Devices.List()[0].Excluded = false, rules.ReasonDisabled
		}, []string{`devices now disabled corp\PC-0001`}},
		{"a newly excluded account that is not reclaimable is no reclaimable change", func(prev, cur *rules.Result) {
			cur.Users.List()[0].Counted, cur.Users.List()[0].Excluded = false, rules.ReasonExcludedOU
		}, nil},
		{"stale user back in use", func(prev, cur *rules.Result) {
			cur.Users.List()[1].Counted, cur.Users.List()[1].Excluded = true, rules.ReasonNone
		}, []string{`users counted again corp\old.user`}},
		{"renamed account is the same SID", func(prev, cur *rules.Result) {
			cur.Users.List()[0].Name = "jose.muller"
		}, nil},
		{"same name, new SID: recreated", func(prev, cur *rules.Result) {
			cur.Users.List()[0].SID = "S-1-5-21-1-2-3-9999"
		}, []string{`users added corp\jmuller`, `users removed corp\jmuller`}},
		{"no SID: matched by name, case-insensitively", func(prev, cur *rules.Result) {
			prev.Users.List()[0].SID, cur.Users.List()[0].SID = "", ""
			cur.Users.List()[0].Name = "JMuller"
		}, nil},
		{"SID only in the newer scan: matched by name", func(prev, cur *rules.Result) {
			prev.Users.List()[0].SID = ""
		}, nil},
		{"same name in another domain is another account", func(prev, cur *rules.Result) {
			cur.Users.List()[3].Domain, cur.Users.List()[3].SID = "corp", ""
			prev.Users.List()[3].SID = ""
		}, []string{`users added corp\partner1`, `users removed lab\partner1`}},
		{"server added", func(prev, cur *rules.Result) {
			cur.Servers = append(cur.Servers, rules.Server{Name: "FS02", Domain: "corp", Version: "2025", NeedsCALs: true})
		}, []string{"server added FS02"}},
		{"server removed", func(prev, cur *rules.Result) {
			cur.Servers = cur.Servers[:3]
		}, []string{"server removed OLD01"}},
		{"server version raised", func(prev, cur *rules.Result) {
			cur.Servers[1].Version = "2025"
		}, []string{"server changed RDS01 edition standard→standard version 2019→2025 needs_cals true→true"}},
		{"server stopped needing CALs", func(prev, cur *rules.Result) {
			cur.Servers[0].NeedsCALs = false
		}, []string{"server changed DC1 edition datacenter→datacenter version 2022→2022 needs_cals true→false"}},
		{"server name case is no change", func(prev, cur *rules.Result) {
			cur.Servers[0].Name = "dc1"
		}, nil},
		{"CAL numbers", func(prev, cur *rules.Result) {
			cur.CALs[0].Required, cur.CALs[0].Shortfall = 1970, 130
			cur.CALs[0].ByVersion[0].Required = 1970
		}, []string{
			"cal user required 1908→1970", "cal user shortfall 68→130",
			"cal user version 2022 required 1908→1970 owned 1840→1840",
		}},
		{"CAL version raised", func(prev, cur *rules.Result) {
			cur.CALs[2].MinVersion = "2022"
		}, []string{`cal rds-user min_version "2019"→"2022"`}},
		{"CAL type new and gone", func(prev, cur *rules.Result) {
			cur.CALs = append(cur.CALs[:1:1], cur.CALs[2], rules.CALLine{Type: rules.CALRDSDevice, Owned: 5})
		}, []string{"cal rds-device owned 0→5", "cal device owned 25→0", "cal device version 2016 required 0→0 owned 25→0"}},
		{"compliance and findings", func(prev, cur *rules.Result) {
			cur.Compliant = true
			cur.Findings = append(cur.Findings[1:], rules.Finding{Code: "UNKNOWN_OPERATING_SYSTEM", Severity: rules.SeverityWarning})
		}, []string{"compliant false→true", "finding added UNKNOWN_OPERATING_SYSTEM", "finding resolved CAL_SHORTFALL"}},
		{"a finding's new wording is no change", func(prev, cur *rules.Result) {
			cur.Findings[0].Message = "something else"
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			prev, cur := sampleResult(), sampleResult()
			tt.change(prev, cur)
			older, newer := New(prev, generatedAt.AddDate(0, 0, -7), "0.1.0"), New(cur, generatedAt, "0.1.0")
			c := Diff(older, newer)
			if got := changeFacts(c); !slices.Equal(got, tt.want) {
				t.Errorf("changes:\n got %q\nwant %q", got, tt.want)
			}
			// The same from the two report.json files, read account by account.
			dir := t.TempDir()
			olderPath, err := SaveHistory(dir, older, 0)
			if err != nil {
				t.Fatal(err)
			}
			newerPath, err := SaveHistory(dir, newer, 0)
			if err != nil {
				t.Fatal(err)
			}
			o, err := LoadForDiff(olderPath)
			if err != nil {
				t.Fatal(err)
			}
			n, err := LoadForDiff(newerPath)
			if err != nil {
				t.Fatal(err)
			}
			if fromFiles := DiffInputs(o, n); !reflect.DeepEqual(fromFiles, c) || !o.GeneratedAt.Equal(older.GeneratedAt) || n.Tool != newer.Tool {
				t.Errorf("DiffInputs:\n%+v\nwant\n%+v", fromFiles, c)
			}
			if c.Empty() != (len(tt.want) == 0) {
				t.Errorf("Empty() = %v with %d changes", c.Empty(), len(tt.want))
			}
			if !c.Previous.Equal(generatedAt.AddDate(0, 0, -7)) || !c.Current.Equal(generatedAt) {
				t.Errorf("times %v → %v", c.Previous, c.Current)
			}
		})
	}
}

func TestDiffOfEmptyReports(t *testing.T) {
	tests := []struct {
		name      string
		prev, cur *Report
		wantFacts int
	}{
		{"both nil", nil, nil, 0},
		{"no result", &Report{}, &Report{}, 0},
		{"first report empty", &Report{}, sampleReport(), 25},
		{"second report empty", sampleReport(), New(nil, generatedAt, "0.1.0"), 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Diff(tt.prev, tt.cur)
			if got := len(changeFacts(c)); got != tt.wantFacts {
				t.Errorf("%d changes, want %d: %q", got, tt.wantFacts, changeFacts(c))
			}
			if c.Users.Added == nil || c.Servers.Changed == nil || c.Findings.Resolved == nil || c.CALs == nil {
				t.Error("a list is nil: report.json would show null")
			}
		})
	}
}

func TestChangesEmptyOnNil(t *testing.T) {
	var c *Changes
	if !c.Empty() {
		t.Error("nil Changes is not empty")
	}
}

// BenchmarkDiff compares two scans of 100,000 accounts that differ in a few
// hundred: the cost of "what changed" on every scan of a large directory.
func BenchmarkDiff(b *testing.B) {
	prev := sampleResult()
	prev.Users, prev.Devices = rules.NewAccounts(manyAccounts(80000, "user")), rules.NewAccounts(manyAccounts(20000, "pc"))
	cur := sampleResult()
	cur.Users = rules.NewAccounts(append(slices.Clone(prev.Users.List()[100:]), manyAccounts(80100, "user")[80000:]...))
	devices := slices.Clone(prev.Devices.List())
	for i := 1; i < len(devices); i += 100 {
		devices[i].Counted, devices[i].Excluded = false, rules.ReasonStale
	}
	cur.Devices = rules.NewAccounts(devices)
	older, newer := New(prev, generatedAt.Add(-7*24*time.Hour), "0.1.0"), New(cur, generatedAt, "0.1.0")
	b.ReportAllocs()
	for b.Loop() {
		if c := Diff(older, newer); len(c.Users.Added) != 100 || len(c.Users.Removed) != 100 {
			b.Fatalf("%d added, %d removed", len(c.Users.Added), len(c.Users.Removed))
		}
	}
}
