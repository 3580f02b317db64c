package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/calscan/calscan/report"
)

func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: calscan diff [flags] OLD.json NEW.json\n\n"+
			"Compares two report.json files, an earlier scan and a later one, and says what changed:\n"+
			"the verdict, CALs required and owned, accounts added, removed or now reclaimable,\n"+
			"servers and findings. The scan keeps its report.json files in [report] history_dir.\n\nFlags:")
		fs.PrintDefaults()
	}
	asJSON := fs.Bool("json", false, "print the changes as JSON rather than text")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(paths) != 2 {
		return fail(stderr, usagef("diff takes two report.json files, OLD and NEW; got %d", len(paths)))
	}

	// Read account by account: two reports of a large directory fit in memory.
	var reports [2]*report.DiffInput
	for i, role := range []string{"OLD", "NEW"} {
		if reports[i], err = report.LoadForDiff(paths[i]); err != nil {
			return fail(stderr, usagef("%s: %v", role, err))
		}
	}
	older, newer := reports[0], reports[1]
	if older.GeneratedAt.After(newer.GeneratedAt) {
		fmt.Fprintf(stderr, "calscan: note: OLD was generated after NEW (%s, %s): the changes read from OLD to NEW\n",
			older.GeneratedAt.UTC().Format(diffTimeLayout), newer.GeneratedAt.UTC().Format(diffTimeLayout))
	}

	changes := report.DiffInputs(older, newer)
	if *asJSON {
		err = writeChangesJSON(stdout, changes)
	} else {
		err = report.WriteChanges(stdout, changes)
	}
	if err != nil {
		return fail(stderr, &report.OutputError{Path: "standard output", Err: err})
	}
	return exitOK
}

const diffTimeLayout = "2006-01-02 15:04 UTC"

func writeChangesJSON(w io.Writer, c *report.Changes) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// parseInterspersed parses flags given before, between or after the
// arguments, which it returns; after "--" everything is an argument.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if parsed := args[:len(args)-len(rest)]; len(parsed) > 0 && parsed[len(parsed)-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
