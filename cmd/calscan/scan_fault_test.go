package main

// A scan that fails part-way claims nothing: exit 3 naming the domain, no
// report written, and the previous report and history left as they were.

import (
	"crypto/tls"
	"errors"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calscan/calscan/scanner/adsim"
)

// hostPort is the host:port of an ldap:// URL.
func hostPort(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// checkNothingClaimed asserts a directory failure: exit 3, the domain named,
// no verdict printed and the report folders as they were.
func checkNothingClaimed(t *testing.T, cfg faultConfig, before folderPrint, code int, stdout, stderr string) {
	t.Helper()
	if code != exitDirectory {
		t.Errorf("exit %d, want %d\nstderr:\n%s", code, exitDirectory, stderr)
	}
	if i := strings.LastIndex(stderr, "calscan: "); i >= 0 {
		t.Log(strings.TrimSpace(stderr[i:]))
	}
	if !strings.Contains(stderr, `directory \"corp\"`) && !strings.Contains(stderr, `directory "corp"`) {
		t.Errorf("stderr does not name the domain:\n%s", stderr)
	}
	if strings.Contains(stdout, "Reports:") {
		t.Errorf("stdout lists reports after a failed scan:\n%s", stdout)
	}
	fingerprint(t, cfg.outDir, cfg.historyDir).sameAs(t, before)
}

func TestScanDirectoryDiesBetweenPages(t *testing.T) {
	d := startFaultDirectory(t, 300, 80, nil)
	for _, tt := range []struct {
		name  string
		fault proxyFault
	}{
		{"connection closed", faultCut},
		{"connection reset", faultReset},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := newFaultConfig(t, d)
			scanOnce(t, cfg)
			before := fingerprint(t, cfg.outDir, cfg.historyDir)

			proxy := startFaultProxy(t, hostPort(t, d.url), tt.fault)
			cfg.url, cfg.pageSize = proxy.url(), 25
			code, stdout, stderr := faultScan(t, cfg.write(t))
			select {
			case <-proxy.firstPage:
			default:
				t.Fatal("the proxy never saw a page end: the fault was not injected")
			}
			checkNothingClaimed(t, cfg, before, code, stdout, stderr)
		})
	}
}

// silentListener accepts connections and reads from them, but never answers.
func silentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() { _, _ = c.Read(make([]byte, 64<<10)) })
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// A DC that stops answering makes the configured timeout fire: the scan ends
// with exit 3 soon after it, never hangs. The bound is generous: this checks
// for a hang, not for speed.
func TestScanDirectoryHangs(t *testing.T) {
	const timeout = 2 * time.Second
	const margin = 10 * time.Second
	d := startFaultDirectory(t, 300, 80, nil)
	tests := []struct {
		name  string
		url   func(t *testing.T) string
		extra string
	}{
		{name: "accepts and never answers the bind", url: func(t *testing.T) string { return "ldap://" + silentListener(t) }},
		{name: "never answers the TLS handshake", url: func(t *testing.T) string { return "ldaps://" + silentListener(t) }},
		{name: "never answers StartTLS", url: func(t *testing.T) string { return "ldap://" + silentListener(t) }, extra: "start_tls = true\n"},
		{name: "stops answering after the first page", url: func(t *testing.T) string {
			proxy := startFaultProxy(t, hostPort(t, d.url), faultStall)
			t.Cleanup(func() {
				select {
				case <-proxy.firstPage:
				default:
					t.Error("the proxy never saw a page end: the fault was not injected")
				}
			})
			return proxy.url()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := newFaultConfig(t, d)
			cfg.url, cfg.timeout, cfg.pageSize, cfg.extra = tt.url(t), timeout.String(), 25, tt.extra
			start := time.Now()
			code, stdout, stderr := faultScan(t, cfg.write(t))
			took := time.Since(start)
			checkNothingClaimed(t, cfg, folderPrint{}, code, stdout, stderr)
			if took > timeout+margin {
				t.Errorf("the scan took %v to give up with a %v timeout", took.Round(time.Millisecond), timeout)
			}
		})
	}
}

// faultCertificate makes a CA and a server certificate for 127.0.0.1 and
// localhost valid from notBefore to notAfter.
func faultCertificate(t *testing.T, notBefore, notAfter time.Time) (*tls.Config, []byte) {
	t.Helper()
	conf, caPEM, err := adsim.TestTLSFor([]string{"localhost", "127.0.0.1"}, notBefore, notAfter)
	if err != nil {
		t.Fatal(err)
	}
	return conf, caPEM
}

// A certificate calscan must not trust ends the scan with exit 3 and a message
// that says which check failed.
func TestScanTLSFailuresEndToEnd(t *testing.T) {
	now := time.Now()
	good, goodCA := faultCertificate(t, now.Add(-time.Hour), now.Add(24*time.Hour))
	_, otherCA := faultCertificate(t, now.Add(-time.Hour), now.Add(24*time.Hour))
	expired, expiredCA := faultCertificate(t, now.Add(-96*time.Hour), now.Add(-48*time.Hour))
	tests := []struct {
		name   string
		server *tls.Config
		caPEM  []byte
		extra  string
		want   []string
	}{
		{"wrong CA", good, otherCA, "", []string{"not trusted by ca_file"}},
		{"name mismatch", good, goodCA, "server_name = \"dc1.elsewhere.test\"\n", []string{"name mismatch", "dc1.elsewhere.test", "localhost"}},
		{"expired certificate", expired, expiredCA, "", []string{"expired on", now.Add(-48 * time.Hour).UTC().Format("2006-01-02")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := startFaultDirectory(t, 20, 5, func(o *adsim.Options) { o.TLSConfig, o.LDAPS = tt.server, true })
			caFile := filepath.Join(t.TempDir(), "ca.pem")
			if err := os.WriteFile(caFile, tt.caPEM, 0o600); err != nil {
				t.Fatal(err)
			}
			cfg := newFaultConfig(t, d)
			cfg.extra = "ca_file = \"" + caFile + "\"\n" + tt.extra
			code, stdout, stderr := faultScan(t, cfg.write(t))
			checkNothingClaimed(t, cfg, folderPrint{}, code, stdout, stderr)
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(cfg.outDir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a failed scan created the report folder (stat: %v)", err)
			}
		})
	}
}
