package main

// The Samba integration suite: calscan scans a real Active Directory (a Samba AD DC
// on 127.0.0.1 started by scripts/samba-dc.sh, whose env.sh gives the AD_* variables)
// and must find exactly the company that script populates.
//
// Every expected number below is worked out by hand from that population; change
// the script and this file together. The population, as the scan sees it:
//
// Users (64):
//   Administrator (Samba's, RID 500)                counted: a person uses it
//   Guest (RID 501), krbtgt (RID 502)               builtin                        2
//   Staff: 30 active                                counted
//          adm-ops, active                          admin_exempt (config)          1
//          5 disabled (kay.kemp also stale,
//            len.lowe also expired)                 disabled
//          4 last logon 200 days ago                stale
//          3 never logged on, created 3 years ago   stale
//          2 never logged on, created at population counted
//          3 accountExpires 30 days ago             expired
//          temp.dora, accountExpires a year ahead   counted
//   Service Accounts: svc-sql, svc-backup, svc-web  excluded_account ("svc-*")     3
//   Lab: 3 active testers                           excluded_ou (OU=Lab)           3
//   Bind Tests: pwuser, pwlocked, pwexpired,
//               pwmustchange (all active)           counted (calscan ignores lockout and
//                                                   password age: the accounts exist)
//               pwdisabled                          disabled
//               pwacctexpired                       expired
//   counted 1+30+2+1+4 = 38; disabled 5+1 = 6; expired 3+1 = 4; stale 4+3 = 7
//
// Computers (38): 8 servers, 30 client devices.
//   DC1 Samba 4.17 (the DC itself)                  server, needs no CALs
//   APP01 2022 Datacenter, FS01 2019 Standard,
//   SQL01 2016 Standard, LEGACY01 2012 R2 Datacenter server, needs CALs (2022, 2019, 2016, 2012)
//   HV01 Hyper-V Server 2019                        server, needs no CALs (R9)
//   NEW01 2025 Standard, disabled                   server, does not raise the version
//   RETIRED25 2025 Datacenter, stale                server, does not raise the version
//   WS01-WS20 Windows 11/10, KIOSK01 Windows 10
//     LTSC 10.0 (17763), VMS01 OpenVMS 9.2,
//     WS27 new and never logged on                  counted: 20+1+1+1 = 23
//   WS21-WS23 last logon 200 days ago,
//     WS26 never logged on, created 2 years ago     stale 4
//   WS24, WS25                                      disabled 2
//   LAB-WS01 in OU=Lab                              excluded_ou 1
//
// Totals for counts.excluded (users + client devices): builtin 2, disabled 6+2 = 8,
// expired 4, excluded_account 3, excluded_ou 3+1 = 4, admin_exempt 1,
// not_in_scope_group 0, stale 7+4 = 11.
// Required CAL version: the highest of the in-scope servers that need CALs: 2022 (APP01).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// sambaPasswordEnv is the variable the generated configs read the password from.
const sambaPasswordEnv = "CALSCAN_TEST_SAMBA_PASSWORD"

// sambaEnv is what scripts/samba-dc.sh's env.sh tells a test.
type sambaEnv struct {
	ldapURL, ldapsURL, baseDN, bindUPN, bindPass, caFile, dnsDomain, userPass string
}

// sambaFromEnv reads the DC's environment. The suite is skipped only when nothing
// says a DC should be there; with CALSCAN_SAMBA=1 a missing env is a failure.
func sambaFromEnv(t *testing.T) sambaEnv {
	t.Helper()
	var e sambaEnv
	vars := []struct {
		name  string
		field *string
	}{
		{"AD_LDAP_URL", &e.ldapURL}, {"AD_LDAPS_URL", &e.ldapsURL}, {"AD_BASE_DN", &e.baseDN},
		{"AD_BIND_UPN", &e.bindUPN}, {"AD_BIND_PASS", &e.bindPass}, {"AD_CA_FILE", &e.caFile},
		{"AD_DNS_DOMAIN", &e.dnsDomain}, {"AD_USER_PASS", &e.userPass},
	}
	var missing []string
	for _, v := range vars {
		*v.field = os.Getenv(v.name)
		if *v.field == "" {
			missing = append(missing, v.name)
		}
	}
	if e.ldapURL == "" && os.Getenv("CALSCAN_SAMBA") == "" {
		t.Skip("no Samba AD DC: run `bash scripts/samba-dc.sh start` and source its env.sh, or run `bash scripts/test`")
	}
	if len(missing) > 0 {
		t.Fatalf("the Samba DC's environment is incomplete, missing %v: source the env.sh written by scripts/samba-dc.sh", missing)
	}
	return e
}

