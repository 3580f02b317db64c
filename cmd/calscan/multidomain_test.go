package main

// Several [[directory]] blocks in one scan: each domain's own counts in
// directories[], the totals over all of them, accounts read twice counted
// once, and one failing domain failing the whole scan.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calscan/calscan/scanner/adsim"
)

// domainsReport is the part of report.json (SPEC.md) these tests check.
type domainsReport struct {
	Counts struct {
		UsersSeen      int            `json:"users_seen"`
		UsersCounted   int            `json:"users_counted"`
		DevicesSeen    int            `json:"devices_seen"`
		DevicesCounted int            `json:"devices_counted"`
		ServersSeen    int            `json:"servers_seen"`
		Duplicates     int            `json:"duplicates"`
		Excluded       map[string]int `json:"excluded"`
	} `json:"counts"`
	CALs []struct {
		Type       string `json:"type"`
		Required   int    `json:"required"`
		MinVersion string `json:"min_version"`
		Owned      int    `json:"owned"`
		Shortfall  int    `json:"shortfall"`
		Surplus    int    `json:"surplus"`
	} `json:"cals"`
	Directories []domainCounts `json:"directories"`
	Findings    []struct {
		Code string `json:"code"`
	} `json:"findings"`
}

type domainCounts struct {
	Name           string `json:"name"`
	UsersSeen      int    `json:"users_seen"`
	UsersCounted   int    `json:"users_counted"`
	DevicesSeen    int    `json:"devices_seen"`
	DevicesCounted int    `json:"devices_counted"`
	ServersSeen    int    `json:"servers_seen"`
}

