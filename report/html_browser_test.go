package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHTMLInBrowser opens report.html in headless Chromium, as a person
// would: the page's script must run under its own Content-Security-Policy
// (it adds the filter boxes) and the console must show no violation or error.
func TestHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, HTMLFile)
	if err := os.WriteFile(page, render(t, &HTML{}, HTMLFile, sampleReport()), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0",
		"--dump-dom", "file://"+filepath.ToSlash(page))
	var dom, console bytes.Buffer
	cmd.Stdout, cmd.Stderr = &dom, &console
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, console.String())
	}

	if got := strings.Count(dom.String(), `class="filter"`); got != 4 {
		t.Errorf("the script added %d filter boxes, want 4 (findings, servers, users, devices)", got)
	}
	for _, line := range strings.Split(console.String(), "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Content Security Policy") {
			t.Errorf("browser console: %s", line)
		}
	}
}