// sambaTransport is one way of reaching the DC.
type sambaTransport struct {
	name     string
	url      func(sambaEnv) string
	startTLS bool
	useCA    bool
}

var sambaTransports = []sambaTransport{
	{name: "LDAP", url: func(e sambaEnv) string { return e.ldapURL }},
	{name: "LDAPS", url: func(e sambaEnv) string { return e.ldapsURL }, useCA: true},
	{name: "StartTLS", url: func(e sambaEnv) string { return e.ldapURL }, startTLS: true, useCA: true},
}

// sambaScope is the [scope] every scan uses, plus extra lines.
func sambaScope(e sambaEnv, extra string) string {
	return fmt.Sprintf(`[scope]
stale_after_days = 90
exclude_accounts = ["svc-*"]
exclude_ous = [%q]
admin_exempt = ["adm-ops"]
%s
`, "OU=Lab,"+e.baseDN, extra)
}

// writeSambaConfig writes a calscan.toml for one directory block and returns its path.
func writeSambaConfig(t *testing.T, e sambaEnv, tr sambaTransport, bindDN, rest string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "[[directory]]\nname = \"corp\"\nurl = %q\nbase_dn = %q\nbind = \"simple\"\n", tr.url(e), e.baseDN)
	fmt.Fprintf(&b, "bind_dn = %q\npassword_env = %q\nstart_tls = %t\ntimeout = \"30s\"\n", bindDN, sambaPasswordEnv, tr.startTLS)
	if tr.useCA {
		fmt.Fprintf(&b, "ca_file = %q\n", e.caFile)
	}
	b.WriteString("\n" + rest)
	path := filepath.Join(t.TempDir(), "calscan.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// sambaScan runs `calscan scan` with the config and returns the exit code, output and report folder.
func sambaScan(t *testing.T, cfg string) (code int, stdout, stderr, outDir string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	outDir = filepath.Join(t.TempDir(), "reports")
	var out, errb sambaLockedBuffer
	code = run(ctx, []string{"scan", "--config", cfg, "--out", outDir, "--format", "json,csv,html"}, &out, &errb)
	return code, out.String(), errb.String(), outDir
}

// sambaLockedBuffer is a bytes.Buffer safe for the concurrent writes of a scan's
// searches, as os.Stderr is.
type sambaLockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *sambaLockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *sambaLockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The parts of report.json (SPEC.md, schema_version 1) the suite checks, decoded
// by key so the test holds calscan to the published contract.
type sambaReport struct {
	SchemaVersion int            `json:"schema_version"`
	Compliant     bool           `json:"compliant"`
	Counts        sambaCounts    `json:"counts"`
	CALs          []sambaCALLine `json:"cals"`
	Servers       []sambaServer  `json:"servers"`
	Findings      []sambaFinding `json:"findings"`
	Users         []sambaAccount `json:"users"`
	Devices       []sambaAccount `json:"devices"`
}

type sambaCounts struct {
	UsersSeen      int            `json:"users_seen"`
	UsersCounted   int            `json:"users_counted"`
	DevicesSeen    int            `json:"devices_seen"`
	DevicesCounted int            `json:"devices_counted"`
	ServersSeen    int            `json:"servers_seen"`
	Excluded       map[string]int `json:"excluded"`
}

type sambaCALLine struct {
	Type       string             `json:"type"`
	Required   int                `json:"required"`
	MinVersion string             `json:"min_version"`
	Owned      int                `json:"owned"`
	Shortfall  int                `json:"shortfall"`
	Surplus    int                `json:"surplus"`
	ByVersion  []sambaVersionLine `json:"by_version"`
}

type sambaVersionLine struct {
	Version  string `json:"version"`
	Required int    `json:"required"`
	Owned    int    `json:"owned"`
}

type sambaServer struct {
	Name             string `json:"name"`
	Version          string `json:"version"`
	CALVersion       string `json:"cal_version"`
	DomainController bool   `json:"domain_controller"`
	NeedsCALs        bool   `json:"needs_cals"`
	Excluded         string `json:"excluded"`
}

type sambaFinding struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Subjects []string `json:"subjects"`
}

type sambaAccount struct {
	Name     string `json:"name"`
	Counted  bool   `json:"counted"`
	Excluded string `json:"excluded"`
}

func readSambaReport(t *testing.T, outDir string) sambaReport {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(outDir, "report.json"))
	if err != nil {
		t.Fatalf("report.json: %v", err)
	}
	var r sambaReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	return r
}

// sambaServerWant is what the rules must decide about each server in the directory.
type sambaServerWant struct {
	needsCALs, domainController bool
	calVersion                  string // checked when needsCALs
	excluded                    string
}

