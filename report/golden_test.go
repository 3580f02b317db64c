package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// render writes one file of a format to memory.
func render(t testing.TB, w Writer, name string, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := w.Write(name, &buf, r); err != nil {
		t.Fatalf("%s: Write(%s): %v", w.Format(), name, err)
	}
	return buf.Bytes()
}

// checkGolden compares got with testdata/golden/name. Line endings are
// normalised so the test passes on a Windows checkout with autocrlf.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test ./report -update to create it): %v", err)
	}
	if g, w := normaliseEOL(got), normaliseEOL(want); !bytes.Equal(g, w) {
		t.Errorf("%s differs from %s (run go test ./report -update and review the diff)\n--- got ---\n%s\n--- want ---\n%s", name, path, g, w)
	}
}

func normaliseEOL(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) }
