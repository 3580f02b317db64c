package scanner

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-ldap/ldap/v3"
	"github.com/rs/zerolog"

	"github.com/calscan/calscan/scanner/adsim"
)

// benchCompany is the synthetic company the scanner benchmarks read.
func benchCompany() *adsim.Directory {
	return adsim.Company(adsim.CompanyOptions{Users: 20_000, Computers: 5_000, Seed: 1})
}

// BenchmarkDecodeLDAPEntry decodes search results as a live scan does: the
// company's users, computers and groups with the attributes the scan asks
// for, as go-ldap hands them over.
func BenchmarkDecodeLDAPEntry(b *testing.B) {
	var entries []*ldap.Entry
	var kinds []Kind
	for _, e := range benchCompany().Entries {
		kind := kindOf(e.Attrs["objectClass"], "")
		if kind == 0 {
			continue
		}
		var attrs []*ldap.EntryAttribute
		for _, name := range attributesFor(kind) {
			values := e.Attrs[name]
			if len(values) == 0 {
				continue
			}
			a := &ldap.EntryAttribute{Name: name, Values: values}
			for _, v := range values {
				a.ByteValues = append(a.ByteValues, []byte(v))
			}
			attrs = append(attrs, a)
		}
		entries = append(entries, &ldap.Entry{DN: e.DN, Attributes: attrs})
		kinds = append(kinds, kind)
	}
	var o Object
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e := entries[i%len(entries)]
		if err := decodeObject(&o, kinds[i%len(entries)], "corp", e.DN, entryGetter(e, func(string) {})); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadLDIF reads an export of the company as an offline audit
// does: parse, select, decode. Its throughput is in MB/s of LDIF.
func BenchmarkReadLDIF(b *testing.B) {
	var buf bytes.Buffer
	dir := benchCompany()
	if err := dir.WriteLDIF(&buf); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "company.ldif")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	src := NewLDIF("corp", path, dir.BaseDN, zerolog.Nop())
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		if err := src.Scan(context.Background(), func(*Object) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n < 25_000 {
			b.Fatalf("read %d objects", n)
		}
	}
}
