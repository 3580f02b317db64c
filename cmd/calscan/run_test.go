package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrorsExit2(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Usage"},
		{"unknown command", []string{"scna"}, `unknown command "scna"`},
		{"unknown flag", []string{"scan", "--frobnicate"}, "frobnicate"},
		{"bad fail-on", []string{"scan", "--fail-on", "sometimes"}, "--fail-on"},
		{"missing config", []string{"scan", "--config", "/nonexistent/calscan.toml"}, "/nonexistent/calscan.toml"},
		{"bad log level", []string{"scan", "--log-level", "loud"}, "--log-level"},
		{"demo zero users", []string{"demo", "--users", "0"}, "--users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr does not mention %q:\n%s", tt.want, stderr)
			}
		})
	}
}

func TestConfigErrorNamesKeyAndLine(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "calscan.toml")
	text := "[[directory]]\nurl = \"ldap://127.0.0.1:1\"\nbase_dn = \"DC=x\"\nbind_dn = \"a\"\npassword_env = \"CALSCAN_TEST_UNSET_PW\"\n[licensing]\nmodel = \"per-seat\"\n"
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd(t, "scan", "--config", cfg)
	if code != exitUsage {
		t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"line 7: licensing.model", "line 5: directory[1].password_env"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, cmd := range []string{"scan", "demo", "check"} {
		code, _, stderr := runCmd(t, cmd, "--help")
		if code != exitOK || !strings.Contains(stderr, "Usage: calscan "+cmd) {
			t.Errorf("%s --help: exit %d\n%s", cmd, code, stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCmd(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "calscan ") {
		t.Fatalf("version: exit %d, %q", code, out)
	}
}

func TestUnreachableDirectoryExit3WritesNoReport(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "calscan.toml")
	text := "[[directory]]\nname = \"branch\"\nurl = \"ldap://127.0.0.1:1\"\nbase_dn = \"DC=x\"\nbind_dn = \"a\"\npassword_env = \"CALSCAN_TEST_PW\"\ntimeout = \"2s\"\n"
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CALSCAN_TEST_PW", "pw")
	out := filepath.Join(dir, "out")
	code, _, stderr := runCmd(t, "scan", "--config", cfg, "--out", out)
	if code != exitDirectory {
		t.Fatalf("exit %d, want 3; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, `"branch"`) {
		t.Errorf("the error does not name the directory:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "report.json")); !os.IsNotExist(err) {
		t.Errorf("a failed scan wrote report.json (stat: %v)", err)
	}
}

func TestDemoWritesReports(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCmd(t, "demo", "--out", out, "--users", "300", "--computers", "80", "--log-format", "json")
	if code != exitOK {
		t.Fatalf("demo exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, f := range []string{"report.html", "report.json", "users.csv", "devices.csv", "servers.csv", "findings.csv", "summary.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("demo did not write %s: %v", f, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		SchemaVersion int  `json:"schema_version"`
		Compliant     bool `json:"compliant"`
		Counts        struct {
			UsersSeen    int `json:"users_seen"`
			UsersCounted int `json:"users_counted"`
		} `json:"counts"`
		CALs []struct {
			Type       string `json:"type"`
			MinVersion string `json:"min_version"`
			Required   int    `json:"required"`
		} `json:"cals"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.SchemaVersion != 1 || rep.Counts.UsersSeen < 300 || rep.Counts.UsersCounted == 0 || rep.Counts.UsersCounted >= rep.Counts.UsersSeen {
		t.Errorf("implausible demo result: %+v", rep)
	}
	// The demo's newest in-scope server is a 2022 domain controller; its disabled 2025 pilot must not count.
	if len(rep.CALs) == 0 || rep.CALs[0].Type != "user" || rep.CALs[0].MinVersion != "2022" || rep.CALs[0].Required != rep.Counts.UsersCounted {
		t.Errorf("user CAL line = %+v, counted users %d", rep.CALs, rep.Counts.UsersCounted)
	}
	if !strings.Contains(stdout, "report.html") {
		t.Errorf("stdout does not say where the report is:\n%s", stdout)
	}
}
