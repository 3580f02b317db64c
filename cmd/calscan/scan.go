package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/calscan/calscan/config"
	"github.com/calscan/calscan/report"
	"github.com/calscan/calscan/rules"
	"github.com/calscan/calscan/scanner"
)

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: calscan scan [flags]\n\nScans the directories in the config, applies the licensing rules and writes the reports.\n\nFlags:")
		fs.PrintDefaults()
	}
	var (
		lf         logFlags
		configPath = fs.String("config", config.DefaultPath, "configuration file")
		outDir     = fs.String("out", "", "folder for the reports (default: [report] out_dir)")
		formats    = fs.String("format", "", "report formats, comma-separated: html,csv,json (default: [report] formats)")
		email      = fs.Bool("email", false, "email the reports as configured in [email]")
		failOn     = fs.String("fail-on", "violation", "exit 1 when a finding is at least this severe: violation, warning or never")
	)
	lf.register(fs)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return fail(stderr, usagef("scan takes no arguments, got %q", fs.Args()))
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return fail(stderr, err)
	}
	threshold, err := parseFailOn(*failOn)
	if err != nil {
		return fail(stderr, err)
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		return fail(stderr, err)
	}
	for _, w := range cfg.Warnings {
		log.Warn().Msg(w)
	}
	p := &pipeline{log: log, stderr: stderr, policy: cfg.Policy, outDir: cfg.Report.OutDir, formats: cfg.Report.Formats, now: time.Now().UTC(),
		historyDir: cfg.Report.HistoryDir, historyKeep: cfg.Report.HistoryKeep}
	if *outDir != "" {
		p.outDir = *outDir
	}
	if *formats != "" {
		if p.formats, err = config.ParseFormats(*formats); err != nil {
			return fail(stderr, usagef("--format: %v", err))
		}
	}
	if *email && !cfg.Email.Configured {
		return fail(stderr, usagef("--email: the config has no [email] table"))
	}
	if p.sources, err = sourcesFor(cfg, log); err != nil {
		return fail(stderr, err)
	}
	rep, files, err := p.run(ctx)
	if err != nil {
		return fail(stderr, err)
	}
	printOutcome(stdout, rep, files)
	if *email {
		if err := sendReports(ctx, cfg.Email, rep, files, log); err != nil {
			return fail(stderr, err)
		}
	}
	return rep.ExitCode(threshold)
}

// sourcesFor opens a Source per [[directory]].
func sourcesFor(cfg *config.Config, log zerolog.Logger) ([]scanner.Source, error) {
	var out []scanner.Source
	for _, d := range cfg.Directories {
		dlog := log.With().Str("directory", d.Name()).Logger()
		if d.Offline() {
			out = append(out, scanner.NewLDIF(d.Name(), d.LDIF, d.LDAP.BaseDN, dlog))
			continue
		}
		out = append(out, scanner.NewLDAP(d.LDAP, dlog))
	}
	return out, nil
}

func parseFailOn(s string) (rules.Severity, error) {
	switch s {
	case "violation":
		return rules.SeverityViolation, nil
	case "warning":
		return rules.SeverityWarning, nil
	case "never":
		return rules.FailNever, nil
	}
	return "", usagef("--fail-on %q: use violation, warning or never", s)
}

// printOutcome tells the person at the terminal the verdict and where the files are.
func printOutcome(w io.Writer, rep *report.Report, files []string) {
	fmt.Fprintln(w, report.Summary(rep))
	if len(files) > 0 {
		fmt.Fprintln(w, "\nReports:")
		for _, f := range files {
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
}

// flagExit turns a flag parsing outcome into an exit code: --help is not an error.
func flagExit(err error) int {
	if err == flag.ErrHelp {
		return exitOK
	}
	return exitUsage
}
