package report

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFiles(t *testing.T) {
	tests := []struct {
		name    string
		formats []string
		want    []string
	}{
		{"all", []string{"html", "csv", "json"}, []string{"report.html", "summary.csv", "users.csv", "devices.csv", "servers.csv", "findings.csv", "report.json"}},
		{"json only, case-insensitive", []string{"JSON"}, []string{"report.json"}},
		{"duplicates written once", []string{"json", "json", "html"}, []string{"report.json", "report.html"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "new", "reports")
			paths, err := WriteFiles(dir, tt.formats, sampleReport())
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, name := range tt.want {
				want = append(want, filepath.Join(dir, name))
			}
			if !slices.Equal(paths, want) {
				t.Errorf("paths = %q, want %q", paths, want)
			}
			got := listDir(t, dir)
			slices.Sort(got)
			slices.Sort(tt.want)
			if !slices.Equal(got, tt.want) {
				t.Errorf("directory holds %q, want exactly %q (no temporary files)", got, tt.want)
			}
			for _, p := range paths {
				if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
					t.Errorf("%s: empty or missing (%v)", p, err)
				}
			}
		})
	}
}

func TestWriteFilesFormatErrors(t *testing.T) {
	tests := []struct {
		name    string
		formats []string
	}{
		{"unknown", []string{"html", "xml"}},
		{"none", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "reports")
			_, err := WriteFiles(dir, tt.formats, sampleReport())
			if !errors.Is(err, ErrFormat) {
				t.Errorf("error = %v, want one wrapping ErrFormat", err)
			}
			var oe *OutputError
			if errors.As(err, &oe) {
				t.Errorf("a format error is an OutputError: %v", err)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("the output directory was created for a bad format (stat: %v)", err)
			}
		})
	}
}

// brokenWriter writes part of its file, then fails, like a full disk.
type brokenWriter struct{}

func (brokenWriter) Format() string  { return "broken" }
func (brokenWriter) Files() []string { return []string{"broken.txt"} }
func (brokenWriter) Write(_ string, w io.Writer, _ *Report) error {
	if _, err := io.WriteString(w, strings.Repeat("partial ", 20000)); err != nil {
		return err
	}
	return errDiskFull
}

// TestWriteFilesAtomic: when any file fails, no temporary or partial file is
// left, files of the same run that were already complete are not installed,
// and the previous report stays as it was.
func TestWriteFilesAtomic(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteFiles(dir, []string{"json", "html"}, sampleReport()); err != nil {
		t.Fatal(err)
	}
	before := map[string][]byte{}
	for _, name := range []string{JSONFile, HTMLFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		before[name] = b
	}

	next := sampleReport()
	next.Compliant = true
	_, err := writeFiles(dir, []Writer{&JSON{}, &HTML{}, brokenWriter{}}, next)

	var oe *OutputError
	if !errors.As(err, &oe) {
		t.Fatalf("error = %v, want *OutputError", err)
	}
	if oe.Path != filepath.Join(dir, "broken.txt") || !errors.Is(err, errDiskFull) {
		t.Errorf("OutputError = %+v, want the failing file's path wrapping %v", oe, errDiskFull)
	}
	got := listDir(t, dir)
	slices.Sort(got)
	if want := []string{HTMLFile, JSONFile}; !slices.Equal(got, want) {
		t.Errorf("directory holds %q, want only the previous %q", got, want)
	}
	for name, b := range before {
		after, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(after) != string(b) {
			t.Errorf("%s was replaced although the run failed", name)
		}
	}
}

func TestWriteFilesUnwritable(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(base, "read-only")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		dir      string
		wantPath string
		skip     string
	}{
		{"directory is a file", file, file, ""},
		{"parent is a file", filepath.Join(file, "reports"), filepath.Join(file, "reports"), ""},
		{"read-only directory", readOnly, filepath.Join(readOnly, HTMLFile), rootSkip()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.skip != "" {
				t.Skip(tt.skip)
			}
			_, err := WriteFiles(tt.dir, []string{"html", "json"}, sampleReport())
			var oe *OutputError
			if !errors.As(err, &oe) {
				t.Fatalf("error = %v (%T), want *OutputError", err, err)
			}
			if oe.Path != tt.wantPath {
				t.Errorf("OutputError.Path = %q, want %q", oe.Path, tt.wantPath)
			}
			if !strings.Contains(err.Error(), tt.wantPath) {
				t.Errorf("message %q does not name %s", err, tt.wantPath)
			}
		})
	}
}

// rootSkip explains why a permission test cannot fail for the superuser.
func rootSkip() string {
	if os.Geteuid() == 0 {
		return "permissions do not apply to root"
	}
	return ""
}
