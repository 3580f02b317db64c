package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/calscan/calscan/rules"
)

// The history folder keeps each scan's report.json as
// report-20261126T100000Z.json; the names sort in time order. The trend and
// "what changed" are read back from it. No other file in the folder is read
// or removed.

const historyTimeLayout = "20060102T150405Z"

var historyFilePattern = regexp.MustCompile(`^report-[0-9]{8}T[0-9]{6}Z\.json$`)

// ErrNotReport is wrapped by the errors of LoadReport (and the warnings of
// LoadHistory) for a file that is not a calscan report.json this build reads.
var ErrNotReport = errors.New("not a calscan report.json")

var errNotObject = errors.New("the JSON is not an object")

// HistoryPoint is one scan's headline numbers, for the trend.
type HistoryPoint struct {
	GeneratedAt    time.Time    `json:"generated_at"`
	Compliant      bool         `json:"compliant"`
	UsersCounted   int          `json:"users_counted"`
	DevicesCounted int          `json:"devices_counted"`
	CALs           []HistoryCAL `json:"cals"`
}

// HistoryCAL is one CAL type's numbers at one scan.
type HistoryCAL struct {
	Type       rules.CALType `json:"type"`
	Required   int           `json:"required"`
	Owned      int           `json:"owned"`
	Shortfall  int           `json:"shortfall"`
	MinVersion string        `json:"min_version"`
}

// HistoryFileName is the name a scan's report.json is kept under.
func HistoryFileName(generatedAt time.Time) string {
	return "report-" + generatedAt.UTC().Format(historyTimeLayout) + ".json"
}

// SaveHistory writes the report's report.json into dir (created if need be)
// as HistoryFileName(rep.GeneratedAt), atomically as WriteFiles does, then
// removes the oldest history files beyond keep (keep < 1 removes none). It
// returns the path written. Errors are *OutputError. An empty dir means no
// history is kept: nothing is written.
func SaveHistory(dir string, rep *Report, keep int) (string, error) {
	return saveHistory(dir, rep, keep, &JSON{})
}

// SaveHistoryFrom is SaveHistory for a report whose report.json was just
// written at reportJSON: the file is copied rather than encoded a second
// time, which for a large directory is most of the cost.
func SaveHistoryFrom(dir string, rep *Report, keep int, reportJSON string) (string, error) {
	return saveHistory(dir, rep, keep, &copyOfJSON{path: reportJSON})
}

func saveHistory(dir string, rep *Report, keep int, w Writer) (string, error) {
	if dir == "" {
		return "", nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", &OutputError{Path: dir, Err: err}
	}
	final := filepath.Join(dir, HistoryFileName(rep.GeneratedAt))
	tmp, err := writeTemp(dir, JSONFile, w, rep)
	if err != nil {
		return "", &OutputError{Path: final, Err: err}
	}
	if err := os.Rename(tmp, final); err != nil {
		_ = os.Remove(tmp) // best effort; the rename error matters more
		return "", &OutputError{Path: final, Err: err}
	}
	if err := syncDir(dir); err != nil {
		return final, &OutputError{Path: dir, Err: err}
	}
	return final, pruneHistory(dir, keep, filepath.Base(final))
}

// pruneHistory removes the oldest history files beyond keep, never the one
// just written (a clock set back could make it sort first).
func pruneHistory(dir string, keep int, written string) error {
	if keep < 1 {
		return nil
	}
	names, err := historyFiles(dir)
	if err != nil {
		return &OutputError{Path: dir, Err: err}
	}
	for _, name := range names[:max(0, len(names)-keep)] {
		if name == written {
			continue
		}
		path := filepath.Join(dir, name)
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return &OutputError{Path: path, Err: fmt.Errorf("remove old history file: %w", err)}
		}
	}
	return nil
}

