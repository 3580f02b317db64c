package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calscan/calscan/report"
	"github.com/calscan/calscan/rules"
)

// diffScan is a small company on a day: needing required User CALs, with
// the given users.
func diffScan(day time.Time, required int, users ...string) *report.Report {
	res := &rules.Result{
		Compliant: required <= 1700,
		CALs: []rules.CALLine{{Type: rules.CALUser, Required: required, MinVersion: "2022", Owned: 1700,
			Shortfall: max(0, required-1700), ByVersion: []rules.VersionLine{{Version: "2022", Required: required, Owned: 1700}}}},
	}
	for _, u := range users {
		res.Users = appendAccounts(res.Users, rules.Account{Domain: "corp", Name: u, SID: "S-1-5-21-1-2-3-" + u, Counted: true})
	}
	return report.New(res, day, "0.1.0")
}

func writeReportFile(t *testing.T, dir, name string, r *report.Report) string {
	t.Helper()
	path := filepath.Join(dir, name)
	var buf bytes.Buffer
	if err := (&report.JSON{}).Write(report.JSONFile, &buf, r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	week1 := time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC)
	week2 := week1.AddDate(0, 0, 7)
	old := writeReportFile(t, dir, "old.json", diffScan(week1, 1640, "alice", "bob", "carol"))
	cur := writeReportFile(t, dir, "new.json", diffScan(week2, 1702, "alice", "carol", "dave", "erin"))
	notJSON := filepath.Join(dir, "notes.txt")
	noSchema := filepath.Join(dir, "other.json")
	newer := filepath.Join(dir, "future.json")
	for path, content := range map[string]string{
		notJSON:  "hello",
		noSchema: `{"users": []}`,
		newer:    `{"schema_version": 99}`,
	} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{"changes", []string{"diff", old, cur}, exitOK, []string{
			"Changes from the scan of 2026-11-19 10:00 UTC to the scan of 2026-11-26 10:00 UTC:\n",
			"Verdict: Compliant → Not compliant\n",
			"Required 2022 User CALs: 1,640 → 1,702 (+62)\n",
			"User CAL shortfall: 0 → 2 (+2)\n",
			"Users: +2 accounts, −1 account\n",
			"  added: dave, erin\n",
			"  removed: bob\n",
		}, nil},
		{"no changes", []string{"diff", cur, cur}, exitOK, []string{"No changes since the scan of 2026-11-26 10:00 UTC.\n"}, nil},
		{"reversed order is noted", []string{"diff", cur, old}, exitOK, []string{"Required 2022 User CALs: 1,702 → 1,640 (−62)"},
			[]string{"OLD was generated after NEW"}},
		{"json, flag after the files", []string{"diff", old, cur, "--json"}, exitOK, []string{`"now": 1702`, `"name": "dave"`}, nil},
		{"help", []string{"diff", "--help"}, exitOK, nil, []string{"Usage: calscan diff [flags] OLD.json NEW.json", "-json"}},
		{"no files", []string{"diff"}, exitUsage, nil, []string{"diff takes two report.json files, OLD and NEW; got 0"}},
		{"three files", []string{"diff", old, cur, cur}, exitUsage, nil, []string{"got 3"}},
		{"unknown flag", []string{"diff", "--color", old, cur}, exitUsage, nil, []string{"-color"}},
		{"not JSON", []string{"diff", notJSON, cur}, exitUsage, nil,
			[]string{"OLD: " + notJSON + ": not a calscan report.json: not JSON"}},
		{"no schema_version", []string{"diff", old, noSchema}, exitUsage, nil,
			[]string{"NEW: " + noSchema + ": not a calscan report.json: schema_version is missing"}},
		{"newer schema_version", []string{"diff", old, newer}, exitUsage, nil,
			[]string{"NEW: " + newer + ": not a calscan report.json: schema_version 99 is newer than this build"}},
		{"missing file", []string{"diff", filepath.Join(dir, "gone.json"), cur}, exitUsage, nil, []string{"OLD:", "gone.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			for _, w := range tt.wantStdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if code != exitOK && stdout != "" {
				t.Errorf("a failed diff printed to stdout:\n%s", stdout)
			}
		})
	}
}

func TestDiffCommandJSONIsChanges(t *testing.T) {
	dir := t.TempDir()
	day := time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC)
	old := writeReportFile(t, dir, "old.json", diffScan(day, 10, "alice"))
	cur := writeReportFile(t, dir, "new.json", diffScan(day.AddDate(0, 0, 1), 12, "bob"))
	code, stdout, stderr := runCmd(t, "diff", "--json", old, cur)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var c report.Changes
	if err := json.Unmarshal([]byte(stdout), &c); err != nil {
		t.Fatalf("output is not Changes JSON: %v\n%s", err, stdout)
	}
	if len(c.Users.Added) != 1 || c.Users.Added[0].Name != "bob" || len(c.Users.Removed) != 1 || c.CALs[0].Required.Now != 12 {
		t.Errorf("changes = %+v", c)
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantArgs []string
		wantJSON bool
	}{
		{"flags first", []string{"--json", "a", "b"}, []string{"a", "b"}, true},
		{"flags between", []string{"a", "--json", "b"}, []string{"a", "b"}, true},
		{"flags last", []string{"a", "b", "-json"}, []string{"a", "b"}, true},
		{"no flags", []string{"a", "b"}, []string{"a", "b"}, false},
		{"after -- all are arguments", []string{"a", "--", "--json"}, []string{"a", "--json"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			asJSON := fs.Bool("json", false, "")
			got, err := parseInterspersed(fs, tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tt.wantArgs, "|") || *asJSON != tt.wantJSON {
				t.Errorf("args %q, json %v; want %q, %v", got, *asJSON, tt.wantArgs, tt.wantJSON)
			}
		})
	}
}

// appendAccounts is append for a list of accounts.
func appendAccounts(list rules.Accounts, more ...rules.Account) rules.Accounts {
	return rules.NewAccounts(append(list.List(), more...))
}
