package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calscan/calscan/rules"
)

// chromium finds the browser; with CALSCAN_BROWSER=1 (scripts/test) a
// missing browser fails the test instead of skipping it.
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser")
	}
	browser, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CALSCAN_BROWSER") == "1" {
			t.Fatal("CALSCAN_BROWSER=1 but chromium is not installed")
		}
		t.Skip("chromium is not installed")
	}
	return browser
}

// requestTrap is an HTTP proxy for the browser that records every request
// the page makes. A self-contained report makes none.
type requestTrap struct {
	mu   sync.Mutex
	seen []string
	url  string
}

func newRequestTrap(t *testing.T) *requestTrap {
	t.Helper()
	trap := &requestTrap{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !browserService(r.Host) {
			trap.mu.Lock()
			trap.seen = append(trap.seen, r.Method+" "+r.URL.String()+" "+r.Host)
			trap.mu.Unlock()
		}
		http.Error(w, "no network for reports", http.StatusForbidden)
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	trap.url = "http://" + l.Addr().String()
	return trap
}

// browserService reports whether host is one of Chromium's own services
// (update checks, time sync, sign-in) that it calls whatever page is open;
// those requests are the browser's, not the report's.
func browserService(host string) bool {
	host, _, _ = strings.Cut(host, ":")
	for _, suffix := range []string{".google.com", ".googleapis.com", ".gvt1.com", ".gstatic.com"} {
		if strings.HasSuffix(host, suffix) {
			return true
		}
	}
	return false
}

func (r *requestTrap) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

// browse runs headless Chromium on a page with every request sent to trap;
// extra flags choose what it does (--dump-dom, --screenshot=…).
func browse(t *testing.T, browser, page string, trap *requestTrap, extra ...string) (stdout, console string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + filepath.Join(t.TempDir(), "profile"), "--enable-logging=stderr", "--v=0",
		"--proxy-server=" + trap.url, "--proxy-bypass-list=<-loopback>"}
	args = append(args, extra...)
	args = append(args, "file://"+filepath.ToSlash(page))
	cmd := exec.CommandContext(ctx, browser, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errb.String())
	}
	return out.String(), errb.String()
}

// hostileReport is the sample report with attacker-controlled directory
// strings that would load something or run script if they were not escaped.
func hostileReport(trapURL string) *Report {
	res := sampleResult()
	res.Users = appendAccounts(res.Users, rules.Account{Domain: "corp", Name: "mallory",
		DisplayName: `"><img src="` + trapURL + `/img-from-display-name" onerror="document.title='pwned'">`,
		DN:          "CN=mallory,DC=corp", Counted: true, CALType: rules.CALUser, CALVersion: "2022"})
	res.Servers = append(res.Servers, rules.Server{Name: `<script>document.title='pwned';fetch('` + trapURL + `/script-from-server-name')</script>`,
		OperatingSystem: `<link rel=stylesheet href="` + trapURL + `/css-from-os">`, Source: "directory"})
	return New(res, generatedAt, "calscan test")
}

// TestHTMLInBrowser opens report.html in headless Chromium as a person
// would: the page's script must run under its own Content-Security-Policy
// (it adds the filter boxes), the console must show no error, hostile
// directory strings must neither run nor load anything, and the page must
// make no network request at all.
func TestHTMLInBrowser(t *testing.T) {
	browser := chromium(t)
	trap := newRequestTrap(t)
	page := filepath.Join(t.TempDir(), HTMLFile)
	if err := os.WriteFile(page, render(t, &HTML{}, HTMLFile, hostileReport(trap.url)), 0o644); err != nil {
		t.Fatal(err)
	}

	dom, console := browse(t, browser, page, trap, "--dump-dom")
	if got := strings.Count(dom, `class="filter"`); got != 4 {
		t.Errorf("the script added %d filter boxes, want 4 (findings, servers, users, devices)", got)
	}
	if strings.Contains(dom, "<title>pwned</title>") {
		t.Error("a directory string ran as script")
	}
	for _, line := range strings.Split(console, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Content Security Policy") || strings.Contains(line, "Uncaught") {
			t.Errorf("browser console: %s", line)
		}
	}

	shot := filepath.Join(t.TempDir(), "report.png")
	browse(t, browser, page, trap, "--window-size=1280,1600", "--screenshot="+shot)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 1600 {
		t.Errorf("screenshot is %v, want 1280x1600", b)
	}
	if uniform(img) {
		t.Error("the screenshot is one colour: the page rendered nothing")
	}

	if got := trap.requests(); len(got) > 0 {
		t.Errorf("the report made network requests: %v", got)
	}
}

// TestHTMLLicensingDepthInBrowser opens a report with every licensing
// section (core licences, the cheapest mix, RDS columns, access groups) in
// Chromium: its script must still run cleanly and the sections render.
func TestHTMLLicensingDepthInBrowser(t *testing.T) {
	browser := chromium(t)
	trap := newRequestTrap(t)
	res := depthResult()
	res.CALs[0].RaisedBy = append(res.CALs[0].RaisedBy, `<script>document.title='pwned'</script> (Windows Server 2022)`)
	page := filepath.Join(t.TempDir(), HTMLFile)
	if err := os.WriteFile(page, render(t, &HTML{}, HTMLFile, New(res, generatedAt, "calscan test")), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, console := browse(t, browser, page, trap, "--dump-dom")
	for _, want := range []string{`<section id="cores">`, `<div class="panel mix">`, `>RDS CAL</th>`, `>Used by</th>`, `class="cal-note"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered page lacks %q", want)
		}
	}
	if got := strings.Count(dom, `class="filter"`); got != 4 {
		t.Errorf("the script added %d filter boxes, want 4 (findings, servers, users, devices)", got)
	}
	if strings.Contains(dom, "<title>pwned</title>") {
		t.Error("a server name in raised_by ran as script")
	}
	for _, line := range strings.Split(console, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Content Security Policy") || strings.Contains(line, "Uncaught") {
			t.Errorf("browser console: %s", line)
		}
	}
	if got := trap.requests(); len(got) > 0 {
		t.Errorf("the report made network requests: %v", got)
	}
}

// TestRequestTrapCatches proves the trap sees a page's requests, so an empty
// list above means "none were made", not "none were seen".
func TestRequestTrapCatches(t *testing.T) {
	browser := chromium(t)
	trap := newRequestTrap(t)
	page := filepath.Join(t.TempDir(), "leaky.html")
	html := `<!doctype html><title>leak</title><img src="http://calscan-trap.invalid/pixel.png">`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	browse(t, browser, page, trap, "--dump-dom")
	if len(trap.requests()) == 0 {
		t.Fatal("the request trap saw nothing from a page that loads an image over http")
	}
}

// uniform reports whether every pixel of img has the same colour.
func uniform(img image.Image) bool {
	b := img.Bounds()
	first := img.At(b.Min.X, b.Min.Y)
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			if img.At(x, y) != first {
				return false
			}
		}
	}
	return true
}