var sambaServersWant = map[string]sambaServerWant{
	"DC1":       {domainController: true}, // Samba: no CALs of its own
	"APP01":     {needsCALs: true, calVersion: "2022"},
	"FS01":      {needsCALs: true, calVersion: "2019"},
	"SQL01":     {needsCALs: true, calVersion: "2016"},
	"LEGACY01":  {needsCALs: true, calVersion: "2012"}, // V2: 2012 R2 → 2012 CALs
	"HV01":      {},                                    // R9: Hyper-V Server
	"NEW01":     {excluded: "disabled"},                // a disabled 2025 server does not raise the version
	"RETIRED25": {excluded: "stale"},                   // nor does a stale one
}

// sambaCountsAll are the counts of every unfiltered scan (the table at the top).
var sambaCountsAll = sambaCounts{
	UsersSeen: 64, UsersCounted: 38,
	DevicesSeen: 30, DevicesCounted: 23,
	ServersSeen: 8,
	Excluded: map[string]int{
		"builtin": 2, "disabled": 8, "expired": 4, "excluded_account": 3,
		"excluded_ou": 4, "admin_exempt": 1, "not_in_scope_group": 0, "stale": 11,
	},
}

// sambaDecisionsAll are accounts whose decision tells the exclusion order and the
// edge cases apart ("" = counted).
var sambaDecisionsAll = map[string]string{
	"Administrator": "",
	"Guest":         "builtin",
	"krbtgt":        "builtin",
	"aaron.adams":   "",
	"adm-ops":       "admin_exempt",
	"kay.kemp":      "disabled", // also stale: disabled is checked first
	"len.lowe":      "disabled", // also expired
	"mia.mann":      "stale",
	"rob.rowe":      "stale", // never logged on, created 3 years ago
	"uli.ulm":       "",      // never logged on, created at population
	"temp.anna":     "expired",
	"temp.dora":     "", // expires a year after population
	"svc-sql":       "excluded_account",
	"lab.tester1":   "excluded_ou",
	"pwlocked":      "",
	"pwdisabled":    "disabled",
	"pwacctexpired": "expired",
	"KIOSK01":       "", // Windows 10 LTSC reports build 17763, like Server 2019: still a client
	"VMS01":         "", // unrecognised OS: counted, with a warning
	"WS01":          "",
	"WS21":          "stale",
	"WS24":          "disabled",
	"WS26":          "stale", // never logged on, created 2 years ago
	"WS27":          "",
	"LAB-WS01":      "excluded_ou",
}

// Owned CALs for the user model: 30 × 2022 and 10 × 2019. 38 users need 2022 CALs
// (§6: at 2022, 38 required − 30 owned = 8; at 2019 and below, 38 − 40 < 0), so the
// shortfall is 8 and the surplus 40 − 38 + 8 = 10: the 2019 CALs do not count.
const sambaUserCALs = `[licensing]
model = "user"

[[cal]]
type = "user"
version = "2022"
quantity = 30

[[cal]]
type = "user"
version = "2019"
quantity = 10
`

// Owned CALs for the device model: 25 × 2022 against 23 devices: surplus 2.
const sambaDeviceCALs = `[licensing]
model = "device"

[[cal]]
type = "device"
version = "2022"
quantity = 25
`

// sambaWant is the expected outcome of one scan.
type sambaWant struct {
	exit      int
	compliant bool
	counts    sambaCounts
	cals      []sambaCALLine
	findings  []string          // codes that must be present
	decisions map[string]string // account name → excluded reason
}

var sambaWantUser = sambaWant{
	exit: exitFindings, counts: sambaCountsAll, decisions: sambaDecisionsAll,
	cals: []sambaCALLine{{
		Type: "user", Required: 38, MinVersion: "2022", Owned: 40, Shortfall: 8, Surplus: 10,
		ByVersion: []sambaVersionLine{{"2019", 0, 10}, {"2022", 38, 30}},
	}},
	findings: []string{"CAL_SHORTFALL", "UNKNOWN_OPERATING_SYSTEM"},
}

var sambaWantDevice = sambaWant{
	exit: exitOK, compliant: true, counts: sambaCountsAll, decisions: sambaDecisionsAll,
	cals: []sambaCALLine{{
		Type: "device", Required: 23, MinVersion: "2022", Owned: 25, Shortfall: 0, Surplus: 2,
		ByVersion: []sambaVersionLine{{"2022", 23, 25}},
	}},
	findings: []string{"UNKNOWN_OPERATING_SYSTEM"},
}

