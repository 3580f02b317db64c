package main

// The bind password never reaches a log line or a report: every byte calscan
// writes at debug level, for a scan that works and for binds that fail, is
// searched for it, plain and encoded.

import (
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/calscan/calscan/scanner/adsim"
)

// leakedPassword is distinctive enough never to appear by chance.
const leakedPassword = "Qx7-LEAK-CANARY-p4ssw0rd-93kd"

// passwordForms are the password and the encodings a leak could take.
func passwordForms(pw string) []string {
	return []string{pw, base64.StdEncoding.EncodeToString([]byte(pw)), hex.EncodeToString([]byte(pw)), strings.ToUpper(hex.EncodeToString([]byte(pw)))}
}

// passwordLeaks names the texts that hold a form of pw.
func passwordLeaks(pw string, texts map[string]string) []string {
	var leaks []string
	for name, text := range texts {
		for _, form := range passwordForms(pw) {
			if strings.Contains(text, form) {
				leaks = append(leaks, name+" (as "+form+")")
			}
		}
	}
	return leaks
}

// readFolders adds every file under the folders to texts, by path.
func readFolders(t *testing.T, texts map[string]string, folders ...string) {
	t.Helper()
	for _, dir := range folders {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("read %s: %v", path, err)
				return nil
			}
			texts[path] = string(data)
			return nil
		})
	}
}

// The search finds a password however it was written, so "no leak" below
// means none was there.
func TestPasswordLeaksFindsEveryForm(t *testing.T) {
	for _, form := range passwordForms(leakedPassword) {
		texts := map[string]string{"clean": "nothing here", "leaky": `{"level":"debug","bind":"` + form + `"}`}
		if got := passwordLeaks(leakedPassword, texts); len(got) != 1 || !strings.HasPrefix(got[0], "leaky") {
			t.Errorf("a log line holding %q: leaks %v, want the one in leaky", form, got)
		}
	}
}

func TestPasswordNeverWritten(t *testing.T) {
	tests := []struct {
		name       string
		serverPass string // what the directory accepts; the config always holds leakedPassword
		cmd        []string
		logFormat  string
		wantExit   int
	}{
		{"scan, json logs", leakedPassword, []string{"scan", "--fail-on", "never"}, "json", exitOK},
		{"scan, console logs", leakedPassword, []string{"scan", "--fail-on", "never"}, "console", exitOK},
		{"scan, wrong password", "Another-Password-1", []string{"scan"}, "json", exitDirectory},
		{"check", leakedPassword, []string{"check"}, "json", exitOK},
		{"check, wrong password", "Another-Password-1", []string{"check"}, "console", exitDirectory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := startFaultDirectory(t, 50, 10, func(o *adsim.Options) { o.Password = tt.serverPass })
			cfg := newFaultConfig(t, d)
			cfg.password = leakedPassword
			path := cfg.write(t)
			var out, errb sambaLockedBuffer
			args := append(append([]string(nil), tt.cmd...), "--config", path, "--log-level", "debug", "--log-format", tt.logFormat)
			code := run(t.Context(), args, &out, &errb)
			if code != tt.wantExit {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", code, tt.wantExit, errb.String())
			}
			if !strings.Contains(errb.String(), "debug") && !strings.Contains(errb.String(), "DBG") {
				t.Errorf("no debug line logged: the search covered less than it should\n%s", errb.String())
			}
			texts := map[string]string{"stdout": out.String(), "stderr": errb.String()}
			readFolders(t, texts, cfg.outDir, cfg.historyDir)
			if leaks := passwordLeaks(leakedPassword, texts); len(leaks) > 0 {
				t.Errorf("the password is written in %v", leaks)
			}
			t.Logf("searched stdout, stderr and %d report files", len(texts)-2)
		})
	}
}
