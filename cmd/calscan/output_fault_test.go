//go:build linux

package main

// A report folder that cannot take the new report: exit 4, the previous
// report and history as they were, no half-written or temporary file left.

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mountOrSkip runs mount(2) and skips the test when this machine does not
// allow it (not root, or a container without CAP_SYS_ADMIN).
func mountOrSkip(t *testing.T, source, target, fstype string, flags uintptr, data string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount")
	}
	if err := syscall.Mount(source, target, fstype, flags, data); err != nil {
		t.Skipf("mount %s on %s not permitted here: %v", fstype, target, err)
	}
}

func unmountAtCleanup(t *testing.T, target string) {
	t.Cleanup(func() {
		if err := syscall.Unmount(target, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", target, err)
		}
	})
}

// diskFull puts a 512 KiB tmpfs on the report folder: the small company's
// reports (about 70 KB) fit, the large one's (over 2 MB) do not.
func diskFull(t *testing.T, outDir string) {
	t.Helper()
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	mountOrSkip(t, "tmpfs", outDir, "tmpfs", 0, "size=512k,mode=0755")
	unmountAtCleanup(t, outDir)
}

// readOnly makes the report folder read-only after the first report: a
// read-only bind mount for root (who ignores permission bits), or mode 0555.
func readOnly(t *testing.T, outDir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(outDir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(outDir, 0o755) })
		return
	}
	mountOrSkip(t, outDir, outDir, "", syscall.MS_BIND, "")
	unmountAtCleanup(t, outDir)
	if err := syscall.Mount("", outDir, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("read-only remount not permitted here: %v", err)
	}
}

func TestScanOutputFailures(t *testing.T) {
	small := startFaultDirectory(t, 20, 10, nil)
	large := startFaultDirectory(t, 3000, 10, nil)
	tests := []struct {
		name        string
		beforeFirst func(t *testing.T, outDir string) // nil: no first report
		afterFirst  func(t *testing.T, outDir string)
		second      faultDirectory
		want        string
	}{
		{name: "disk full", beforeFirst: diskFull, second: large, want: "no space left on device"},
		{name: "read-only folder", beforeFirst: func(*testing.T, string) {}, afterFirst: readOnly, second: small, want: "read-only file system"},
		{name: "out_dir is a file", afterFirst: func(t *testing.T, outDir string) {
			if err := os.WriteFile(outDir, []byte("not a folder\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, second: small, want: "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := newFaultConfig(t, small)
			if tt.beforeFirst != nil {
				tt.beforeFirst(t, cfg.outDir)
				scanOnce(t, cfg)
			}
			if tt.afterFirst != nil {
				tt.afterFirst(t, cfg.outDir)
			}
			before := fingerprint(t, cfg.outDir, cfg.historyDir)

			cfg.url, cfg.baseDN, cfg.bindDN, cfg.password = tt.second.url, tt.second.baseDN, tt.second.bindDN, tt.second.password
			code, stdout, stderr := faultScan(t, cfg.write(t))
			if code != exitOutput {
				t.Errorf("exit %d, want %d\nstderr:\n%s", code, exitOutput, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, stderr)
			}
			if i := strings.LastIndex(stderr, "calscan: "); i >= 0 {
				t.Log(strings.TrimSpace(stderr[i:]))
			}
			if strings.Contains(stdout, "Reports:") {
				t.Errorf("stdout lists reports that were not written:\n%s", stdout)
			}
			// The same files with the same bytes: no half-written report, no temporary file.
			fingerprint(t, cfg.outDir, cfg.historyDir).sameAs(t, before)
			if tmp, _ := filepath.Glob(filepath.Join(cfg.outDir, ".*tmp*")); len(tmp) > 0 {
				t.Errorf("temporary files left: %v", tmp)
			}
		})
	}
}
