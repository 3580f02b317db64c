package report

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/calscan/calscan/rules"
)

func TestNew(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name     string
		version  string
		at       time.Time
		wantTool string
	}{
		{"plain version", "0.1.0", generatedAt, "calscan 0.1.0"},
		{"version with the name", "calscan 0.2.0", generatedAt, "calscan 0.2.0"},
		{"no version", "", generatedAt, "calscan"},
		{"local time with nanoseconds", "0.1.0", time.Date(2026, 11, 26, 11, 0, 0, 999, berlin), "calscan 0.1.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(sampleResult(), tt.at, tt.version)
			if r.Tool != tt.wantTool {
				t.Errorf("Tool = %q, want %q", r.Tool, tt.wantTool)
			}
			if !r.GeneratedAt.Equal(generatedAt) || r.GeneratedAt.Location() != time.UTC {
				t.Errorf("GeneratedAt = %v, want %v in UTC to the second", r.GeneratedAt, generatedAt)
			}
			if r.SchemaVersion != SchemaVersion {
				t.Errorf("SchemaVersion = %d, want %d", r.SchemaVersion, SchemaVersion)
			}
		})
	}
}

// TestNewKeepsTheResult: New fills nil lists in a copy, never in the caller's value.
func TestNewKeepsTheResult(t *testing.T) {
	res := sampleResult()
	res.Findings[0].Subjects = nil
	res.CALs[1].ByVersion = nil

	r := New(res, generatedAt, "0.1.0")

	if r.Findings[0].Subjects == nil || r.CALs[1].ByVersion == nil {
		t.Error("New left a nil list in the report")
	}
	if res.Findings[0].Subjects != nil || res.CALs[1].ByVersion != nil {
		t.Error("New changed the caller's result")
	}
	if r.Result == res {
		t.Error("the report shares the caller's *Result")
	}
	if len(r.CALs) != 3 || r.CALs[0].Shortfall != 68 || r.Findings[1].Code != "RECLAIMABLE_ACCOUNTS" {
		t.Error("New lost data while copying")
	}
}

func TestNewWriter(t *testing.T) {
	tests := []struct {
		format     string
		wantFormat string
		wantFiles  []string
	}{
		{"json", FormatJSON, []string{"report.json"}},
		{"HTML", FormatHTML, []string{"report.html"}},
		{" csv ", FormatCSV, []string{"summary.csv", "users.csv", "devices.csv", "servers.csv", "findings.csv"}},
		{"xml", "", nil},
		{"", "", nil},
		{"pdf", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			w, err := NewWriter(tt.format)
			if tt.wantFormat == "" {
				if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "valid: csv, html, json") {
					t.Errorf("NewWriter(%q) error = %v, want ErrFormat listing the valid formats", tt.format, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if w.Format() != tt.wantFormat || strings.Join(w.Files(), ",") != strings.Join(tt.wantFiles, ",") {
				t.Errorf("writer %q makes %q, want %q %q", w.Format(), w.Files(), tt.wantFormat, tt.wantFiles)
			}
		})
	}
}

func TestWriterRejectsUnknownFile(t *testing.T) {
	for _, w := range []Writer{&JSON{}, &CSV{}, &HTML{}} {
		t.Run(w.Format(), func(t *testing.T) {
			err := w.Write("other.txt", io.Discard, New(&rules.Result{}, generatedAt, ""))
			if err == nil || !strings.Contains(err.Error(), "other.txt") {
				t.Errorf("Write(other.txt) error = %v, want one naming the file", err)
			}
		})
	}
}
