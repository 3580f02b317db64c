package report

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/calscan/calscan/rules"
)

// scanAt is the sample company as scanned at t, needing required User CALs.
func scanAt(t time.Time, required int) *Report {
	res := sampleResult()
	res.CALs[0].Required = required
	res.CALs[0].Shortfall = max(0, required-res.CALs[0].Owned)
	return New(res, t, "0.1.0")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// saveScans keeps a scan a day before generatedAt for each required count,
// oldest first.
func saveScans(t *testing.T, dir string, required ...int) {
	t.Helper()
	for i, n := range required {
		at := generatedAt.AddDate(0, 0, i-len(required))
		if _, err := SaveHistory(dir, scanAt(at, n), 0); err != nil {
			t.Fatal(err)
		}
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestHistoryFileName(t *testing.T) {
	at := time.Date(2026, 11, 26, 11, 0, 0, 0, time.FixedZone("CET", 3600))
	if got, want := HistoryFileName(at), "report-20261126T100000Z.json"; got != want {
		t.Errorf("HistoryFileName = %q, want %q", got, want)
	}
}

func TestSaveHistoryPrunes(t *testing.T) {
	foreign := []string{"notes.txt", "report.json", "report-2026.json", "report-20201126T100000Z.json.bak", "report-20201126T100000Z.JSON"}
	tests := []struct {
		name  string
		keep  int
		saved int // earlier scans already in the folder
		want  int // history files left, the newest
	}{
		{"under the limit", 5, 2, 3},
		{"at the limit", 3, 2, 3},
		{"prunes the oldest", 3, 6, 3},
		{"keep one", 1, 4, 1},
		{"keep 0 keeps all", 0, 4, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range foreign {
				writeFile(t, filepath.Join(dir, f), "not ours")
			}
			// A folder with a history file's name is not a file to remove.
			if err := os.Mkdir(filepath.Join(dir, "report-20000101T000000Z.json"), 0o755); err != nil {
				t.Fatal(err)
			}
			counts := make([]int, tt.saved)
			saveScans(t, dir, counts...)

			rep := scanAt(generatedAt, 1908)
			path, err := SaveHistory(dir, rep, tt.keep)
			if err != nil {
				t.Fatalf("SaveHistory: %v", err)
			}
			if want := filepath.Join(dir, "report-20261126T100000Z.json"); path != want {
				t.Errorf("path = %q, want %q", path, want)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if want := render(t, &JSON{}, JSONFile, rep); string(got) != string(want) {
				t.Error("the history file is not the scan's report.json")
			}

			var scans []string
			for i := range tt.saved + 1 {
				scans = append(scans, HistoryFileName(generatedAt.AddDate(0, 0, i-tt.saved)))
			}
			names, err := historyFiles(dir)
			if err != nil {
				t.Fatal(err)
			}
			if want := scans[len(scans)-tt.want:]; !slices.Equal(names, want) {
				t.Errorf("history files %q, want %q", names, want)
			}
			all := dirNames(t, dir)
			for _, f := range append(foreign, "report-20000101T000000Z.json") {
				if !slices.Contains(all, f) {
					t.Errorf("%s was removed", f)
				}
			}
			for _, f := range all {
				if strings.Contains(f, ".tmp-") {
					t.Errorf("temporary file %s left behind", f)
				}
			}
		})
	}
}

func TestSaveHistoryOutputError(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "history")
	writeFile(t, blocker, "a file where the folder should be")
	_, err := SaveHistory(blocker, sampleReport(), 3)
	var oe *OutputError
	if !errors.As(err, &oe) {
		t.Fatalf("error %v is not an *OutputError", err)
	}
}

func TestLoadReport(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	writeFile(t, good, string(render(t, &JSON{}, JSONFile, sampleReport())))
	rep, err := LoadReport(good)
	if err != nil {
		t.Fatalf("LoadReport: %v", err)
	}
	if got, want := render(t, &JSON{}, JSONFile, rep), render(t, &JSON{}, JSONFile, sampleReport()); string(got) != string(want) {
		t.Errorf("the loaded report renders differently:\n%s", got)
	}

	tests := []struct {
		name, content string
		want          string // in the error, after the path
	}{
		{"empty", "", "the file is empty"},
		{"not JSON", "<html>", "not JSON (invalid character '<'"},
		{"cut short", `{"schema_version": 1, "cals": [`, "not JSON (the file ends too early)"},
		{"array", `[1, 2]`, "the JSON is not an object"},
		{"no schema_version", `{"compliant": true}`, "schema_version is missing"},
		{"newer schema", `{"schema_version": 2, "compliant": "maybe"}`, "schema_version 2 is newer than this build of calscan reads (1)"},
		{"wrong type", `{"schema_version": 1, "counts": {"users_seen": "many"}}`, "field counts.users_seen holds a JSON string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json")
			writeFile(t, path, tt.content)
			_, err := LoadReport(path)
			if !errors.Is(err, ErrNotReport) {
				t.Fatalf("error %v does not wrap ErrNotReport", err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, path+": not a calscan report.json: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q: want the path and %q", msg, tt.want)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := LoadReport(filepath.Join(dir, "nope.json"))
		if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrNotReport) {
			t.Errorf("error %v: want fs.ErrNotExist, not ErrNotReport", err)
		}
	})
}

func TestLoadHistory(t *testing.T) {
	dir := t.TempDir()
	saveScans(t, dir, 1000, 1100, 1200, 1300)
	corrupt := map[string]string{
		HistoryFileName(generatedAt.AddDate(0, 0, -10)):               "{\"schema_version\": 1, \"generated_at\": tru",
		HistoryFileName(generatedAt.AddDate(0, 0, -2).Add(time.Hour)): "",
		HistoryFileName(generatedAt.Add(-time.Hour)):                  `{"schema_version": 7}`,
	}
	for name, content := range corrupt {
		writeFile(t, filepath.Join(dir, name), content)
	}
	writeFile(t, filepath.Join(dir, "unrelated.json"), "garbage")

	tests := []struct {
		name     string
		limit    int
		want     []int // required User CALs per point, oldest first
		warnings int
	}{
		{"all", 0, []int{1000, 1100, 1200, 1300}, 3},
		{"newest two: corrupt files do not count", 2, []int{1200, 1300}, 2},
		{"more than there are", 52, []int{1000, 1100, 1200, 1300}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			points, warnings, err := LoadHistory(dir, tt.limit)
			if err != nil {
				t.Fatalf("LoadHistory: %v", err)
			}
			var got []int
			for i, p := range points {
				got = append(got, p.CALs[0].Required)
				if i > 0 && !p.GeneratedAt.After(points[i-1].GeneratedAt) {
					t.Errorf("points out of order at %d", i)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("required per point = %v, want %v", got, tt.want)
			}
			if len(warnings) != tt.warnings {
				t.Errorf("%d warnings, want %d: %q", len(warnings), tt.warnings, warnings)
			}
			for _, w := range warnings {
				if !strings.Contains(w, dir) || !strings.Contains(w, ErrNotReport.Error()) {
					t.Errorf("warning %q does not name the file and the problem", w)
				}
			}
		})
	}

	p := func() HistoryPoint { points, _, _ := LoadHistory(dir, 1); return points[0] }()
	want := HistoryPoint{GeneratedAt: generatedAt.AddDate(0, 0, -1), Compliant: false, UsersCounted: 1908, DevicesCounted: 290,
		CALs: []HistoryCAL{
			{Type: rules.CALUser, Required: 1300, Owned: 1840, Shortfall: 0, MinVersion: "2022"},
			{Type: rules.CALDevice, Owned: 25},
			{Type: rules.CALRDSUser, Required: 40, Owned: 50, MinVersion: "2019"},
		}}
	if !p.GeneratedAt.Equal(want.GeneratedAt) || p.Compliant != want.Compliant || p.UsersCounted != want.UsersCounted ||
		p.DevicesCounted != want.DevicesCounted || !slices.Equal(p.CALs, want.CALs) {
		t.Errorf("point = %+v\nwant %+v", p, want)
	}
}

func TestLoadHistoryOfMissingFolder(t *testing.T) {
	points, warnings, err := LoadHistory(filepath.Join(t.TempDir(), "never-created"), 52)
	if err != nil || len(points) != 0 || len(warnings) != 0 {
		t.Errorf("LoadHistory = %v, %v, %v; want nothing and no error", points, warnings, err)
	}
}

func TestAttachHistory(t *testing.T) {
	tests := []struct {
		name         string
		prepare      func(t *testing.T, dir string)
		limit        int
		wantSince    time.Time // zero: no Changes
		wantRequired []int     // User CALs per point of the trend
		wantWarnings int
	}{
		{"first scan", func(*testing.T, string) {}, 52, time.Time{}, []int{1908}, 0},
		{"against the newest earlier scan", func(t *testing.T, dir string) { saveScans(t, dir, 1500, 1700) },
			52, generatedAt.AddDate(0, 0, -1), []int{1500, 1700, 1908}, 0},
		{"limit counts this scan", func(t *testing.T, dir string) { saveScans(t, dir, 1500, 1700, 1800) },
			2, generatedAt.AddDate(0, 0, -1), []int{1800, 1908}, 0},
		{"a corrupt newest file is skipped, warned about once", func(t *testing.T, dir string) {
			saveScans(t, dir, 1500, 1700)
			writeFile(t, filepath.Join(dir, HistoryFileName(generatedAt.Add(-time.Minute))), "{oops")
		}, 52, generatedAt.AddDate(0, 0, -1), []int{1500, 1700, 1908}, 1},
		{"a file of this very scan is not an earlier scan", func(t *testing.T, dir string) {
			saveScans(t, dir, 1500)
			if _, err := SaveHistory(dir, scanAt(generatedAt, 1908), 0); err != nil {
				t.Fatal(err)
			}
		}, 52, generatedAt.AddDate(0, 0, -1), []int{1500, 1908}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "history")
			tt.prepare(t, dir)
			rep := scanAt(generatedAt, 1908)
			warnings, err := AttachHistory(rep, dir, tt.limit)
			if err != nil {
				t.Fatalf("AttachHistory: %v", err)
			}
			if len(warnings) != tt.wantWarnings {
				t.Errorf("warnings %q, want %d", warnings, tt.wantWarnings)
			}
			switch {
			case tt.wantSince.IsZero() && rep.Changes != nil:
				t.Errorf("Changes = %+v, want none", rep.Changes)
			case !tt.wantSince.IsZero() && (rep.Changes == nil || !rep.Changes.Previous.Equal(tt.wantSince)):
				t.Errorf("Changes = %+v, want changes since %v", rep.Changes, tt.wantSince)
			case rep.Changes != nil && (len(rep.Changes.CALs) == 0 || rep.Changes.CALs[0].Required.Now != 1908):
				t.Errorf("Changes.CALs = %+v, want User CALs required now 1908", rep.Changes.CALs)
			}
			// Previous is the scan compared with, for the on-change email rule.
			prev := rep.Previous()
			switch {
			case tt.wantSince.IsZero() && prev != nil:
				t.Errorf("Previous = %v, want none", prev.GeneratedAt)
			case !tt.wantSince.IsZero() && (prev == nil || !prev.GeneratedAt.Equal(tt.wantSince) ||
				prev.CALs[0].Required != rep.Changes.CALs[0].Required.Then || prev.Users.Len() != 0):
				t.Errorf("Previous = %+v, want the scan of %v without its accounts", prev, tt.wantSince)
			}
			var got []int
			for _, p := range rep.History {
				got = append(got, p.CALs[0].Required)
			}
			if !slices.Equal(got, tt.wantRequired) {
				t.Errorf("trend of required User CALs = %v, want %v", got, tt.wantRequired)
			}
		})
	}
}