// historyFiles lists the history file names in dir, oldest first. A folder
// that does not exist yet holds none.
func historyFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && historyFilePattern.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// LoadHistory reads the newest limit history files in dir (limit < 1: all)
// and returns their points, oldest first. A file that cannot be read or is
// not a report is skipped and named in warnings; only a folder that cannot be
// listed is an error. Only the summary at the head of each file is decoded.
func LoadHistory(dir string, limit int) (points []HistoryPoint, warnings []string, err error) {
	names, err := historyFiles(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read history folder: %w", err)
	}
	if limit < 1 {
		limit = len(names)
	}
	points, warnings = loadPoints(dir, names, limit)
	return points, warnings, nil
}

// loadPoints reads up to limit points from the newest of names backwards.
func loadPoints(dir string, names []string, limit int) (points []HistoryPoint, warnings []string) {
	for i := len(names) - 1; i >= 0 && len(points) < limit; i-- {
		p, err := loadHistoryPoint(filepath.Join(dir, names[i]))
		if err != nil {
			warnings = append(warnings, "history file skipped: "+err.Error())
			continue
		}
		points = append(points, p)
	}
	slices.SortStableFunc(points, func(a, b HistoryPoint) int { return a.GeneratedAt.Compare(b.GeneratedAt) })
	return points, warnings
}

// AttachHistory prepares rep for rendering from the history folder dir:
// Changes against the newest earlier report that loads, and History holding
// up to limit points (limit < 1: all), the last of them rep itself. Files
// that fail to load are skipped and described in warnings; the error is for
// a folder that cannot be listed. After the reports are written, SaveHistory
// adds rep to the folder. An empty dir means no history is kept: rep is left
// as it is.
func AttachHistory(rep *Report, dir string, limit int) (warnings []string, err error) {
	if dir == "" {
		return nil, nil
	}
	names, err := historyFiles(dir)
	if err != nil {
		return nil, fmt.Errorf("read history folder: %w", err)
	}
	// A file of this very scan (the same second) is not an earlier scan.
	names = slices.DeleteFunc(names, func(n string) bool { return n == HistoryFileName(rep.GeneratedAt) })

	rep.Changes, rep.previous = nil, nil
	skipped := make(map[string]bool)
	for i := len(names) - 1; i >= 0; i-- {
		prev, users, devices, err := previousReport(filepath.Join(dir, names[i]))
		if err != nil {
			warnings = append(warnings, "history file skipped: "+err.Error())
			skipped[names[i]] = true
			continue
		}
		cur := resultOf(rep)
		rep.Changes = diffReports(prev, users, devices, rep, cur.Users.All(), cur.Devices.All())
		if prev.Result != nil { // only LoadReport's fallback read the accounts
			prev.Users, prev.Devices = rules.Accounts{}, rules.Accounts{}
		}
		rep.previous = prev
		break
	}

	readable := slices.DeleteFunc(names, func(n string) bool { return skipped[n] })
	earlier := len(readable)
	if limit >= 1 {
		earlier = limit - 1
	}
	points, more := loadPoints(dir, readable, earlier)
	rep.History = append(points, newHistoryPoint(rep))
	return append(warnings, more...), nil
}

func newHistoryPoint(r *Report) HistoryPoint {
	p := HistoryPoint{GeneratedAt: r.GeneratedAt, CALs: []HistoryCAL{}}
	if r.Result == nil {
		return p
	}
	p.Compliant = r.Compliant
	p.UsersCounted, p.DevicesCounted = r.Counts.UsersCounted, r.Counts.DevicesCounted
	for _, c := range r.CALs {
		p.CALs = append(p.CALs, HistoryCAL{Type: c.Type, Required: c.Required, Owned: c.Owned, Shortfall: c.Shortfall, MinVersion: c.MinVersion})
	}
	return p
}

// LoadReport reads a report.json in full. A file that is not one this build
// reads (not JSON, no schema_version, a newer schema_version, a field of the
// wrong type) gives an error wrapping ErrNotReport that says why.
func LoadReport(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	defer f.Close()
	return decodeReport(f, path)
}

