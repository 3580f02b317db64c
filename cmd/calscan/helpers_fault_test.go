package main

// Helpers of the fault tests (*_fault_test.go): a directory to scan, a config
// for it, a scan, and a fingerprint of the report folders to prove that a
// failed scan changed nothing.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calscan/calscan/scanner/adsim"
)

// faultPasswordEnv is the variable the fault tests' configs read the bind password from.
const faultPasswordEnv = "CALSCAN_TEST_FAULT_PASSWORD"

// faultDirectory is a synthetic domain served on 127.0.0.1 and how to bind to it.
type faultDirectory struct {
	url, baseDN, bindDN, password string
}

// startFaultDirectory serves a company of the given size for the length of
// the test; edit may change the server options (TLS, account errors).
func startFaultDirectory(t *testing.T, users, computers int, edit func(*adsim.Options)) faultDirectory {
	t.Helper()
	dir := adsim.Company(adsim.CompanyOptions{Users: users, Computers: computers, Seed: 7})
	d := faultDirectory{baseDN: dir.BaseDN, bindDN: "CN=svc-calscan,CN=Users," + dir.BaseDN, password: "Fault-Test-Pw-1"}
	opts := adsim.Options{Directory: dir, BindDN: d.bindDN, Password: d.password}
	if edit != nil {
		edit(&opts)
		d.password = opts.Password
	}
	srv, err := adsim.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	d.url = srv.URL()
	return d
}

// faultConfig is one calscan.toml: a [[directory]] called "corp" and a [report] table.
type faultConfig struct {
	url, baseDN, bindDN string
	password            string // set in faultPasswordEnv for the test
	pageSize            int
	timeout             string
	extra               string // more lines for the [[directory]] block
	scope               string // the [scope] table's lines; default stale_after_days = 90
	outDir, historyDir  string
}

// write saves the config in a new temporary folder and returns its path.
func (c faultConfig) write(t *testing.T) string {
	t.Helper()
	t.Setenv(faultPasswordEnv, c.password)
	var b strings.Builder
	fmt.Fprintf(&b, "[[directory]]\nname = \"corp\"\nurl = %q\nbase_dn = %q\nbind_dn = %q\npassword_env = %q\n",
		c.url, c.baseDN, c.bindDN, faultPasswordEnv)
	if c.pageSize > 0 {
		fmt.Fprintf(&b, "page_size = %d\n", c.pageSize)
	}
	if c.timeout != "" {
		fmt.Fprintf(&b, "timeout = %q\n", c.timeout)
	}
	b.WriteString(c.extra)
	scope := c.scope
	if scope == "" {
		scope = "stale_after_days = 90"
	}
	fmt.Fprintf(&b, "\n[scope]\n%s\n\n[licensing]\nmodel = \"user\"\n\n[[cal]]\ntype = \"user\"\nversion = \"2022\"\nquantity = 100\n", scope)
	fmt.Fprintf(&b, "\n[report]\nout_dir = %q\nhistory_dir = %q\nformats = [\"html\", \"csv\", \"json\"]\n", c.outDir, c.historyDir)
	path := filepath.Join(t.TempDir(), "calscan.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// newFaultConfig scans d into fresh report and history folders.
func newFaultConfig(t *testing.T, d faultDirectory) faultConfig {
	t.Helper()
	root := t.TempDir()
	return faultConfig{url: d.url, baseDN: d.baseDN, bindDN: d.bindDN, password: d.password, timeout: "20s",
		outDir: filepath.Join(root, "reports"), historyDir: filepath.Join(root, "history")}
}

// faultScan runs `calscan scan` with the config and any extra arguments.
func faultScan(t *testing.T, cfg string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	var out, errb sambaLockedBuffer // safe for the scan's concurrent log writes
	code = run(ctx, append([]string{"scan", "--config", cfg, "--fail-on", "never", "--log-format", "json"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// folderPrint is every file under some folders with a hash of its content,
// size and modification time: equal prints mean nothing was written.
type folderPrint map[string]string

func fingerprint(t *testing.T, dirs ...string) folderPrint {
	t.Helper()
	fp := folderPrint{}
	for _, dir := range dirs {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			continue // no folder, no files
		}
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			fp[path] = fmt.Sprintf("%s %d %s", hex.EncodeToString(sum[:8]), info.Size(), info.ModTime().Format(time.RFC3339Nano))
			return nil
		})
		if err != nil {
			t.Fatalf("fingerprint %s: %v", dir, err)
		}
	}
	return fp
}

// sameAs reports the differences between two prints: files added, removed or changed.
func (fp folderPrint) sameAs(t *testing.T, before folderPrint) {
	t.Helper()
	for path, was := range before {
		now, ok := fp[path]
		switch {
		case !ok:
			t.Errorf("%s was removed", path)
		case now != was:
			t.Errorf("%s was rewritten (%s, was %s)", path, now, was)
		}
	}
	for path := range fp {
		if _, ok := before[path]; !ok {
			t.Errorf("%s was added", path)
		}
	}
}

// scanOnce writes a first, good report and history entry for cfg.
func scanOnce(t *testing.T, cfg faultConfig) {
	t.Helper()
	code, _, stderr := faultScan(t, cfg.write(t))
	if code != exitOK {
		t.Fatalf("the first scan: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(cfg.outDir, "report.json")); err != nil {
		t.Fatalf("the first scan wrote no report: %v", err)
	}
	if entries, _ := os.ReadDir(cfg.historyDir); len(entries) == 0 {
		t.Fatalf("the first scan kept no history in %s", cfg.historyDir)
	}
}