func TestSambaScan(t *testing.T) {
	e := sambaFromEnv(t)
	models := []struct {
		name string
		cals string
		want sambaWant
	}{
		{"user model", sambaUserCALs, sambaWantUser},
		{"device model", sambaDeviceCALs, sambaWantDevice},
	}
	for _, tr := range sambaTransports {
		for _, m := range models {
			t.Run(tr.name+"/"+m.name, func(t *testing.T) {
				t.Setenv(sambaPasswordEnv, e.bindPass)
				cfg := writeSambaConfig(t, e, tr, e.bindUPN, sambaScope(e, "")+"\n"+m.cals)
				checkSambaScan(t, cfg, m.want)
			})
		}
	}
}

// Only nested members of G-Level1 count: G-App (in G-Level2, in G-Level1) holds 6
// active staff, hal.hart (disabled) and mia.mann (stale); gus.green is in G-Level2.
// Of the 64 users, 18 go before the group test (builtin 2, disabled 6, expired 4,
// excluded_account 3, excluded_ou 3); 8 of the other 46 are members, so 38 are
// not_in_scope_group (adm-ops among them: the group test comes before admin_exempt);
// mia.mann is stale; 7 are counted. Devices are not filtered by group.
// 7 users need 2022 CALs: 30 owned at 2022 cover them, surplus 40 − 7 = 33.
func TestSambaNestedGroupScope(t *testing.T) {
	e := sambaFromEnv(t)
	t.Setenv(sambaPasswordEnv, e.bindPass)
	scope := sambaScope(e, fmt.Sprintf("include_groups = [%q]", "CN=G-Level1,OU=Groups,"+e.baseDN))
	cfg := writeSambaConfig(t, e, sambaTransports[0], e.bindUPN, scope+"\n"+sambaUserCALs)
	checkSambaScan(t, cfg, sambaWant{
		exit: exitOK, compliant: true,
		counts: sambaCounts{
			UsersSeen: 64, UsersCounted: 7,
			DevicesSeen: 30, DevicesCounted: 23,
			ServersSeen: 8,
			Excluded: map[string]int{
				"builtin": 2, "disabled": 8, "expired": 4, "excluded_account": 3,
				"excluded_ou": 4, "admin_exempt": 0, "not_in_scope_group": 38, "stale": 5,
			},
		},
		cals: []sambaCALLine{{
			Type: "user", Required: 7, MinVersion: "2022", Owned: 40, Shortfall: 0, Surplus: 33,
			ByVersion: []sambaVersionLine{{"2019", 0, 10}, {"2022", 7, 30}},
		}},
		decisions: map[string]string{
			"aaron.adams":   "",
			"gus.green":     "", // direct member of G-Level2
			"hal.hart":      "disabled",
			"mia.mann":      "stale",
			"ivan.irwin":    "not_in_scope_group",
			"adm-ops":       "not_in_scope_group",
			"Administrator": "not_in_scope_group",
			"svc-sql":       "excluded_account",
		},
	})
}

func checkSambaScan(t *testing.T, cfg string, want sambaWant) {
	t.Helper()
	code, stdout, stderr, outDir := sambaScan(t, cfg)
	if code != want.exit {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, want.exit, stdout, stderr)
	}
	for _, name := range []string{"report.json", "report.html"} {
		if _, err := os.Stat(filepath.Join(outDir, name)); err != nil {
			t.Errorf("%s not written: %v", name, err)
		}
	}
	if csvs, _ := filepath.Glob(filepath.Join(outDir, "*.csv")); len(csvs) == 0 {
		t.Errorf("no CSV file written in %s", outDir)
	}

	r := readSambaReport(t, outDir)
	if r.SchemaVersion != 1 {
		t.Errorf("schema_version %d, want 1", r.SchemaVersion)
	}
	if r.Compliant != want.compliant {
		t.Errorf("compliant %t, want %t", r.Compliant, want.compliant)
	}
	if !reflect.DeepEqual(r.Counts, want.counts) {
		t.Errorf("counts\n got %+v\nwant %+v", r.Counts, want.counts)
	}
	if !reflect.DeepEqual(r.CALs, want.cals) {
		t.Errorf("cals\n got %+v\nwant %+v", r.CALs, want.cals)
	}
	checkSambaServers(t, r.Servers)
	checkSambaFindings(t, r.Findings, want.findings)
	checkSambaDecisions(t, append(r.Users, r.Devices...), want.decisions)
}

