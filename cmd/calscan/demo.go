package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/calscan/calscan/rules"
	"github.com/calscan/calscan/scanner"
	"github.com/calscan/calscan/scanner/adsim"
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: calscan demo [flags]\n\nStarts a synthetic Active Directory on 127.0.0.1, scans it over LDAP and writes the reports.\nNothing leaves this machine.\n\nFlags:")
		fs.PrintDefaults()
	}
	var lf logFlags
	outDir := fs.String("out", "calscan-demo", "folder for the reports")
	users := fs.Int("users", 2000, "users in the demo company")
	computers := fs.Int("computers", 600, "computers in the demo company")
	lf.register(fs)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if *users < 1 || *computers < 1 {
		return fail(stderr, usagef("--users and --computers must be at least 1"))
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return fail(stderr, err)
	}
	now := time.Now().UTC()
	dir := adsim.Company(adsim.CompanyOptions{Users: *users, Computers: *computers, Seed: 1, Now: now})
	const bindUPN = "svc-calscan@corp.example.test"
	password := rand.Text()
	srv, err := adsim.Start(adsim.Options{Directory: dir, BindDN: "CN=svc-calscan,OU=Service Accounts," + dir.BaseDN, UPN: bindUPN, Password: password})
	if err != nil {
		return fail(stderr, &scanner.DirectoryError{Directory: "demo", Op: "connect", Err: fmt.Errorf("start the demo directory: %w", err)})
	}
	defer srv.Close()
	log.Info().Str("url", srv.URL()).Int("users", *users).Int("computers", *computers).Msg("demo directory started")

	opts := scanner.LDAPOptions{
		Name: "corp", URL: srv.URL(), BaseDN: dir.BaseDN, Bind: scanner.BindSimple, BindDN: bindUPN, Password: password,
		PageSize: scanner.DefaultPageSize, Timeout: scanner.DefaultTimeout,
		UserFilter: scanner.DefaultUserFilter, ComputerFilter: scanner.DefaultComputerFilter, GroupFilter: scanner.DefaultGroupFilter,
	}
	p := &pipeline{
		log:     log,
		stderr:  stderr,
		policy:  demoPolicy(opts),
		sources: []scanner.Source{scanner.NewLDAP(opts, log.With().Str("directory", "corp").Logger())},
		outDir:  *outDir,
		formats: []string{"html", "csv", "json"},
		now:     now,
		// Run the demo twice to see "Since the last scan" and the trend.
		historyDir:  filepath.Join(*outDir, "history"),
		historyKeep: 10,
	}
	rep, files, err := p.run(ctx)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "Demo company: %s users and %s computers served on %s, scanned over LDAP.\n\n",
		rules.FormatCount(*users), rules.FormatCount(*computers), srv.URL())
	printOutcome(stdout, rep, files)
	fmt.Fprintln(stdout, "\nOpen report.html in a browser. To scan your own domain: copy config.example.toml to calscan.toml, edit it, run `calscan check`, then `calscan scan`.")
	return exitOK
}

// demoPolicy is what the demo company owns: a typical estate that bought
// CALs years ago, then added a 2022 domain controller; remote staff work on an
// RD Session Host; two hosts have their cores on record.
func demoPolicy(o scanner.LDAPOptions) rules.Policy {
	return rules.Policy{
		Model:           rules.ModelUser,
		MixedDefault:    rules.ModelUser,
		StaleAfter:      90 * 24 * time.Hour,
		ExcludeAccounts: []string{"svc-*"},
		AdminExempt:     []string{"Administrator"},
		Servers: []rules.ServerConfig{
			{Name: "RDS01", RDS: true, AccessGroup: "CN=RDS Users,OU=Groups," + o.BaseDN, Cores: 16, Processors: 1},
			{Name: "SQL01", Cores: 24, Processors: 2, VMs: 0},
		},
		CALs: []rules.OwnedCAL{
			{Type: rules.CALUser, Version: "2019", Quantity: 1200, Reference: "Open Value 8841, 2019-03"},
			{Type: rules.CALUser, Version: "2022", Quantity: 400, Reference: "CSP, 2023-06"},
			{Type: rules.CALDevice, Version: "2016", Quantity: 50, Reference: "OEM, shop-floor PCs"},
			{Type: rules.CALRDSUser, Version: "2019", Quantity: 100, Reference: "Open Value 8841, 2019-03"},
		},
		CoreLicenses: []rules.OwnedCoreLicense{
			{Edition: rules.EditionDatacenter, Version: "2019", Quantity: 32},
		},
		Directories: []rules.DirectoryInfo{{Name: o.Name, Source: o.URL}},
	}
}
