// Command benchldif writes scanner/adsim's synthetic company as an LDIF
// export (the shape of `ldapsearch -LLL`), for scripts/bench's offline run:
//
//	go run ./scripts/benchldif -users 800000 -computers 200000 -out company.ldif
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/calscan/calscan/scanner/adsim"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchldif:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("benchldif", flag.ContinueOnError)
	users := fs.Int("users", 800_000, "users in the company")
	computers := fs.Int("computers", 200_000, "computers in the company")
	out := fs.String("out", "company.ldif", "file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir := adsim.Company(adsim.CompanyOptions{Users: *users, Computers: *computers, Seed: 1})
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := dir.WriteLDIF(w); err != nil {
		_ = f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(os.Stderr, "benchldif: %d entries in %s\n", len(dir.Entries), *out)
	return nil
}
