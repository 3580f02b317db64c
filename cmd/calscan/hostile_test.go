package main

// Hostile directory data end to end: entries an attacker with the right to
// edit their own display name (or a careless import) could plant, added to a
// real Samba AD DC and scanned by `calscan scan`. The scan completes, report.json
// keeps the strings as they are, the CSV files neutralise formulas and the HTML
// report, opened in Chromium, runs no script and loads nothing.
//
// Entries are added, so this runs against the second DC of scripts/bench-dc.sh
// (the DC2_* environment), never the shared test DC whose population other tests
// count. Its own OU is emptied at the start of every run. The membership stress
// (a user in 10,000 groups, a group of 10,000 members) is part of that DC's
// population (CALSCAN_BENCH_STRESS_GROUPS): Samba stores a backlink per group on
// the user, so adding it takes minutes, once, and the DC's cache keeps it.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/go-ldap/ldap/v3"
)

// dc2Env is what scripts/bench-dc.sh's env tells a test.
type dc2Env struct {
	url, baseDN, bindUPN, bindPass, pidFile, start string
	stressGroups                                   int
}

// dc2FromEnv reads the second DC's environment; with CALSCAN_DC2=1 (scripts/test)
// a missing one fails the test instead of skipping it.
func dc2FromEnv(t *testing.T) dc2Env {
	t.Helper()
	e := dc2Env{url: os.Getenv("DC2_LDAP_URL"), baseDN: os.Getenv("DC2_BASE_DN"), bindUPN: os.Getenv("DC2_BIND_UPN"),
		bindPass: os.Getenv("DC2_BIND_PASS"), pidFile: os.Getenv("DC2_PID_FILE"), start: os.Getenv("DC2_START")}
	e.stressGroups, _ = strconv.Atoi(os.Getenv("DC2_STRESS_GROUPS"))
	if e.url == "" || e.baseDN == "" || e.bindUPN == "" || e.bindPass == "" {
		if os.Getenv("CALSCAN_DC2") == "1" {
			t.Fatal("CALSCAN_DC2=1 but the DC2_* environment is missing: eval \"$(bash scripts/bench-dc.sh env)\"")
		}
		t.Skip("no second DC: run scripts/bench-dc.sh start and eval its env, or run scripts/test")
	}
	return e
}

