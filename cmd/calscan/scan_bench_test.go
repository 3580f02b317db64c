package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/calscan/calscan/scanner/adsim"
)

// BenchmarkScanLDIF is `calscan scan` end to end over an LDIF export of the
// synthetic company (100,000 users, 25,000 computers): read, rules, and the
// HTML, CSV and JSON reports, first with no history, then with the previous
// scan's report to compare. CALSCAN_BENCH_LDIF names another export of the
// same company (scripts/bench writes one of 1,000,000 accounts) to profile:
//
//	CALSCAN_BENCH_LDIF=/tmp/company.ldif go test -run '^$' -bench ScanLDIF -benchtime 1x -cpuprofile cpu.out ./cmd/calscan
func BenchmarkScanLDIF(b *testing.B) {
	dir := b.TempDir()
	ldif := os.Getenv("CALSCAN_BENCH_LDIF")
	if ldif == "" {
		ldif = filepath.Join(dir, "company.ldif")
		writeCompanyLDIF(b, ldif, adsim.CompanyOptions{Users: 100_000, Computers: 25_000, Seed: 1})
	}
	for _, history := range []string{"first scan", "with history"} {
		b.Run(history, func(b *testing.B) {
			out := filepath.Join(dir, strings.ReplaceAll(history, " ", "-"))
			cfg := writeBenchConfig(b, dir, ldif, out)
			if history == "with history" {
				scanBench(b, cfg)
			}
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				// Every round compares with the same earlier scan, or none.
				keepHistory(b, filepath.Join(out, "history"), history == "with history")
				b.StartTimer()
				scanBench(b, cfg)
			}
		})
	}
}

func writeCompanyLDIF(b *testing.B, path string, o adsim.CompanyOptions) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := adsim.Company(o).WriteLDIF(f); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

func writeBenchConfig(b *testing.B, dir, ldif, out string) string {
	cfg := filepath.Join(dir, filepath.Base(out)+".toml")
	text := fmt.Sprintf("[[directory]]\nname = \"corp\"\nldif = %q\n\n[scope]\nexclude_accounts = [\"svc-*\"]\n\n[licensing]\nmodel = \"user\"\n\n[[cal]]\ntype = \"user\"\nversion = \"2022\"\nquantity = 1000\n\n[report]\nout_dir = %q\n",
		ldif, out)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		b.Fatal(err)
	}
	return cfg
}

func scanBench(b *testing.B, cfg string) {
	if code := run(b.Context(), []string{"scan", "--config", cfg, "--fail-on", "never", "--log-level", "warn"}, io.Discard, io.Discard); code != exitOK {
		b.Fatalf("exit %d", code)
	}
}

// keepHistory removes every history file but the oldest, or all of them.
func keepHistory(b *testing.B, dir string, oldest bool) {
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		b.Fatal(err)
	}
	for i, e := range entries { // ReadDir sorts by name: oldest first
		if i > 0 || !oldest {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				b.Fatal(err)
			}
		}
	}
}
