package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/calscan/calscan/config"
	"github.com/calscan/calscan/scanner"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: calscan check [flags]\n\nValidates the config, connects and binds to each directory, and says what a scan would read.\n\nFlags:")
		fs.PrintDefaults()
	}
	var lf logFlags
	configPath := fs.String("config", config.DefaultPath, "configuration file")
	lf.register(fs)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return fail(stderr, err)
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "Config %s is valid.\n", cfg.Path)
	for _, w := range cfg.Warnings {
		fmt.Fprintf(stdout, "  warning: %s\n", w)
	}
	for _, d := range cfg.Directories {
		fmt.Fprintf(stdout, "\nDirectory %q\n", d.Name())
		if d.Offline() {
			fmt.Fprintf(stdout, "  offline export: %s\n", d.LDIF)
			continue
		}
		o := d.LDAP
		info, err := scanner.NewLDAP(o, log.With().Str("directory", d.Name()).Logger()).Check(ctx)
		if err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stdout, "  connected: %s (%s, domain level %s)\n", o.URL, info.DNSHostName, info.DomainLevel())
		fmt.Fprintf(stdout, "  bound as:  %s (%s bind)\n", boundAs(o), o.Bind)
		fmt.Fprintf(stdout, "  naming context: %s; paging supported: %v\n", info.DefaultNamingContext, info.PagingSupported)
		if !info.BaseDNExists {
			return fail(stderr, &scanner.DirectoryError{Directory: d.Name(), Op: "search", Err: fmt.Errorf("base_dn %q does not exist on %s (its naming context is %q)", info.BaseDN, o.URL, info.DefaultNamingContext)})
		}
		base := info.BaseDN
		if info.GlobalCatalog && base == "" {
			base = "the whole forest (Global Catalog)"
		}
		fmt.Fprintf(stdout, "  would scan under %s, %d entries per page:\n", base, o.PageSize)
		fmt.Fprintf(stdout, "    users:     %s\n    computers: %s\n    groups:    %s\n", o.UserFilter, o.ComputerFilter, o.GroupFilter)
	}
	fmt.Fprintf(stdout, "\nPolicy: model %s, %d owned CAL purchase(s), %d configured server(s), stale after %d days.\n",
		cfg.Policy.Model, len(cfg.Policy.CALs), len(cfg.Policy.Servers), int(cfg.Policy.StaleAfter.Hours()/24))
	fmt.Fprintf(stdout, "Reports: %v to %s\n", cfg.Report.Formats, cfg.Report.OutDir)
	return exitOK
}

// boundAs names the account a bind uses, as far as the config says.
func boundAs(o scanner.LDAPOptions) string {
	switch {
	case o.BindDN != "":
		return o.BindDN
	case o.Bind == scanner.BindKerberos:
		return "(the principal in the credential cache)"
	case o.Bind == scanner.BindSSPI:
		return "(the logged-on Windows user)"
	}
	return "(anonymous)"
}
