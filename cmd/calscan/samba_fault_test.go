package main

// A real domain controller killed in the middle of a scan: the second Samba DC
// of scripts/bench-dc.sh (never the shared test DC) is sent SIGKILL between
// two pages of a paged search, then started again.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// samba2Pid is the running second DC's process id, from its pid file.
func samba2Pid(t *testing.T, e dc2Env) int {
	t.Helper()
	data, err := os.ReadFile(e.pidFile)
	if err != nil {
		t.Fatalf("DC2_PID_FILE: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("pid file %s: %v", e.pidFile, err)
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil || strings.TrimSpace(string(comm)) != "samba" {
		t.Fatalf("pid %d from %s is not a running samba", pid, e.pidFile)
	}
	return pid
}

// killSamba2 sends SIGKILL to the DC's process group (it runs in a session of
// its own) and waits for its main process to go.
func killSamba2(t *testing.T, pid int) {
	t.Helper()
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill samba (pid %d): %v", pid, err)
	}
	for range 100 {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("samba (pid %d) is still there 10 s after SIGKILL", pid)
}

// restartSamba2 starts the second DC again with the command its env gives.
func restartSamba2(t *testing.T, e dc2Env) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "bash", "-c", e.start).CombinedOutput()
	if err != nil {
		t.Errorf("the second DC did not start again (%s): %v\n%s", e.start, err, out)
	}
}

func TestSambaKilledBetweenPages(t *testing.T) {
	e := dc2FromEnv(t)
	if e.pidFile == "" || e.start == "" {
		t.Fatal("DC2_PID_FILE or DC2_START is not set: eval \"$(bash scripts/bench-dc.sh env)\"")
	}
	root := t.TempDir()
	cfg := faultConfig{url: e.url, baseDN: e.baseDN, bindDN: e.bindUPN, password: e.bindPass, timeout: "2m",
		outDir: filepath.Join(root, "reports"), historyDir: filepath.Join(root, "history")}
	scanOnce(t, cfg)
	before := fingerprint(t, cfg.outDir, cfg.historyDir)

	proxy := startFaultProxy(t, hostPort(t, e.url), faultHold)
	cfg.url, cfg.pageSize = proxy.url(), 2
	path := cfg.write(t)
	type outcome struct {
		code           int
		stdout, stderr string
	}
	done := make(chan outcome, 1)
	go func() {
		code, stdout, stderr := faultScan(t, path)
		done <- outcome{code, stdout, stderr}
	}()

	select {
	case <-proxy.firstPage:
	case o := <-done:
		t.Fatalf("the scan ended (exit %d) before a page was through\n%s", o.code, o.stderr)
	case <-time.After(2 * time.Minute):
		t.Fatal("no page came through the proxy in 2 minutes")
	}
	pid := samba2Pid(t, e)
	t.Cleanup(func() { restartSamba2(t, e) })
	killSamba2(t, pid)
	t.Logf("killed samba (pid %d) after the first page", pid)
	proxy.release()

	o := <-done
	checkNothingClaimed(t, cfg, before, o.code, o.stdout, o.stderr)
}