// TestHTMLHistorySections renders the "since the last scan" and trend
// sections in each state, with a hostile display name among the changes.
func TestHTMLHistorySections(t *testing.T) {
	prev, cur := eventfulWeek()
	cur.Users.List()[5].DisplayName = scriptPayload // new01
	cur.Changes = Diff(prev, cur)
	cur.History = []HistoryPoint{newHistoryPoint(scanAt(lastWeek.AddDate(0, 0, -7), 1500)), newHistoryPoint(prev), newHistoryPoint(cur)}

	first := sampleReport()
	first.History = []HistoryPoint{newHistoryPoint(first)}

	unchanged := sampleReport()
	unchanged.Changes = Diff(scanAt(lastWeek, 1908), unchanged)
	unchanged.History = []HistoryPoint{newHistoryPoint(scanAt(lastWeek, 1908)), newHistoryPoint(unchanged)}

	tests := []struct {
		name    string
		r       *Report
		want    []string
		notWant []string
	}{
		{"no history kept", sampleReport(), nil, []string{`id="changes"`, `id="trend"`, `href="#changes"`}},
		{"first scan", first, []string{
			`href="#changes"`, `<h2>Since the last scan</h2>`, `No earlier scan is kept in the history folder yet`,
			`The trend chart needs two scans in the history folder; this is the first.`,
		}, []string{`<polyline`}},
		{"nothing changed", unchanged, []string{`Nothing changed since the scan of 2026-11-19 10:00 UTC.`, `<polyline`}, nil},
		{"changes and trend", cur, []string{
			`<p class="meta">Compared with the scan of 2026-11-19 10:00 UTC.</p>`,
			`<li>Required 2022 User CALs: 1,640 → 1,702 (&#43;62)</li>`,
			`<li>added: corp\new00 (New Starter 0)`, `corp\new01 (&lt;script&gt;alert(1)&lt;/script&gt;)`,
			`<li>changed: corp\RDS01: version 2019 → 2025</li>`,
			`<h3>User CALs</h3>`, `<h3>RDS User CALs</h3>`, `<svg class="chart trend"`,
			`CALs required and owned at each of the last 3 scans.`,
			`<title>2026-11-19: 1,640 User CALs required</title>`,
			`<title>2026-11-26: 1,750 User CALs owned</title>`,
			`<rect class="short"`, `stroke-dasharray="6 4"`, `>2026-11-12</text>`,
		}, []string{scriptPayload}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := renderHTML(t, tt.r)
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(page, nw) {
					t.Errorf("page has %q", nw)
				}
			}
			if strings.Count(page, "<script") != 1 {
				t.Error("the page has more than its own <script>")
			}
			if i, j := strings.Index(page, `id="changes"`), strings.Index(page, `id="cals"`); i >= 0 && i < j {
				t.Error("the changes come before the CAL table")
			}
		})
	}
}

