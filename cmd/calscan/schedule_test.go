package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The scheduling recipes in deploy/ are what admins copy; each is checked
// here: systemd units by systemd itself, the cron line field by field, the
// PowerShell script for structure, and every calscan command line they run
// by this program's own flag parser.

const deployDir = "../../deploy"

// checkCommandLine runs a recipe's calscan arguments through run: the only
// acceptable failure is the missing config file of the target machine.
func checkCommandLine(t *testing.T, args []string) {
	t.Helper()
	if len(args) == 0 || args[0] != "scan" {
		t.Fatalf("recipe does not run `calscan scan`: %q", args)
	}
	code, _, stderr := runCmd(t, args...)
	if code != exitUsage || !strings.Contains(stderr, "calscan.toml") || strings.Contains(stderr, "flag provided but not defined") {
		t.Fatalf("calscan %s: exit %d, want only the missing config to fail:\n%s", strings.Join(args, " "), code, stderr)
	}
}

func TestSystemdUnitsVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CALSCAN_SYSTEMD") == "1" {
			t.Fatal("CALSCAN_SYSTEMD=1 but systemd-analyze is missing")
		}
		t.Skip("systemd-analyze is not installed")
	}
	tmp := t.TempDir()
	var execArgs []string
	for _, name := range []string{"calscan.service", "calscan.timer"} {
		data, err := os.ReadFile(filepath.Join(deployDir, "systemd", name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for _, line := range strings.Split(text, "\n") {
			if rest, ok := strings.CutPrefix(line, "ExecStart=/usr/local/bin/calscan "); ok {
				execArgs = strings.Fields(rest)
			}
		}
		// systemd checks that the program exists; the binary is not installed here.
		text = strings.ReplaceAll(text, "/usr/local/bin/calscan", "/bin/true")
		if err := os.WriteFile(filepath.Join(tmp, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(analyze, "verify", "--man=no", filepath.Join(tmp, "calscan.service"), filepath.Join(tmp, "calscan.timer")).CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		// Containers without a running systemd print these about the host, not the units.
		if line == "" || strings.Contains(line, "Failed to connect to") || strings.Contains(line, "System has not been booted") {
			continue
		}
		if strings.Contains(line, "calscan.") {
			t.Errorf("systemd-analyze: %s", line)
		}
	}
	if err != nil && strings.Contains(string(out), "calscan.") {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	checkCommandLine(t, execArgs)
}

func TestCronLine(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(deployDir, "cron", "calscan"))
	if err != nil {
		t.Fatal(err)
	}
	ranges := [5][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}}
	jobs := 0
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if name, _, ok := strings.Cut(line, "="); ok && !strings.ContainsAny(name, " \t") {
			continue // SHELL=…, PATH=…
		}
		f := strings.Fields(line)
		if len(f) < 7 {
			t.Fatalf("line %d: a /etc/cron.d entry needs 5 time fields, a user and a command: %q", n+1, line)
		}
		for i := 0; i < 5; i++ {
			if err := checkCronField(f[i], ranges[i][0], ranges[i][1]); err != nil {
				t.Errorf("line %d field %d %q: %v", n+1, i+1, f[i], err)
			}
		}
		jobs++
		cmd := strings.Join(f[6:], " ")
		_, after, ok := strings.Cut(cmd, "calscan scan ")
		if !ok {
			t.Fatalf("line %d does not run calscan scan: %q", n+1, cmd)
		}
		args := []string{"scan"}
		for _, a := range strings.Fields(after) {
			if strings.HasPrefix(a, ">") || a == "2>&1" {
				break
			}
			args = append(args, a)
		}
		checkCommandLine(t, args)
	}
	if jobs != 1 {
		t.Errorf("found %d jobs, want 1", jobs)
	}
}

// checkCronField accepts *, numbers, lists, ranges and steps within [lo, hi].
func checkCronField(field string, lo, hi int) error {
	for _, part := range strings.Split(field, ",") {
		base, step, hasStep := strings.Cut(part, "/")
		if hasStep {
			if n, err := strconv.Atoi(step); err != nil || n < 1 {
				return strconv.ErrSyntax
			}
		}
		if base == "*" {
			continue
		}
		from, to, isRange := strings.Cut(base, "-")
		for _, v := range []string{from, to} {
			if v == "" && !isRange {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < lo || n > hi {
				return strconv.ErrRange
			}
		}
	}
	return nil
}

// TestPowerShellTaskScript checks the script's structure: no PowerShell is
// available on Linux, so this is a bracket-and-quote balance check plus the
// cmdlets and the calscan command line it registers.
func TestPowerShellTaskScript(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(deployDir, "windows", "Register-CalscanTask.ps1"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if err := balancedPowerShell(text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#Requires -RunAsAdministrator", "New-ScheduledTaskAction", "New-ScheduledTaskTrigger -Weekly",
		"Register-ScheduledTask", "$ErrorActionPreference = 'Stop'"} {
		if !strings.Contains(text, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	for i, line := range strings.Split(text, "\n") {
		if strings.HasSuffix(strings.TrimRight(line, "\r"), "` ") {
			t.Errorf("line %d: a line continuation backtick followed by a space breaks the script", i+1)
		}
	}
	_, argLine, ok := strings.Cut(text, "-Argument ('")
	if !ok {
		t.Fatal("no -Argument for the task action")
	}
	argLine, _, _ = strings.Cut(argLine, "'")
	args := strings.Fields(strings.ReplaceAll(argLine, `"{0}"`, "/nonexistent/calscan.toml"))
	checkCommandLine(t, args)
}

// balancedPowerShell checks (), {}, [] and quotes, skipping comments and
// here-docs; PowerShell escapes with a backtick inside double quotes.
func balancedPowerShell(s string) error {
	var stack []rune
	pairs := map[rune]rune{')': '(', '}': '{', ']': '['}
	inBlock := false
	for n, line := range strings.Split(s, "\n") {
		if inBlock {
			if strings.Contains(line, "#>") {
				inBlock = false
			}
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(line), "<#") {
			inBlock = !strings.Contains(line, "#>")
			continue
		}
		var quote rune
		for i, r := range line {
			switch {
			case quote == '\'':
				if r == '\'' {
					quote = 0
				}
			case quote == '"':
				if r == '"' && (i == 0 || line[i-1] != '`') {
					quote = 0
				}
			case r == '#':
				goto nextLine
			case r == '\'' || r == '"':
				quote = r
			case r == '(' || r == '{' || r == '[':
				stack = append(stack, r)
			case r == ')' || r == '}' || r == ']':
				if len(stack) == 0 || stack[len(stack)-1] != pairs[r] {
					return &balanceError{line: n + 1, what: string(r)}
				}
				stack = stack[:len(stack)-1]
			}
		}
		if quote != 0 {
			return &balanceError{line: n + 1, what: "unterminated string"}
		}
	nextLine:
	}
	if len(stack) > 0 {
		return &balanceError{line: 0, what: "unclosed " + string(stack)}
	}
	return nil
}

type balanceError struct {
	line int
	what string
}

func (e *balanceError) Error() string {
	return "PowerShell structure: line " + strconv.Itoa(e.line) + ": " + e.what
}
