package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes (SPEC.md).
const (
	exitOK        = 0
	exitFindings  = 1
	exitUsage     = 2
	exitDirectory = 3
	exitOutput    = 4
)

const usage = `calscan — Windows Server CAL compliance from Active Directory

Usage:
  calscan scan  [--config calscan.toml] [--out DIR] [--format html,csv,json] [--email] [--fail-on violation|warning|never]
  calscan demo  [--out DIR] [--users N] [--computers N]
  calscan check [--config calscan.toml]
  calscan diff  OLD.json NEW.json
  calscan version

Run "calscan COMMAND --help" for a command's flags.
Exit codes: 0 compliant, 1 findings at or above --fail-on, 2 usage or config error,
3 directory error (connect, TLS, bind, search), 4 output error (report or email).
`

// run is the whole program: it returns the exit code. SIGINT and SIGTERM
// cancel ctx, so a scan stops cleanly and writes no report.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	limitMemory()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "scan":
		return runScan(ctx, rest, stdout, stderr)
	case "demo":
		return runDemo(ctx, rest, stdout, stderr)
	case "check":
		return runCheck(ctx, rest, stdout, stderr)
	case "diff":
		return runDiff(rest, stdout, stderr)
	case "version", "--version", "-version":
		return runVersion(rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "calscan: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// exitCodeOf maps an error to its exit code: every error below main is typed
// (or wrapped) so that this is the one place that decides.
func exitCodeOf(err error) int {
	var ue *usageError
	if errors.As(err, &ue) || isConfigError(err) {
		return exitUsage
	}
	if isOutputError(err) {
		return exitOutput
	}
	return exitDirectory
}