func TestTrendChart(t *testing.T) {
	points := func(required ...int) []HistoryPoint {
		var out []HistoryPoint
		for i, n := range required {
			out = append(out, HistoryPoint{GeneratedAt: generatedAt.AddDate(0, 0, i),
				CALs: []HistoryCAL{{Type: rules.CALUser, Required: n, Owned: 150, Shortfall: max(0, n-150)}}})
		}
		return out
	}
	tests := []struct {
		name      string
		points    []HistoryPoint
		charts    int
		top       string // label of the top value line
		firstX    int
		lastX     int
		dates     int
		shortDots int
	}{
		{"one point: no chart", points(100), 0, "", 0, 0, 0, 0},
		{"two points", points(100, 180), 1, "200", trendLeft, trendWidth - trendRight, 2, 1},
		{"many points: dates thinned", points(make([]int, 52)...), 1, "200", trendLeft, trendWidth - trendRight, trendMaxDates, 0},
		{"nothing required or owned: no chart", []HistoryPoint{{}, {}}, 0, "", 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			charts := newTrendCharts(tt.points)
			if len(charts) != tt.charts {
				t.Fatalf("%d charts, want %d", len(charts), tt.charts)
			}
			if tt.charts == 0 {
				return
			}
			ch := charts[0]
			if top := ch.Grid[len(ch.Grid)-1]; top.Label != tt.top || top.Pos != ch.Plot.Top {
				t.Errorf("top line %+v, want %q at the top of the plot", top, tt.top)
			}
			if ch.Grid[0].Label != "0" || ch.Grid[0].Pos != ch.Plot.Bottom {
				t.Errorf("bottom line %+v, want 0 at the bottom of the plot", ch.Grid[0])
			}
			if ch.Dates[0].Pos != tt.firstX || ch.Dates[len(ch.Dates)-1].Pos != tt.lastX || len(ch.Dates) != tt.dates {
				t.Errorf("dates %+v: want %d from x=%d to x=%d", ch.Dates, tt.dates, tt.firstX, tt.lastX)
			}
			short := 0
			for _, m := range ch.Markers {
				if m.Class == "short" {
					short++
				}
				if m.X < 0 || m.X+trendMarkerSize > ch.Width || m.Y < ch.Plot.Top-trendMarkerSize || m.Y+trendMarkerSize > ch.Height {
					t.Errorf("marker %+v outside the chart", m)
				}
			}
			if short != tt.shortDots {
				t.Errorf("%d short markers, want %d", short, tt.shortDots)
			}
		})
	}
}

