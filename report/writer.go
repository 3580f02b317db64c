package report

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Writer renders a Report in one format, as one or more files.
type Writer interface {
	// Format is the name used in --format and [report] formats.
	Format() string
	// Files are the base names of the files this format produces.
	Files() []string
	// Write renders the file called name (one of Files) to w.
	Write(name string, w io.Writer, r *Report) error
}

// Report formats.
const (
	FormatCSV  = "csv"
	FormatHTML = "html"
	FormatJSON = "json"
)

// ErrFormat is wrapped by errors for an unknown or missing report format:
// a usage or configuration error, not an output error.
var ErrFormat = errors.New("invalid report format")

// Formats lists the valid format names, sorted.
func Formats() []string { return []string{FormatCSV, FormatHTML, FormatJSON} }

// NewWriter returns the writer for a format name (case-insensitive).
func NewWriter(format string) (Writer, error) {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case FormatCSV:
		return &CSV{}, nil
	case FormatHTML:
		return &HTML{}, nil
	case FormatJSON:
		return &JSON{}, nil
	}
	return nil, fmt.Errorf("%w %q (valid: %s)", ErrFormat, format, strings.Join(Formats(), ", "))
}

// errUnknownFile is returned when a writer is asked for a file it does not make.
func errUnknownFile(w Writer, name string) error {
	return fmt.Errorf("%s report has no file %q (files: %s)", w.Format(), name, strings.Join(w.Files(), ", "))
}