func (e dc2Env) dial(t *testing.T) *ldap.Conn {
	t.Helper()
	conn, err := ldap.DialURL(e.url, ldap.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	conn.SetTimeout(2 * time.Minute)
	if err := conn.Bind(e.bindUPN, e.bindPass); err != nil {
		_ = conn.Close()
		t.Fatal(err)
	}
	return conn
}

// hostileEntry is one entry to add; optional ones may be refused by Samba,
// which is recorded rather than failed.
type hostileEntry struct {
	name     string // sAMAccountName (computers without "$")
	computer bool
	attrs    map[string]string
	optional string // why Samba may refuse it
}

// hostileEntries are the strings to plant. trap is the request trap's URL:
// anything that loads from it was not escaped.
func hostileEntries(trap string) []hostileEntry {
	return []hostileEntry{
		{name: "h-script", attrs: map[string]string{"displayName": `<script>document.title='pwned';fetch('` + trap + `/script-display')</script>`}},
		{name: "h-img", attrs: map[string]string{"displayName": `"><img src="` + trap + `/img-display" onerror="document.title='pwned'">`}},
		{name: "h-hyperlink", attrs: map[string]string{"displayName": `=HYPERLINK("` + trap + `/csv","click me")`}},
		{name: "h-cmd", attrs: map[string]string{"displayName": `+cmd|' /C calc'!A0`}},
		{name: "h-at", attrs: map[string]string{"displayName": `@SUM(1+1)*cmd|' /C calc'!A0`}},
		{name: "-h-dash", attrs: map[string]string{"displayName": "\t=1+2"}},
		{name: "h-upn", attrs: map[string]string{"userPrincipalName": `=HYPERLINK("` + trap + `/upn")@bench.example.test`}, optional: "an unusual UPN"},
		{name: "h-long", attrs: map[string]string{"displayName": strings.Repeat("L", 64<<10)}, optional: "displayName is at most 256 characters in AD's schema"},
		{name: "h-utf8", attrs: map[string]string{"displayName": "bad \xff\xfe utf-8 \xc3"}, optional: "not UTF-8"},
		{name: "h-nul", attrs: map[string]string{"displayName": "nul\x00byte"}, optional: "a NUL byte"},
		{name: "H-PC-XSS", computer: true, attrs: map[string]string{
			"operatingSystem": `<svg onload="fetch('` + trap + `/svg-os')">Windows 11`, "operatingSystemVersion": "10.0 (22631)"}},
		{name: "H-PC-LONG", computer: true, attrs: map[string]string{
			"operatingSystem": "Windows 11 " + strings.Repeat("Enterprise ", 64<<10/11), "operatingSystemVersion": "10.0 (22631)"},
			optional: "64 KB values"},
		{name: "H-SRV-CSV", computer: true, attrs: map[string]string{
			"operatingSystem": `=HYPERLINK("` + trap + `/os")Windows Server 2022 Standard`, "operatingSystemVersion": "10.0 (20348)"}},
	}
}

// hostileGroups is the size of the membership stress: one user in that many
// groups, and one group holding all of them.
const hostileGroups = 10_000

func TestHostileDirectoryData(t *testing.T) {
	e := dc2FromEnv(t)
	browser := hostileBrowser(t)
	trap := newHostileTrap(t)
	ou := "OU=Hostile," + e.baseDN
	conn := e.dial(t)
	defer conn.Close()

	// A clean OU: what an earlier run left is deleted with the tree-delete control.
	if err := conn.Del(ldap.NewDelRequest(ou, []ldap.Control{ldap.NewControlSubtreeDelete()})); err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
		t.Fatalf("empty %s: %v", ou, err)
	}
	add := ldap.NewAddRequest(ou, nil)
	add.Attribute("objectClass", []string{"organizationalUnit"})
	if err := conn.Add(add); err != nil {
		t.Fatalf("add %s: %v", ou, err)
	}

	stored := map[string]map[string]string{} // what Samba accepted, by account name
	for _, he := range hostileEntries(trap.url) {
		dn, req := hostileAdd(he, ou)
		if err := conn.Add(req); err != nil {
			if he.optional == "" {
				t.Fatalf("Samba refused %s: %v", dn, err)
			}
			t.Logf("Samba refuses %s (%s): %v", he.name, he.optional, err)
			continue
		}
		stored[he.name] = he.attrs
		t.Logf("Samba accepts %s", he.name)
	}
	memberDN := checkMembershipStress(t, e, conn)

	// Scan the whole domain; only nested members of the big group count.
	root := t.TempDir()
	cfg := faultConfig{url: e.url, baseDN: e.baseDN, bindDN: e.bindUPN, password: e.bindPass, timeout: "2m",
		outDir: filepath.Join(root, "reports"), historyDir: filepath.Join(root, "history"),
		scope: fmt.Sprintf("include_groups = [%q]", "CN=G-S-Big,OU=Stress,"+e.baseDN)}
	code, stdout, stderr := faultScan(t, cfg.write(t))
	if code != exitOK && code != exitFindings {
		t.Fatalf("the scan did not complete: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	checkHostileJSON(t, cfg.outDir, stored, memberDN)
	checkHostileCSV(t, cfg.outDir, 5)
	checkHostileHTML(t, browser, trap, filepath.Join(cfg.outDir, "report.html"))
}

func hostileAdd(he hostileEntry, ou string) (string, *ldap.AddRequest) {
	dn := "CN=" + ldap.EscapeDN(he.name) + "," + ou
	req := ldap.NewAddRequest(dn, nil)
	if he.computer {
		req.Attribute("objectClass", []string{"computer"})
		req.Attribute("sAMAccountName", []string{he.name + "$"})
		req.Attribute("userAccountControl", []string{"4096"})
	} else {
		req.Attribute("objectClass", []string{"user"})
		req.Attribute("sAMAccountName", []string{he.name})
		req.Attribute("userAccountControl", []string{"544"}) // enabled, no password required
	}
	for name, value := range he.attrs {
		req.Attribute(name, []string{value})
	}
	return dn, req
}

// checkMembershipStress finds the DC's stress-member and checks that Samba
// answers with all of its memberOf values. It returns its DN.
func checkMembershipStress(t *testing.T, e dc2Env, conn *ldap.Conn) string {
	t.Helper()
	if e.stressGroups != hostileGroups {
		t.Fatalf("the second DC has %d stress groups, want %d: start it with CALSCAN_BENCH_STRESS_GROUPS=%d",
			e.stressGroups, hostileGroups, hostileGroups)
	}
	res, err := conn.Search(ldap.NewSearchRequest("OU=Stress,"+e.baseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(sAMAccountName=stress-member)", []string{"memberOf"}, nil))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("stress-member: %v (%d entries)", err, len(res.Entries))
	}
	if n := len(res.Entries[0].GetAttributeValues("memberOf")); n != hostileGroups {
		t.Fatalf("stress-member has %d memberOf values, want %d", n, hostileGroups)
	}
	return res.Entries[0].DN
}

func checkHostileJSON(t *testing.T, outDir string, stored map[string]map[string]string, memberDN string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(outDir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Counts struct {
			UsersCounted int `json:"users_counted"`
		} `json:"counts"`
		Users   []hostileAccount `json:"users"`
		Devices []hostileAccount `json:"devices"`
		Servers []struct {
			Name            string `json:"name"`
			OperatingSystem string `json:"operating_system"`
		} `json:"servers"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	byName := map[string]hostileAccount{}
	for _, a := range append(rep.Users, rep.Devices...) {
		byName[a.Name] = a
	}
	for _, s := range rep.Servers {
		byName[s.Name] = hostileAccount{Name: s.Name, OperatingSystem: s.OperatingSystem}
	}
	for name, attrs := range stored {
		a, ok := byName[strings.TrimSuffix(name, "$")]
		if !ok {
			t.Errorf("%s is missing from report.json", name)
			continue
		}
		for attr, want := range attrs {
			got, reported := a.field(attr)
			if !reported {
				continue
			}
			// JSON carries text: bytes that are not UTF-8 become U+FFFD, nothing else changes.
			want = strings.ToValidUTF8(want, "\uFFFD")
			if got != want {
				t.Errorf("%s %s in report.json = %.80q, stored %.80q", name, attr, got, want)
			}
		}
	}
	m, ok := byName["stress-member"]
	switch {
	case !ok:
		t.Errorf("stress-member (%s, in %d groups) is missing from report.json", memberDN, hostileGroups)
	case !m.Counted || rep.Counts.UsersCounted != 1:
		t.Errorf("stress-member counted %t, users counted %d: want only stress-member, a nested member of G-S-Big through %d groups",
			m.Counted, rep.Counts.UsersCounted, hostileGroups)
	}
}

type hostileAccount struct {
	Name            string `json:"name"`
	DisplayName     string `json:"display_name"`
	UPN             string `json:"upn"`
	OperatingSystem string `json:"operating_system"`
	Counted         bool   `json:"counted"`
}

// field is the report's value of a directory attribute, if the report has it.
func (a hostileAccount) field(attr string) (string, bool) {
	switch attr {
	case "displayName":
		return a.DisplayName, true
	case "userPrincipalName":
		return a.UPN, true
	case "operatingSystem":
		return a.OperatingSystem, true
	}
	return "", false
}

var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// formulaCell reports whether a spreadsheet would read cell as a formula:
// = + - @ first (after spaces), or a leading tab or carriage return. A plain
// number such as -70 is just a number.
func formulaCell(cell string) bool {
	if strings.HasPrefix(cell, "\t") || strings.HasPrefix(cell, "\r") {
		return true
	}
	trimmed := strings.TrimLeftFunc(cell, unicode.IsSpace)
	return trimmed != "" && strings.ContainsRune("=+-@", rune(trimmed[0])) && !plainNumber.MatchString(cell)
}

// checkHostileCSV checks every cell of the CSV files in outDir; at least
// planted of them must have been neutralised (proof the strings got there).
func checkHostileCSV(t *testing.T, outDir string, planted int) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(outDir, "*.csv"))
	if len(files) == 0 {
		t.Fatal("no CSV file written")
	}
	neutralised := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Errorf("%s is not valid CSV: %v", filepath.Base(path), err)
			continue
		}
		for i, row := range rows {
			for _, cell := range row {
				if formulaCell(cell) {
					t.Errorf("%s row %d: cell %.60q would run as a formula", filepath.Base(path), i+1, cell)
				}
				if strings.HasPrefix(cell, "'") && formulaCell(cell[1:]) {
					neutralised++
				}
			}
		}
	}
	if neutralised < planted {
		t.Errorf("%d neutralised cells, want at least %d: the hostile names did not reach the CSV files", neutralised, planted)
	}
}

func checkHostileHTML(t *testing.T, browser string, trap *hostileTrap, page string) {
	t.Helper()
	dom := checkHostileHTMLText(t, browser, trap, page)
	if !strings.Contains(dom, "h-script") || !strings.Contains(dom, "&lt;script&gt;") {
		t.Error("report.html does not show the hostile display name as text")
	}
}

// checkHostileHTMLText opens the report in Chromium: no script from the
// directory runs, nothing is requested. It returns the page's DOM.
func checkHostileHTMLText(t *testing.T, browser string, trap *hostileTrap, page string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(t.TempDir(), "profile"), "--proxy-server="+trap.url, "--proxy-bypass-list=<-loopback>",
		"--virtual-time-budget=3000", "--dump-dom", "file://"+filepath.ToSlash(page))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errb.String())
	}
	dom := out.String()
	if strings.Contains(dom, "<title>pwned</title>") {
		t.Error("a directory string ran as script in report.html")
	}
	if got := trap.requests(); len(got) > 0 {
		t.Errorf("report.html made network requests: %v", got)
	}
	return dom
}

// hostileBrowser finds Chromium; with CALSCAN_BROWSER=1 a missing one fails the test.
func hostileBrowser(t *testing.T) string {
	t.Helper()
	browser, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CALSCAN_BROWSER") == "1" {
			t.Fatal("CALSCAN_BROWSER=1 but chromium is not installed")
		}
		t.Skip("chromium is not installed")
	}
	return browser
}

// hostileTrap is an HTTP proxy for the browser that records every request
// the page makes (as report/html_browser_test.go's requestTrap).
type hostileTrap struct {
	url  string
	mu   sync.Mutex
	seen []string
}

func newHostileTrap(t *testing.T) *hostileTrap {
	t.Helper()
	trap := &hostileTrap{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := strings.Cut(r.Host, ":")
		own := false // Chromium's own services, called whatever page is open
		for _, suffix := range []string{".google.com", ".googleapis.com", ".gvt1.com", ".gstatic.com"} {
			own = own || strings.HasSuffix(host, suffix)
		}
		if !own {
			trap.mu.Lock()
			trap.seen = append(trap.seen, r.Method+" "+r.URL.String())
			trap.mu.Unlock()
		}
		http.Error(w, "no network for reports", http.StatusForbidden)
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("request trap: %v", err)
		}
	}()
	t.Cleanup(func() { _ = srv.Close() })
	trap.url = "http://" + l.Addr().String()
	return trap
}

func (h *hostileTrap) requests() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.seen...)
}

// What Samba refuses to store (display names longer than 256 characters,
// bytes that are not UTF-8) can still arrive in an LDIF export, hand-made or
// from another directory: the offline scan gets the same treatment.
func TestHostileExportData(t *testing.T) {
	trap := newHostileTrap(t)
	base := "DC=corp,DC=example,DC=test"
	var ldif strings.Builder
	user := func(name, display string) {
		fmt.Fprintf(&ldif, "dn: CN=%s,OU=Staff,%s\nobjectClass: user\nobjectCategory: CN=Person,CN=Schema,CN=Configuration,%s\n", name, base, base)
		fmt.Fprintf(&ldif, "sAMAccountName: %s\nuserAccountControl: 512\ndisplayName:: %s\n\n", name, base64.StdEncoding.EncodeToString([]byte(display)))
	}
	user("x-utf8", "bad \xff\xfe utf-8 \xc3")
	user("x-long", "<b>"+strings.Repeat("L", 64<<10)+"</b>")
	user("x-nul", "=1+1\x00<script>document.title='pwned'</script>")
	user("x-img", `"><img src="`+trap.url+`/img-ldif" onerror="document.title='pwned'">`)
	root := t.TempDir()
	path := filepath.Join(root, "export.ldif")
	if err := os.WriteFile(path, []byte(ldif.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(root, "calscan.toml")
	out := filepath.Join(root, "reports")
	cfg := fmt.Sprintf("[[directory]]\nname = \"corp\"\nldif = %q\nbase_dn = %q\n\n[licensing]\nmodel = \"user\"\n\n[report]\nout_dir = %q\n", path, base, out)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := faultScan(t, cfgPath)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Users []hostileAccount `json:"users"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	got := map[string]string{}
	for _, u := range rep.Users {
		got[u.Name] = u.DisplayName
	}
	for name, want := range map[string]string{
		"x-utf8": "bad \uFFFD\uFFFD utf-8 \uFFFD", "x-long": "<b>" + strings.Repeat("L", 64<<10) + "</b>",
		"x-nul": "=1+1\x00<script>document.title='pwned'</script>",
	} {
		if got[name] != want {
			t.Errorf("%s display name in report.json = %.80q, want %.80q", name, got[name], want)
		}
	}
	checkHostileCSV(t, out, 1)
	if browser, err := exec.LookPath("chromium"); err == nil {
		checkHostileHTMLText(t, browser, trap, filepath.Join(out, "report.html"))
	} else if os.Getenv("CALSCAN_BROWSER") == "1" {
		t.Fatal("CALSCAN_BROWSER=1 but chromium is not installed")
	}
}