func TestNiceCeiling(t *testing.T) {
	tests := []struct{ n, want int }{{0, 1}, {1, 1}, {2, 2}, {3, 5}, {7, 10}, {180, 200}, {1908, 2000}, {2001, 5000}, {50000, 50000}}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.n), func(t *testing.T) {
			if got := niceCeiling(tt.n); got != tt.want {
				t.Errorf("niceCeiling(%d) = %d, want %d", tt.n, got, tt.want)
			}
		})
	}
}

func TestNoHistoryFolder(t *testing.T) {
	rep := sampleReport()
	warnings, err := AttachHistory(rep, "", 52)
	if err != nil || warnings != nil || rep.History != nil || rep.Changes != nil {
		t.Errorf("AttachHistory with no folder: %v, %v; History %v, Changes %v", warnings, err, rep.History, rep.Changes)
	}
	if path, err := SaveHistory("", rep, 52); path != "" || err != nil {
		t.Errorf("SaveHistory with no folder = %q, %v; want nothing written", path, err)
	}
}

// TestLoadHistoryReadsOnlyTheHead cuts a large report.json short inside its
// users list: the trend still gets its point, because the summary comes
// first and decoding stops there, while the full load refuses the file.
func TestLoadHistoryReadsOnlyTheHead(t *testing.T) {
	res := sampleResult()
	res.Users = rules.NewAccounts(manyAccounts(5000, "user"))
	full := render(t, &JSON{}, JSONFile, New(res, generatedAt, "0.1.0"))
	dir := t.TempDir()
	path := filepath.Join(dir, HistoryFileName(generatedAt))
	writeFile(t, path, string(full[:len(full)/2]))

	points, warnings, err := LoadHistory(dir, 52)
	if err != nil || len(warnings) != 0 || len(points) != 1 || points[0].CALs[0].Required != 1908 {
		t.Errorf("LoadHistory = %+v, %q, %v; want the point", points, warnings, err)
	}
	if _, err := LoadReport(path); !errors.Is(err, ErrNotReport) {
		t.Errorf("LoadReport of a cut file: %v, want ErrNotReport", err)
	}
}

// TestReportWithHistoryRoundTrips writes a report that carries its history
// and changes, and reads it back: streamed JSON, encoding/json and
// LoadReport agree.
func TestReportWithHistoryRoundTrips(t *testing.T) {
	prev, cur := eventfulWeek()
	cur.Changes = Diff(prev, cur)
	cur.History = []HistoryPoint{newHistoryPoint(prev), newHistoryPoint(cur)}

	got := render(t, &JSON{}, JSONFile, cur)
	var want bytes.Buffer
	if err := newJSONEncoder(&want, "").Encode(cur); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatal("streamed report.json differs from encoding/json's")
	}
	path := filepath.Join(t.TempDir(), JSONFile)
	writeFile(t, path, string(got))
	back, err := LoadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	if again := render(t, &JSON{}, JSONFile, back); !bytes.Equal(again, got) {
		t.Errorf("the report read back renders differently:\n%s", again)
	}
	if len(back.History) != 2 || back.Changes == nil || len(back.Changes.Users.Added) != 25 {
		t.Errorf("history %d points, changes %+v", len(back.History), back.Changes)
	}
}