func checkSambaServers(t *testing.T, servers []sambaServer) {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range servers {
		w, ok := sambaServersWant[s.Name]
		if !ok {
			t.Errorf("unexpected server %q in servers[]", s.Name)
			continue
		}
		seen[s.Name] = true
		if s.NeedsCALs != w.needsCALs || s.DomainController != w.domainController || s.Excluded != w.excluded {
			t.Errorf("server %s: needs_cals %t, domain_controller %t, excluded %q; want %t, %t, %q",
				s.Name, s.NeedsCALs, s.DomainController, s.Excluded, w.needsCALs, w.domainController, w.excluded)
		}
		if w.needsCALs && s.CALVersion != w.calVersion {
			t.Errorf("server %s (%s): cal_version %q, want %q", s.Name, s.Version, s.CALVersion, w.calVersion)
		}
	}
	for name := range sambaServersWant {
		if !seen[name] {
			t.Errorf("server %s missing from servers[]", name)
		}
	}
}

func checkSambaFindings(t *testing.T, findings []sambaFinding, codes []string) {
	t.Helper()
	byCode := map[string]sambaFinding{}
	for _, f := range findings {
		byCode[f.Code] = f
	}
	for _, code := range codes {
		if _, ok := byCode[code]; !ok {
			t.Errorf("finding %s missing; findings: %+v", code, findings)
		}
	}
	if f, ok := byCode["UNKNOWN_OPERATING_SYSTEM"]; ok && !strings.Contains(strings.Join(f.Subjects, " "), "VMS01") {
		t.Errorf("UNKNOWN_OPERATING_SYSTEM does not name VMS01: %v", f.Subjects)
	}
}

func checkSambaDecisions(t *testing.T, accounts []sambaAccount, want map[string]string) {
	t.Helper()
	byName := map[string]sambaAccount{}
	for _, a := range accounts {
		byName[a.Name] = a
	}
	for name, reason := range want {
		a, ok := byName[name]
		switch {
		case !ok:
			t.Errorf("account %s missing from users[]/devices[]", name)
		case a.Excluded != reason || a.Counted != (reason == ""):
			t.Errorf("account %s: counted %t, excluded %q; want excluded %q", name, a.Counted, a.Excluded, reason)
		}
	}
}

// A bind AD refuses is a directory error (exit 3) that names AD's reason, never
// shows the password, and leaves no report that could claim a result.
func TestSambaBindFailures(t *testing.T) {
	e := sambaFromEnv(t)
	upn := func(name string) string { return name + "@" + e.dnsDomain }
	tests := []struct {
		name     string
		bindDN   string
		password string
		want     []string // in stderr (case-insensitive): AD's data code and calscan's explanation of it
	}{
		{"wrong password", e.bindUPN, "Not-the-password-7", []string{"52e", "wrong password"}},
		{"locked out", upn("pwlocked"), e.userPass, []string{"775", "locked out"}},
		{"password expired", upn("pwexpired"), e.userPass, []string{"532", "password expired"}},
		{"account disabled", upn("pwdisabled"), e.userPass, []string{"533", "disabled"}},
		{"account expired", upn("pwacctexpired"), e.userPass, []string{"701", "account expired"}},
		{"must change password", upn("pwmustchange"), e.userPass, []string{"773", "must"}},
	}
	for _, tr := range sambaTransports {
		for _, tt := range tests {
			t.Run(tr.name+"/"+tt.name, func(t *testing.T) {
				t.Setenv(sambaPasswordEnv, tt.password)
				cfg := writeSambaConfig(t, e, tr, tt.bindDN, sambaScope(e, "")+"\n"+sambaUserCALs)
				code, stdout, stderr, outDir := sambaScan(t, cfg)
				if code != exitDirectory {
					t.Errorf("exit code %d, want %d\nstderr:\n%s", code, exitDirectory, stderr)
				}
				for _, w := range tt.want {
					if !strings.Contains(strings.ToLower(stderr), w) {
						t.Errorf("stderr does not mention %q:\n%s", w, stderr)
					}
				}
				if strings.Contains(stdout+stderr, tt.password) {
					t.Errorf("the password appears in the output:\n%s\n%s", stdout, stderr)
				}
				if _, err := os.Stat(filepath.Join(outDir, "report.json")); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("a failed scan left report.json (stat: %v)", err)
				}
			})
		}
	}
}

// An ordinary domain user may scan: pwuser's bind succeeds and it reads the same
// directory as the administrator.
func TestSambaScanAsOrdinaryUser(t *testing.T) {
	e := sambaFromEnv(t)
	t.Setenv(sambaPasswordEnv, e.userPass)
	cfg := writeSambaConfig(t, e, sambaTransports[1], "pwuser@"+e.dnsDomain, sambaScope(e, "")+"\n"+sambaUserCALs)
	checkSambaScan(t, cfg, sambaWantUser)
}
