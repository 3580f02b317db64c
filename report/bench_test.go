package report

import (
	"io"
	"testing"

	"github.com/calscan/calscan/rules"
)

// benchReport is a company of 100,000 accounts: 80,000 users and 20,000 devices.
func benchReport() *Report {
	res := sampleResult()
	res.Users = rules.NewAccounts(manyAccounts(80000, "user"))
	res.Devices = rules.NewAccounts(manyAccounts(20000, "pc"))
	return New(res, generatedAt, "0.1.0")
}

func benchmarkWriter(b *testing.B, w Writer) {
	r := benchReport()
	b.ReportAllocs()
	for b.Loop() {
		for _, name := range w.Files() {
			if err := w.Write(name, io.Discard, r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkJSON(b *testing.B) { benchmarkWriter(b, &JSON{}) }
func BenchmarkCSV(b *testing.B)  { benchmarkWriter(b, &CSV{}) }
func BenchmarkHTML(b *testing.B) { benchmarkWriter(b, &HTML{}) }

func BenchmarkWriteFiles(b *testing.B) {
	r := benchReport()
	dir := b.TempDir()
	for b.Loop() {
		if _, err := WriteFiles(dir, Formats(), r); err != nil {
			b.Fatal(err)
		}
	}
}
