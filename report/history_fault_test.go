package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// SaveHistoryFrom keeps the very bytes SaveHistory would encode, and a
// report.json that cannot be read leaves the history as it was.
func TestSaveHistoryFrom(t *testing.T) {
	rep := New(sampleResult(), generatedAt, "0.1.0")
	written, err := WriteFiles(t.TempDir(), []string{FormatJSON}, rep)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		source  string
		wantErr bool
	}{
		{"copy of the written report.json", written[0], false},
		{"report.json gone", filepath.Join(t.TempDir(), JSONFile), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			encoded, err := SaveHistory(t.TempDir(), rep, 0)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			got, err := SaveHistoryFrom(dir, rep, 0, tt.source)
			if tt.wantErr {
				var oe *OutputError
				if !errors.As(err, &oe) {
					t.Fatalf("error %v, want an *OutputError", err)
				}
				if entries, _ := os.ReadDir(dir); len(entries) != 0 {
					t.Errorf("a failed copy left %v in the history folder", entries)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want, _ := os.ReadFile(encoded)
			have, _ := os.ReadFile(got)
			if filepath.Base(got) != filepath.Base(encoded) || !bytes.Equal(have, want) || len(have) == 0 {
				t.Errorf("history file %s (%d bytes) differs from the encoded %s (%d bytes)", got, len(have), encoded, len(want))
			}
		})
	}
}