// decodeReport is LoadReport on a reader; path names the file in errors.
func decodeReport(in io.Reader, path string) (*Report, error) {
	var r Report
	err := json.NewDecoder(in).Decode(&r)
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.As(err, &typeErr) && typeErr.Field != "":
		// Decoding went on past the field: schema_version, if there, is set.
	default:
		return nil, decodeError(path, err)
	}
	if why := schemaProblem(r.SchemaVersion); why != "" {
		return nil, notReport(path, why)
	}
	if typeErr != nil {
		return nil, decodeError(path, typeErr)
	}
	r.Result = withEmptyLists(r.Result)
	return &r, nil
}

// historySummary is the part of report.json that a history point needs.
type historySummary struct {
	SchemaVersion int
	GeneratedAt   time.Time
	Compliant     bool
	Counts        rules.Counts
	CALs          []rules.CALLine
}

// loadHistoryPoint decodes the head of a report.json. report.json writes the
// summary before the account lists, so decoding stops there: a history of
// large reports costs a few kilobytes per file, not its accounts.
func loadHistoryPoint(path string) (HistoryPoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return HistoryPoint{}, fmt.Errorf("read report: %w", err)
	}
	defer f.Close()

	s, err := decodeSummary(f)
	if err != nil {
		return HistoryPoint{}, decodeError(path, err)
	}
	if why := schemaProblem(s.SchemaVersion); why != "" {
		return HistoryPoint{}, notReport(path, why)
	}
	res := &rules.Result{Compliant: s.Compliant, Counts: s.Counts, CALs: s.CALs}
	return newHistoryPoint(&Report{GeneratedAt: s.GeneratedAt, Result: res}), nil
}

func decodeSummary(r io.Reader) (historySummary, error) {
	var s historySummary
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return s, err
	}
	if tok != json.Delim('{') {
		return s, errNotObject
	}
	want := map[string]any{
		"schema_version": &s.SchemaVersion,
		"generated_at":   &s.GeneratedAt,
		"compliant":      &s.Compliant,
		"counts":         &s.Counts,
		"cals":           &s.CALs,
	}
	for len(want) > 0 && dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return s, err
		}
		key, _ := tok.(string)
		target, ok := want[key]
		if !ok {
			target = new(json.RawMessage)
		}
		delete(want, key)
		if err := dec.Decode(target); err != nil {
			return s, err
		}
	}
	return s, nil
}

// schemaProblem says why a schema_version cannot be read, or "".
func schemaProblem(v int) string {
	switch {
	case v < 1:
		return "schema_version is missing"
	case v > SchemaVersion:
		return fmt.Sprintf("schema_version %d is newer than this build of calscan reads (%d): upgrade calscan", v, SchemaVersion)
	}
	return ""
}

// decodeError turns a JSON decoding error into what a person needs to know.
func decodeError(path string, err error) error {
	var (
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return notReport(path, "the file is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return notReport(path, "not JSON (the file ends too early)")
	case errors.As(err, &syntaxErr):
		return notReport(path, fmt.Sprintf("not JSON (%v, at byte %d)", syntaxErr, syntaxErr.Offset))
	case errors.Is(err, errNotObject), errors.As(err, &typeErr) && typeErr.Field == "":
		return notReport(path, errNotObject.Error())
	case errors.As(err, &typeErr):
		// The report's own fields are inside the embedded Result.
		field := strings.TrimPrefix(typeErr.Field, "Result.")
		return notReport(path, fmt.Sprintf("field %s holds a JSON %s, want %s", field, typeErr.Value, typeErr.Type))
	}
	return fmt.Errorf("read report %s: %w", path, err)
}

func notReport(path, why string) error {
	return fmt.Errorf("%s: %w: %s", path, ErrNotReport, why)
}
