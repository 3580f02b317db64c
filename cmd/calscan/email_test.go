package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calscan/calscan/scanner/adsim"
)

// companyConfig serves a small synthetic company and writes a calscan.toml
// that scans it, with extra appended; it returns the config path.
func companyConfig(t *testing.T, extra string) string {
	t.Helper()
	dir := adsim.Company(adsim.CompanyOptions{Users: 120, Computers: 40, Seed: 7, Now: time.Now().UTC()})
	srv, err := adsim.Start(adsim.Options{Directory: dir, BindDN: "CN=svc-calscan,OU=Service Accounts," + dir.BaseDN, UPN: "svc-calscan@corp.example.test", Password: "Test-Pw-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	t.Setenv("CALSCAN_TEST_BIND_PW", "Test-Pw-1")
	work := t.TempDir()
	cfg := filepath.Join(work, "calscan.toml")
	text := fmt.Sprintf(`[[directory]]
name = "corp"
url = %q
base_dn = %q
bind_dn = "svc-calscan@corp.example.test"
password_env = "CALSCAN_TEST_BIND_PW"

[[cal]]
type = "user"
version = "2022"
quantity = 10

[report]
out_dir = "out"
%s`, srv.URL(), dir.BaseDN, extra)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// unreachableEmail is an [email] table whose SMTP server never answers:
// a send shows as exit 4.
func unreachableEmail(t *testing.T) string {
	return fmt.Sprintf(`
[email]
smtp_host = "127.0.0.1"
smtp_port = %d
tls = "none"
from = "calscan@example.test"
to = ["it@example.test"]
timeout = "3s"
`, closedPort(t))
}

func TestEmailFailureExit4KeepsReports(t *testing.T) {
	cfg := companyConfig(t, unreachableEmail(t))
	code, stdout, stderr := runCmd(t, "scan", "--config", cfg, "--email", "--log-format", "json")
	if code != exitOutput {
		t.Fatalf("exit %d, want 4\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "127.0.0.1") {
		t.Errorf("the error does not name the SMTP server:\n%s", stderr)
	}
	for _, f := range []string{"report.html", "report.json", "users.csv"} {
		if _, err := os.Stat(filepath.Join(filepath.Dir(cfg), "out", f)); err != nil {
			t.Errorf("reports must stay on disk when email fails: %v", err)
		}
	}
}

// TestScanEmailsThroughMailpit sends the reports through the real mailpit
// that scripts/test starts, and reads the message back through its API.
func TestScanEmailsThroughMailpit(t *testing.T) {
	api, smtp := os.Getenv("MAILPIT_API"), os.Getenv("MAILPIT_SMTP")
	if api == "" || smtp == "" {
		if os.Getenv("CALSCAN_MAILPIT") == "1" {
			t.Fatal("CALSCAN_MAILPIT=1 but MAILPIT_API/MAILPIT_SMTP are not set")
		}
		t.Skip("no mailpit (scripts/test starts one)")
	}
	host, port, err := net.SplitHostPort(strings.TrimPrefix(smtp, "smtp://"))
	if err != nil {
		t.Fatalf("MAILPIT_SMTP=%q: %v", smtp, err)
	}
	subject := fmt.Sprintf("calscan scan test %d", time.Now().UnixNano())
	cfg := companyConfig(t, fmt.Sprintf(`
[email]
smtp_host = %q
smtp_port = %s
tls = "none"
from = "calscan@example.test"
to = ["licences@example.test"]
subject = "%s: {{.Verdict}}"
send = "on-violation"
`, host, port, subject))
	code, stdout, stderr := runCmd(t, "scan", "--config", cfg, "--email", "--log-format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (10 CALs cannot cover the company)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	var list struct {
		Messages []struct {
			ID          string `json:"ID"`
			Subject     string `json:"Subject"`
			Attachments int    `json:"Attachments"`
		} `json:"messages"`
	}
	resp, err := http.Get(strings.TrimSuffix(api, "/") + "/api/v1/search?query=" + strings.ReplaceAll(subject, " ", "+"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	if len(list.Messages) != 1 {
		t.Fatalf("mailpit holds %d messages with subject %q, want 1", len(list.Messages), subject)
	}
	m := list.Messages[0]
	if m.Subject != subject+": Not compliant" || m.Attachments != 7 {
		t.Errorf("message = %+v, want subject %q and 7 attachments (html, json, 5 csv)", m, subject+": Not compliant")
	}
}

// The on-change rule compares with the previous scan in the history: the
// first scan sends (nothing to compare with), an unchanged second does not,
// a third with more CALs owned does. Sending goes to a closed port, so an
// attempt shows as exit 4 and a skipped send as the findings' exit 1.
func TestOnChangeComparesWithThePreviousScan(t *testing.T) {
	cfg := companyConfig(t, `history_dir = "history"
`+unreachableEmail(t)+`send = "on-change"
`)
	scan := func(want int, wantLog string) {
		t.Helper()
		code, stdout, stderr := runCmd(t, "scan", "--config", cfg, "--email", "--log-format", "json")
		if code != want || !strings.Contains(stderr, wantLog) {
			t.Fatalf("exit %d, want %d with %q in the log\nstdout:\n%s\nstderr:\n%s", code, want, wantLog, stdout, stderr)
		}
		time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(1100 * time.Millisecond))) // history files are named by the second
	}
	scan(exitOutput, "127.0.0.1")
	scan(exitFindings, "email not sent: nothing changed since the report of")

	text, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	more := strings.Replace(string(text), "quantity = 10", "quantity = 20", 1)
	if err := os.WriteFile(cfg, []byte(more), 0o600); err != nil {
		t.Fatal(err)
	}
	scan(exitOutput, "127.0.0.1")
}