func (r domainsReport) directory(t *testing.T, name string) domainCounts {
	t.Helper()
	for _, d := range r.Directories {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("report.json has no directory %q: %+v", name, r.Directories)
	return domainCounts{}
}

func (r domainsReport) hasFinding(code string) bool {
	for _, f := range r.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

// company is a domain to scan and how to bind to it.
type company struct {
	name, url, baseDN string
	bindDN, password  string
	caFile            string
}

// startCompany serves a synthetic domain on 127.0.0.1 for the length of the test.
func startCompany(t *testing.T, name, baseDN string, seed int64) company {
	t.Helper()
	dir := adsim.Company(adsim.CompanyOptions{Users: 60, Computers: 25, Seed: seed, BaseDN: baseDN})
	c := company{name: name, baseDN: dir.BaseDN, bindDN: "CN=svc-calscan,CN=Users," + dir.BaseDN, password: "Corr3ct-Horse"}
	srv, err := adsim.Start(adsim.Options{Directory: dir, BindDN: c.bindDN, Password: c.password})
	if err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c.url = srv.URL()
	return c
}

// block is the [[directory]] block that scans c; its password is read from
// an environment variable named after the block, set for the test.
func (c company) block(t *testing.T) string {
	t.Helper()
	env := "CALSCAN_TEST_PW_" + strings.ToUpper(strings.ReplaceAll(c.name, "-", "_"))
	t.Setenv(env, c.password)
	b := fmt.Sprintf("[[directory]]\nname = %q\nurl = %q\nbase_dn = %q\nbind_dn = %q\npassword_env = %q\ntimeout = \"20s\"\n",
		c.name, c.url, c.baseDN, c.bindDN, env)
	if c.caFile != "" {
		b += fmt.Sprintf("ca_file = %q\n", c.caFile)
	}
	return b + "\n"
}

// domainsPolicy owns a few 2022 user CALs, so cals[] has a line to compare.
const domainsPolicy = `[scope]
stale_after_days = 90
exclude_accounts = ["svc-*"]

[licensing]
model = "user"

[[cal]]
type = "user"
version = "2022"
quantity = 25
`

// scanDomains runs `calscan scan` over the blocks and domainsPolicy.
func scanDomains(t *testing.T, blocks ...string) (code int, stderr, outDir string) {
	t.Helper()
	return scanConfig(t, t.TempDir(), strings.Join(blocks, "")+domainsPolicy)
}

// scanConfig writes text as calscan.toml in dir, runs `calscan scan` with it
// and returns the exit code, stderr and the report folder.
func scanConfig(t *testing.T, dir, text string) (code int, stderr, outDir string) {
	t.Helper()
	cfg := filepath.Join(dir, "calscan.toml")
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	outDir = filepath.Join(dir, "reports")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	var stdout, errb sambaLockedBuffer // safe for the scan's concurrent log writes
	code = run(ctx, []string{"scan", "--config", cfg, "--out", outDir, "--format", "json", "--fail-on", "never", "--log-format", "json"}, &stdout, &errb)
	return code, errb.String(), outDir
}

func readDomainsReport(t *testing.T, outDir string) domainsReport {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(outDir, "report.json"))
	if err != nil {
		t.Fatalf("report.json: %v", err)
	}
	var r domainsReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	return r
}

// scanAlone scans one company by itself, for the numbers to expect.
func scanAlone(t *testing.T, c company) domainsReport {
	t.Helper()
	code, stderr, out := scanDomains(t, c.block(t))
	if code != exitOK {
		t.Fatalf("scan of %s alone: exit %d\n%s", c.name, code, stderr)
	}
	return readDomainsReport(t, out)
}

func TestScanSeveralDomains(t *testing.T) {
	corp := startCompany(t, "corp", "DC=corp,DC=example,DC=test", 1)
	fabrikam := startCompany(t, "fabrikam", "DC=fabrikam,DC=example,DC=test", 2)
	checkJointScan(t, corp, fabrikam)
}

// The real domain controller next to a synthetic second domain.
func TestScanSambaAndAnotherDomain(t *testing.T) {
	e := sambaFromEnv(t)
	samba := company{name: "corp", url: e.ldapsURL, baseDN: e.baseDN, bindDN: os.Getenv("AD_USER_UPN"), password: e.userPass, caFile: e.caFile}
	if samba.bindDN == "" {
		t.Fatal("AD_USER_UPN is not set: source the env.sh written by scripts/samba-dc.sh")
	}
	checkJointScan(t, samba, startCompany(t, "fabrikam", "DC=fabrikam,DC=example,DC=test", 2))
}

// checkJointScan scans a and b together and compares report.json with
// their scans alone: each domain's own counts, and the totals.
func checkJointScan(t *testing.T, a, b company) {
	t.Helper()
	alone := map[string]domainsReport{a.name: scanAlone(t, a), b.name: scanAlone(t, b)}
	code, stderr, out := scanDomains(t, a.block(t), b.block(t))
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	got := readDomainsReport(t, out)
	if len(got.Directories) != 2 {
		t.Fatalf("directories = %+v, want %s and %s", got.Directories, a.name, b.name)
	}
	var want domainCounts
	for name, a := range alone {
		d := got.directory(t, name)
		c := a.Counts
		if d.UsersSeen != c.UsersSeen || d.UsersCounted != c.UsersCounted || d.DevicesSeen != c.DevicesSeen ||
			d.DevicesCounted != c.DevicesCounted || d.ServersSeen != c.ServersSeen {
			t.Errorf("%s in the joint scan = %+v, scanned alone %+v", name, d, c)
		}
		want.UsersSeen += c.UsersSeen
		want.UsersCounted += c.UsersCounted
		want.DevicesSeen += c.DevicesSeen
		want.DevicesCounted += c.DevicesCounted
		want.ServersSeen += c.ServersSeen
	}
	c := got.Counts
	if c.UsersSeen != want.UsersSeen || c.UsersCounted != want.UsersCounted || c.DevicesSeen != want.DevicesSeen ||
		c.DevicesCounted != want.DevicesCounted || c.ServersSeen != want.ServersSeen || c.Duplicates != 0 {
		t.Errorf("totals = %+v, want the sum of both domains %+v and no duplicates", c, want)
	}
	if len(got.CALs) == 0 || got.CALs[0].Type != "user" || got.CALs[0].Required != want.UsersCounted {
		t.Errorf("cals = %+v, want %d user CALs required", got.CALs, want.UsersCounted)
	}
}

// The same domain configured twice (as when a domain is also reached through
// a Global Catalog): every account is read twice and counted once.
func TestScanSameDomainTwiceCountsItOnce(t *testing.T) {
	corp := startCompany(t, "corp", "DC=corp,DC=example,DC=test", 1)
	again := corp
	again.name = "corp-again"
	alone := scanAlone(t, corp)

	code, stderr, out := scanDomains(t, corp.block(t), again.block(t))
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	got := readDomainsReport(t, out)
	a, c := alone.Counts, got.Counts
	if c.UsersCounted != a.UsersCounted || c.DevicesCounted != a.DevicesCounted || c.ServersSeen != a.ServersSeen {
		t.Errorf("totals = %+v, want those of one scan %+v", c, a)
	}
	if want := a.UsersSeen + a.DevicesSeen + a.ServersSeen; c.Duplicates != want {
		t.Errorf("duplicates = %d, want every account of the second block (%d)", c.Duplicates, want)
	}
	for _, name := range []string{"corp", "corp-again"} {
		if d := got.directory(t, name); d.UsersSeen != a.UsersSeen || d.DevicesSeen != a.DevicesSeen {
			t.Errorf("%s = %+v, want all of the domain's accounts (%+v)", name, d, a)
		}
	}
	if len(got.CALs) == 0 || got.CALs[0].Required != a.UsersCounted {
		t.Errorf("cals = %+v, want %d user CALs required, as for one scan", got.CALs, a.UsersCounted)
	}
	if !got.hasFinding("DUPLICATE_ACCOUNTS") {
		t.Errorf("no DUPLICATE_ACCOUNTS finding: %+v", got.Findings)
	}
}

// One unreachable domain fails the whole scan: exit 3, the domain named, and
// no report that could pass for a complete (or compliant) result.
func TestScanOneUnreachableDomainFailsTheScan(t *testing.T) {
	corp := startCompany(t, "corp", "DC=corp,DC=example,DC=test", 1)
	branch := company{name: "branch", url: "ldap://" + closedLoopbackAddr(t), baseDN: "DC=branch,DC=example,DC=test",
		bindDN: "svc-calscan@branch.example.test", password: "Corr3ct-Horse"}

	code, stderr, out := scanDomains(t, corp.block(t), branch.block(t))
	if code != exitDirectory {
		t.Fatalf("exit %d, want %d\n%s", code, exitDirectory, stderr)
	}
	if !strings.Contains(stderr, `directory "branch": connect`) {
		t.Errorf("stderr does not name the unreachable domain:\n%s", stderr)
	}
	entries, err := os.ReadDir(out)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if len(entries) > 0 {
		t.Errorf("a failed scan wrote %v", entries)
	}
}

// closedLoopbackAddr is a loopback address where nothing listens.
func closedLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
