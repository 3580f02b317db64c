// Package report renders a finished rules.Result as JSON, CSV and a
// self-contained HTML page, and writes the files atomically. It knows no
// licensing rule: every number and verdict comes from the Result.
package report

import (
	"strings"
	"time"

	"github.com/calscan/calscan/rules"
)

// SchemaVersion is the version of report.json's layout (SPEC.md).
const SchemaVersion = 1

const toolName = "calscan"

// Report is the report model; its JSON form is report.json.
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	GeneratedAt   time.Time `json:"generated_at"`
	Tool          string    `json:"tool"` // "calscan 0.1.0"
	*rules.Result

	// History is the trend kept in the history folder: earlier scans and this
	// one, oldest first. Empty when no history is kept (AttachHistory).
	History []HistoryPoint `json:"history,omitempty"`
	// Changes since the previous scan in the history; nil when there is none.
	Changes *Changes `json:"changes,omitempty"`

	previous *Report // the scan Changes compares with, without its accounts
}

// Previous is the earlier scan AttachHistory compared this one with: its
// verdict, numbers, servers and findings, but no accounts. Nil when there
// was none.
func (r *Report) Previous() *Report { return r.previous }

// New wraps a finished result for rendering. toolVersion is "0.1.0" or
// "calscan 0.1.0"; Tool is always "calscan 0.1.0". The clock is passed in so
// that output is reproducible; it is kept in UTC to the second. The result is not
// modified: lists it leaves nil are replaced in a copy so that report.json
// shows [] rather than null.
func New(res *rules.Result, generatedAt time.Time, toolVersion string) *Report {
	tool := strings.TrimSpace(toolVersion)
	if tool != toolName && !strings.HasPrefix(tool, toolName+" ") {
		tool = strings.TrimSpace(toolName + " " + tool)
	}
	return &Report{
		SchemaVersion: SchemaVersion,
		GeneratedAt:   generatedAt.UTC().Truncate(time.Second),
		Tool:          tool,
		Result:        withEmptyLists(res),
	}
}

func withEmptyLists(res *rules.Result) *rules.Result {
	var out rules.Result
	if res != nil {
		out = *res
	}
	out.CALs = nonNil(out.CALs)
	out.Servers = nonNil(out.Servers)
	out.Findings = nonNil(out.Findings)
	out.Directories = nonNil(out.Directories)

	if needsCopy(out.CALs, func(c rules.CALLine) bool { return c.ByVersion == nil }) {
		cals := make([]rules.CALLine, len(out.CALs))
		for i, c := range out.CALs {
			c.ByVersion = nonNil(c.ByVersion)
			cals[i] = c
		}
		out.CALs = cals
	}
	if needsCopy(out.Findings, func(f rules.Finding) bool { return f.Subjects == nil }) {
		findings := make([]rules.Finding, len(out.Findings))
		for i, f := range out.Findings {
			f.Subjects = nonNil(f.Subjects)
			findings[i] = f
		}
		out.Findings = findings
	}
	return &out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func needsCopy[T any](s []T, nilInside func(T) bool) bool {
	for _, v := range s {
		if nilInside(v) {
			return true
		}
	}
	return false
}
